#include "media/CodecSetup.h"

#include "core/Error.h"
#include "core/Tier.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <array>
#include <string_view>

namespace avatar::media {
namespace {} // namespace

std::string quoted(const std::filesystem::path& path) {
    // Built with append: GCC 12 warns falsely (-Wrestrict) about "'" + std::string when inlined.
    std::string out = "'";
    out.append(path.string()).push_back('\'');
    return out;
}

void codecFailure(const char* what, int err, const std::string& target) {
    std::string message(what);
    if (!target.empty())
        message += " while writing " + target;
    throw Error(ErrorCode::Codec, message + " (" + ffmpeg::errorText(err) + ").");
}

void validateVideoSettings(const EncoderSettings& s, bool listPresets) {
    if (s.width <= 0 || s.height <= 0 || s.width % 2 || s.height % 2 || s.width > 8192 || s.height > 8192)
        throw Error(ErrorCode::InvalidInput, "The video size " + std::to_string(s.width) + "x" +
                                                 std::to_string(s.height) +
                                                 " is invalid: width and height must be even, 2..8192.");
    s.fps.require();
    if (!isX264Preset(s.preset))
        throw Error(ErrorCode::InvalidInput,
                    "The encoder preset '" + s.preset +
                        (listPresets ? "' is unknown: use " + x264PresetChoices() + "."
                                     : std::string("' is unknown.")));
    if (s.crf < 0 || s.crf > 51)
        throw Error(ErrorCode::InvalidInput,
                    "The quality (CRF) " + std::to_string(s.crf) + " is invalid: it must be 0..51.");
}

const AVCodec* findX264() {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        throw Error(ErrorCode::Codec, "FFmpeg was built without the libx264 H.264 encoder; install an FFmpeg "
                                      "with libx264 (Debian: libavcodec59).");
    return codec;
}

void configureX264(AVCodecContext* c, const EncoderSettings& s) {
    c->width = s.width;
    c->height = s.height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    // One tick a frame, exactly: 1001/30000 s at 29.97 (a rounded rate would drift from the sound).
    c->time_base = media::timeBase(s.fps);
    c->framerate = AVRational{s.fps.num(), s.fps.den()};
    c->sample_aspect_ratio = AVRational{1, 1};
    c->gop_size = s.fps.framesInTwoSeconds(); // a key frame every 2 s keeps seeking fast in players
    c->thread_count = s.threads;
    c->colorspace = AVCOL_SPC_SMPTE170M;
    c->color_range = AVCOL_RANGE_MPEG;
    c->color_primaries = AVCOL_PRI_SMPTE170M;
    c->color_trc = AVCOL_TRC_SMPTE170M;
    av_opt_set(c->priv_data, "preset", s.preset.c_str(), 0);
    av_opt_set_double(c->priv_data, "crf", s.crf, 0);
}

void tagBt601(AVCodecParameters* par) {
    par->color_space = AVCOL_SPC_SMPTE170M;
    par->color_range = AVCOL_RANGE_MPEG;
    par->color_primaries = AVCOL_PRI_SMPTE170M;
    par->color_trc = AVCOL_TRC_SMPTE170M;
}

int allocPicture(AVFrame* picture, const AVCodecContext* c) {
    picture->format = c->pix_fmt;
    picture->width = c->width;
    picture->height = c->height;
    picture->colorspace = c->colorspace;
    picture->color_range = c->color_range;
    picture->color_primaries = c->color_primaries;
    picture->color_trc = c->color_trc;
    return av_frame_get_buffer(picture, 0);
}

const AVCodec* findAac() {
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");
    if (!codec)
        throw Error(ErrorCode::Codec, "FFmpeg was built without its AAC encoder; install a complete FFmpeg.");
    return codec;
}

void configureAac(AVCodecContext* c, int sampleRate, int bitrate, const AVFormatContext* muxer) {
    c->sample_fmt = AV_SAMPLE_FMT_FLTP; // the native AAC encoder's only input format
    c->sample_rate = sampleRate;
    av_channel_layout_default(&c->ch_layout, 1);
    c->bit_rate = bitrate;
    c->time_base = AVRational{1, sampleRate};
    if (muxer->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
}

int openAac(AVCodecContext* c, const AVCodec* codec) {
    AVDictionary* options = nullptr;
    av_dict_set(&options, "aac_coder", "fast", 0);
    const int err = avcodec_open2(c, codec, &options);
    av_dict_free(&options);
    return err;
}

void allocSoundFrame(AVFrame* sound, const AVCodecContext* c, int frameSize, const std::string& target) {
    sound->format = c->sample_fmt;
    sound->sample_rate = c->sample_rate;
    sound->nb_samples = frameSize;
    int err = av_channel_layout_copy(&sound->ch_layout, &c->ch_layout);
    if (err >= 0)
        err = av_frame_get_buffer(sound, 0);
    if (err < 0)
        codecFailure("Cannot allocate an audio frame", err, target);
}

void AudioResampleQueue::open(AVCodecContext* c, int inputRate, int frameSize, const std::string& target) {
    AVChannelLayout mono = {};
    av_channel_layout_default(&mono, 1);
    SwrContext* swr = nullptr;
    int err = swr_alloc_set_opts2(&swr, &c->ch_layout, AV_SAMPLE_FMT_FLTP, c->sample_rate, &mono,
                                  AV_SAMPLE_FMT_S16, inputRate, 0, nullptr);
    resampler.reset(swr);
    if (err >= 0)
        err = swr_init(resampler.get());
    if (err < 0)
        codecFailure("Cannot set up audio resampling", err, target);

    // Sized for the most the loop ever holds (a frame's worth plus one chunk) so it never reallocates.
    const int chunkOut = swr_get_out_samples(resampler.get(), kChunk) + 64;
    resampled.resize(static_cast<std::size_t>(chunkOut));
    fifo.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 1, frameSize + chunkOut));
    if (!fifo)
        codecFailure("Cannot allocate the audio buffer", AVERROR(ENOMEM), target);
}

