#include "FacesCommand.h"

#include "CliOptions.h"
#include "batch/Batcher.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "face/FaceAnalyzer.h"
#include "facenet/FaceNet.h"
#include "facenet/FaceNetCache.h"
#include "facenet/KnownFaces.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

namespace avatar::cli {
namespace {

struct FacesOptions {
    std::vector<std::string> images;
    std::string backend = "torch";
    bool json = false;
    bool tiny = false;
    FaceNet::Precision precision = FaceNet::Precision::Float32;
    double minScore = 0.5;
    std::filesystem::path knownDb; // --known-db FILE
    std::string addName;           // --add NAME: remember each image's largest face under NAME
    std::filesystem::path cacheDir;
    bool noCache = false;
};

using Clock = std::chrono::steady_clock;

// One image's answer.
struct ImageFaces {
    std::vector<FaceNetFace> faces;
    double seconds = 0; // its share of the analysis; 0 for a cache hit
    bool cached = false;
};

std::vector<std::uint8_t> readFile(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "The image '" + file + "' does not exist or cannot be opened.");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The torch backend over many images: cached answers by file content first, then the rest through a Batcher
// (one analyzeBatch call, one tensor per network, per batch). Images are decoded a window at a time so that
// a long list never holds more than two batches of pixels.
std::vector<ImageFaces> analyzeTorch(const FaceNet& net, const FaceNet::Options& options,
                                     FaceNet::Precision precision, const std::vector<std::string>& files,
                                     cache::Cache* cache) {
    std::vector<ImageFaces> results(files.size());
    std::vector<std::optional<cache::CacheKey>> keys(files.size());
    std::vector<std::size_t> misses;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (cache) {
            keys[i] = facenet::facesKey(readFile(files[i]), options, precision);
            if (const cache::BlobPtr blob = cache->get(*keys[i]))
                if (auto faces = facenet::decodeFaces(*blob)) {
                    results[i].faces = std::move(*faces);
                    results[i].cached = true;
                    continue;
                }
        }
        misses.push_back(i);
    }
    if (misses.empty())
        return results;

    BatchOptions batchOptions;
    batchOptions.name = "faces";
    batchOptions.baseMaxBatch = options.maxBatch;
    Batcher<Image, std::vector<FaceNetFace>> batcher(
        [&](std::vector<Image>& images) {
            const auto out = net.analyzeBatch(images, options);
            return std::vector<std::vector<FaceNetFace>>(out.begin(), out.end());
        },
        batchOptions);
    const std::size_t window = 2 * std::max<std::size_t>(1, options.maxBatch);
    for (std::size_t first = 0; first < misses.size(); first += window) {
        const std::size_t n = std::min(window, misses.size() - first);
        const auto t0 = Clock::now();
        std::vector<std::future<std::vector<FaceNetFace>>> pending;
        for (std::size_t k = 0; k < n; ++k)
            pending.push_back(batcher.submit(ImageIO::load(files[misses[first + k]])).result);
        for (std::size_t k = 0; k < n; ++k)
            results[misses[first + k]].faces = pending[k].get();
        const double share = std::chrono::duration<double>(Clock::now() - t0).count() / double(n);
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = misses[first + k];
            results[i].seconds = share;
            if (cache)
                cache->put(*keys[i], facenet::encodeFaces(results[i].faces));
        }
    }
    return results;
}

std::vector<ImageFaces> analyzeDlib(const std::vector<std::string>& files) {
    const FaceAnalyzer dlib;
    std::vector<ImageFaces> results;
    for (const std::string& file : files) {
        const Image image = ImageIO::load(file);
        const auto t0 = Clock::now();
        ImageFaces r;
        for (const FaceLandmarks& l : dlib.detectAll(image)) {
            FaceNetFace f;
            f.x = l.box.x;
            f.y = l.box.y;
            f.width = l.box.width;
            f.height = l.box.height;
            f.score = l.score;
            f.landmarks = l.points;
            r.faces.push_back(f);
        }
        r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        results.push_back(std::move(r));
    }
    return results;
}

const FaceNetFace& largest(const std::vector<FaceNetFace>& faces) {
    return *std::max_element(faces.begin(), faces.end(), [](const FaceNetFace& a, const FaceNetFace& b) {
        return a.width * a.height < b.width * b.height;
    });
}

