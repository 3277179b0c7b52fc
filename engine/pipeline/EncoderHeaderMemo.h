#pragma once

#include "cache/Sha256.h"
#include "media/Mp4Encoder.h"

#include <map>
#include <mutex>
#include <string>

namespace avatar {

// The digest of the sequence headers (and B-frame delay) that x264 gives every segment made with some
// settings: part of each segment's cache key, so that segments from another x264 build or other settings are
// never joined with new ones. Learning them opens an encoder (26 ms at 1280x720, a fifth of a re-render's
// fixed cost), so they are remembered per settings for the life of the process, whose x264 cannot change.
// Thread-safe.
class EncoderHeaderMemo {
public:
    cache::Sha256::Digest digest(const EncoderSettings& settings);

private:
    std::mutex m_mutex;
    std::map<std::string, cache::Sha256::Digest> m_known;
};

} // namespace avatar
