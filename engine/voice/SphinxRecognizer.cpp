#include "voice/SphinxRecognizer.h"
#include "voice/SphinxAudio.h"
#include "voice/SphinxSettings.h"

#include "core/Error.h"

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/fsg_model.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <string_view>

namespace avatar {

using sphinxaudio::energyPerHop;
using sphinxaudio::forEachChunk;
using sphinxaudio::modelRateLength;
using sphinxaudio::quietestCut;
using sphinxaudio::toModelRate;

namespace {

constexpr const char* kModelDir = "/usr/share/pocketsphinx/model/en-us/en-us";
constexpr const char* kDictionary = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
// The phone loop's language weight (SphinxRecognizer(Settings)); the decoder's own is 2.0.
constexpr const char* kPhoneLoopWeight = "0.5";
constexpr const char* kPhoneModel = "/usr/share/pocketsphinx/model/en-us/en-us-phone.lm.bin";
constexpr const char* kWordModel = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
constexpr double kFrameSeconds = 0.01; // PocketSphinx's frame rate is 100 per second

// The time of the edge before frame `f`: frame f's 25.6 ms window is centred 12.8 ms after its start, so the
// edge between frames f-1 and f lies half a hop earlier, 7.8 ms after f's start (without this, boundaries
// came 5-7 ms early on every voice of avatar-bench --suite align).
double edgeSeconds(int f) {
    constexpr double kWindowCentre = 0.0128;
    return f <= 0 ? 0.0 : f * kFrameSeconds + kWindowCentre - 0.5 * kFrameSeconds;
}
constexpr std::size_t kBlock = SphinxRecognizer::kRate; // samples fed between cancel checks: one second

// The model's 39 phones (CMU ARPAbet without stress).
const std::set<std::string>& modelPhones() {
    static const std::set<std::string> phones = {"AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D",  "DH",
                                                 "EH", "ER", "EY", "F",  "G",  "HH", "IH", "IY", "JH", "K",
                                                 "L",  "M",  "N",  "NG", "OW", "OY", "P",  "R",  "S",  "SH",
                                                 "T",  "TH", "UH", "UW", "V",  "W",  "Y",  "Z",  "ZH"};
    return phones;
}

// A synthesiser's phone (Flite's and espeak's lower-case ARPAbet, with TIMIT's extra reduced forms) as one of
// the model's phones; empty for a pause or anything unknown.
std::string toModelPhone(const std::string& arpabet) {
    static const std::map<std::string, std::string> reduced = {{"ax", "AH"}, {"axr", "ER"}, {"ix", "IH"},
                                                               {"dx", "D"},  {"el", "L"},   {"em", "M"},
                                                               {"en", "N"},  {"nx", "N"},   {"hv", "HH"}};
    if (const auto it = reduced.find(arpabet); it != reduced.end())
        return it->second;
    std::string upper;
    for (const char c : arpabet)
        if (std::isalpha(static_cast<unsigned char>(c)))
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return modelPhones().contains(upper) ? upper : std::string();
}

std::string lowerWord(const std::string& text) {
    std::string w;
    for (const char c : text)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'')
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return w;
}

// The CMU dictionary's first pronunciation of each of `words` that it has (one pass over the 3.5 MB file
// instead of loading all 134 000 entries into the decoder).
std::map<std::string, std::vector<std::string>> lookUp(const std::set<std::string, std::less<>>& words) {
    std::map<std::string, std::vector<std::string>> found;
    // Read at once and scanned in place: line by line with a string per line took 30 ms, a tenth of a
    // 10 s recording's alignment.
    std::ifstream in(kDictionary, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t at = 0;
    while (found.size() < words.size() && at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line(text.data() + at, end - at);
        at = end + 1;
        const auto space = line.find(' ');
        if (space == std::string_view::npos || !words.contains(line.substr(0, space)))
            continue;
        std::vector<std::string> phones;
        std::size_t p = space;
        while ((p = line.find_first_not_of(' ', p)) != std::string_view::npos) {
            const auto q = std::min(line.find(' ', p), line.size());
            phones.emplace_back(line.substr(p, q - p));
            p = q;
        }
        found.emplace(std::string(line.substr(0, space)), std::move(phones));
    }
    return found;
}

struct Segment {
    std::string word;
    int first = 0, last = 0; // frames of the utterance, inclusive
};

// Decodes `pcm[from, to)` as one utterance. A first pass of the front end gives the utterance's mean
// cepstrum, which becomes the decoder's cepstral mean normalisation from the first frame on: the live
// normalisation otherwise starts from the model's average speaker and adapts only over seconds, and on
// espeak's voice the search lost its way in the first words (no path to the transcript's end in 3 of 3
// bench recordings). (Feeding those cepstra to the search instead of the samples lost its first two frames:
// every boundary 20 ms early.) Then the samples are searched in one-second blocks with a cancel check and a
// progress report after each. Segment frames count from the decoder's first utterance, not this one: each
// utterance's first segment starts at its frame 0, so that segment's frame is subtracted.
// Progress is reported as (`offset` + samples done) / `total`: `pcm` may be one chunk of a longer recording.
std::vector<Segment> decode(ps_decoder_t* ps, const std::vector<std::int16_t>& pcm, std::size_t from,
                            std::size_t to, const CancelToken& cancel,
                            const SphinxRecognizer::ProgressCallback& progress, std::size_t offset,
                            std::size_t total, double* score = nullptr) {
    fe_t* fe = ps_get_fe(ps);
    const auto dims = static_cast<std::size_t>(fe_get_output_size(fe));
    constexpr std::size_t kRows = 128;
    std::vector<mfcc_t> cepstra(kRows * dims);
    std::vector<mfcc_t*> rows(kRows);
    for (std::size_t r = 0; r < kRows; ++r)
        rows[r] = &cepstra[r * dims];
    std::vector<mfcc_t> all; // every frame's cepstrum, dims apiece
    const auto add = [&](std::size_t n) {
        for (std::size_t f = 0; f < n; ++f)
            all.insert(all.end(), rows[f], rows[f] + dims);
    };
    fe_start_utt(fe);
    for (std::size_t at = from; at < to; at += kBlock) {
        cancel.throwIfCancelled();
        const std::int16_t* block = pcm.data() + at;
        std::size_t left = std::min(kBlock, to - at);
        while (left > 0) {
            auto room = static_cast<int32>(kRows);
            int32 index = 0;
            fe_process_frames(fe, &block, &left, rows.data(), &room, &index);
            add(std::size_t(room));
            if (room == 0)
                break;
        }
    }
    int32 last = 0;
    fe_end_utt(fe, rows[0], &last);
    add(std::size_t(last));
    // The mean over the frames that are not digital silence (below -70 dBFS, where a recording has no noise
    // floor): those have cepstra far from any microphone's (a test's 3.5 s of zeros moved a word by 170 ms).
    // Pauses with a room's noise in them stay in, as in the model's own training utterances.
    const std::size_t frames = all.size() / dims;
    constexpr std::size_t kHop = SphinxRecognizer::kRate / 100, kWindow = 410; // 25.6 ms
    const auto audible = [&](std::size_t f) {
        const std::size_t begin = from + f * kHop, end = std::min(to, begin + kWindow);
        double power = 0;
        for (std::size_t i = begin; i < end; ++i)
            power += double(pcm[i]) * double(pcm[i]);
        return end > begin && power / double(end - begin) > 10.0 * 10.0; // RMS of 10 in 32767: -70 dBFS
    };
    std::vector<double> sum(dims, 0.0);
    std::size_t n = 0;
    for (std::size_t f = 0; f < frames; ++f)
        if (audible(f)) {
            for (std::size_t d = 0; d < dims; ++d)
                sum[d] += all[f * dims + d];
            ++n;
        }
    if (n > 0) {
        std::vector<mfcc_t> mean(dims);
        for (std::size_t d = 0; d < dims; ++d)
            mean[d] = mfcc_t(sum[d] / double(n));
        cmn_live_set(ps_get_feat(ps)->cmn_struct, mean.data());
    }
    ps_start_utt(ps);
    try {
        for (std::size_t at = from; at < to; at += kBlock) {
            cancel.throwIfCancelled();
            const std::size_t n = std::min(kBlock, to - at);
            ps_process_raw(ps, pcm.data() + at, n, FALSE, FALSE);
            if (progress)
                progress(double(offset + at + n) / double(std::max<std::size_t>(1, total)));
        }
    } catch (...) {
        ps_end_utt(ps);
        throw;
    }
    ps_end_utt(ps);
    std::vector<Segment> segments;
    int32 best = 0;
    if (!ps_get_hyp(ps, &best))
        return segments;
    if (score)
        *score += double(best);
    for (ps_seg_t* seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
        int sf = 0, ef = 0;
        ps_seg_frames(seg, &sf, &ef);
        segments.push_back({ps_seg_word(seg), sf, ef});
    }
    if (!segments.empty()) {
        const int base = segments.front().first;
        for (Segment& s : segments) {
            s.first -= base;
            s.last -= base;
        }
    }
    return segments;
}

// A word's pronunciation as the grammar's phones (the model's) and the labels the result gives them.
struct Pronunciation {
    std::vector<std::string> model, labels;
};

// The transcript's words and the ways each may be said: the synthesiser's (with its reductions in running
// speech, "the" as ax) and the dictionary's citation form where it differs; the search picks the one the
// recording sounds like. Each phone keeps the label it came with (ax, not the model's AH), which the mouth
// rules tell apart. Pronunciations are made per chunk from the word's range of reference phones, so a long
// transcript costs a few bytes a word until its chunk comes.
class Transcript {
public:
    explicit Transcript(const Speech& reference) : m_reference(reference) {
        std::set<std::string, std::less<>> texts;
        for (const Word& w : reference.words)
            texts.insert(lowerWord(w.text));
        m_dictionary = lookUp(texts);
        // Each word's phones: those whose middle lies in it (words and phones are both in time order).
        std::size_t p = 0;
        const std::vector<Phone>& phones = reference.phones;
        const auto mid = [&](std::size_t i) { return 0.5 * (phones[i].start + phones[i].end); };
        for (const Word& w : reference.words) {
            while (p < phones.size() && mid(p) < w.start)
                ++p;
            const std::size_t first = p;
            while (p < phones.size() && mid(p) < w.end)
                ++p;
            m_phones.emplace_back(first, p);
            bool known = m_dictionary.contains(lowerWord(w.text));
            for (std::size_t i = first; i < p && !known; ++i)
                known = !toModelPhone(phones[i].arpabet).empty();
            m_pronounceable.push_back(known);
        }
    }
    // Whether the word has a pronunciation (phones the model knows, or a dictionary entry).
    bool pronounceable(std::size_t i) const { return m_pronounceable[i]; }
    std::size_t size() const { return m_reference.words.size(); }
    const Word& word(std::size_t i) const { return m_reference.words[i]; }
    std::vector<Pronunciation> ways(std::size_t i) const {
        std::vector<Pronunciation> ways;
        Pronunciation spoken;
        for (std::size_t p = m_phones[i].first; p < m_phones[i].second; ++p)
            if (std::string m = toModelPhone(m_reference.phones[p].arpabet); !m.empty()) {
                spoken.model.push_back(std::move(m));
                spoken.labels.push_back(m_reference.phones[p].arpabet);
            }
        if (!spoken.model.empty())
            ways.push_back(std::move(spoken));
        if (const auto it = m_dictionary.find(lowerWord(word(i).text)); it != m_dictionary.end()) {
            Pronunciation cited;
            for (const std::string& phone : it->second) {
                cited.model.push_back(phone);
                std::string label = phone;
                std::transform(label.begin(), label.end(), label.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                cited.labels.push_back(std::move(label));
            }
            if (ways.empty() || ways.front().model != cited.model)
                ways.push_back(std::move(cited));
        }
        return ways;
    }

private:
    const Speech& m_reference;
    std::map<std::string, std::vector<std::string>> m_dictionary;
    std::vector<std::pair<std::size_t, std::size_t>> m_phones; // each word's reference phones [first, last)
    std::vector<bool> m_pronounceable;
};

// A phone the search found: of transcript word `word`, or a pause (word == kPause); times in the recording.
struct Found {
    static constexpr std::size_t kPause = std::size_t(-1);
    std::size_t word = kPause;
    std::string label;
    double start = 0, end = 0;
};

// Searches `pcm` (16 kHz, starting `offset` samples into a recording of `total` samples and `duration`
// seconds) for transcript words [first, last) with decoder `ps`. `open`: the grammar may end after any word,
// for a chunk that ends in the middle of the speech. Nothing when the search finds no path.
std::optional<std::vector<Found>> searchWords(ps_decoder_t* ps, const Transcript& transcript,
                                              std::size_t first, std::size_t last, bool open,
                                              const std::vector<std::int16_t>& pcm, std::size_t offset,
                                              std::size_t total, double duration, const CancelToken& cancel,
                                              const SphinxRecognizer::ProgressCallback& progress) {
    std::vector<std::vector<Pronunciation>> pronunciations;
    std::vector<std::size_t> wordOf; // transcript word of each entry of `pronunciations`
    for (std::size_t i = first; i < last; ++i)
        if (std::vector<Pronunciation> ways = transcript.ways(i); !ways.empty()) {
            pronunciations.push_back(std::move(ways));
            wordOf.push_back(i);
        }

    // The grammar: word after word, each phone its own dictionary word (so the result says which word and
    // label it belongs to); between words, optional pauses and breaths; each word can be skipped at a cost
    // (the speaker left it out), which keeps one missing word from derailing the rest. States: one per word
    // boundary, plus the inner states of every pronunciation.
    int states = 1;
    for (const auto& ways : pronunciations) {
        states += 1;
        for (const Pronunciation& way : ways)
            states += int(way.model.size()) - 1;
    }
    logmath_t* lmath = ps_get_logmath(ps);
    fsg_model_t* fsg = fsg_model_init("transcript", lmath, 1.0f, states);
    fsg->start_state = 0;
    fsg->final_state = states - 1;
    const int32 skip = logmath_log(lmath, 1e-6);
    // Each phone arc is a dictionary word named after its phone and how many arcs of that phone came before
    // it in the grammar ("AH_12"), and `arcs` says whose it is (the word, pronunciation and place), so that
    // every chunk of a long recording reuses the names of the chunks before it: the decoder's dictionary
    // stays the size of one chunk's grammar (named after the words instead, it grew with every chunk, and
    // each chunk's search took longer).
    struct Arc {
        std::size_t word, way, place;
    };
    std::map<std::string, Arc> arcs;
    std::map<std::string, int> uses;
    std::vector<int> boundaries{0}; // the state before each word, and after the last
    int next = 1;                   // the next free state
    for (std::size_t w = 0; w < pronunciations.size(); ++w) {
        const int from = boundaries.back();
        // The word's end state is numbered after its pronunciations' inner states.
        int inner = 0;
        for (const Pronunciation& way : pronunciations[w])
            inner += int(way.model.size()) - 1;
        const int to = next + inner;
        for (std::size_t k = 0; k < pronunciations[w].size(); ++k) {
            const Pronunciation& way = pronunciations[w][k];
            int state = from;
            for (std::size_t j = 0; j < way.model.size(); ++j) {
                const std::string name = way.model[j] + "_" + std::to_string(uses[way.model[j]]++);
                arcs.emplace(name, Arc{w, k, j});
                // A copy of the pronunciation, ours to free (it leaked: tst_voice_asan).
                char* known = ps_lookup_word(ps, name.c_str());
                if (!known) // a previous alignment or chunk may have added it
                    ps_add_word(ps, name.c_str(), way.model[j].c_str(), FALSE);
                ckd_free(known);
                const int target = j + 1 == way.model.size() ? to : next++;
                // A chunk's last frame may fall inside a word: its search may end there too.
                if (open && target != to)
                    fsg_model_null_trans_add(fsg, target, fsg->final_state, 0);
                // Alternatives share the word's probability: the first (the synthesiser's) a little more.
                const float p = j > 0 ? 1.0f : k == 0 ? 0.6f : 0.4f;
                fsg_model_trans_add(fsg, state, target,
                                    j > 0 || pronunciations[w].size() == 1 ? 0 : logmath_log(lmath, p),
                                    fsg_model_word_add(fsg, name.c_str()));
                state = target;
            }
        }
        next = to + 1;
        fsg_model_null_trans_add(fsg, from, to, skip);
        boundaries.push_back(to);
    }
    for (const int state : boundaries) {
        fsg_model_add_silence(fsg, "<sil>", state, 0.1f);
        fsg_model_add_silence(fsg, "[NOISE]", state, 0.02f);
        // A chunk cut in the middle of the speech ends after whichever word its last frame reaches.
        if (open && state != fsg->final_state)
            fsg_model_null_trans_add(fsg, state, fsg->final_state, 0);
    }
    // The search follows null arcs only through their closure (as reading a grammar file computes it).
    glist_t nulls = fsg_model_null_trans_closure(fsg, nullptr);
    glist_free(nulls);
    // The search takes a reference of its own (fsg_search_init retains the grammar), so ours is released
    // here, whether or not the search was made: kept, it leaked every alignment's grammar (tst_voice_asan's
    // LeakSanitizer report, 365 KB over the suite).
    const int set = ps_set_fsg(ps, "transcript", fsg);
    fsg_model_free(fsg);
    if (set != 0 || ps_set_search(ps, "transcript") != 0)
        return std::nullopt;

    const std::vector<Segment> segments = decode(ps, pcm, 0, pcm.size(), cancel, progress, offset, total);
    if (segments.empty())
        return std::nullopt;
    const double at = double(offset) / SphinxRecognizer::kRate;
    std::vector<Found> found;
    for (const Segment& seg : segments) {
        const std::string& name = seg.word;
        const double start = std::min(duration, at + edgeSeconds(seg.first)),
                     end = std::min(duration, at + edgeSeconds(seg.last + 1));
        const auto arc = arcs.find(name);
        if (arc == arcs.end()) { // <sil>, [NOISE]
            found.push_back({Found::kPause, "pau", start, end});
            continue;
        }
        const auto [w, k, j] = arc->second;
        found.push_back({wordOf[w], pronunciations[w][k].labels[j], start, end});
    }
    return found;
}

// Where an open chunk's result is cut (the rest is searched again with the next chunk, whose search no longer
// ends there): `count` phones of `found` are kept, the last of them a pause ending at `time` when the cut
// falls in one. Cuts come before `limit` (the search's last seconds are unsure: the grammar ends at the
// chunk's edge, in the middle of a word), in the latest pause after `early`, else after the latest word.
struct Cut {
    std::size_t count = 0;
    double time = 0;
};
Cut cutOf(const std::vector<Found>& found, double early, double limit) {
    std::optional<Cut> pause, word;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const Found& f = found[i];
        if (f.start >= limit)
            break;
        if (f.word == Found::kPause) {
            const double middle = std::min(0.5 * (f.start + f.end), limit);
            if (middle >= early)
                pause = Cut{i + 1, middle};
        } else if (f.end <= limit && (i + 1 == found.size() || found[i + 1].word != f.word)) {
            word = Cut{i + 1, f.end};
        }
    }
    if (pause)
        return *pause;
    if (word)
        return *word;
    return Cut{0, limit}; // nothing but one long sound before the limit: searched again from the limit
}

} // namespace

struct SphinxRecognizer::Decoder {
    // The strings a configuration was parsed from (cmd_ln_parse_r may keep pointers into them).
    std::vector<std::string> arguments;
    cmd_ln_t* config = nullptr;
    ps_decoder_t* ps = nullptr;
    bool phoneSearch = false; // the phone model is loaded
    ~Decoder() {
        if (ps)
            ps_free(ps);
        if (config)
            cmd_ln_free_r(config);
    }
    // A decoder with `settings` (nullptr when they are invalid). Throws Error(Unreadable) when it cannot be
    // made.
    static std::unique_ptr<Decoder> make(cmd_ln_t* settings) {
        auto decoder = std::make_unique<Decoder>();
        decoder->config = settings;
        return start(std::move(decoder));
    }
    // A decoder with the settings `arguments` gives as name-value pairs (unknown names: Error(InvalidInput)).
    static std::unique_ptr<Decoder> make(std::vector<std::string> arguments) {
        auto decoder = std::make_unique<Decoder>();
        decoder->arguments = std::move(arguments);
        std::vector<char*> argv = {const_cast<char*>("avatar")}; // argv[0], the program, is skipped
        for (std::string& a : decoder->arguments)
            argv.push_back(a.data());
        decoder->config =
            cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), argv.data(), TRUE);
        if (!decoder->config) {
            std::string given;
            for (const std::string& a : decoder->arguments)
                given += (given.empty() ? "" : " ") + a;
            throw Error(ErrorCode::InvalidInput,
                        "The speech recognition settings '" + given + "' are not valid.");
        }
        return start(std::move(decoder));
    }
    static std::unique_ptr<Decoder> start(std::unique_ptr<Decoder> decoder) {
        if (decoder->config)
            decoder->ps = ps_init(decoder->config);
        if (!decoder->ps)
            throw Error(ErrorCode::Unreadable, std::string("The speech recognition model in ") + kModelDir +
                                                   " could not be loaded.");
        return decoder;
    }
};

