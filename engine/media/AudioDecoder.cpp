#include "media/AudioDecoder.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"
#include "media/MediaOpen.h"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace avatar {

namespace {

// The source sample rates a recording may have: telephone-grade 1 kHz up to studio recorders' 768 kHz.
constexpr int kMinSourceRate = 1000;
constexpr int kMaxSourceRate = 768000;

struct FilterGraphDeleter {
    void operator()(AVFilterGraph* p) const { avfilter_graph_free(&p); }
};
struct FilterInOutDeleter {
    void operator()(AVFilterInOut* p) const { avfilter_inout_free(&p); }
};
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;
using FilterInOutPtr = std::unique_ptr<AVFilterInOut, FilterInOutDeleter>;

std::string quoted(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

// "4:00:00"
std::string clock(double seconds) {
    const auto s = static_cast<long long>(seconds);
    char text[48];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return text;
}

// abuffer (the decoder's frames) -> resample -> mono -> ebur128 (meter, per-frame metadata) -> float -> sink.
// The meter runs on the mono mix because that mix is what the video's sound track will carry.
class MeterGraph {
public:
    // `layout` describes the input's channels; `rate` is the output's sample rate.
    MeterGraph(int inputRate, AVSampleFormat format, const AVChannelLayout& input, int rate,
               const std::filesystem::path& path)
        : m_path(path) {
        m_graph.reset(avfilter_graph_alloc());
        if (!m_graph)
            throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(path) + ".");
        AVChannelLayout layout{};
        if (input.order == AV_CHANNEL_ORDER_UNSPEC || input.nb_channels <= 0)
            av_channel_layout_default(&layout, std::max(1, input.nb_channels));
        else
            av_channel_layout_copy(&layout, &input);
        char layoutName[128] = {};
        av_channel_layout_describe(&layout, layoutName, sizeof layoutName);
        av_channel_layout_uninit(&layout);
        char args[512];
        std::snprintf(args, sizeof args, "time_base=1/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
                      inputRate, inputRate, av_get_sample_fmt_name(format), layoutName);
        check(avfilter_graph_create_filter(&m_source, avfilter_get_by_name("abuffer"), "in", args, nullptr,
                                           m_graph.get()));
        check(avfilter_graph_create_filter(&m_sink, avfilter_get_by_name("abuffersink"), "out", nullptr,
                                           nullptr, m_graph.get()));
        FilterInOutPtr outputs(avfilter_inout_alloc());
        FilterInOutPtr inputs(avfilter_inout_alloc());
        if (!outputs || !inputs)
            throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(path) + ".");
        outputs->name = av_strdup("in");
        outputs->filter_ctx = m_source;
        inputs->name = av_strdup("out");
        inputs->filter_ctx = m_sink;
        const std::string chain = "aresample=" + std::to_string(rate) +
                                  ",aformat=channel_layouts=mono,ebur128=metadata=1,aformat=sample_fmts=flt";
        AVFilterInOut* in = inputs.release();
        AVFilterInOut* out = outputs.release();
        const int err = avfilter_graph_parse_ptr(m_graph.get(), chain.c_str(), &in, &out, nullptr);
        avfilter_inout_free(&in);
        avfilter_inout_free(&out);
        check(err);
        check(avfilter_graph_config(m_graph.get(), nullptr));
    }

    // nullptr flushes the graph.
    void push(AVFrame* frame, DecodedAudio& out) {
        check(av_buffersrc_add_frame_flags(m_source, frame, AV_BUFFERSRC_FLAG_KEEP_REF));
        pull(out);
    }

private:
    void pull(DecodedAudio& out) {
        ffmpeg::FramePtr frame(av_frame_alloc());
        if (!frame)
            throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(m_path) + ".");
        for (;;) {
            const int err = av_buffersink_get_frame(m_sink, frame.get());
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
                return;
            check(err);
            const auto* data = reinterpret_cast<const float*>(frame->extended_data[0]);
            out.samples.insert(out.samples.end(), data, data + frame->nb_samples);
            // The meter's integrated loudness so far: the last frame's value is the whole file's.
            if (const AVDictionaryEntry* e = av_dict_get(frame->metadata, "lavfi.r128.I", nullptr, 0))
                out.loudness = std::strtod(e->value, nullptr);
            av_frame_unref(frame.get());
        }
    }
    void check(int err) const {
        if (err < 0)
            throw Error(ErrorCode::Codec, "Cannot convert the sound of " + quoted(m_path) + " (" +
                                              ffmpeg::errorText(err) + ").");
    }

    std::filesystem::path m_path;
    FilterGraphPtr m_graph;
    AVFilterContext* m_source = nullptr;
    AVFilterContext* m_sink = nullptr;
};

} // namespace

