// Audio files (media/AudioDecoder): a narration recording's container and codec headers, probed, decoded,
// resampled and metered by FFmpeg as Recording::load does, from a file in a private folder. FFmpeg itself is
// not instrumented; what is checked is our side of it (stream choice, frame and buffer handling, limits).
#include "FuzzInput.h"
#include "core/CancelToken.h"
#include "media/AudioDecoder.h"

#include <cmath>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file = avatar::fuzz::scratchFolder() / "recording";
    avatar::fuzz::writeFile(file, std::string_view(reinterpret_cast<const char*>(data), size));
    avatar::AudioDecoder::Options options;
    options.sampleRate = 8000; // less resampling work per input; the same code path
    options.maxSeconds = 60.0; // a header claiming hours is refused, as the real limit refuses days
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::DecodedAudio audio = avatar::AudioDecoder::decode(file, options, avatar::CancelToken{});
        if (audio.sampleRate != options.sampleRate || !std::isfinite(audio.peak) || audio.peak < 0.0)
            std::abort();
    });
    return 0;
}
