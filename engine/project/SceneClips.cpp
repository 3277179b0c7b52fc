#include "SceneClips.h"

#include "VideoClip.h"
#include "media/AudioDecoder.h"
#include "media/MediaReader.h"
#include "media/SegmentEncoder.h"

#include <algorithm>
#include <cmath>

namespace avatar::project {

EncodedSegment crossfadeSegment(const Image& from, const Image& to, int frames,
                                const EncoderSettings& settings, const CancelToken& cancel) {
    SegmentEncoder encoder(settings);
    Image frame(settings.width, settings.height);
    const std::size_t bytes = frame.byteSize();
    for (int k = 1; k <= frames; ++k) {
        cancel.throwIfCancelled();
        // Fixed-point weights: the mean colour moves by the same step every frame.
        const int b = static_cast<int>(std::lround(256.0 * k / (frames + 1)));
        const int a = 256 - b;
        const std::uint8_t* pa = from.data();
        const std::uint8_t* pb = to.data();
        std::uint8_t* out = frame.data();
        for (std::size_t i = 0; i < bytes; ++i)
            out[i] = static_cast<std::uint8_t>((pa[i] * a + pb[i] * b + 128) >> 8);
        encoder.writeFrame(frame, frame.rect());
    }
    return encoder.finish();
}

EncodedSegment clipSegment(const std::filesystem::path& file, const std::string& role,
                           const EncoderSettings& settings, const CancelToken& cancel) {
    VideoClip clip(file, role, settings.width, settings.height, settings.fps, VideoClip::Fit::Letterbox,
                   false);
    SegmentEncoder encoder(settings);
    Image frame;
    while (clip.next(frame)) {
        cancel.throwIfCancelled();
        encoder.writeFrame(frame, frame.rect());
    }
    return encoder.finish();
}

AudioTrack clipSound(const std::filesystem::path& file, long long frames, FrameRate fps, int sampleRate,
                     double loudness, const CancelToken& cancel) {
    AudioTrack track;
    track.sampleRate = sampleRate;
    track.samples.assign(static_cast<std::size_t>(fps.sampleAt(frames, sampleRate)), 0);
    if (MediaReader::probe(file).audioStreams == 0)
        return track;
    AudioDecoder::Options options;
    options.sampleRate = sampleRate;
    const DecodedAudio sound = AudioDecoder::decode(file, options, cancel);
    // Silence (gated out) keeps its level; anything else is brought to the speech's loudness.
    double gain = sound.loudness > -70.0 ? std::pow(10.0, (loudness - sound.loudness) / 20.0) : 1.0;
    if (sound.peak > 0.0)
        gain = std::min(gain, 0.99 / sound.peak);
    const std::size_t n = std::min(track.samples.size(), sound.samples.size());
    for (std::size_t i = 0; i < n; ++i)
        track.samples[i] =
            static_cast<std::int16_t>(std::lround(std::clamp(sound.samples[i] * gain, -1.0, 1.0) * 32767.0));
    return track;
}

} // namespace avatar::project