bool SphinxRecognizer::available() {
    std::error_code ec;
    return std::filesystem::is_directory(kModelDir, ec) &&
           std::filesystem::is_regular_file(kDictionary, ec) &&
           std::filesystem::is_regular_file(kPhoneModel, ec) &&
           std::filesystem::is_regular_file(kWordModel, ec);
}

std::unique_ptr<SphinxRecognizer::Decoder> SphinxRecognizer::makeDecoder(const char* beam, int frameRate) {
    // The dictionary starts empty: alignment adds the transcript's words, recognition uses the phones
    // themselves. The phone model: context-independent phones (allphone_ci), a light language weight, as
    // Rhubarb does.
    return Decoder::make(cmd_ln_init(
        nullptr, ps_args(), TRUE, "-hmm", kModelDir, "-dict", "/dev/null", "-logfn", "/dev/null",
        "-fsgusefiller", "no", "-bestpath", "no", "-remove_silence", "no", "-beam", beam, "-pbeam", beam,
        "-allphone_ci", "yes", "-lw", "2.0", "-frate", std::to_string(frameRate).c_str(), nullptr));
}

std::unique_ptr<SphinxRecognizer::Decoder>
SphinxRecognizer::makeWordDecoder(const DecoderSettings& settings) {
    // The whole dictionary and the model's word language model, its default beams and weights; `settings`
    // replace or add to them (a name given twice: the last value).
    std::map<std::string, std::string> named = {{"-hmm", kModelDir},
                                                {"-dict", kDictionary},
                                                {"-lm", kWordModel},
                                                {"-logfn", "/dev/null"},
                                                {"-remove_silence", "no"}};
    for (const auto& [name, value] : settings)
        named[name] = value;
    std::vector<std::string> arguments;
    for (const auto& [name, value] : named) {
        arguments.push_back(name);
        arguments.push_back(value);
    }
    return Decoder::make(std::move(arguments));
}

