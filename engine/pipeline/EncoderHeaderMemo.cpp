#include "EncoderHeaderMemo.h"

#include "media/SegmentEncoder.h"

namespace avatar {

cache::Sha256::Digest EncoderHeaderMemo::digest(const EncoderSettings& s) {
    // Everything SegmentEncoder hands x264 (the sound's bit rate is not among it).
    const std::string key = std::to_string(s.width) + "x" + std::to_string(s.height) + "@" +
                            s.fps.toString() + " " + s.preset + " crf " + std::to_string(s.crf) +
                            " threads " + std::to_string(s.threads);
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_known.find(key); it != m_known.end())
            return it->second;
    }
    const SegmentEncoder probe(s);
    cache::Sha256 sha;
    sha.update(probe.headers());
    sha.update(std::to_string(probe.reorderDepth()));
    const cache::Sha256::Digest digest = sha.finish();
    const std::lock_guard lock(m_mutex);
    m_known.emplace(key, digest);
    return digest;
}

} // namespace avatar
