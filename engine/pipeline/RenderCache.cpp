#include "RenderCache.h"

#include "cache/Cache.h"
#include "cache/Sha256.h"
#include "core/ByteStream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string_view>

namespace avatar {
namespace {

constexpr std::string_view kSpeechMagic = "AVSPEECH1";
constexpr std::string_view kFaceMagic = "AVFACE1";
constexpr std::string_view kAudioMagic = "AVAAC1";

} // namespace

cache::CacheKey RenderCache::speechKey(const std::string& text, const std::string& voice, double speed,
                                       double pitch) {
    return cache::CacheKey::Builder("tts")
        .version(kSpeechVersion)
        .text("text", text, cache::TextNormalisation::CollapseWhitespace)
        .text("voice", voice)
        .real("speed", speed, 3)
        .real("pitch", pitch, 3)
        .build();
}

cache::CacheKey RenderCache::recordingKey(const std::filesystem::path& file, const std::string& transcript,
                                          const std::string& method) {
    cache::Sha256 sha;
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        sha.update(std::span(reinterpret_cast<const std::uint8_t*>(buffer.data()), std::size_t(in.gcount())));
    }
    return cache::CacheKey::Builder("recording")
        .version(kRecordingVersion)
        .digest("sound", sha.finish())
        .text("transcript", transcript, cache::TextNormalisation::CollapseWhitespace)
        .text("method", method, cache::TextNormalisation::CollapseWhitespace)
        .build();
}

cache::CacheKey RenderCache::faceKey(std::span<const std::uint8_t> portraitBytes) {
    cache::Sha256 sha;
    sha.update(portraitBytes);
    return cache::CacheKey::Builder("face").version(kFaceVersion).digest("portrait", sha.finish()).build();
}

cache::Sha256::Digest RenderCache::sceneKey(const cache::Sha256::Digest& faceKey, Framing framing) {
    return cache::CacheKey::Builder("scene")
        .version("scene/1 layout/1")
        .digest("face", faceKey)
        .text("framing", framingName(framing))
        .build()
        .digest();
}

cache::BlobPtr RenderCache::get(const cache::CacheKey& key) const {
    if (!m_cache)
        return nullptr;
    try {
        return m_cache->get(key);
    } catch (const std::exception&) {
        return nullptr; // the cache promises not to throw; should it still, the render goes on without it
    }
}

void RenderCache::store(const cache::CacheKey& key, std::vector<std::uint8_t> bytes) const {
    if (!m_cache)
        return;
    try {
        m_cache->put(key, std::move(bytes));
    } catch (const std::exception&) {
    }
}

std::vector<std::uint8_t> RenderCache::encode(const Speech& s) {
    ByteWriter w;
    w.reserve(s.samples.size() * 2 + s.phones.size() * 40 + s.words.size() * 40 + 64);
    w.raw(kSpeechMagic);
    w.u64(static_cast<std::uint64_t>(s.sampleRate));
    w.u64(s.samples.size());
    for (const std::int16_t v : s.samples) {
        const auto u = static_cast<std::uint16_t>(v);
        w.u8(static_cast<std::uint8_t>(u));
        w.u8(static_cast<std::uint8_t>(u >> 8));
    }
    w.u64(s.phones.size());
    for (const Phone& p : s.phones) {
        w.text(p.symbol);
        w.text(p.arpabet);
        w.real(p.start);
        w.real(p.end);
    }
    w.u64(s.words.size());
    for (const Word& word : s.words) {
        w.text(word.text);
        w.real(word.start);
        w.real(word.end);
    }
    return w.take();
}

std::optional<Speech> RenderCache::decodeSpeech(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    if (!r.magic(kSpeechMagic))
        return std::nullopt;
    Speech s;
    const std::uint64_t rate = r.u64();
    const std::uint64_t count = r.u64();
    if (!r.ok() || rate == 0 || rate > 384000 || count > r.left() / 2)
        return std::nullopt;
    const std::uint8_t* pcm = r.take(count * 2);
    if (!pcm)
        return std::nullopt;
    s.sampleRate = static_cast<int>(rate);
    s.samples.resize(count);
    for (std::size_t i = 0; i < count; ++i)
        s.samples[i] =
            static_cast<std::int16_t>(std::uint16_t(pcm[2 * i]) | std::uint16_t(pcm[2 * i + 1]) << 8);
    const std::uint64_t phones = r.u64();
    if (!r.ok() || phones > r.left() / 32)
        return std::nullopt;
    s.phones.resize(phones);
    for (Phone& p : s.phones) {
        p.symbol = r.text();
        p.arpabet = r.text();
        p.start = r.real();
        p.end = r.real();
    }
    const std::uint64_t words = r.u64();
    if (!r.ok() || words > r.left() / 24)
        return std::nullopt;
    s.words.resize(words);
    for (Word& word : s.words) {
        word.text = r.text();
        word.start = r.real();
        word.end = r.real();
    }
    if (!r.ok() || !r.atEnd())
        return std::nullopt;
    return s;
}

