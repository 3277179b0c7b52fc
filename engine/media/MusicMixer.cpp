#include "media/MusicMixer.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"
#include "media/MediaReader.h"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace avatar {

namespace {

struct GraphDeleter {
    void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
using GraphPtr = std::unique_ptr<AVFilterGraph, GraphDeleter>;

constexpr int kChunk = 4096; // samples per frame pushed into the graph

// A filter graph with named float-mono inputs ("in0", "in1", ...) and one output "out", given as FFmpeg's
// filter description; runs everything through and returns the output as float mono.
class FilterRun {
public:
    FilterRun(const std::string& description, const std::vector<int>& inputRates)
        : m_graph(avfilter_graph_alloc()), m_rates(inputRates) {
        if (!m_graph)
            throw Error(ErrorCode::Codec, "Cannot allocate an FFmpeg filter graph.");
        AVFilterInOut* outputs = nullptr; // the graph description's open inputs, fed by our sources
        AVFilterInOut* inputs = nullptr;
        for (std::size_t i = 0; i < inputRates.size(); ++i) {
            const std::string args = "sample_rate=" + std::to_string(inputRates[i]) +
                                     ":sample_fmt=flt:channel_layout=mono:time_base=1/" +
                                     std::to_string(inputRates[i]);
            AVFilterContext* source = nullptr;
            check(avfilter_graph_create_filter(&source, avfilter_get_by_name("abuffer"),
                                               ("in" + std::to_string(i)).c_str(), args.c_str(), nullptr,
                                               m_graph.get()));
            m_sources.push_back(source);
            AVFilterInOut* io = avfilter_inout_alloc();
            io->name = av_strdup(("in" + std::to_string(i)).c_str());
            io->filter_ctx = source;
            io->pad_idx = 0;
            io->next = outputs;
            outputs = io;
        }
        check(avfilter_graph_create_filter(&m_sink, avfilter_get_by_name("abuffersink"), "out", nullptr,
                                           nullptr, m_graph.get()));
        inputs = avfilter_inout_alloc();
        inputs->name = av_strdup("out");
        inputs->filter_ctx = m_sink;
        inputs->pad_idx = 0;
        inputs->next = nullptr;
        const int err =
            avfilter_graph_parse_ptr(m_graph.get(), description.c_str(), &inputs, &outputs, nullptr);
        avfilter_inout_free(&inputs);
        avfilter_inout_free(&outputs);
        check(err);
        check(avfilter_graph_config(m_graph.get(), nullptr));
    }

    // Pushes every input whole (in chunks, alternating so no input runs far ahead) and collects the output.
    std::vector<float> run(const std::vector<const std::vector<float>*>& signals) {
        std::vector<std::size_t> pos(signals.size(), 0);
        std::vector<float> out;
        bool more = true;
        while (more) {
            more = false;
            for (std::size_t i = 0; i < signals.size(); ++i) {
                if (pos[i] >= signals[i]->size())
                    continue;
                const int n = static_cast<int>(std::min<std::size_t>(kChunk, signals[i]->size() - pos[i]));
                push(i, signals[i]->data() + pos[i], n, static_cast<std::int64_t>(pos[i]));
                pos[i] += static_cast<std::size_t>(n);
                more = true;
            }
            drain(out);
        }
        for (AVFilterContext* source : m_sources)
            check(av_buffersrc_add_frame_flags(source, nullptr, 0));
        drain(out);
        return out;
    }

private:
    void push(std::size_t input, const float* samples, int count, std::int64_t pts) {
        ffmpeg::FramePtr frame(av_frame_alloc());
        if (!frame)
            throw Error(ErrorCode::Codec, "Out of memory while mixing the music.");
        frame->format = AV_SAMPLE_FMT_FLT;
        frame->nb_samples = count;
        frame->sample_rate = m_rates[input];
        av_channel_layout_default(&frame->ch_layout, 1);
        frame->pts = pts;
        check(av_frame_get_buffer(frame.get(), 0));
        std::memcpy(frame->data[0], samples, static_cast<std::size_t>(count) * sizeof(float));
        check(av_buffersrc_add_frame_flags(m_sources[input], frame.get(), 0));
    }

