#include "FaceNet.h"

#include "AgeGenderNet.h"
#include "DenseFaceNet.h"
#include "FaceCrop.h"
#include "FaceRecognitionNet.h"
#include "SsdMobilenetV1.h"
#include "core/Error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <algorithm>
#include <c10/core/InferenceMode.h>
#include <cmath>
#include <cstdlib>
#include <dlfcn.h>
#include <system_error>
#include <vector>

namespace avatar {
namespace {

struct BoxD {
    double x = 0, y = 0, width = 0, height = 0;
};

// face-api's Box.clipAtImageBorders: inside the image, floored. Empty when nothing is left.
Rect clipToImage(const BoxD& b, int imageWidth, int imageHeight) {
    const double cx = std::max(b.x, 0.0);
    const double cy = std::max(b.y, 0.0);
    const double w = std::min(b.x + b.width - cx, imageWidth - cx);
    const double h = std::min(b.y + b.height - cy, imageHeight - cy);
    Rect r{static_cast<int>(std::floor(cx)), static_cast<int>(std::floor(cy)),
           static_cast<int>(std::floor(w)), static_cast<int>(std::floor(h))};
    r.width = std::min(r.width, imageWidth - r.x);
    r.height = std::min(r.height, imageHeight - r.y);
    return r;
}

PointF mean(const FaceNetFace& f, int first, int last) {
    PointF c;
    for (int i = first; i <= last; ++i) {
        c.x += f.landmarks[static_cast<std::size_t>(i)].x;
        c.y += f.landmarks[static_cast<std::size_t>(i)].y;
    }
    const double n = last - first + 1;
    return {c.x / n, c.y / n};
}

// face-api's FaceLandmarks.alignDlib: a square around the eyes and mouth, as dlib aligns faces for its
// recognition net. `cropWidth/Height` are the landmark crop's size (face-api's odd clamp uses them).
BoxD dlibAlignedBox(const FaceNetFace& f, int cropWidth, int cropHeight) {
    const PointF le = mean(f, 36, 41), re = mean(f, 42, 47), mouth = mean(f, 48, 67);
    const double eyeToMouth =
        (std::hypot(mouth.x - le.x, mouth.y - le.y) + std::hypot(mouth.x - re.x, mouth.y - re.y)) / 2;
    const double size = std::floor(eyeToMouth / 0.45);
    const PointF ref{(le.x + re.x + mouth.x) / 3, (le.y + re.y + mouth.y) / 3};
    const double x = std::floor(std::max(0.0, ref.x - 0.5 * size));
    const double y = std::floor(std::max(0.0, ref.y - 0.43 * size));
    return {x, y, std::min(size, cropWidth + x), std::min(size, cropHeight + y)};
}

// face-api's alignedRect: the landmarks' bounding box grown by 20 %, for expressions, age and gender.
BoxD landmarkBox(const FaceNetFace& f) {
    double minX = INFINITY, minY = INFINITY, maxX = 0, maxY = 0;
    for (const PointF& p : f.landmarks) {
        minX = std::min(minX, p.x);
        minY = std::min(minY, p.y);
        maxX = std::max(maxX, p.x);
        maxY = std::max(maxY, p.y);
    }
    const double w = maxX - minX, h = maxY - minY;
    return {minX - 0.1 * w, minY - 0.1 * h, w * 1.2, h * 1.2};
}

// One face on its way through the networks.
struct Job {
    const Image* image = nullptr;
    FaceNetFace face;
    Rect crop; // the landmark crop
};

at::Tensor batchTensor(std::vector<float>& data, std::size_t n, int size) {
    return at::from_blob(data.data(), {static_cast<std::int64_t>(n), 3, size, size}, at::kFloat);
}

// Images per network call inside one thread's share of a batch: 16 crops at once spill the activations out of
// the L2 cache (1 thread, packed crop nets: 4 slices best, 16 at once 1.2-2x slower per crop).
constexpr std::int64_t kSlice = 4;

// A batch split between LibTorch's threads: each runs its share of the images through the whole net on one
// thread, in slices of kSlice. These nets' layers are too small to split inside one image without two
// threads meeting at a barrier after every operation (docs/PERFORMANCE.md, "Face models"), whereas whole
// images are independent. One image, or one thread, runs as is (LibTorch splits its operations). Returns the
// net's outputs in batch order, one per slice.
template <class Net> auto splitBatch(const at::Tensor& x, const Net& net) {
    using Out = decltype(net(x));
    const std::int64_t n = x.size(0);
    const int threads = at::get_num_threads();
    std::vector<Out> parts;
    if (n < 2 || threads < 2 || at::in_parallel_region()) {
        parts.push_back(net(x));
        return parts;
    }
    std::vector<std::vector<Out>> perThread(static_cast<std::size_t>(threads));
    at::parallel_for(0, n, (n + threads - 1) / threads, [&](std::int64_t begin, std::int64_t end) {
        std::vector<Out>& mine = perThread[static_cast<std::size_t>(at::get_thread_num())];
        for (std::int64_t i = begin; i < end; i += kSlice)
            mine.push_back(net(x.slice(0, i, std::min(end, i + kSlice))));
    });
    for (std::vector<Out>& outs : perThread) // thread t has the t-th share
        for (Out& out : outs)
            parts.push_back(std::move(out));
    return parts;
}

template <class Net> at::Tensor forwardSplit(const at::Tensor& x, const Net& net) {
    std::vector<at::Tensor> parts =
        splitBatch(x, [&](const at::Tensor& slice) { return net.forward(slice); });
    return parts.size() == 1 ? parts.front() : at::cat(parts);
}

c10::ScalarType scalarType(FaceNet::Precision p) {
    return p == FaceNet::Precision::BFloat16 ? at::kBFloat16 : at::kFloat;
}

} // namespace

std::string FaceNetFace::expression() const {
    const auto it = std::max_element(expressions.begin(), expressions.end());
    return FaceNet::expressionLabels()[static_cast<std::size_t>(it - expressions.begin())];
}

FaceLandmarks FaceNetFace::toFaceLandmarks() const {
    FaceLandmarks out;
    out.box = {static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)),
               static_cast<int>(std::lround(width)), static_cast<int>(std::lround(height))};
    out.score = score;
    std::copy(landmarks.begin(), landmarks.end(), out.points.begin());
    return out;
}