// For each face, its number for `avatar-render --face N`: the rank by size, largest first, as the render
// counts (dlib's list is in that order already; face-api's is by score).
std::vector<int> sizeRanks(const std::vector<FaceNetFace>& faces, bool torch) {
    std::vector<int> order(faces.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    if (torch)
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return faces[a].width * faces[a].height > faces[b].width * faces[b].height;
        });
    std::vector<int> rank(faces.size());
    for (std::size_t r = 0; r < order.size(); ++r)
        rank[static_cast<std::size_t>(order[r])] = static_cast<int>(r);
    return rank;
}

void writeFace(JsonWriter& w, const FaceNetFace& f, int index, bool torch, const KnownFaces* known) {
    w.beginObject();
    w.field("index", index); // the render's --face N
    w.key("box")
        .beginObject()
        .field("x", f.x)
        .field("y", f.y)
        .field("width", f.width)
        .field("height", f.height)
        .endObject();
    w.field("score", f.score);
    w.key("landmarks").beginArray();
    for (const PointF& p : f.landmarks)
        w.beginArray().value(p.x).value(p.y).endArray();
    w.endArray();
    if (torch) { // dlib's FaceAnalyzer has no descriptor, expression, age or gender
        w.key("descriptor").beginArray();
        for (float v : f.descriptor)
            w.value(static_cast<double>(v));
        w.endArray();
        w.field("expression", f.expression());
        w.key("expressions").beginObject();
        for (std::size_t i = 0; i < f.expressions.size(); ++i)
            w.field(FaceNet::expressionLabels()[i], static_cast<double>(f.expressions[i]));
        w.endObject();
        w.field("age", f.age).field("gender", f.gender()).field("gender_probability", f.genderProbability());
        // "known" only for a recognised face: an absent key reads as undefined/None, no stranger's name.
        if (const auto match = known ? known->recognise(f.descriptor) : std::nullopt)
            w.key("known")
                .beginObject()
                .field("name", match->name)
                .field("distance", match->distance)
                .endObject();
    }
    w.endObject();
}

} // namespace

std::string facesUsage() {
    return "Usage: avatar-render faces IMAGE... [--backend torch|dlib] [--tiny] [--min-score S] [--json]\n"
           "                          [--precision float32|bf16] [--known-db FILE [--add NAME]]\n"
           "                          [--cache-dir DIR | --no-cache]\n"
           "  Finds the faces of each image: box, score and 68 landmarks; with the torch backend (the "
           "face-api\n"
           "  models on LibTorch) also the 128-D descriptor, expression, age and gender. Images go through "
           "the\n"
           "  networks in batches of 16; 'seconds' is each image's share of its batch (0 when cached).\n"
           "  Each face has its number for the render's --face N: 0 the largest, 1 the next in size, ...\n"
           "  --known-db FILE   a library of named faces (SQLite, created if missing): each face found is\n"
           "                    named after the nearest known descriptor closer than 0.5, if any\n"
           "  --add NAME        instead, remember the largest face of each image under NAME\n"
           "  --cache-dir DIR   the torch backend's answers are cached by the image file's SHA-256 (default\n"
           "                    the render cache: $XDG_CACHE_HOME/avatar-studio or ~/.cache/avatar-studio)\n"
           "  --no-cache        analyse every image again\n"
           "  --precision bf16  the torch networks in bfloat16: about 2x faster on CPUs with AVX-512 BF16,\n"
           "                    descriptors within about 0.05 of float32's (docs/PERFORMANCE.md); float32\n"
           "                    (the default) matches the face-api package\n";
}

