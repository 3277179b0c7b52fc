#pragma once

#include <string_view>
#include <vector>

namespace avatar {

// A stretch of a script's text and the pause written after it. Every run but the last ends at a <break/> tag;
// `text` is a view into the parsed script, exactly as written (white space, line breaks and all).
struct MarkupRun {
    std::string_view text;
    double pauseAfter = 0.0; // seconds; 0 for the last run and for <break time="0s"/>
};

// The one reader of script markup: the speech (pipeline/Script) and the captions (captions/Caption) both see
// a script through it, so they never disagree about what is a tag and what is text.
class ScriptMarkup {
public:
    // Pauses longer than this are refused (a typo such as time="500s" would otherwise stall a video).
    static constexpr double kMaxBreakSeconds = 10.0;

    // Splits `script` at its SSML-style pause tags: <break time="500ms"/>, <break time="1.5s"/> (any case,
    // quotes optional, spaces allowed) and a bare <break/> (half a second). Anything else in angle brackets
    // ("a < b", "<breakfast>") is text. Throws Error(InvalidInput) for a malformed or too long <break>.
    static std::vector<MarkupRun> parse(std::string_view script);
};

} // namespace avatar