struct FaceNet::Impl {
    Impl(const std::filesystem::path& dir, Precision p)
        : precision(p), detector(dir, scalarType(p)),
          landmarks(dir, "face_landmark_68_model", 4, scalarType(p)),
          tinyLandmarks(dir, "face_landmark_68_tiny_model", 3, scalarType(p)),
          expressions(dir, "face_expression_model", 4, scalarType(p)), recognition(dir, scalarType(p)),
          ageGender(dir, scalarType(p)) {}

    Precision precision;
    facenet::SsdMobilenetV1 detector;
    facenet::DenseFaceNet landmarks;
    facenet::DenseFaceNet tinyLandmarks;
    facenet::DenseFaceNet expressions;
    facenet::FaceRecognitionNet recognition;
    facenet::AgeGenderNet ageGender;

    // Runs `fn(first, count)` over [0, total) in chunks of `batch`.
    template <class Fn> static void chunks(std::size_t total, std::size_t batch, Fn fn) {
        batch = std::max<std::size_t>(1, batch);
        for (std::size_t first = 0; first < total; first += batch)
            fn(first, std::min(batch, total - first));
    }

    void describe(std::vector<Job>& jobs, const Options& o) const;
};

void FaceNet::Impl::describe(std::vector<Job>& jobs, const Options& o) const {
    constexpr int kLm = facenet::DenseFaceNet::kInputSize;
    const facenet::DenseFaceNet& lmNet = o.tinyLandmarks ? tinyLandmarks : landmarks;
    std::vector<float> buffer;
    chunks(jobs.size(), o.maxBatch, [&](std::size_t first, std::size_t n) {
        buffer.clear();
        for (std::size_t i = first; i < first + n; ++i)
            FaceCrop::sample(*jobs[i].image, jobs[i].crop, kLm, true, buffer);
        const at::Tensor out = forwardSplit(batchTensor(buffer, n, kLm), lmNet).contiguous();
        for (std::size_t i = 0; i < n; ++i) {
            Job& job = jobs[first + i];
            const float* v = out[static_cast<std::int64_t>(i)].data_ptr<float>();
            // face-api's FaceLandmark68NetBase.postProcess: undo the centring pad of the square crop.
            const double cw = job.crop.width, ch = job.crop.height;
            const double s = kLm / std::max(cw, ch);
            const double iw = cw * s, ih = ch * s;
            const double padX = iw < ih ? (ih - iw) / 2 : 0.0;
            const double padY = ih < iw ? (iw - ih) / 2 : 0.0;
            for (int k = 0; k < FaceLandmarks::kCount; ++k) {
                const double rx = (v[2 * k] * kLm - padX) / iw;
                const double ry = (v[2 * k + 1] * kLm - padY) / ih;
                job.face.landmarks[static_cast<std::size_t>(k)] = {rx * cw + job.face.x,
                                                                   ry * ch + job.face.y};
            }
        }
    });

    if (o.descriptors) {
        constexpr int kRec = facenet::FaceRecognitionNet::kInputSize;
        chunks(jobs.size(), o.maxBatch, [&](std::size_t first, std::size_t n) {
            buffer.clear();
            std::vector<bool> valid(n, true);
            for (std::size_t i = 0; i < n; ++i) {
                const Job& job = jobs[first + i];
                Rect r = clipToImage(dlibAlignedBox(job.face, job.crop.width, job.crop.height),
                                     job.image->width(), job.image->height());
                if (r.isEmpty()) { // face-api answers a zero descriptor for an empty crop
                    valid[i] = false;
                    r = job.crop;
                }
                FaceCrop::sample(*job.image, r, kRec, true, buffer);
            }
            const at::Tensor out = forwardSplit(batchTensor(buffer, n, kRec), recognition).contiguous();
            for (std::size_t i = 0; i < n; ++i)
                if (valid[i])
                    std::copy_n(out[static_cast<std::int64_t>(i)].data_ptr<float>(),
                                FaceNetFace::kDescriptorSize, jobs[first + i].face.descriptor.begin());
        });
    }

    if (o.expressions || o.ageGender) {
        chunks(jobs.size(), o.maxBatch, [&](std::size_t first, std::size_t n) {
            buffer.clear();
            for (std::size_t i = 0; i < n; ++i) {
                const Job& job = jobs[first + i];
                Rect r = clipToImage(landmarkBox(job.face), job.image->width(), job.image->height());
                FaceCrop::sample(*job.image, r.isEmpty() ? job.crop : r, kLm, true, buffer);
            }
            const at::Tensor input = batchTensor(buffer, n, kLm);
            if (o.expressions) {
                const at::Tensor p = at::softmax(forwardSplit(input, expressions), 1).contiguous();
                for (std::size_t i = 0; i < n; ++i)
                    std::copy_n(p[static_cast<std::int64_t>(i)].data_ptr<float>(),
                                FaceNetFace::kExpressionCount, jobs[first + i].face.expressions.begin());
            }
            if (o.ageGender) {
                std::vector<at::Tensor> ages, males;
                for (const facenet::AgeGenderNet::Output& part :
                     splitBatch(input, [&](const at::Tensor& slice) { return ageGender.forward(slice); })) {
                    ages.push_back(part.age);
                    males.push_back(part.male);
                }
                const at::Tensor age = at::cat(ages).contiguous(), male = at::cat(males).contiguous();
                for (std::size_t i = 0; i < n; ++i) {
                    jobs[first + i].face.age = age.data_ptr<float>()[i];
                    jobs[first + i].face.maleProbability = male.data_ptr<float>()[i];
                }
            }
        });
    }
}

