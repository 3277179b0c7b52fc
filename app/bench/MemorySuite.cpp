// avatar-bench --suite memory: the peak resident memory of a render against the length of its video (issue
// #15: memory is bounded by the frame, not by the video). The same script shape, a sentence and then
// ten-second pauses, is rendered as a 4-minute and as a 4-hour video, each in a child process of its own so
// that each peak (the kernel's ru_maxrss of that child) is its own. Without a cache: every frame is drawn and
// encoded, the worst case.
#include "Suites.h"

#include "core/Error.h"
#include "core/Json.h"
#include "pipeline/RenderPipeline.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace avatar::bench {
namespace {

struct Peak {
    double audioSeconds = 0.0;
    long long frames = 0;
    double totalSeconds = 0.0;
    long long maxRssKb = 0;
};

std::string scriptOf(int pauses) {
    std::string text = "Welcome to the long lecture.";
    for (int i = 0; i < pauses; ++i)
        text += " <break time=\"10s\"/>";
    return text + " Thank you for listening.";
}

// Renders `spec` in a child process and returns what it measured and its peak RSS.
Peak renderInChild(const RenderSpec& spec) {
    int fds[2];
    if (::pipe(fds) != 0)
        throw Error(ErrorCode::Internal, "avatar-bench: cannot create a pipe.");
    const pid_t pid = ::fork();
    if (pid < 0)
        throw Error(ErrorCode::Internal, "avatar-bench: cannot start a child process.");
    if (pid == 0) {
        ::close(fds[0]);
        int code = 0;
        try {
            EngineServices services;
            const RenderResult r = RenderPipeline(services).run(spec);
            char line[128];
            const int n =
                std::snprintf(line, sizeof line, "%.3f %lld %.3f", r.duration, r.frames, r.totalSeconds);
            if (::write(fds[1], line, static_cast<std::size_t>(n)) != n)
                code = 1;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "avatar-bench: %s\n", e.what());
            code = 1;
        }
        ::close(fds[1]);
        std::_Exit(code); // no static destructors of the parent's copy
    }
    ::close(fds[1]);
    char line[128] = {};
    const ssize_t got = ::read(fds[0], line, sizeof line - 1);
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Peak peak;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got <= 0 ||
        std::sscanf(line, "%lf %lld %lf", &peak.audioSeconds, &peak.frames, &peak.totalSeconds) != 3)
        throw Error(ErrorCode::Internal, "avatar-bench: the render in the child process failed.");
    peak.maxRssKb = usage.ru_maxrss; // kilobytes on Linux
    return peak;
}

} // namespace

int runMemorySuite(const RenderSpec& base, const std::filesystem::path& dir) {
    JsonWriter w;
    w.beginObject()
        .field("suite", "memory")
        .field("size", std::to_string(base.width) + "x" + std::to_string(base.height))
        .field("fps", base.fps.toDouble())
        .field("frame_rate", base.fps.toString())
        .field("cache", false);
    w.key("videos").beginArray();
    long long shortRss = 0;
    long long longRss = 0;
    for (const auto& [name, pauses] : {std::pair{"4min", 24}, std::pair{"4h", 1440}}) {
        RenderSpec spec = base;
        spec.text = scriptOf(pauses);
        spec.useCache = false;
        spec.output = dir / (std::string("memory-") + name + ".mp4");
        const Peak p = renderInChild(spec);
        (shortRss == 0 ? shortRss : longRss) = p.maxRssKb;
        w.beginObject()
            .field("video", name)
            .field("audio_seconds", p.audioSeconds)
            .field("frames", p.frames)
            .field("total_seconds", p.totalSeconds)
            .field("peak_rss_mb", double(p.maxRssKb) / 1024.0)
            .endObject();
        std::error_code ec;
        std::filesystem::remove(spec.output, ec);
    }
    w.endArray();
    w.field("rss_4h_over_4min", double(longRss) / double(shortRss)).endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