    void drain(std::vector<float>& out) {
        ffmpeg::FramePtr frame(av_frame_alloc());
        for (;;) {
            const int err = av_buffersink_get_frame(m_sink, frame.get());
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
                return;
            check(err);
            // ebur128 with metadata=1 tags each frame with the integrated loudness so far.
            if (const AVDictionaryEntry* e = av_dict_get(frame->metadata, "lavfi.r128.I", nullptr, 0))
                m_loudness = std::atof(e->value);
            const auto* data = reinterpret_cast<const float*>(frame->data[0]);
            out.insert(out.end(), data, data + frame->nb_samples);
            av_frame_unref(frame.get());
        }
    }

    static void check(int err) {
        if (err < 0)
            throw Error(ErrorCode::Codec, "FFmpeg's audio filters failed (" + ffmpeg::errorText(err) + ").");
    }

public:
    double loudness() const { return m_loudness; }

private:
    GraphPtr m_graph;
    std::vector<int> m_rates;
    double m_loudness = -70.0;
    std::vector<AVFilterContext*> m_sources;
    AVFilterContext* m_sink = nullptr;
};

std::vector<float> toFloat(const AudioTrack& track) {
    std::vector<float> out(track.samples.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = track.samples[i] / 32768.0f;
    return out;
}

} // namespace

AudioTrack mixMusicUnderSpeech(const AudioTrack& speech, const std::filesystem::path& music,
                               const MusicMix& mix) {
    if (speech.sampleRate <= 0 || speech.samples.empty())
        return speech;
    int musicRate = 0;
    std::vector<float> tune = MediaReader(music).readAudioMono(&musicRate);
    if (tune.empty() || musicRate <= 0)
        throw Error(ErrorCode::Unreadable, "The music '" + music.string() + "' has no sound.");
    // Looped to the speech's length (and a little more, for the resampler) before it enters the graph.
    const auto wanted = static_cast<std::size_t>(std::ceil(speech.duration() * musicRate)) + 1024;
    const std::size_t once = tune.size();
    tune.resize(std::max(wanted, once));
    for (std::size_t i = once; i < tune.size(); ++i)
        tune[i] = tune[i - once];
    tune.resize(wanted);

    const std::string rate = std::to_string(speech.sampleRate);
    char gain[32];
    std::snprintf(gain, sizeof gain, "%.2fdB", mix.musicGainDb);
    char target[32];
    std::snprintf(target, sizeof target, "%.1f", mix.targetLufs);
    // in0: speech, in1: music. The compressor reacts within 20 ms and lets the music back over 400 ms, the
    // way a radio presenter's microphone ducks the bed; threshold about -36 dBFS catches soft syllables.
    const std::string graph = "[in1]aresample=" + rate + ",volume=" + gain +
                              "[m];[in0]asplit=2[s1][s2];"
                              "[m][s2]sidechaincompress=threshold=0.016:ratio=12:attack=20:release=400[d];"
                              "[s1][d]amix=inputs=2:duration=first:dropout_transition=0:normalize=0,"
                              "loudnorm=I=" +
                              std::string(target) + ":TP=-1.5:LRA=11,aresample=" + rate +
                              ",aformat=sample_fmts=flt:channel_layouts=mono";
    const std::vector<float> voice = toFloat(speech);
    FilterRun filters(graph, {speech.sampleRate, musicRate});
    std::vector<float> mixed = filters.run({&voice, &tune});

    AudioTrack out;
    out.sampleRate = speech.sampleRate;
    out.samples.resize(speech.samples.size(), 0);
    const std::size_t n = std::min(mixed.size(), out.samples.size());
    for (std::size_t i = 0; i < n; ++i)
        out.samples[i] = static_cast<std::int16_t>(std::lround(std::clamp(mixed[i], -1.0f, 1.0f) * 32767.0f));
    return out;
}

double integratedLoudness(const AudioTrack& track) {
    if (track.sampleRate <= 0 || track.samples.empty())
        return -70.0;
    // ebur128 passes the sound through and reports on its own context at the end of the stream.
    FilterRun filters("[in0]ebur128=metadata=1,aformat=sample_fmts=flt:channel_layouts=mono",
                      {track.sampleRate});
    const std::vector<float> samples = toFloat(track);
    filters.run({&samples});
    return filters.loudness();
}

} // namespace avatar
