// The script parser: <break/> tags (core/ScriptMarkup) and sentence splitting (core/TextBreaks, ICU), as a
// render reads a script through pipeline/Script.
#include "FuzzInput.h"
#include "pipeline/Script.h"

#include <cctype>
#include <cstdlib>
#include <string>

namespace {

std::string withoutSpace(const std::string& text) {
    std::string out;
    for (const char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += c;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string script = avatar::fuzz::text(data, size);
    avatar::fuzz::expectCleanFailure([&] {
        std::string spoken;
        for (const avatar::ScriptItem& item : avatar::Script::items(script)) {
            spoken += item.text;
            // What the pipeline relies on: a pause is a finite, bounded length and carries no text; text
            // pieces are non-empty and no longer than a synthesiser is given.
            if (item.text.empty() && !(item.pause >= 0.0 && item.pause <= avatar::Script::kMaxBreakSeconds))
                std::abort();
            if (!item.text.empty() && item.text.size() > avatar::Script::kMaxPiece)
                std::abort();
        }
        // Without markup, the sentences hold every character of the script once, in order.
        if (script.find('<') == std::string::npos && withoutSpace(spoken) != withoutSpace(script))
            std::abort();
    });
    avatar::fuzz::expectCleanFailure([&] { (void)avatar::Script::normalized(script); });
    return 0;
}