DecodedAudio AudioDecoder::decode(const std::filesystem::path& path, const Options& options,
                                  const CancelToken& cancel, const ProgressCallback& progress) {
    ffmpeg::quietLogs();
    ffmpeg::InputFormatPtr format = media::openInput(path);
    const int index = media::bestStream(format.get(), AVMEDIA_TYPE_AUDIO);
    if (index < 0)
        throw Error(ErrorCode::InvalidInput,
                    "The file " + quoted(path) + " has no sound: it holds no audio stream.");
    const AVStream* stream = format->streams[index];
    const double known = format->duration != AV_NOPTS_VALUE ? double(format->duration) / AV_TIME_BASE : 0.0;
    const auto tooLong = [&](double seconds) {
        return Error(ErrorCode::InvalidInput, "The recording " + quoted(path) + " lasts " + clock(seconds) +
                                                  " or more; at most " + clock(options.maxSeconds) +
                                                  " can be narrated: split it into several videos.");
    };
    if (known > options.maxSeconds)
        throw tooLong(known);

    ffmpeg::CodecContextPtr decoder = media::openDecoder(path, stream);
    DecodedAudio out;
    out.sampleRate = options.sampleRate;
    out.codec = avcodec_get_name(stream->codecpar->codec_id);
    out.sourceRate = decoder->sample_rate;
    out.sourceChannels = decoder->ch_layout.nb_channels;
    if (decoder->sample_rate <= 0 || decoder->ch_layout.nb_channels <= 0)
        throw Error(ErrorCode::Unreadable, "Cannot decode the sound of " + quoted(path) +
                                               ": its sample rate or channels are unknown.");
    // A header may claim any rate: a 1.6 KB WAV claiming 805 MHz made the resampler take 2 GB and a minute
    // (fuzz_audio). No recorder writes outside this range.
    if (decoder->sample_rate < kMinSourceRate || decoder->sample_rate > kMaxSourceRate)
        throw Error(ErrorCode::Unreadable,
                    "Cannot decode the sound of " + quoted(path) + ": its sample rate of " +
                        std::to_string(decoder->sample_rate) + " Hz is outside " +
                        std::to_string(kMinSourceRate) + " to " + std::to_string(kMaxSourceRate) + " Hz.");
    if (known > 0)
        out.samples.reserve(static_cast<std::size_t>(known * options.sampleRate) + 4096);

    MeterGraph graph(decoder->sample_rate, decoder->sample_fmt, decoder->ch_layout, options.sampleRate, path);
    ffmpeg::PacketPtr packet(av_packet_alloc());
    ffmpeg::FramePtr frame(av_frame_alloc());
    if (!packet || !frame)
        throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(path) + ".");
    const auto maxSamples = static_cast<std::size_t>(options.maxSeconds * options.sampleRate);
    int packets = 0, rejected = 0, frames = 0;
    const auto drain = [&] {
        for (;;) {
            const int err = avcodec_receive_frame(decoder.get(), frame.get());
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
                return;
            if (err < 0) {
                ++rejected;
                return;
            }
            ++frames;
            graph.push(frame.get(), out);
            av_frame_unref(frame.get());
        }
    };
    double lastReport = -1.0;
    while (av_read_frame(format.get(), packet.get()) >= 0) {
        if (packet->stream_index == index) {
            ++packets;
            if (progress && known > 0 && packet->pts != AV_NOPTS_VALUE) {
                const double fraction = std::clamp(packet->pts * av_q2d(stream->time_base) / known, 0.0, 1.0);
                if (fraction - lastReport >= 0.01) {
                    progress(fraction);
                    lastReport = fraction;
                }
            }
            if (avcodec_send_packet(decoder.get(), packet.get()) < 0)
                ++rejected;
        }
        av_packet_unref(packet.get());
        drain();
        if ((packets & 63) == 0)
            cancel.throwIfCancelled();
        if (out.samples.size() > maxSamples)
            throw tooLong(double(out.samples.size()) / options.sampleRate);
    }
    avcodec_send_packet(decoder.get(), nullptr);
    drain();
    graph.push(nullptr, out);
    cancel.throwIfCancelled();
    // A damaged file: most of its packets rejected, or nothing decoded at all.
    if (frames == 0 || rejected * 4 > packets)
        throw Error(ErrorCode::Unreadable, "Cannot decode the sound of " + quoted(path) +
                                               ": the file is damaged (" + std::to_string(rejected) + " of " +
                                               std::to_string(packets) + " audio packets are unreadable).");
    for (const float s : out.samples)
        out.peak = std::max(out.peak, double(std::fabs(s)));
    if (progress)
        progress(1.0);
    return out;
}

double AudioDecoder::loudness(const std::vector<float>& samples, int rate) {
    ffmpeg::quietLogs();
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    const std::filesystem::path name = "(normalised narration)";
    MeterGraph graph(rate, AV_SAMPLE_FMT_FLT, mono, rate, name);
    DecodedAudio out;
    ffmpeg::FramePtr frame(av_frame_alloc());
    if (!frame)
        throw Error(ErrorCode::Codec, "Out of memory while measuring loudness.");
    constexpr std::size_t kBlock = 4096;
    for (std::size_t at = 0; at < samples.size(); at += kBlock) {
        const std::size_t n = std::min(kBlock, samples.size() - at);
        frame->format = AV_SAMPLE_FMT_FLT;
        frame->sample_rate = rate;
        frame->nb_samples = static_cast<int>(n);
        frame->pts = static_cast<std::int64_t>(at);
        av_channel_layout_copy(&frame->ch_layout, &mono);
        if (av_frame_get_buffer(frame.get(), 0) < 0)
            throw Error(ErrorCode::Codec, "Out of memory while measuring loudness.");
        std::copy_n(samples.data() + at, n, reinterpret_cast<float*>(frame->data[0]));
        graph.push(frame.get(), out);
        av_frame_unref(frame.get());
        out.samples.clear(); // only the meter's figure is wanted
    }
    graph.push(nullptr, out);
    return out.loudness;
}

} // namespace avatar
