// avatar-bench --suite text: the script parser and the caption builder on a long script (issue #17). The
// script (about 100 KB: English sentences with abbreviations, numbers, quotes and pauses, and a Chinese
// paragraph) is split into spoken pieces (Script::items) and its captions are built from synthesiser-like
// words (lower case, no punctuation, 0.3 s each), each several times; the best time of each is reported, and
// both as ratios to splitting the same script at white space in the same run, so that figures from different
// machines compare.
#include "Suites.h"

#include "captions/Caption.h"
#include "core/Json.h"
#include "pipeline/Script.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace avatar::bench {

namespace {

constexpr int kRepeats = 5;

std::string longScript() {
    const std::string english =
        "Mr. Smith went to Washington on a cold morning. He arrived at 3.5 p.m. and met Dr. Jones, who said "
        "\"Welcome.\" Then they talked about the U.S. economy, e.g. prices, wages and the cost of living... "
        "Was it worth it? Yes! <break time=\"300ms\"/> The committee will meet again next week, and the "
        "report, which runs to 120 pages, will be published in the spring.\n\n";
    const std::string chinese =
        "你好，我是你的虚拟主持人。今天我们来谈谈人工智能，以及它如何改变我们的生活。\n\n";
    std::string script;
    for (int i = 0; script.size() < 100'000; ++i)
        script += i % 10 == 9 ? chinese : english;
    return script;
}

// What a synthesiser says for the script: its words in lower case without punctuation, 0.3 s each.
std::vector<Word> spokenWords(const std::string& script) {
    std::vector<Word> words;
    double at = 0.0;
    for (const ScriptItem& item : Script::items(script)) {
        std::istringstream stream(item.text);
        for (std::string token; stream >> token;) {
            std::string word;
            for (const char c : token)
                if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80)
                    word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (word.empty())
                continue;
            words.push_back({word, at, at + 0.3});
            at += 0.3;
        }
        at += item.text.empty() ? item.pause : 0.0;
    }
    return words;
}

template <typename F> double bestMilliseconds(F&& work) {
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < kRepeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        best = std::min(
            best,
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

} // namespace

int runTextSuite() {
    const std::string script = longScript();
    const std::vector<Word> spoken = spokenWords(script);
    std::size_t sink = 0; // keeps the work from being optimised away
    const double splitMs = bestMilliseconds([&] {
        std::istringstream stream(script);
        for (std::string token; stream >> token;)
            sink += token.size();
    });
    std::size_t pieces = 0;
    const double scriptMs = bestMilliseconds([&] { pieces = Script::items(script).size(); });
    std::size_t cues = 0;
    const double captionsMs = bestMilliseconds([&] { cues = CaptionBuilder().build(spoken, script).size(); });
    JsonWriter w;
    w.beginObject()
        .field("suite", "text")
        .field("script_bytes", static_cast<double>(script.size()))
        .field("spoken_words", static_cast<double>(spoken.size()))
        .field("script_pieces", static_cast<double>(pieces))
        .field("cues", static_cast<double>(cues))
        .field("split_ms", splitMs)
        .field("script_ms", scriptMs)
        .field("captions_ms", captionsMs)
        .field("script_per_split_ratio", scriptMs / splitMs)
        .field("captions_per_split_ratio", captionsMs / splitMs)
        .field("sink", static_cast<double>(sink % 2));
    w.endObject();
    std::cout << w.str() << '\n';
    return 0;
}

} // namespace avatar::bench