void AudioResampleQueue::resampleMore(const std::vector<std::int16_t>& samples, const std::string& target) {
    std::uint8_t* out[1] = {reinterpret_cast<std::uint8_t*>(resampled.data())};
    const int capacity = static_cast<int>(resampled.size());
    int produced = 0;
    const std::size_t remaining = samples.size() - consumed;
    if (remaining == 0) {
        // Drain the filter's delay line once the input is used up.
        produced = swr_convert(resampler.get(), out, capacity, nullptr, 0);
        flushed = true;
    } else {
        const int count = static_cast<int>(std::min<std::size_t>(remaining, kChunk));
        const std::uint8_t* in[1] = {reinterpret_cast<const std::uint8_t*>(samples.data() + consumed)};
        produced = swr_convert(resampler.get(), out, capacity, in, count);
        consumed += static_cast<std::size_t>(count);
    }
    if (produced < 0)
        codecFailure("Audio resampling failed", produced, target);
    void* data[1] = {resampled.data()};
    if (produced > 0 && av_audio_fifo_write(fifo.get(), data, produced) < produced)
        codecFailure("Cannot buffer audio", AVERROR(ENOMEM), target);
}

int AudioResampleQueue::readFrame(const std::vector<std::int16_t>& samples, AVFrame* sound, int frameSize,
                                  const std::string& target) {
    while (av_audio_fifo_size(fifo.get()) < frameSize && !flushed)
        resampleMore(samples, target);
    const int count = std::min(av_audio_fifo_size(fifo.get()), frameSize);
    if (count == 0)
        return 0;
    sound->nb_samples = frameSize;
    const int err = av_frame_make_writable(sound);
    if (err < 0)
        codecFailure("Cannot reuse the audio frame", err, target);
    sound->nb_samples = count;
    if (av_audio_fifo_read(fifo.get(), reinterpret_cast<void**>(sound->data), count) < count)
        codecFailure("Cannot read buffered audio", AVERROR(EIO), target);
    return count;
}

ffmpeg::OutputFormatPtr openMp4(const std::filesystem::path& file, const std::filesystem::path& output) {
    AVFormatContext* context = nullptr;
    // The muxer is named explicitly because the temporary file's extension says nothing about the format.
    int err = avformat_alloc_output_context2(&context, nullptr, "mp4", file.c_str());
    if (err < 0 || !context)
        throw Error(ErrorCode::Codec, "This FFmpeg cannot write MP4 (" + ffmpeg::errorText(err) + ").");
    ffmpeg::OutputFormatPtr format(context);
    err = avio_open(&format->pb, file.c_str(), AVIO_FLAG_WRITE);
    if (err < 0) {
        const std::filesystem::path folder = output.has_parent_path() ? output.parent_path() : ".";
        throw Error(ErrorCode::Io, "Cannot write " + quoted(output) + ": the folder " + quoted(folder) +
                                       " is not writable (" + ffmpeg::errorText(err) + ").");
    }
    return format;
}

} // namespace avatar::media