SphinxRecognizer::SphinxRecognizer(Settings settings) : SphinxRecognizer(100) {
    sphinxsettings::checkNumeric(settings.phoneLoop, "phone loop");
    m_settings = std::move(settings);
    // The phone loop's phonetic language model weighs a quarter of the decoder's 2.0 (Rhubarb Lip Sync's):
    // lighter, the loop hears the short closures and espeak's sounds that the words miss (chosen on half of
    // avatar-bench's 60 recordings, 64.53 -> 65.37 % of frames; the other half 75.38 -> 75.57 %:
    // docs/PERFORMANCE.md). Given settings come after it, so they win. The frequency scale's likelihood
    // (its own decoders) keeps 2.0, as measured.
    m_settings.phoneLoop.insert(m_settings.phoneLoop.begin(), {"-lw", kPhoneLoopWeight});
}

SphinxRecognizer::SphinxRecognizer(int frameRate) {
    if (!available())
        throw Error(ErrorCode::NotFound, "The speech recognition model is not installed (the Debian package "
                                         "pocketsphinx-en-us).");
    // Narrower beams than the defaults (1e-48): a third of the time at the same boundaries on our bench.
    m_decoder = makeDecoder("1e-20", frameRate);
}

double SphinxRecognizer::likelihood(const std::vector<float>& samples, int rate, double scale,
                                    const CancelToken& cancel) {
    const SphinxRecognizer scaled(static_cast<int>(std::lround(100.0 * scale)));
    double score = 0;
    scaled.recognize(samples, static_cast<int>(std::lround(rate * scale)), cancel, {}, &score);
    return score / scale; // recognize counts 100 frames per second of the (stretched) sound
}

