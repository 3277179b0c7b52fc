// avatar-bench --suite realism: issue #12's measurements of a presenter that looks photographed. Renders the
// demo script on several portraits through the real pipeline into MP4 files, decodes them and judges the
// decoded frames with face-api's networks (engine/facenet, LibTorch): an independent detector and landmark
// model, not the dlib landmarks the renderer animates. Beside the frames' mouth figures it measures the same
// figures on real photographs of open mouths, and from the face mesh alone how far skin stretches. Prints one
// JSON line; docs/QUALITY.md defines every key and records the figures.
#include "Suites.h"

#include "MeshMetrics.h"
#include "MouthMetrics.h"
#include "RealismSheets.h"
#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "facenet/FaceNet.h"
#include "media/MediaReader.h"
#include "pipeline/RenderPipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace avatar::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The face-api package's sample photos (packaging/setup-models.sh installs them; the tests use them too).
// $AVATAR_FACEAPI_DIR overrides the source tree's copy (an installed avatar-bench).
std::filesystem::path faceApiDemo() {
    const char* dir = std::getenv("AVATAR_FACEAPI_DIR");
    return std::filesystem::path(dir && *dir ? dir : AVATAR_FACEAPI_DIR) / "demo";
}

// A face in a photograph: the one whose box centre is nearest (x, y), in the photo's pixels.
struct PhotoFace {
    std::string name;
    std::string file; // in faceApiDemo(); empty: the embedded astronaut portrait
    double x = 0, y = 0;
};

// Portraits the demo script is rendered on: single frontal faces with closed or nearly closed lips, cut from
// the sample photos as a creator would frame a presenter (tst_render_e2e uses the first two crops too).
const std::vector<PhotoFace>& portraits() {
    static const std::vector<PhotoFace> list = {
        {"astronaut", "", 0, 0},
        {"sample3-left", "sample3.jpg", 684, 465},
        {"sample6-left", "sample6.jpg", 355, 613},
        {"sample6-third", "sample6.jpg", 1274, 444},
    };
    return list;
}

// Photographs of open mouths (teeth showing, lips apart by face-api's landmarks), each checked by eye:
// the reference range for the mouth figures.
const std::vector<PhotoFace>& openMouthPhotos() {
    static const std::vector<PhotoFace> list = {
        {"astronaut", "", 0, 0},
        {"sample1-right", "sample1.jpg", 1577, 320},
        {"sample3-right", "sample3.jpg", 1599, 431},
        {"sample4-right", "sample4.jpg", 1349, 265},
        {"sample5-centre", "sample5.jpg", 1192, 316},
        {"sample5-left", "sample5.jpg", 681, 539},
        {"sample5-bottom", "sample5.jpg", 463, 1010},
        {"sample6-second", "sample6.jpg", 760, 474},
    };
    return list;
}

Image loadPhoto(const PhotoFace& p) {
    if (p.file.empty())
        return ImageIO::decode(DefaultAssets::portraitPng(), "the default portrait");
    const std::filesystem::path path = faceApiDemo() / p.file;
    if (!std::filesystem::exists(path))
        throw Error(ErrorCode::NotFound, path.string() + " is missing: run packaging/setup-models.sh");
    return ImageIO::load(path);
}

// The face nearest the photo's chosen point (the best one for the astronaut).
FaceNetFace findFace(const FaceNet& net, const Image& image, const PhotoFace& p, const FaceNet::Options& o) {
    const std::vector<FaceNetFace> faces = net.analyze(image, o);
    if (faces.empty())
        throw Error(ErrorCode::NoFace, "face-api finds no face in " + p.name);
    if (p.file.empty())
        return faces.front();
    const auto distance = [&](const FaceNetFace& f) {
        return std::hypot(f.x + f.width / 2 - p.x, f.y + f.height / 2 - p.y);
    };
    const auto best = std::min_element(
        faces.begin(), faces.end(), [&](const auto& a, const auto& b) { return distance(a) < distance(b); });
    if (distance(*best) > best->width)
        throw Error(ErrorCode::NoFace, "no face near the chosen point of " + p.name);
    return *best;
}

