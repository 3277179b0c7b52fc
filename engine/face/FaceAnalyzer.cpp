#include "FaceAnalyzer.h"

#include "core/Error.h"

#include <algorithm>
#include <cstdlib>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <mutex>

namespace avatar {
namespace {

// Long side of the reduced copy that large images are first searched in.
constexpr int kDetectLongSide = 1280;

} // namespace

// The models load on first use, not with the analyser: a process whose portraits' landmarks come from the
// cache (every re-render) never needs them, and loading both took about 0.7 s of each avatar-render run
// (perf: dlib's entropy decoder unpacking the embedded detector, then the 99 MB landmark model).
struct FaceAnalyzer::Impl {
    explicit Impl(std::filesystem::path path) : modelPath(std::move(path)) {}
    // Loads both models once; a failed load throws and is tried again (and fails alike) on the next call.
    void load();

    std::filesystem::path modelPath;
    std::once_flag loaded;
    std::mutex detectorMutex;
    dlib::frontal_face_detector detector;
    dlib::shape_predictor predictor;
};

void FaceAnalyzer::Impl::load() {
    std::call_once(loaded, [this] {
        dlib::shape_predictor model;
        try {
            dlib::deserialize(modelPath.string()) >> model;
        } catch (const std::exception&) {
            // dlib's own text is several lines of deserialiser internals: the user needs the file and the
            // fix.
            throw Error(ErrorCode::Unreadable, "The face landmark model '" + modelPath.string() +
                                                   "' is damaged or cut short; install Debian's libdlib-data "
                                                   "again or set AVATAR_DLIB_MODEL.");
        }
        if (model.num_parts() != FaceLandmarks::kCount)
            throw Error(ErrorCode::Unreadable, "The face landmark model '" + modelPath.string() +
                                                   "' predicts " + std::to_string(model.num_parts()) +
                                                   " points; the 68-point model is needed.");
        predictor = std::move(model);
        detector = dlib::get_frontal_face_detector();
    });
}

FaceAnalyzer::FaceAnalyzer(const std::filesystem::path& modelPath)
    : m_impl(std::make_unique<Impl>(modelPath)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(modelPath, ec))
        throw Error(ErrorCode::NotFound,
                    "The face landmark model '" + modelPath.string() +
                        "' is missing; install Debian's libdlib-data or set AVATAR_DLIB_MODEL.");
}

FaceAnalyzer::~FaceAnalyzer() = default;

void FaceAnalyzer::load() const {
    m_impl->load();
}

std::filesystem::path FaceAnalyzer::defaultModelPath() {
    if (const char* env = std::getenv("AVATAR_DLIB_MODEL"); env && *env)
        return env;
    return AVATAR_DLIB_LANDMARK_MODEL;
}

std::vector<FaceLandmarks> FaceAnalyzer::detectAll(const Image& image, const Options& options) const {
    std::vector<FaceLandmarks> faces;
    if (image.isNull())
        return faces;
    m_impl->load();

    // HOG works on luminance; convert once (ITU-R BT.601 weights, integer arithmetic).
    dlib::array2d<unsigned char> gray(image.height(), image.width());
    for (int y = 0; y < image.height(); ++y) {
        const std::uint8_t* px = image.row(y);
        for (int x = 0; x < image.width(); ++x, px += 3)
            gray[y][x] = static_cast<unsigned char>((77 * px[0] + 150 * px[1] + 29 * px[2] + 128) >> 8);
    }

    // Large photos are searched at a reduced size first (box-averaged by a whole factor, so nothing aliases):
    // HOG's cost grows with the pixel count, and a portrait's face is large anyway. Landmarks are still
    // placed on the full-resolution image.
    const int factor =
        std::max(1, (std::max(image.width(), image.height()) + kDetectLongSide - 1) / kDetectLongSide);
    dlib::array2d<unsigned char> reduced;
    if (factor > 1) {
        const long rw = image.width() / factor;
        const long rh = image.height() / factor;
        reduced.set_size(rh, rw);
        for (long y = 0; y < rh; ++y)
            for (long x = 0; x < rw; ++x) {
                unsigned sum = 0;
                for (int dy = 0; dy < factor; ++dy)
                    for (int dx = 0; dx < factor; ++dx)
                        sum += gray[y * factor + dy][x * factor + dx];
                reduced[y][x] = static_cast<unsigned char>(sum / (factor * factor));
            }
    }

    std::vector<std::pair<dlib::rectangle, double>> dets; // box in full-resolution pixels, confidence
    {
        std::lock_guard lock(m_impl->detectorMutex);
        auto search = [&](const dlib::array2d<unsigned char>& base, double baseScale) {
            dlib::array2d<unsigned char> work;
            const dlib::array2d<unsigned char>* current = &base;
            double scale = baseScale; // detection-image pixels per input pixel
            for (int level = 0;; ++level) {
                std::vector<dlib::rect_detection> found;
                m_impl->detector(*current, found);
                if (!found.empty()) {
                    for (const auto& d : found) {
                        const dlib::rectangle& r = d.rect;
                        dets.emplace_back(
                            dlib::rectangle(std::lround(r.left() / scale), std::lround(r.top() / scale),
                                            std::lround(r.right() / scale), std::lround(r.bottom() / scale)),
                            d.detection_confidence);
                    }
                    return;
                }
                if (level >= options.maxUpsample)
                    return;
                dlib::array2d<unsigned char> up;
                dlib::pyramid_up(*current, up, dlib::pyramid_down<2>());
                work.swap(up);
                current = &work;
                scale *= 2.0;
            }
        };
        if (factor > 1)
            search(reduced, 1.0 / factor);
        if (dets.empty())
            search(gray, 1.0);
    }

    for (const auto& d : dets) {
        const dlib::rectangle& inImage = d.first;
        const dlib::full_object_detection shape = m_impl->predictor(gray, inImage);
        FaceLandmarks face;
        face.box = {static_cast<int>(inImage.left()), static_cast<int>(inImage.top()),
                    static_cast<int>(inImage.width()), static_cast<int>(inImage.height())};
        face.score = d.second;
        for (int i = 0; i < FaceLandmarks::kCount; ++i)
            face.points[i] = {static_cast<double>(shape.part(i).x()), static_cast<double>(shape.part(i).y())};
        faces.push_back(face);
    }
    // "The largest face" must not be a large false positive: only detections close to the best score compete
    // on size.
    std::erase_if(faces, [&](const FaceLandmarks& f) { return f.score < options.minScore; });
    double best = 0.0;
    for (const auto& f : faces)
        best = std::max(best, f.score);
    const auto confident = [&](const FaceLandmarks& f) { return f.score >= 0.5 * best; };
    std::sort(faces.begin(), faces.end(), [&](const FaceLandmarks& a, const FaceLandmarks& b) {
        if (confident(a) != confident(b))
            return confident(a);
        if (confident(a))
            return a.box.width * a.box.height > b.box.width * b.box.height;
        return a.score > b.score;
    });
    return faces;
}

FaceLandmarks FaceAnalyzer::analyzeLargest(const Image& image, const std::string& what,
                                           const Options& options) const {
    auto faces = detectAll(image, options);
    if (faces.empty())
        throw Error(ErrorCode::NoFace,
                    "No face was found in '" + what +
                        "'. Use a front-facing portrait where the face is at least 40 pixels wide.");
    return faces.front();
}

} // namespace avatar
