// The LibTorch side of FaceNet, built as the plugin libavatar-facenet.so (FaceNetBackend.h): the networks,
// the batching and face-api's crop geometry. Only this plugin links LibTorch.
#include "AgeGenderNet.h"
#include "DenseFaceNet.h"
#include "FaceCrop.h"
#include "FaceNetBackend.h"
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
#include <functional>
#include <memory>
#include <mutex>
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

using Options = FaceNet::Options;

// A network loaded the first time it is used. A render asks only for the detector and one landmark net; the
// descriptor, expression and age nets (three quarters of the weights) are read only by what uses them.
// Thread-safe; a load that throws is tried again by the next use.
template <class Net> class OnDemand {
public:
    explicit OnDemand(std::function<std::unique_ptr<Net>()> make) : m_make(std::move(make)) {}
    const Net& get() const {
        std::call_once(m_once, [this] { m_net = m_make(); });
        return *m_net;
    }

private:
    std::function<std::unique_ptr<Net>()> m_make;
    mutable std::once_flag m_once;
    mutable std::unique_ptr<Net> m_net;
};

class TorchFaceNet final : public FaceNetBackend {
public:
    TorchFaceNet(const std::filesystem::path& dir, FaceNet::Precision p)
        : detector([dir, p] { return std::make_unique<facenet::SsdMobilenetV1>(dir, scalarType(p)); }),
          landmarks([dir, p] {
              return std::make_unique<facenet::DenseFaceNet>(dir, "face_landmark_68_model", 4, scalarType(p));
          }),
          tinyLandmarks([dir, p] {
              return std::make_unique<facenet::DenseFaceNet>(dir, "face_landmark_68_tiny_model", 3,
                                                             scalarType(p));
          }),
          expressions([dir, p] {
              return std::make_unique<facenet::DenseFaceNet>(dir, "face_expression_model", 4, scalarType(p));
          }),
          recognition([dir, p] { return std::make_unique<facenet::FaceRecognitionNet>(dir, scalarType(p)); }),
          ageGender([dir, p] { return std::make_unique<facenet::AgeGenderNet>(dir, scalarType(p)); }) {
        // A missing model is still named when the FaceNet is made, as when every net was loaded up front.
        for (const char* model :
             {"ssd_mobilenetv1_model", "face_landmark_68_model", "face_landmark_68_tiny_model",
              "face_expression_model", "face_recognition_model", "age_gender_model"}) {
            const std::filesystem::path manifest = dir / (std::string(model) + "-weights_manifest.json");
            std::error_code ec;
            if (!std::filesystem::is_regular_file(manifest, ec))
                throw Error(ErrorCode::NotFound, "The face model manifest '" + manifest.string() +
                                                     "' does not exist; run packaging/setup-models.sh.");
        }
    }

    std::vector<std::vector<FaceNetFace>> analyzeBatch(std::span<const Image> images,
                                                       const Options& options) const override;
    std::vector<FaceNetFace> analyzeCrops(std::span<const Image> crops,
                                          const Options& options) const override;

private:
    OnDemand<facenet::SsdMobilenetV1> detector;
    OnDemand<facenet::DenseFaceNet> landmarks;
    OnDemand<facenet::DenseFaceNet> tinyLandmarks;
    OnDemand<facenet::DenseFaceNet> expressions;
    OnDemand<facenet::FaceRecognitionNet> recognition;
    OnDemand<facenet::AgeGenderNet> ageGender;

    // Runs `fn(first, count)` over [0, total) in chunks of `batch`.
    template <class Fn> static void chunks(std::size_t total, std::size_t batch, Fn fn) {
        batch = std::max<std::size_t>(1, batch);
        for (std::size_t first = 0; first < total; first += batch)
            fn(first, std::min(batch, total - first));
    }

    void describe(std::vector<Job>& jobs, const Options& o) const;
};