std::vector<std::uint8_t> RenderCache::encode(const FaceLandmarks& face) {
    ByteWriter w;
    w.raw(kFaceMagic);
    for (const int v : {face.box.x, face.box.y, face.box.width, face.box.height})
        w.u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
    w.real(face.score);
    for (const PointF& p : face.points) {
        w.real(p.x);
        w.real(p.y);
    }
    return w.take();
}

std::optional<FaceLandmarks> RenderCache::decodeFace(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    if (!r.magic(kFaceMagic))
        return std::nullopt;
    FaceLandmarks face;
    int* box[] = {&face.box.x, &face.box.y, &face.box.width, &face.box.height};
    for (int* v : box)
        *v = static_cast<int>(static_cast<std::int64_t>(r.u64()));
    face.score = r.real();
    for (PointF& p : face.points) {
        p.x = r.real();
        p.y = r.real();
    }
    if (!r.ok() || !r.atEnd() || face.box.width <= 0 || face.box.height <= 0)
        return std::nullopt;
    return face;
}

cache::CacheKey RenderCache::audioPartKey(std::span<const std::int16_t> samples, int rate, int bitrate,
                                          std::optional<std::pair<std::size_t, std::size_t>> last) {
    cache::Sha256 sha;
    sha.update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(samples.data()),
                                             samples.size_bytes()));
    cache::CacheKey::Builder key("audio-part");
    key.version(AacTrackEncoder::version())
        .digest("samples", sha.finish())
        .integer("rate", rate)
        .integer("bitrate", bitrate);
    if (last)
        key.integer("start", static_cast<long long>(last->first))
            .integer("total", static_cast<long long>(last->second));
    else
        key.integer("last", 0);
    return key.build();
}

std::optional<AacTrackEncoder::Parts>
RenderCache::audioParts(const AudioTrack& audio, std::vector<std::size_t> starts, int bitrate) const {
    if (audio.samples.empty() || starts.empty() || starts.front() != 0 ||
        std::adjacent_find(starts.begin(), starts.end(), std::greater_equal<>()) != starts.end() ||
        starts.back() >= audio.samples.size())
        return std::nullopt;
    // The keys live as long as the encoder's callbacks, which may run after the caller's frame has moved on.
    auto keys = std::make_shared<std::vector<cache::CacheKey>>();
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const bool last = i + 1 == starts.size();
        const std::size_t end = last ? audio.samples.size() : starts[i + 1];
        const std::span<const std::int16_t> samples(audio.samples.data() + starts[i], end - starts[i]);
        std::optional<std::pair<std::size_t, std::size_t>> where;
        if (last)
            where = std::make_pair(starts[i], audio.samples.size());
        keys->push_back(audioPartKey(samples, audio.sampleRate, bitrate, where));
    }
    AacTrackEncoder::Parts parts;
    parts.starts = std::move(starts);
    if (enabled()) {
        const RenderCache cache = *this;
        parts.cached = [cache, keys](std::size_t i) { return cache.audio((*keys)[i]); };
        parts.encoded = [cache, keys](std::size_t i, const EncodedAudio& encoding) {
            cache.put((*keys)[i], encoding);
        };
    }
    return parts;
}

std::vector<std::uint8_t> RenderCache::encode(const EncodedAudio& audio) {
    ByteWriter w;
    w.raw(kAudioMagic);
    w.u64(audio.packets.size());
    for (const EncodedAudio::Packet& p : audio.packets) {
        w.u64(static_cast<std::uint64_t>(p.pts));
        w.u64(static_cast<std::uint64_t>(p.dts));
        w.u64(static_cast<std::uint64_t>(p.duration));
        w.u64(static_cast<std::uint64_t>(p.flags));
        w.u64(p.offset);
        w.u64(p.size);
    }
    w.u64(audio.data.size());
    w.raw(audio.data);
    return w.take();
}

