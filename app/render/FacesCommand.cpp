#include "FacesCommand.h"

#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "face/FaceAnalyzer.h"
#include "facenet/FaceNet.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

namespace avatar::cli {
namespace {

struct FacesOptions {
    std::vector<std::string> images;
    std::string backend = "torch";
    bool json = false;
    bool tiny = false;
    double minScore = 0.5;
};

void writeFace(JsonWriter& w, const FaceNetFace& f, bool torch) {
    w.beginObject();
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
    }
    w.endObject();
}

} // namespace

std::string facesUsage() {
    return "Usage: avatar-render faces IMAGE... [--backend torch|dlib] [--tiny] [--min-score S] [--json]\n"
           "  Finds the faces of each image: box, score and 68 landmarks; with the torch backend (the "
           "face-api\n"
           "  models on LibTorch) also the 128-D descriptor, expression, age and gender.\n";
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

    try {
        const bool torch = o.backend == "torch";
        std::optional<FaceNet> net;
        std::optional<FaceAnalyzer> dlib;
        if (torch)
            net.emplace();
        else
            dlib.emplace();
        FaceNet::Options options;
        options.minConfidence = o.minScore;
        options.tinyLandmarks = o.tiny;
        JsonWriter w;
        w.beginArray();
        for (const std::string& file : o.images) {
            const Image image = ImageIO::load(file);
            const auto t0 = std::chrono::steady_clock::now();
            std::vector<FaceNetFace> faces;
            if (torch) {
                faces = net->analyze(image, options);
            } else {
                for (const FaceLandmarks& l : dlib->detectAll(image)) {
                    FaceNetFace f;
                    f.x = l.box.x;
                    f.y = l.box.y;
                    f.width = l.box.width;
                    f.height = l.box.height;
                    f.score = l.score;
                    f.landmarks = l.points;
                    faces.push_back(f);
                }
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (o.json) {
                w.beginObject()
                    .field("image", file)
                    .field("backend", o.backend)
                    .field("width", image.width());
                w.field("height", image.height()).field("seconds", seconds);
                w.key("faces").beginArray();
                for (const FaceNetFace& f : faces)
                    writeFace(w, f, torch);
                w.endArray().endObject();
            } else {
                std::printf("%s: %zu face(s) in %.3f s\n", file.c_str(), faces.size(), seconds);
                for (const FaceNetFace& f : faces) {
                    std::printf("  box %.0f,%.0f %.0fx%.0f score %.2f", f.x, f.y, f.width, f.height, f.score);
                    if (torch)
                        std::printf("  %s, age %.0f, %s (%.2f)", f.expression().c_str(), f.age,
                                    f.gender().c_str(), f.genderProbability());
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