namespace {

// LibTorch already splits each operation over its OpenMP threads; an OpenBLAS that also starts its own
// threads inside every matrix product makes the two pools fight for the same cores (measured on 2 cores: the
// portrait 230-380 ms with most of the time spent spinning, 157-183 ms with one BLAS thread). Looked up at
// run time: the system BLAS may be another implementation, which is then left alone.
void keepBlasSingleThreaded() {
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(1);
}

} // namespace

FaceNet::FaceNet(const std::filesystem::path& modelDir, Precision precision)
    : m_impl(std::make_unique<Impl>(modelDir, precision)) {
    keepBlasSingleThreaded();
}

FaceNet::Precision FaceNet::precision() const {
    return m_impl->precision;
}

const char* FaceNet::precisionName(Precision precision) {
    return precision == Precision::BFloat16 ? "bf16" : "float32";
}

bool FaceNet::parsePrecision(const std::string& name, Precision& precision) {
    if (name == "float32" || name == "bf16") {
        precision = name == "bf16" ? Precision::BFloat16 : Precision::Float32;
        return true;
    }
    return false;
}

FaceNet::~FaceNet() = default;

std::vector<FaceNetFace> FaceNet::analyze(const Image& image, const Options& options) const {
    return analyzeBatch(std::span<const Image>(&image, 1), options).front();
}