SphinxRecognizer::~SphinxRecognizer() = default;

std::optional<Speech> SphinxRecognizer::align(const std::vector<float>& samples, int rate,
                                              const Speech& reference, const CancelToken& cancel,
                                              const ProgressCallback& progress,
                                              std::vector<double>* joins) const {
    const Transcript transcript(reference);
    const std::size_t total = modelRateLength(samples, rate);
    const double duration = double(samples.size()) / rate;
    const auto chunk = static_cast<std::size_t>(kChunkSeconds * kRate);
    // Chunks overlap where one is cut before its end: progress is reported only when it rises.
    double reported = 0;
    const ProgressCallback report = [&](double fraction) {
        if (progress && fraction > reported)
            progress(reported = fraction);
    };
    // A chunk's grammar holds the words the recording can have reached by its end: one and a half times the
    // transcript's average pace over the recording, plus 10 s of words (speakers speed up and slow down). Not
    // more: the search's time grows with the grammar (three times the pace took twice the CPU time on the
    // bench's 3-minute recording); a speaker faster than that is caught where the cut is made.
    const double spoken =
        transcript.size() ? transcript.word(transcript.size() - 1).end - transcript.word(0).start : 0.0;
    const double window = 1.5 * kChunkSeconds * spoken / std::max(duration, 1.0) + 10.0;

    Speech timed;
    timed.sampleRate = rate;
    std::vector<Word> words(transcript.size());
    std::vector<bool> said(words.size(), false);
    for (std::size_t i = 0; i < words.size(); ++i)
        words[i].text = transcript.word(i).text;
    const std::vector<float> energy =
        total > chunk * 4 / 3 ? energyPerHop(samples, rate) : std::vector<float>();
    std::size_t pos = 0, next = 0; // the chunk's first 16 kHz sample and transcript word
    while (true) {
        const double t0 = double(pos) / kRate;
        if (next >= transcript.size()) { // every word placed: the rest is not in the transcript
            timed.phones.push_back({"pau", "pau", t0, duration});
            break;
        }
        const bool last = total - pos <= chunk * 4 / 3;
        // A chunk ends at a pause where it can (the quietest 300 ms from 20 to 40 s on), where the grammar's
        // open end meets the recording's.
        const std::size_t end = last ? total : std::max(pos + chunk / 2, quietestCut(energy, pos, chunk));
        std::size_t upto = transcript.size();
        if (!last)
            for (upto = next; upto < transcript.size() &&
                              transcript.word(upto).start - transcript.word(next).start <= window;
                 ++upto) {
            }
        const std::vector<std::int16_t> pcm = toModelRate(samples, rate, pos, end);
        const double limit = double(end) / kRate - 1.0;
        // The search with the narrow beams, else (no path, or more than a quarter of the words it passed
        // skipped: espeak's voice, far from the model's speakers) once more with the library's default
        // beams, three times slower, only for such recordings or chunks.
        struct Result {
            std::vector<Found> found;
            Cut cut;
            bool good = false;
        };
        const auto attempt = [&](ps_decoder_t* ps) -> std::optional<Result> {
            std::optional<std::vector<Found>> found =
                searchWords(ps, transcript, next, upto, !last, pcm, pos, total, duration, cancel, report);
            if (!found)
                return std::nullopt;
            // Where the search reached the grammar's last word, the speaker went faster than the window
            // allowed and the words after it were forced into pauses: the cut comes before that word.
            double before = limit;
            for (const Found& f : *found)
                if (upto < transcript.size() && f.word == upto - 1) {
                    before = std::min(before, f.start);
                    break;
                }
            const Cut cut = last ? Cut{found->size(), duration} : cutOf(*found, t0 + 10.0, before);
            std::set<std::size_t> seen;
            std::size_t reached = next;
            for (std::size_t i = 0; i < cut.count; ++i)
                if ((*found)[i].word != Found::kPause) {
                    seen.insert((*found)[i].word);
                    reached = (*found)[i].word + 1;
                }
            std::size_t passed = 0;
            for (std::size_t i = next; i < (last ? upto : reached); ++i)
                passed += transcript.pronounceable(i);
            return Result{std::move(*found), cut, (passed - seen.size()) * 4 <= passed};
        };
        std::optional<Result> result = attempt(m_decoder->ps);
        if (!result || !result->good) {
            if (!m_wideDecoder)
                m_wideDecoder = makeDecoder("1e-48", 100);
            result = attempt(m_wideDecoder->ps);
        }
        if (!result)
            return std::nullopt;
        if (result->cut.count == 0)
            timed.phones.push_back({"pau", "pau", t0, result->cut.time});
        for (std::size_t i = 0; i < result->cut.count; ++i) {
            Found& f = result->found[i];
            if (!last && i + 1 == result->cut.count && f.word == Found::kPause)
                f.end = result->cut.time; // the pause goes on in the next chunk
            timed.phones.push_back({f.label, f.label, f.start, f.end});
            if (f.word == Found::kPause)
                continue;
            if (!said[f.word])
                words[f.word].start = f.start;
            words[f.word].end = f.end;
            said[f.word] = true;
            next = f.word + 1;
        }
        if (last)
            break;
        if (joins)
            joins->push_back(result->cut.time);
        pos = std::max(pos + kRate, static_cast<std::size_t>(std::lround(result->cut.time * kRate)));
    }
    // A search that stopped short (no path to the grammar's end) leaves the words after it "skipped": more
    // than a quarter of them skipped means the alignment failed rather than the speaker.
    std::size_t pronounceable = 0, skipped = 0;
    for (std::size_t i = 0; i < words.size(); ++i)
        if (transcript.pronounceable(i)) {
            ++pronounceable;
            skipped += !said[i];
        }
    if (pronounceable == 0 || skipped * 4 > pronounceable)
        return std::nullopt;
    // A skipped word keeps its place with no length: where the last spoken word before it ended.
    double previousEnd = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (!said[i])
            words[i].start = words[i].end = previousEnd;
        previousEnd = words[i].end;
    }
    timed.words = std::move(words);
    return timed;
}