// A presenter crop: square, three face widths, the face a little above the centre.
Image presenterCrop(const Image& photo, const FaceNetFace& f) {
    const int side = std::min({static_cast<int>(f.width * 3), photo.width(), photo.height()}) & ~1;
    const int cx = static_cast<int>(f.x + f.width / 2), cy = static_cast<int>(f.y + f.height * 0.6);
    const int x0 = std::clamp(cx - side / 2, 0, photo.width() - side);
    const int y0 = std::clamp(cy - side / 2, 0, photo.height() - side);
    return photo.cropped({x0, y0, side, side});
}

double median(std::vector<double> v) {
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// What one rendered video gave.
struct VideoFigures {
    std::string portrait;
    int width = 0, height = 0;
    long long frames = 0;      // in the video
    long long analysed = 0;    // frames given to face-api
    long long faceMissing = 0; // of those, frames where it found no face
    long long lipsApart = 0;   // of those, frames with the lips apart
    MouthFigures mouth;        // pixels summed over the lips-apart frames
    std::vector<double> mouthOpenings;
    std::vector<double> identity; // descriptor distance to the portrait, per analysed frame
    MeshFigures mesh;
    OpeningShape pucker;            // shape F's opening
    double aboveBrowsMaxDiff = 0.0; // largest channel difference above the brows, shapes A-H against X
    double aboveBrowsChanged = 0.0; // share of those pixels that differ by more than 2 levels
    double renderSeconds = 0.0, analyseSeconds = 0.0;
};

// Renders every shape with the scene's own renderer and compares the pixels above the brows with shape X.
void measureAboveBrows(const Scene& scene, VideoFigures& v) {
    double browTop = 1e18;
    for (int i = 17; i <= 26; ++i)
        browTop = std::min(browTop, scene.face.points[static_cast<std::size_t>(i)].y);
    const Rect r = scene.rig.region();
    const int yEnd = std::clamp(static_cast<int>(std::floor(browTop)), r.y, r.bottom());
    Image closed = scene.background, other = scene.background;
    scene.renderer.render(MouthParams::forShape(Viseme::X), closed);
    long long changed = 0, total = 0;
    for (char c : std::string("ABCDEFGH")) {
        scene.renderer.render(MouthParams::forShape(visemeFromChar(c)), other);
        for (int y = r.y; y < yEnd; ++y)
            for (int x = r.x; x < r.right(); ++x) {
                const std::uint8_t* a = closed.row(y) + x * 3;
                const std::uint8_t* b = other.row(y) + x * 3;
                int d = 0;
                for (int k = 0; k < 3; ++k)
                    d = std::max(d, std::abs(int(a[k]) - int(b[k])));
                v.aboveBrowsMaxDiff = std::max(v.aboveBrowsMaxDiff, double(d));
                changed += d > 2;
                ++total;
            }
    }
    v.aboveBrowsChanged = total ? double(changed) / double(total) : 0.0;
}

struct WordSheet {
    std::vector<Image> frames;
    long long first = -1; // first frame index kept
    std::string word;
    Rect crop;
};

// The first word of at least three letters that lasts eight frames: its eight frames from the word's start.
void chooseWord(const Narration& narration, FrameRate rate, WordSheet& sheet) {
    const double fps = rate.toDouble();
    for (const Word& w : narration.speech.words) {
        const auto first = static_cast<long long>(std::floor(w.start * fps));
        const auto last = static_cast<long long>(std::floor(w.end * fps));
        if (w.text.size() >= 3 && last - first >= 8) {
            sheet.first = first;
            sheet.word = w.text;
            return;
        }
    }
}

class RealismRun {
public:
    RealismRun(const RenderSpec& base, const std::filesystem::path& dir, int every)
        : m_base(base), m_dir(dir), m_every(std::max(1, every)), m_pipeline(m_services) {
        m_options.expressions = false;
        m_options.ageGender = false;
        m_options.maxBatch = 8;
    }

    const FaceNet& net() const { return m_net; }
    const FaceNet::Options& options() const { return m_options; }

    // The portrait as a file the pipeline can read (the embedded astronaut needs none), its face-api
    // descriptor, and the decoded pixels.
    struct Portrait {
        std::string name;
        std::filesystem::path file;
        Image image;
        FaceNetFace face;
    };
    Portrait preparePortrait(const PhotoFace& p) const {
        Portrait out;
        out.name = p.name;
        const Image photo = loadPhoto(p);
        if (p.file.empty()) {
            out.image = photo;
        } else {
            out.image = presenterCrop(photo, findFace(m_net, photo, p, m_options));
            out.file = m_dir / (p.name + ".png");
            ImageIO::save(out.image, out.file);
        }
        out.face = findFace(m_net, out.image, PhotoFace{p.name, "", 0, 0}, m_options);
        return out;
    }

    RenderSpec specFor(const Portrait& p, int width, int height) const {
        RenderSpec spec = m_base;
        spec.text = DefaultAssets::defaultScript();
        spec.avatar = p.file;
        spec.width = width;
        spec.height = height;
        spec.useCache = false;
        spec.preset = effectiveEncoderPreset(spec.preset, m_services.tier());
        spec.output = m_dir / (p.name + "-" + std::to_string(width) + "x" + std::to_string(height) + ".mp4");
        return spec;
    }

    std::unique_ptr<Scene> scene(const RenderSpec& spec) const { return m_pipeline.prepareScene(spec); }

    VideoFigures renderAndMeasure(const Portrait& p, int width, int height, WordSheet* sheet) {
        VideoFigures v;
        v.portrait = p.name;
        v.width = width;
        v.height = height;
        const RenderSpec spec = specFor(p, width, height);
        auto t = Clock::now();
        const RenderResult result = m_pipeline.run(spec);
        v.renderSeconds = std::chrono::duration<double>(Clock::now() - t).count();
        v.frames = result.frames;

        const std::unique_ptr<Scene> s = scene(spec);
        v.mesh = MeshMetrics::measure(s->rig);
        v.pucker = MeshMetrics::opening(s->rig, MouthParams::forShape(Viseme::F));
        measureAboveBrows(*s, v);
        if (sheet) {
            chooseWord(m_pipeline.narrate(spec, CancelToken{}), spec.fps, *sheet);
            sheet->crop = RealismSheets::mouthCrop(s->face, s->background.rect());
        }

        t = Clock::now();
        MediaReader reader(spec.output);
        Image frame;
        std::vector<Image> batch;
        long long index = 0;
        while (reader.readVideoFrame(frame)) {
            if (sheet && index >= sheet->first && index < sheet->first + 8)
                sheet->frames.push_back(frame);
            if (index % m_every == 0)
                batch.push_back(frame);
            if (batch.size() == m_options.maxBatch)
                analyse(p, batch, v);
            ++index;
        }
        analyse(p, batch, v);
        v.analyseSeconds = std::chrono::duration<double>(Clock::now() - t).count();
        return v;
    }

private:
    void analyse(const Portrait& p, std::vector<Image>& batch, VideoFigures& v) const {
        if (batch.empty())
            return;
        const auto found = m_net.analyzeBatch(batch, m_options);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ++v.analysed;
            if (found[i].empty()) {
                ++v.faceMissing;
                continue;
            }
            const FaceNetFace& f = found[i].front();
            v.identity.push_back(FaceNet::distance(p.face.descriptor, f.descriptor));
            const MouthFigures m = MouthMetrics::measure(batch[i], f.landmarks);
            v.mouthOpenings.push_back(m.opening);
            if (!m.lipsApart)
                continue;
            ++v.lipsApart;
            v.mouth.pixels += m.pixels;
            v.mouth.nearBlack += m.nearBlack;
            v.mouth.toothBright += m.toothBright;
        }
        batch.clear();
    }

    RenderSpec m_base;
    std::filesystem::path m_dir;
    int m_every;
    EngineServices m_services;
    RenderPipeline m_pipeline;
    FaceNet m_net;
    FaceNet::Options m_options;
};