std::optional<EncodedAudio> RenderCache::decodeAudio(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    if (!r.magic(kAudioMagic))
        return std::nullopt;
    const std::uint64_t count = r.u64();
    if (!r.ok() || count > r.left() / 48)
        return std::nullopt;
    EncodedAudio audio;
    audio.packets.resize(count);
    for (EncodedAudio::Packet& p : audio.packets) {
        p.pts = static_cast<std::int64_t>(r.u64());
        p.dts = static_cast<std::int64_t>(r.u64());
        p.duration = static_cast<std::int64_t>(r.u64());
        p.flags = static_cast<std::int64_t>(r.u64());
        p.offset = r.u64();
        p.size = r.u64();
    }
    const std::uint64_t size = r.u64();
    const std::uint8_t* data = r.take(size);
    if (!r.ok() || !r.atEnd() || !data)
        return std::nullopt;
    audio.data.assign(data, data + size);
    for (const EncodedAudio::Packet& p : audio.packets)
        if (p.offset > size || p.size > size - p.offset || p.size == 0)
            return std::nullopt;
    return audio;
}

std::optional<EncodedAudio> RenderCache::audio(const cache::CacheKey& key) const {
    const cache::BlobPtr blob = get(key);
    return blob ? decodeAudio(*blob) : std::nullopt;
}

void RenderCache::put(const cache::CacheKey& key, const EncodedAudio& audio) const {
    if (m_cache)
        store(key, encode(audio));
}

std::optional<Speech> RenderCache::speech(const cache::CacheKey& key) const {
    const cache::BlobPtr blob = get(key);
    return blob ? decodeSpeech(*blob) : std::nullopt;
}

void RenderCache::put(const cache::CacheKey& key, const Speech& speech) const {
    if (m_cache)
        store(key, encode(speech));
}

// A recording's entry: its info as lines of text (codec, rates, loudness), a blank line, then the Speech.
void RenderCache::put(const cache::CacheKey& key, const Speech& speech, const RecordingInfo& info) const {
    if (!m_cache)
        return;
    std::ostringstream text;
    text.precision(17);
    text << info.codec << '\n'
         << info.sourceRate << ' ' << info.sourceChannels << ' ' << info.duration << ' '
         << info.sourceLoudness << ' ' << info.gainDb << ' ' << info.loudness << "\n\n";
    const std::string head = text.str();
    std::vector<std::uint8_t> bytes(head.begin(), head.end());
    const std::vector<std::uint8_t> body = encode(speech);
    bytes.insert(bytes.end(), body.begin(), body.end());
    store(key, std::move(bytes));
}

std::optional<std::pair<Speech, RecordingInfo>> RenderCache::recording(const cache::CacheKey& key) const {
    const cache::BlobPtr blob = get(key);
    if (!blob)
        return std::nullopt;
    const std::string_view all(reinterpret_cast<const char*>(blob->data()), blob->size());
    const std::size_t split = all.find("\n\n");
    if (split == std::string_view::npos)
        return std::nullopt;
    std::istringstream text{std::string(all.substr(0, split))};
    RecordingInfo info;
    if (!std::getline(text, info.codec) ||
        !(text >> info.sourceRate >> info.sourceChannels >> info.duration >> info.sourceLoudness >>
          info.gainDb >> info.loudness))
        return std::nullopt;
    std::optional<Speech> speech = decodeSpeech(std::span(*blob).subspan(split + 2));
    if (!speech)
        return std::nullopt;
    return std::pair{std::move(*speech), info};
}

std::optional<FaceLandmarks> RenderCache::face(const cache::CacheKey& key) const {
    const cache::BlobPtr blob = get(key);
    return blob ? decodeFace(*blob) : std::nullopt;
}

void RenderCache::put(const cache::CacheKey& key, const FaceLandmarks& face) const {
    if (m_cache)
        store(key, encode(face));
}

std::optional<EncodedSegment> RenderCache::segment(const cache::CacheKey& key) const {
    const cache::BlobPtr blob = get(key);
    return blob ? EncodedSegment::parse(*blob) : std::nullopt;
}

void RenderCache::put(const cache::CacheKey& key, const EncodedSegment& segment) const {
    if (m_cache)
        store(key, segment.serialize());
}

} // namespace avatar
