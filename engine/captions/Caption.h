#pragma once

#include "tts/Speech.h"

#include <string>
#include <vector>

namespace avatar {

// One word as the viewer reads it: the script's own spelling and punctuation ("Hello,", "$5") with the time
// the synthesiser spoke it, in seconds from the start of the speech. The same shape as a spoken Word.
using CaptionWord = Word;

// One subtitle: the text shown from `start` to `end`, already broken into lines. `words` are the words the
// lines were made of, in order, with their own timing (for highlighting while they are spoken).
struct CaptionCue {
    double start = 0.0;
    double end = 0.0;
    std::vector<std::string> lines;
    std::vector<CaptionWord> words;
};

// Turns the synthesiser's word timeline into subtitle cues that follow common subtitling practice: short
// balanced lines, cues that end where the sentence or clause does, and on screen long enough to be read.
class CaptionBuilder {
public:
    struct Options {
        // Columns per line (an East-Asian wide character or an emoji counts two, so 21 of them fit; a letter
        // with its accents one); a longer single word stays whole. Chinese, Japanese and Thai lines break
        // where ICU's line breaking allows (between characters, never before closing punctuation or inside a
        // grapheme).
        int maxLineChars = 42;
        int maxLines = 2;           // lines per cue
        double maxCueSeconds = 6.0; // a cue of several words never lasts longer than this
        double minCueSeconds = 0.8; // shorter cues are stretched into the following silence
        double gapSplit = 0.6;      // a pause longer than this always ends a cue
    };

    CaptionBuilder() = default;
    explicit CaptionBuilder(const Options& options);

    const Options& options() const { return m_options; }

    // Cues for `spoken` (the synthesiser's words, in order). When `scriptText` is not blank, the captions
    // show the script's words (casing, punctuation, "$5" rather than "five dollars") aligned onto the spoken
    // ones; its <break time="1s"/> tags are read by ScriptMarkup, as the speech reads them, and not shown (a
    // malformed one throws Error(InvalidInput)), and cues prefer to end where the speech's sentences do
    // (TextBreaks). When it is blank, the spoken words are shown as they are. Cues come back in time order,
    // never overlap, and each has start < end. Nothing spoken gives no cues.
    std::vector<CaptionCue> build(const std::vector<Word>& spoken, const std::string& scriptText) const;

private:
    Options m_options;
};

} // namespace avatar
