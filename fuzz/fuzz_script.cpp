// The script parser: <break/> tags and sentence splitting (pipeline/Script), as a render reads a script.
#include "FuzzInput.h"
#include "pipeline/Script.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string script = avatar::fuzz::text(data, size);
    avatar::fuzz::expectCleanFailure([&] {
        for (const avatar::ScriptItem& item : avatar::Script::items(script)) {
            // What the pipeline relies on: a pause is a finite, bounded length and carries no text; text
            // pieces are non-empty and no longer than a synthesiser is given.
            if (item.text.empty() && !(item.pause >= 0.0 && item.pause <= avatar::Script::kMaxBreakSeconds))
                std::abort();
            if (!item.text.empty() && item.text.size() > avatar::Script::kMaxPiece)
                std::abort();
        }
    });
    avatar::fuzz::expectCleanFailure([&] { (void)avatar::Script::normalized(script); });
    return 0;
}