std::vector<std::string> SphinxRecognizer::transcribe(const std::vector<float>& samples, int rate,
                                                      const CancelToken& cancel,
                                                      const ProgressCallback& progress,
                                                      double* wordSeconds) const {
    if (wordSeconds)
        *wordSeconds = 0;
    if (!m_wordDecoder)
        m_wordDecoder = makeWordDecoder(m_settings.wordSearch);
    ps_decoder_t* ps = m_wordDecoder->ps;
    const std::vector<std::int16_t> pcm = toModelRate(samples, rate, 0, modelRateLength(samples, rate));
    const std::vector<float> energy = energyPerHop(samples, rate);
    std::vector<std::string> sentences;
    const auto end = [&] {
        if (!sentences.empty() && !sentences.back().empty())
            sentences.emplace_back();
    };
    forEachChunk(pcm.size(), energy, [&](std::size_t from, std::size_t to) {
        end();
        for (const Segment& seg : decode(ps, pcm, from, to, cancel, progress, 0, pcm.size())) {
            // A pause of 300 ms or more ends a sentence (the synthesiser's sentences stay short); fillers
            // (<s>, <sil>, [NOISE], ...) are not words.
            if (seg.word.empty() || seg.word.front() == '<' || seg.word.front() == '[') {
                if (seg.last - seg.first + 1 >= 30)
                    end();
                continue;
            }
            if (wordSeconds)
                *wordSeconds += (seg.last - seg.first + 1) * kFrameSeconds;
            if (sentences.empty())
                sentences.emplace_back();
            // "read(2)": the dictionary's second pronunciation of "read".
            std::string& sentence = sentences.back();
            if (!sentence.empty())
                sentence += ' ';
            sentence.append(seg.word, 0, seg.word.find('('));
        }
    });
    if (!sentences.empty() && sentences.back().empty())
        sentences.pop_back();
    return sentences;
}