void writeWorst(JsonWriter& w, std::string_view key, const MeshFigures::Worst& worst) {
    w.key(key).beginObject().field("change", worst.change).field("shape", std::string(1, worst.shape));
    w.key("vertices").beginArray();
    for (int v : worst.vertices)
        w.value(v);
    w.endArray().endObject();
}

void writeVideo(JsonWriter& w, const VideoFigures& v) {
    w.beginObject()
        .field("portrait", v.portrait)
        .field("size", std::to_string(v.width) + "x" + std::to_string(v.height))
        .field("frames", v.frames)
        .field("frames_analysed", v.analysed)
        .field("frames_face_missing", v.faceMissing)
        .field("frames_lips_apart", v.lipsApart)
        .field("mouth_pixels", v.mouth.pixels)
        .field("mouth_tooth_bright_share", v.mouth.toothBrightShare())
        .field("mouth_near_black_share", v.mouth.nearBlackShare())
        .field("mouth_opening_median_iod", median(v.mouthOpenings))
        .field("mouth_opening_max_iod",
               v.mouthOpenings.empty() ? 0.0
                                       : *std::max_element(v.mouthOpenings.begin(), v.mouthOpenings.end()))
        .field("identity_distance_median", median(v.identity))
        .field("identity_distance_max",
               v.identity.empty() ? 0.0 : *std::max_element(v.identity.begin(), v.identity.end()))
        .field("mesh_max_area_change_outside_lips_jaw", v.mesh.outside.change)
        .field("mesh_max_area_change_lips_jaw", v.mesh.lipsJaw.change)
        .field("mesh_max_area_change_no_lip_jaw_vertex", v.mesh.noLipJaw.change);
    writeWorst(w, "mesh_worst_outside_lips_jaw", v.mesh.outside);
    w.field("mesh_flipped_triangles", v.mesh.flippedTriangles);
    writeWorst(w, "mesh_deepest_fold", v.mesh.flipped);
    w.field("mesh_triangles_outside_lips_jaw", v.mesh.outsideTriangles)
        .field("mesh_triangles_lips_jaw", v.mesh.lipsJawTriangles)
        .field("mesh_triangles_skipped", v.mesh.skippedTriangles)
        .field("neck_band_shift_px", v.mesh.neckBandShiftMeanPx)
        .field("neck_band_shift_max_px", v.mesh.neckBandShiftMaxPx)
        .field("neck_band_pixels", v.mesh.neckBandPixels)
        .field("neck_band_widest_shape", std::string(1, v.mesh.widestShape))
        .field("eyes_brows_max_shift_px", v.mesh.eyesBrowsMaxShiftPx)
        .field("pucker_height_over_width", v.pucker.heightOverWidth)
        .field("pucker_widest_at", v.pucker.widestAt)
        .field("pucker_width_of_mouth", v.pucker.widthOfMouth)
        .field("above_brows_max_diff", v.aboveBrowsMaxDiff)
        .field("above_brows_changed_share", v.aboveBrowsChanged)
        .field("render_seconds", v.renderSeconds)
        .field("analyse_seconds", v.analyseSeconds)
        .endObject();
}

} // namespace