std::vector<std::vector<FaceNetFace>> FaceNet::analyzeBatch(std::span<const Image> images,
                                                            const Options& options) const {
    constexpr int kSsd = facenet::SsdMobilenetV1::kInputSize;
    std::vector<std::vector<FaceNetFace>> results(images.size());
    std::vector<Job> jobs;
    std::vector<std::size_t> owner; // the image of each job
    std::vector<float> buffer;
    Impl::chunks(images.size(), options.maxBatch, [&](std::size_t first, std::size_t n) {
        buffer.clear();
        for (std::size_t i = first; i < first + n; ++i) {
            if (images[i].isNull())
                throw Error(ErrorCode::InvalidInput, "Cannot look for faces in an empty image.");
            FaceCrop::sample(images[i], images[i].rect(), kSsd, false, buffer);
        }
        const auto boxes = m_impl->detector.detect(
            batchTensor(buffer, n, kSsd), static_cast<float>(options.minConfidence), options.maxResults);
        for (std::size_t i = 0; i < n; ++i) {
            const Image& image = images[first + i];
            const double w = image.width(), h = image.height();
            // face-api's locateFaces: the 0..1 box of the padded square back to the image's own size.
            const double s = kSsd / std::max(w, h);
            const double padX = kSsd / std::round(w * s), padY = kSsd / std::round(h * s);
            for (const facenet::SsdBox& b : boxes[i]) {
                const double top = std::max(0.0f, b.top) * padY, bottom = std::min(1.0f, b.bottom) * padY;
                const double left = std::max(0.0f, b.left) * padX, right = std::min(1.0f, b.right) * padX;
                Job job;
                job.image = &image;
                job.face.x = left * w;
                job.face.y = top * h;
                job.face.width = (right - left) * w;
                job.face.height = (bottom - top) * h;
                job.face.score = b.score;
                job.crop = clipToImage({job.face.x, job.face.y, job.face.width, job.face.height},
                                       image.width(), image.height());
                if (job.crop.isEmpty())
                    continue;
                jobs.push_back(std::move(job));
                owner.push_back(first + i);
            }
        }
    });
    m_impl->describe(jobs, options);
    for (std::size_t j = 0; j < jobs.size(); ++j)
        results[owner[j]].push_back(jobs[j].face);
    return results;
}

std::vector<FaceNetFace> FaceNet::analyzeCrops(std::span<const Image> crops, const Options& options) const {
    std::vector<Job> jobs;
    for (const Image& crop : crops) {
        if (crop.isNull())
            throw Error(ErrorCode::InvalidInput, "Cannot analyse an empty face crop.");
        Job job;
        job.image = &crop;
        job.face.width = crop.width();
        job.face.height = crop.height();
        job.face.score = 1.0;
        job.crop = crop.rect();
        jobs.push_back(std::move(job));
    }
    m_impl->describe(jobs, options);
    std::vector<FaceNetFace> out;
    for (Job& job : jobs)
        out.push_back(job.face);
    return out;
}

double FaceNet::distance(const std::array<float, FaceNetFace::kDescriptorSize>& a,
                         const std::array<float, FaceNetFace::kDescriptorSize>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(sum);
}

const std::array<const char*, FaceNetFace::kExpressionCount>& FaceNet::expressionLabels() {
    static const std::array<const char*, FaceNetFace::kExpressionCount> labels{
        "neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"};
    return labels;
}

std::filesystem::path FaceNet::defaultModelDir() {
    if (const char* env = std::getenv("AVATAR_FACEAPI_MODELS"); env && *env)
        return env;
    // Installed (cmake --install): <prefix>/bin/<program> next to <prefix>/share/..., wherever the prefix was
    // moved to; then the configured prefix; then the source tree, where the build and the tests run.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path relative = AVATAR_FACEAPI_INSTALL_DIR;
    std::vector<std::filesystem::path> candidates;
    if (!ec)
        candidates.push_back(exe.parent_path().parent_path() / relative);
    candidates.push_back(
        relative.is_absolute() ? relative : std::filesystem::path(AVATAR_FACEAPI_INSTALL_PREFIX) / relative);
    for (const std::filesystem::path& dir : candidates)
        if (std::filesystem::is_regular_file(dir / "ssd_mobilenetv1_model-weights_manifest.json", ec))
            return dir;
    return AVATAR_FACEAPI_MODEL_DIR;
}

} // namespace avatar