void TorchFaceNet::describe(std::vector<Job>& jobs, const Options& o) const {
    constexpr int kLm = facenet::DenseFaceNet::kInputSize;
    const OnDemand<facenet::DenseFaceNet>& lmNet = o.tinyLandmarks ? tinyLandmarks : landmarks;
    std::vector<float> buffer;
    chunks(jobs.size(), o.maxBatch, [&](std::size_t first, std::size_t n) {
        buffer.clear();
        for (std::size_t i = first; i < first + n; ++i)
            FaceCrop::sample(*jobs[i].image, jobs[i].crop, kLm, true, buffer);
        const at::Tensor out = forwardSplit(batchTensor(buffer, n, kLm), lmNet.get()).contiguous();
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
            const at::Tensor out = forwardSplit(batchTensor(buffer, n, kRec), recognition.get()).contiguous();
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
                const at::Tensor p = at::softmax(forwardSplit(input, expressions.get()), 1).contiguous();
                for (std::size_t i = 0; i < n; ++i)
                    std::copy_n(p[static_cast<std::int64_t>(i)].data_ptr<float>(),
                                FaceNetFace::kExpressionCount, jobs[first + i].face.expressions.begin());
            }
            if (o.ageGender) {
                std::vector<at::Tensor> ages, males;
                for (const facenet::AgeGenderNet::Output& part : splitBatch(
                         input, [&](const at::Tensor& slice) { return ageGender.get().forward(slice); })) {
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

// LibTorch already splits each operation over its OpenMP threads; an OpenBLAS that also starts its own
// threads inside every matrix product makes the two pools fight for the same cores (measured on 2 cores: the
// portrait 230-380 ms with most of the time spent spinning, 157-183 ms with one BLAS thread). Looked up at
// run time: the system BLAS may be another implementation, which is then left alone. This plugin is opened
// RTLD_LOCAL, so its BLAS is not in the global scope: it is asked for by name among the loaded libraries.
void keepBlasSingleThreaded() {
    using SetThreads = void (*)(int);
    for (const char* library : {"libblas.so.3", "libopenblas.so.0"}) {
        void* blas = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
        if (!blas)
            continue;
        auto* set = reinterpret_cast<SetThreads>(dlsym(blas, "openblas_set_num_threads"));
        if (set)
            set(1);
        dlclose(blas); // NOLOAD took a reference of its own; LibTorch keeps the library loaded
        if (set)
            return;
    }
}

std::vector<std::vector<FaceNetFace>> TorchFaceNet::analyzeBatch(std::span<const Image> images,
                                                                 const Options& options) const {
    constexpr int kSsd = facenet::SsdMobilenetV1::kInputSize;
    std::vector<std::vector<FaceNetFace>> results(images.size());
    std::vector<Job> jobs;
    std::vector<std::size_t> owner; // the image of each job
    std::vector<float> buffer;
    chunks(images.size(), options.maxBatch, [&](std::size_t first, std::size_t n) {
        buffer.clear();
        for (std::size_t i = first; i < first + n; ++i) {
            if (images[i].isNull())
                throw Error(ErrorCode::InvalidInput, "Cannot look for faces in an empty image.");
            FaceCrop::sample(images[i], images[i].rect(), kSsd, false, buffer);
        }
        const auto boxes = detector.get().detect(
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
    describe(jobs, options);
    for (std::size_t j = 0; j < jobs.size(); ++j)
        results[owner[j]].push_back(jobs[j].face);
    return results;
}

std::vector<FaceNetFace> TorchFaceNet::analyzeCrops(std::span<const Image> crops,
                                                    const Options& options) const {
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
    describe(jobs, options);
    std::vector<FaceNetFace> out;
    for (Job& job : jobs)
        out.push_back(job.face);
    return out;
}

std::unique_ptr<FaceNetBackend> create(const std::filesystem::path& modelDir, FaceNet::Precision precision) {
    auto net = std::make_unique<TorchFaceNet>(modelDir, precision);
    keepBlasSingleThreaded();
    return net;
}

int threads() {
    return at::get_num_threads();
}

void setThreads(int n) {
    at::set_num_threads(n);
}

std::function<void()> matrixWorkload(int threads) {
    // oneDNN's 1x1 convolution, 1024 -> 1024 channels on 32x32: a 1024^3 matrix product through the library
    // the crop nets use. Not OpenBLAS: Debian's build serialises calls from several threads (two threads
    // measured no faster than one).
    constexpr std::int64_t kSize = 1024;
    const at::Tensor weight = at::mkldnn_reorder_conv2d_weight(at::rand({kSize, kSize, 1, 1}).to_mkldnn(),
                                                               {0, 0}, {1, 1}, {1, 1}, 1);
    std::vector<at::Tensor> inputs;
    for (int t = 0; t < threads; ++t)
        inputs.push_back(at::rand({1, kSize, 32, 32}).to_mkldnn());
    return [weight, inputs, threads] {
        at::parallel_for(0, threads, 1, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = begin; t < end; ++t)
                at::mkldnn_convolution(inputs[static_cast<std::size_t>(t)], weight, {}, {0, 0}, {1, 1},
                                       {1, 1}, 1);
        });
    };
}

} // namespace
} // namespace avatar

// The plugin's one exported symbol (FaceNetBackend.h); everything else in the library is hidden.
extern "C" __attribute__((visibility("default"))) const avatar::FaceNetPluginApi* avatar_facenet_plugin() {
    static const avatar::FaceNetPluginApi api{avatar::kFaceNetPluginAbi, &avatar::create, &avatar::threads,
                                              &avatar::setThreads, &avatar::matrixWorkload};
    return &api;
}
