// avatar-bench --suite encoder: the speed/quality trade-off of the x264 presets on our own frames, which is
// how each tier's encoder preset was chosen (docs/PERFORMANCE.md, "Tiers and the encoder"). The same rendered
// frames are encoded with every preset at the same CRF; the file is decoded again and compared with the
// frames that went in (PSNR over all pixels).
#include "Suites.h"

#include "core/Json.h"
#include "core/Tier.h"
#include "media/MediaReader.h"
#include "media/Mp4Encoder.h"
#include "pipeline/RenderPipeline.h"

#include <chrono>
#include <cmath>
#include <iostream>
#include <span>

namespace avatar::bench {

int runEncoderSuite(const RenderSpec& base, const std::filesystem::path& dir) {
    EngineServices services;
    RenderPipeline pipeline(services);
    const std::unique_ptr<Scene> scene = pipeline.prepareScene(base);
    const Speech speech = pipeline.synthesize(base, CancelToken{});
    const long long frames = Mp4Encoder::framesForDuration(speech.duration(), base.fps);
    const std::vector<MouthParams> poses = RenderPipeline::animate(speech, base.fps, frames, nullptr);
    std::vector<Image> source(static_cast<std::size_t>(frames), scene->background);
    for (long long f = 0; f < frames; ++f)
        scene->renderer.render(poses[static_cast<std::size_t>(f)], source[static_cast<std::size_t>(f)]);

    JsonWriter w;
    w.beginObject()
        .field("suite", "encoder")
        .field("size", std::to_string(base.width) + "x" + std::to_string(base.height))
        .field("frames", frames)
        .field("crf", base.crf);
    w.key("presets").beginArray();
    // The presets from ultrafast to medium: the slower ones take minutes on these frames and no tier uses
    // them.
    for (const std::string_view name : std::span(kX264Presets).first(6)) {
        const std::string preset(name);
        EncoderSettings enc;
        enc.width = base.width;
        enc.height = base.height;
        enc.fps = base.fps;
        enc.preset = preset;
        enc.crf = base.crf;
        const std::filesystem::path file = dir / ("enc-" + preset + ".mp4");
        const auto t = std::chrono::steady_clock::now();
        {
            Mp4Encoder encoder(file, enc, AudioTrack{speech.sampleRate, speech.samples});
            for (const Image& frame : source)
                encoder.writeFrame(frame, frame.rect());
            encoder.finish();
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        // Quality: PSNR of the decoded frames against the frames that went in.
        MediaReader reader(file);
        Image decoded;
        double squared = 0.0;
        long long samples = 0;
        for (std::size_t f = 0; f < source.size() && reader.readVideoFrame(decoded); ++f) {
            const std::uint8_t* a = source[f].data();
            const std::uint8_t* b = decoded.data();
            for (std::size_t i = 0; i < decoded.byteSize(); ++i) {
                const double d = double(a[i]) - double(b[i]);
                squared += d * d;
            }
            samples += static_cast<long long>(decoded.byteSize());
        }
        const double mse = samples ? squared / double(samples) : 0.0;
        const double psnr = mse > 0 ? 10.0 * std::log10(255.0 * 255.0 / mse) : 99.0;
        w.beginObject()
            .field("preset", preset)
            .field("encode_seconds", seconds)
            .field("encode_fps", double(frames) / seconds)
            .field("bytes", static_cast<long long>(std::filesystem::file_size(file)))
            .field("psnr_db", psnr)
            .endObject();
    }
    w.endArray().endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
