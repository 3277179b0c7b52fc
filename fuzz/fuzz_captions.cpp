// Caption building (captions/Caption): the script's text aligned onto the synthesiser's words and broken
// into cues. The input is the script text; the spoken words are made from it as a synthesiser would say
// them (its words, lower-cased, a quarter of a second each, with a pause at every fifth word), so the
// alignment sees both matching and diverging words.
#include "FuzzInput.h"
#include "captions/Caption.h"

#include <cctype>
#include <cstdlib>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input = avatar::fuzz::text(data, size);
    const auto [scriptPart, spokenText] = avatar::fuzz::split(input, "@@SPOKEN@@");
    const std::string script(scriptPart); // a copy the lambdas below can capture
    std::vector<avatar::Word> spoken;
    std::istringstream words(std::string(spokenText.empty() ? scriptPart : spokenText));
    double at = 0.0;
    for (std::string word; words >> word;) {
        for (char& c : word)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        spoken.push_back({word, at, at + 0.25});
        at += spoken.size() % 5 == 0 ? 1.0 : 0.25;
    }
    // Small options too, so that line and cue breaking meet words longer than a line.
    avatar::CaptionBuilder::Options narrow;
    narrow.maxLineChars = 8;
    narrow.maxLines = 1;
    for (const avatar::CaptionBuilder& builder : {avatar::CaptionBuilder(), avatar::CaptionBuilder(narrow)}) {
        avatar::fuzz::expectCleanFailure([&] {
            const std::vector<avatar::CaptionCue> cues = builder.build(spoken, script);
            // The documented promise: time order, no overlap, start < end.
            for (std::size_t i = 0; i < cues.size(); ++i) {
                if (!(cues[i].start < cues[i].end))
                    std::abort();
                if (i > 0 && cues[i].start < cues[i - 1].end)
                    std::abort();
            }
        });
    }
    return 0;
}