std::vector<Phone> SphinxRecognizer::recognize(const std::vector<float>& samples, int rate,
                                               const CancelToken& cancel, const ProgressCallback& progress,
                                               double* score) const {
    if (score)
        *score = 0;
    ps_decoder_t* ps = m_decoder->ps;
    // The phone model is loaded on the first recognition only: alignment does not need it (a tenth of an
    // alignment's time went into loading it).
    if (!m_decoder->phoneSearch) {
        for (const std::string& phone : modelPhones())
            ps_add_word(ps, ("ph_" + phone).c_str(), phone.c_str(), FALSE);
        // The search reads its weights and beams as it is made (and the phone model's weights as it is
        // read): the loop's own settings are in force just for that.
        const bool loaded = [&] {
            const sphinxsettings::InForce loop(ps_get_config(ps), m_settings.phoneLoop);
            return ps_set_allphone_file(ps, "phones", kPhoneModel) == 0;
        }();
        if (!loaded)
            throw Error(ErrorCode::Unreadable,
                        std::string("The phone model ") + kPhoneModel + " could not be loaded.");
        m_decoder->phoneSearch = true;
    }
    if (ps_set_search(ps, "phones") != 0)
        throw Error(ErrorCode::Internal, "The phone recognition search is missing.");
    const std::vector<std::int16_t> pcm = toModelRate(samples, rate, 0, modelRateLength(samples, rate));
    const std::vector<float> energy = energyPerHop(samples, rate);
    std::vector<Phone> phones;
    forEachChunk(pcm.size(), energy, [&](std::size_t from, std::size_t to) {
        const double offset = double(from) / kRate;
        for (const Segment& seg : decode(ps, pcm, from, to, cancel, progress, 0, pcm.size(), score)) {
            const int sf = seg.first, ef = seg.last;
            std::string phone = toModelPhone(seg.word);
            std::transform(phone.begin(), phone.end(), phone.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (phone.empty())
                phone = "pau"; // silence, noise, breath
            phones.push_back({phone, phone, offset + edgeSeconds(sf), offset + edgeSeconds(ef + 1)});
        }
    });
    if (score)
        *score /= std::max(1.0, double(pcm.size()) / (kRate * kFrameSeconds));
    return phones;
}

} // namespace avatar