int runFacesCommand(const std::vector<std::string>& args) {
    FacesOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto next = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (a == "--json") {
            o.json = true;
        } else if (a == "--tiny") {
            o.tiny = true;
        } else if (a == "--backend") {
            const auto v = next();
            if (!v || (*v != "torch" && *v != "dlib")) {
                std::fprintf(stderr, "avatar-render: --backend takes torch or dlib.\n");
                return 2;
            }
            o.backend = *v;
        } else if (a == "--precision") {
            const auto v = next();
            if (!v || (*v != "float32" && *v != "bf16")) {
                std::fprintf(stderr, "avatar-render: --precision takes float32 or bf16.\n");
                return 2;
            }
            o.precision = *v == "bf16" ? FaceNet::Precision::BFloat16 : FaceNet::Precision::Float32;
        } else if (a == "--min-score") {
            const auto v = next();
            try {
                o.minScore = v ? std::stod(*v) : -1.0;
            } catch (const std::exception&) {
                o.minScore = -1.0;
            }
            if (!(o.minScore > 0.0 && o.minScore < 1.0)) {
                std::fprintf(stderr, "avatar-render: --min-score takes a number between 0 and 1.\n");
                return 2;
            }
        } else if (a == "--known-db" || a == "--add" || a == "--cache-dir") {
            const auto v = next();
            if (!v || v->empty()) {
                std::fprintf(stderr, "avatar-render: %s needs a value.\n", a.c_str());
                return 2;
            }
            if (a == "--known-db")
                o.knownDb = *v;
            else if (a == "--add")
                o.addName = *v;
            else
                o.cacheDir = *v;
        } else if (a == "--no-cache") {
            o.noCache = true;
        } else if (a == "--help" || a == "-h") {
            std::cout << facesUsage();
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "avatar-render: unknown option '%s' for faces.\n%s", a.c_str(),
                         facesUsage().c_str());
            return 2;
        } else {
            o.images.push_back(a);
        }
    }
    if (o.images.empty()) {
        std::fprintf(stderr, "avatar-render: faces needs at least one image.\n%s", facesUsage().c_str());
        return 2;
    }

    if (!o.addName.empty() && (o.knownDb.empty() || o.backend != "torch")) {
        std::fprintf(stderr, "avatar-render: --add needs --known-db FILE and the torch backend.\n");
        return 2;
    }
    if (o.precision != FaceNet::Precision::Float32 && o.backend != "torch") {
        std::fprintf(stderr, "avatar-render: --precision applies to the torch backend only.\n");
        return 2;
    }
    if (!o.knownDb.empty() && o.backend != "torch") {
        std::fprintf(stderr,
                     "avatar-render: --known-db needs the torch backend (dlib has no descriptors).\n");
        return 2;
    }

    try {
        const bool torch = o.backend == "torch";
        std::optional<KnownFaces> known;
        if (!o.knownDb.empty())
            known.emplace(o.knownDb);
        std::vector<ImageFaces> results;
        if (torch) {
            FaceNet::Options options;
            options.minConfidence = o.minScore;
            options.tinyLandmarks = o.tiny;
            std::unique_ptr<cache::Cache> cache;
            const std::filesystem::path cacheDir = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;
            if (!o.noCache && !cacheDir.empty())
                cache = openCache(cacheDir);
            const FaceNet net(o.precision);
            results = analyzeTorch(net, options, o.precision, o.images, cache.get());
        } else {
            results = analyzeDlib(o.images);
        }

        if (!o.addName.empty()) {
            for (std::size_t i = 0; i < o.images.size(); ++i) {
                if (results[i].faces.empty())
                    throw Error(ErrorCode::NoFace, "No face was found in '" + o.images[i] + "' to add.");
                known->add(o.addName, largest(results[i].faces).descriptor, o.images[i]);
                std::printf("%s: added as %s\n", o.images[i].c_str(), o.addName.c_str());
            }
            return 0;
        }

        JsonWriter w;
        w.beginArray();
        for (std::size_t i = 0; i < o.images.size(); ++i) {
            const std::string& file = o.images[i];
            const std::vector<FaceNetFace>& faces = results[i].faces;
            const double seconds = results[i].seconds;
            if (o.json) {
                w.beginObject().field("image", file).field("backend", o.backend);
                if (torch)
                    w.field("precision", o.precision == FaceNet::Precision::BFloat16 ? "bf16" : "float32");
                w.field("seconds", seconds).field("cached", results[i].cached);
                w.key("faces").beginArray();
                const std::vector<int> ranks = sizeRanks(faces, torch);
                for (std::size_t k = 0; k < faces.size(); ++k)
                    writeFace(w, faces[k], ranks[k], torch, known ? &*known : nullptr);
                w.endArray().endObject();
            } else {
                std::printf("%s: %zu face(s) in %.3f s%s\n", file.c_str(), faces.size(), seconds,
                            results[i].cached ? " (cached)" : "");
                const std::vector<int> ranks = sizeRanks(faces, torch);
                for (std::size_t k = 0; k < faces.size(); ++k) {
                    const FaceNetFace& f = faces[k];
                    std::printf("  face %d: box %.0f,%.0f %.0fx%.0f score %.2f", ranks[k], f.x, f.y, f.width,
                                f.height, f.score);
                    if (torch)
                        std::printf("  %s, age %.0f, %s (%.2f)", f.expression().c_str(), f.age,
                                    f.gender().c_str(), f.genderProbability());
                    if (known) {
                        if (const auto match = known->recognise(f.descriptor))
                            std::printf("  = %s (%.2f)", match->name.c_str(), match->distance);
                        else
                            std::printf("  = unknown");
                    }
                    std::printf("\n");
                }
            }
        }
        w.endArray();
        if (o.json)
            std::cout << w.str() << '\n';
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    }
}

} // namespace avatar::cli
