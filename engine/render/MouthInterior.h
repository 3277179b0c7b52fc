#pragma once

#include "FaceRig.h"
#include "ImageBand.h"
#include "core/Image.h"
#include "lipsync/MouthParams.h"

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace cv {
class Mat;
}

namespace avatar {

// What is seen between the lips when the mouth opens, drawn from real imagery rather than paint:
// - upper teeth fixed to the skull (they move with the head, not with the lips): the portrait's own teeth
//   when it shows them, else the teeth atlas fitted to the opening and matched to the portrait's light;
// - lower teeth fixed to the jaw, behind the upper ones while the bite is closed, following the jaw down;
// - a tongue filling most of the lower half of an open mouth, its texture the portrait's own lower lip
//   (softened, a little redder, mottled), dark at the back and lit at the front, with a mid-line groove and
//   a soft wet highlight; its tip raised behind the upper teeth for L and TH;
// - a cavity above it shaded by depth inside the opening: dark red at its rim, nearly black only deep in
//   the middle (the throat) and at the very corners, with no hard edge;
// - a soft contact shadow under both lips, and grain matched to the portrait's own noise on everything that
//   is not the portrait's own pixels, so that the redrawn area has the texture of its surroundings.
// Built once per scene; paint() is const and serves every worker thread.
class MouthInterior {
public:
    // `background` is the still frame (portrait in place), `rig` the face on it. Without `useAtlas` a
    // portrait that shows no teeth of its own gets only the cavity and tongue (tests compare the two).
    // `softness` is how blurred the photograph is in frame pixels (about its enlargement, at least 1): the
    // edges drawn here (teeth against cavity, the opening against the lips) are made as soft, or they would
    // look cut out of a sharper picture.
    MouthInterior(const Image& background, const FaceRig& rig, bool useAtlas = true, double softness = 1.0);

    // Landmark detectors place the inner-lip points of a smile a few pixels inside the teeth, which would
    // leave a strip of teeth in the lips' skin (a double mouth once the lips close). This moves points 61-63
    // up and 65-67 down to where the teeth end, when the opening holds teeth. `face` is in `image`
    // coordinates.
    static FaceLandmarks fitInnerLipsToTeeth(const Image& image, const FaceLandmarks& face);

    // For a portrait with its own teeth: replaces the thin strips of teeth that lie outside the inner-lip
    // outline (inside the lips' mesh triangles) with the lip colour next to them, so that closed shapes seal
    // over the teeth instead of leaving a line of them between the lips. Call once on the scene's background
    // after construction; the teeth themselves are kept in a copy.
    void sealLips(Image& background) const;

    // True when the portrait's own teeth are used.
    bool ownTeeth() const { return m_ownTeeth; }
    // The portrait's grain: the spread of its fine detail on the cheeks, 8-bit units.
    double grain() const { return m_grain; }