int runRealismSuite(const RenderSpec& spec, const std::filesystem::path& dir, const RealismOptions& options) {
    const auto start = Clock::now();
    RealismRun run(spec, dir, options.every);

    // 1. Photographs of open mouths: the reference range.
    struct PhotoResult {
        std::string name;
        MouthFigures mouth;
    };
    std::vector<PhotoResult> photos;
    for (const PhotoFace& p : openMouthPhotos()) {
        const Image image = loadPhoto(p);
        const FaceNetFace f = findFace(run.net(), image, p, run.options());
        photos.push_back({p.name, MouthMetrics::measure(image, f.landmarks)});
    }

    // 2. The demo script on every portrait at the suite's size, and on the first at 1920x1080.
    std::vector<RealismRun::Portrait> prepared;
    for (const PhotoFace& p : portraits())
        prepared.push_back(run.preparePortrait(p));
    std::vector<VideoFigures> videos;
    const std::size_t rendered = std::min<std::size_t>(prepared.size(), options.portraits);
    for (std::size_t i = 0; i < rendered; ++i)
        videos.push_back(run.renderAndMeasure(prepared[i], spec.width, spec.height, nullptr));
    WordSheet word;
    videos.push_back(run.renderAndMeasure(prepared.front(), 1920, 1080, &word));

    // 3. Contact sheets (before/after pictures for the lead's changes).
    if (!options.sheets.empty()) {
        std::filesystem::create_directories(options.sheets);
        std::vector<std::unique_ptr<Scene>> scenes;
        std::vector<RealismSheets::Row> rows;
        for (const auto& p : prepared) {
            scenes.push_back(run.scene(run.specFor(p, spec.width, spec.height)));
            rows.push_back({p.name, scenes.back().get()});
        }
        ImageIO::save(RealismSheets::shapes(rows), options.sheets / "realism-shapes.png");
        std::vector<std::string> labels;
        for (std::size_t i = 0; i < word.frames.size(); ++i)
            labels.push_back("frame " + std::to_string(word.first + static_cast<long long>(i)));
        ImageIO::save(RealismSheets::frames(word.frames, word.crop, labels,
                                            "\"" + word.word + "\", 1920x1080, decoded, 2x"),
                      options.sheets / "realism-word.png");
    }

    // 4. The report.
    auto range = [&](auto get) {
        double lo = 1e18, hi = -1e18;
        for (const auto& p : photos) {
            lo = std::min(lo, get(p.mouth));
            hi = std::max(hi, get(p.mouth));
        }
        return std::pair{lo, hi};
    };
    const auto [toothLo, toothHi] = range([](const MouthFigures& m) { return m.toothBrightShare(); });
    const auto [blackLo, blackHi] = range([](const MouthFigures& m) { return m.nearBlackShare(); });
    MouthFigures all;
    std::vector<double> identity;
    long long lipsApart = 0;
    double meshOutside = 0, neck = 0, identityMax = 0, pucker = 1e9;
    int flipped = 0;
    for (const VideoFigures& v : videos) {
        all.pixels += v.mouth.pixels;
        all.nearBlack += v.mouth.nearBlack;
        all.toothBright += v.mouth.toothBright;
        lipsApart += v.lipsApart;
        identity.push_back(median(v.identity));
        for (double d : v.identity)
            identityMax = std::max(identityMax, d);
        meshOutside = std::max(meshOutside, v.mesh.outside.change);
        flipped += v.mesh.flippedTriangles;
        pucker = std::min(pucker, v.pucker.heightOverWidth);
        neck = std::max(neck, v.mesh.neckBandShiftMeanPx);
    }

    JsonWriter w;
    w.beginObject()
        .field("suite", "realism")
        .field("script", "demo")
        .field("every_nth_frame", std::max(1, options.every))
        .field("lips_apart_iod", MouthMetrics::kLipsApartIod)
        .field("near_black_of_cheek", MouthMetrics::kNearBlackOfCheek)
        .field("tooth_luma_of_cheek", MouthMetrics::kToothLumaOfCheek)
        .field("tooth_max_saturation", MouthMetrics::kToothMaxSaturation)
        .field("tooth_max_red_over_green_of_cheek", MouthMetrics::kToothMaxRedOverGreenOfCheek)
        .field("photo_tooth_bright_share_min", toothLo)
        .field("photo_tooth_bright_share_max", toothHi)
        .field("photo_near_black_share_min", blackLo)
        .field("photo_near_black_share_max", blackHi);
    w.key("photos").beginArray();
    for (const PhotoResult& p : photos)
        w.beginObject()
            .field("photo", p.name)
            .field("opening_iod", p.mouth.opening)
            .field("mouth_pixels", p.mouth.pixels)
            .field("cheek_red_over_green", p.mouth.cheekRedOverGreen)
            .field("tooth_bright_share", p.mouth.toothBrightShare())
            .field("near_black_share", p.mouth.nearBlackShare())
            .endObject();
    w.endArray();
    w.key("videos").beginArray();
    for (const VideoFigures& v : videos)
        writeVideo(w, v);
    w.endArray();
    w.key("overall")
        .beginObject()
        .field("frames_lips_apart", lipsApart)
        .field("mouth_tooth_bright_share", all.toothBrightShare())
        .field("mouth_near_black_share", all.nearBlackShare())
        .field("identity_distance_median_of_videos", median(identity))
        .field("identity_distance_max", identityMax)
        .field("mesh_max_area_change_outside_lips_jaw", meshOutside)
        .field("mesh_flipped_triangles", flipped)
        .field("pucker_height_over_width_min", videos.empty() ? 0.0 : pucker)
        .field("neck_band_shift_px_max_of_videos", neck)
        .endObject();
    if (!options.sheets.empty())
        w.field("word_sheet_word", word.word).field("word_sheet_first_frame", word.first);
    w.field("total_seconds", std::chrono::duration<double>(Clock::now() - start).count()).endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