    // Paints one frame's opening: the inside of the inner-lip outline of `vertices` (the rig deformed for
    // `pose`), anti-aliased at 1/16 pixel, clipped to the rig's region; on a sealed pucker
    // (FaceRig::puckerSeal) its small round middle instead (MouthInterior_pucker.cpp).
    void paint(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const;

private:
    // paint() on an open mouth (MouthInterior_paint.cpp) and on a sealed pucker's small round middle, faded
    // in by `weight` (MouthInterior_pucker.cpp).
    void paintOpening(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const;
    // paint() where a sharp photo's own smile is closed (smileWeight()): the seam where the warped lips meet
    // blurred across to the photo's softness (MouthInterior_lips.cpp).
    void softenSeam(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const;
    void paintPucker(const std::vector<PointF>& vertices, const MouthParams& pose, double weight,
                     Image& frame) const;
    // The photographed mouth's fine detail that paintPucker() reads again into a drawn-out lower lip (its
    // grain and its lines, split by scale): once per scene, since it depends only on the photo and its scale
    // (MouthInterior_pucker.cpp).
    struct PuckerLipDetail;
    static std::shared_ptr<const PuckerLipDetail> puckerLipDetail(const Image& photo, double iod);
    // One frame's geometry in the mouth's skull-fixed frame.
    struct Frame {
        FaceRig::HeadPose head;
        PointF centre;                          // the rest centre moved with the head
        PointF u, v;                            // the face's axes turned with the head
        std::vector<double> upperLip, lowerLip; // this frame's inner-lip edges, per column
        double jaw = 0.0;                       // how far the jaw (chin) has dropped, px
        const MouthParams* pose = nullptr;
    };
    // What shade() gives for one pixel: its colour before grain, the share of it that is not the portrait's
    // own pixels, and how much of the portrait's grain it takes.
    struct Shaded {
        double rgb[3] = {0.0, 0.0, 0.0};
        double synthetic = 1.0;
        double grain = 1.0;
        double cavity = 1.0; // the share of the dark space between teeth, tongue and lips
        double lip = 0.0;    // the share of the lower lip risen into the opening (lowerLipInside())
        // The photo's own fine detail in that lip (its high-pass at the blur's scale, as it shades there):
        // paint() adds back what its blur took out of it.
        double detail[3] = {0.0, 0.0, 0.0};
    };
    // The colour at (a across, b down) of the mouth frame.
    void shade(const Frame& f, double a, double b, Shaded& out) const;
    // The portrait's grain at (a, b) of the mouth frame (pixel (px, py) of the skull-fixed grid), 8-bit
    // units.
    double grainOf(double a, double b, int px, int py) const;
    double column(double a) const { return (a - m_colStart) / kStep; }
    void samplePhoto(double a, double b, double rgb[3]) const; // mouth frame (a, b) at rest
    double lookup(const std::vector<double>& table, double a) const;
    // Shades an atlas tooth's colour at (a across, t up the crown from its biting edge): darker where two
    // teeth meet; `strength` 1 for the upper row.
    void shadeCrowns(double a, double t, double strength, double rgb[3]) const;
    // The distance along the row from `a` to the nearest separation between two teeth (1e9 when none).
    double toSeparation(double a) const;
    // How far an upper atlas tooth's biting edge at `a` lies short of the row's smooth edge (px; negative:
    // past it): each crown's corners are rounded, the lateral incisors are shorter than the centrals, the
    // canines pointed, and no two teeth are quite the same length.
    double edgeLift(double a) const;
    // How far the portrait's own teeth' biting edge rises at `a` where two of its crowns meet (px).
    double embrasure(double a) const;
    // On an enlarged photo: how much of the opening is drawn as a photographed gap, dark, warm and closing
    // into the corners (0 up to about 1.9x, as on the lip-sync test's frames, 1 from 2.5x;
    // MouthInterior_paint.cpp).
    double darkWeight() const;
    // The rest: how much of a sharp photo's look the opening's edges take (1 where darkWeight() is 0), whose
    // edges nothing blurs. Only on a face drawn large enough (from 85 to 105 px between the eyes): on a
    // smaller one the lips' edges are a pixel or two and their dark rim is what shows where the lips are
    // (the lip-sync test's detector, IOD 62-81 px, lost them without it: sample6's row 0.653 -> 0.548).
    double sharpness() const { return (1.0 - darkWeight()) * sizeWeight(); }
    double sizeWeight() const;
    // Moves the cavity's colour `c` at `s` across the opening (-1 .. 1 between the corners) towards a
    // photographed gap's, by darkWeight(): `gap` between the rows (px), `depth` inside the opening, `shade`
    // the cavity's own light (its blotches and the upper teeth's shadow).
    void darkenCavity(double s, double gap, double depth, double shade, double c[3]) const;
    // The same for a sharp portrait's rows well apart, by `rim` (sharpness(), not on a pucker; atlas teeth).
    void deepenCavity(double gap, double open, double depth, double rim, double shade, double c[3]) const;
    // On a sharp portrait with atlas teeth (`rim`), towards the corners (the buccal corridor): how much of
    // it a point `s` across the opening takes (0 .. 1), and the teeth darkened towards the back and the dark
    // space graded by its distance from the lips and blotched by `shade` (the cavity's), on `out` at (s, b)
    // (MouthInterior_corners.cpp).
    double corridorWeight(double s, double rim) const;
    // There: how far (px) the upper row's edge `upperEdge` is brought down at `s` so that the row reaches
    // on into the corners within the opening between `upperLip` and `lowerLip` (by at most most of `crown`,
    // the row's crown height there).
    double cornerReach(double s, double upperEdge, double upperLip, double lowerLip, double crown,
                       double rim) const;
    // And the column `s` of the atlas strip read there (its own ends are her dark mouth corners).
    double atlasColumn(double s, double rim) const;
    void buccalCorridor(double s, double b, double upperLip, double lowerLip, double rim, double shade,
                        Shaded& out) const;
    // There, after the opening is drawn: the frame blurred across the outline (`inside` the opening's mask
    // over `box`), so the lips' inner edges in the corners are as soft as the photo's.
    void softenCorners(const Frame& f, const cv::Mat& inside, const Rect& box, Image& frame) const;
    // How far, by darkWeight(), a tongue seen through a gap `gap` px tall between the rows lies back in
    // the shade behind the lower teeth (0 .. 1).
    double tongueInShade(double gap) const;
    // By darkWeight(): towards the corners the lower lip rises over the opening's lower part (over the lower
    // teeth, up to `top` the upper teeth's edge or the upper lip, and past the teeth to `upperLip` in the
    // very corners), so the dark space narrows into the corners; towards the corners its edge is in the
    // shade of the photo's dark corner. `c` the colour so far, `out` as in shade() (its `lip` the lip's
    // share).
    void lowerLipInside(double s, double b, double top, double lowerLip, double upperLip, double c[3],
                        Shaded& out) const;
    // By darkWeight(), towards the corners: what the contact shadow darkened (`synthetic` share of it) takes
    // a photographed corner's warm red-brown at its own luma.
    void warmCorner(double s, double synthetic, double rgb[3]) const;
    // On a sharp photo without teeth of its own: moves each lip's own texture `width` px in over the dark
    // edge that the warp laid along its inner edge (`inside` the opening's mask over `box`;
    // MouthInterior_paint.cpp).
    void uncrease(const Frame& f, const cv::Mat& inside, const Rect& box, double width, Image& frame) const;
    // On a sharp photo without teeth of its own: the gain per channel, by how far down the lower lip (t 0 at
    // its inner edge, 1 at its outer), that lifts the closed upper lip's shadow off the photo's lower lip
    // (`strength` 0 .. 1, for a pixel `rgb`, which it lifts no brighter than the lip's lit body);
    // measureLipShade() once per scene, unshadeLowerLip() on each open frame
    // (MouthInterior_rim.cpp).
    void measureLipShade();
    void lipGain(double t, double strength, const double rgb[3], double g[3]) const;
    void unshadeLowerLip(const Frame& f, const std::vector<PointF>& vertices, Image& frame) const;
    // How much of a sharp photo's own smile gets the edge and gap below (0 .. 1; MouthInterior_smile.cpp).
    double smileWeight() const;
    // On a sharp photo with its own teeth (MouthInterior_smile.cpp): moves the upper teeth's biting edge
    // (m_incisal) from the inner lower lip's landmarks to the arc where the photo's teeth end (`toothBright`
    // at (a, b) of the rest mouth), and m_teethEnd down to where they end below the landmarks.
    void fitOwnEdge(const std::function<bool(double, double)>& toothBright);
    // There: a gap between the rows `gap` px tall (the rows `rows` px apart) is a soft, partial shade of her
    // teeth's own colour (`c` moved towards it by `weight`) at (a, b), the upper teeth ending at `upperEdge`.
    void narrowGap(double a, double b, double upperEdge, double gap, double rows, double weight,
                   double c[3]) const;
    // There, with the rows well apart (`weight`): the cavity of a photographed open mouth, `c` moved towards
    // it at (a, b), the upper teeth's smooth edge at `upperEdge` (where two crowns meet the shade under it
    // fills their V) over a gap `height` px tall, `shade` the cavity's blotches and pockets
    // (MouthInterior_paint.cpp).
    void openSmile(double a, double b, double upperEdge, double height, double shade, double weight,
                   double c[3]) const;
    // There: how far the lower row's edge rises at `a` into a gap `gap` px tall, its crowns' rounded tips.
    double lowerTips(double a, double gap) const;
    // On an enlarged photo's own smile opened wide (`weight`): her lower row's colour `tooth` at `a`, `t`
    // down its crown from its tips, made a warm ivory in the mouth's shade; returns the factor on its
    // brightness that draws its crowns (where two meet, their tips, their lit edge)
    // (MouthInterior_smile.cpp).
    double lowerRowInShade(double a, double t, double weight, double tooth[3]) const;
    // There with the rows nearly touching (`weight`): at (a, b) the dark space's colour `c` (`cavity` < 0)
    // made her teeth in a soft, broken shade where the rows meet, at `meet`; or, drawn, `c` darkened by that
    // shade where it is teeth (`cavity` of it the dark space) (MouthInterior_smile.cpp).
    void softSlit(double a, double b, double meet, double weight, double cavity, double c[3]) const;
    // There, at (a, b) `past` px below where the teeth the photo shows end (its crowns mirrored below): a
    // pixel `rgb` copied from the photo that is her lips' pink (a corner's lip) becomes her teeth in shade.
    void teethNotLip(double a, double b, double past, double rgb[3]) const;
    // The blur paint() applies to what it draws on an enlarged photo (px; 0: none).
    double blurSigma() const { return 1.5 * (m_softness - 1.2); }
    // The photo's fine detail in `photo` (its mouth), what a blur of blurSigma() takes out: 128 + twice
    // the high-pass, per channel (MouthInterior_paint.cpp).
    Image highPass(const Image& photo) const;

    static constexpr double kStep = 0.5; // column spacing of the tables, pixels

    Image m_photo;        // the portrait's mouth as photographed (own teeth are sampled from it)
    PointF m_photoOrigin; // where m_photo's top-left pixel lies in the frame
    const FaceRig& m_rig;
    double m_iod = 1.0;
    PointF m_centre; // rest mouth centre, frame coordinates
    double m_halfWidth = 1.0;
    double m_restChin = 0.0; // the chin's rest position down the face from the centre
    double m_colStart = 0.0;
    std::vector<double> m_restUpper; // rest inner-lip edges (b down the face from the centre), per column
    std::vector<double> m_restLower;
    std::vector<double> m_incisal;  // the upper teeth's biting edge at rest, per column
    std::vector<double> m_crown;    // visible crown length above it, per column (px)
    std::vector<double> m_teethEnd; // own teeth: where the photographed teeth end, per column
    double m_teethColour[3] = {200.0, 200.0, 200.0}; // own teeth: their mean colour, middle columns
    bool m_ownTeeth = false;
    std::optional<ImageBand> m_atlasTeeth; // the atlas, matched to this portrait
    std::vector<double> m_separations;     // where the teeth (atlas or own) meet, a across the frame (sorted)
    std::optional<ImageBand> m_lowerLip;   // the tongue's texture
    std::optional<ImageBand> m_lowerLipDetail;          // its high-pass (highPass()), on an enlarged photo
    std::shared_ptr<const PuckerLipDetail> m_puckerLip; // puckerLipDetail() of m_photo
    static constexpr int kLipRows = 21;
    std::optional<std::array<std::array<double, 3>, kLipRows>> m_lipGain; // measureLipShade()
    double m_lipBodyLuma = 255.0; // the luma unshadeLowerLip() lifts the lip to, at most
    double m_lipColour[3] = {150.0, 80.0, 80.0};
    double m_grain = 2.0;
    double m_cheekLuma = 150.0;
    double m_edge = 1.0;     // width of a drawn edge's ramp, frame pixels
    double m_softness = 1.0; // the photograph's blur in frame pixels (about its enlargement), at least 1
};

} // namespace avatar
