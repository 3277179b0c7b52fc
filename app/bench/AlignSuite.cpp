// avatar-bench --suite align (issue #13): how well a recording drives the mouth. Ground truth comes from our
// own synthesisers, whose phone timelines are exact; the speech is disguised as a recording (noise, room,
// pitch and tempo, music), written as a stereo 44.1 kHz WAV, loaded like any user's file (decode, resample,
// loudness, acoustic analysis) and its shapes compared frame by frame with the truth's. Every case is spoken
// in two paragraphs (kTexts), reported together and apart.
#include "AlignMetrics.h"
#include "Suites.h"

#include "core/Error.h"
#include "core/Json.h"
#include "lipsync/VisemeRules.h"
#include "pipeline/RenderPipeline.h"
#include "tts/TextToSpeech.h"
#include "voice/Recording.h"
#include "voice/SphinxRecognizer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <time.h>

namespace avatar::bench {

namespace {

// "bench": dense in m, b and p by design (about a fifth of its phones), for the lip closures. "ordinary":
// plain prose with few, so that a rule about closures is judged on ordinary English too (docs/PERFORMANCE.md,
// "an ordinary paragraph": the phone loop's closures gained 0.9 point of frames on the first text and cost
// 2.8 on the second).
constexpr const char* kParagraph =
    "My brother Bob bought a big blue map of the moon. People pay more for maps that show the deep "
    "craters. Please remember to put the maps back before five.";
constexpr const char* kOrdinary =
    "It was late in the evening when the train finally reached the station. Nobody was waiting on the "
    "platform, so she walked to the hotel alone and asked for a quiet room.";

struct Text {
    const char* name;
    const char* words;
};
constexpr Text kTexts[] = {{"bench", kParagraph}, {"ordinary", kOrdinary}};

constexpr const char* kVoices[] = {"flite:slt", "flite:awb", "flite:rms", "espeak:en-us"};

struct Totals {
    std::vector<double> agreement, boundaries;
    long long fallbacks = 0;                    // recordings the forced alignment gave to the warping aligner
    long long closedTruth = 0, closedFound = 0; // frames the truth closes (A) and of those, found closed
    std::map<std::pair<char, char>, long long> confusion; // (truth, found) shape -> frames
    double audioSeconds = 0, loadSeconds = 0;
    double cpuSeconds =
        0; // the process's CPU time over the loads: the wall time depends on the machine's load
    void add(const Totals& o) {
        agreement.insert(agreement.end(), o.agreement.begin(), o.agreement.end());
        boundaries.insert(boundaries.end(), o.boundaries.begin(), o.boundaries.end());
        for (const auto& [pair, n] : o.confusion)
            confusion[pair] += n;
        closedTruth += o.closedTruth;
        fallbacks += o.fallbacks;
        closedFound += o.closedFound;
        audioSeconds += o.audioSeconds;
        loadSeconds += o.loadSeconds;
        cpuSeconds += o.cpuSeconds;
    }
    void write(JsonWriter& w) const {
        double mean = 0;
        for (const double a : agreement)
            mean += a;
        w.field("cases", static_cast<long long>(agreement.size()))
            .field("frames_right", agreement.empty() ? 0.0 : mean / double(agreement.size()))
            .field("boundary_median_ms", percentile(boundaries, 0.5))
            .field("boundary_p90_ms", percentile(boundaries, 0.9))
            .field("closed_on_mbp", closedTruth ? double(closedFound) / double(closedTruth) : 0.0)
            .field("realtime", loadSeconds > 0 ? audioSeconds / loadSeconds : 0.0)
            .field("realtime_cpu", cpuSeconds > 0 ? audioSeconds / cpuSeconds : 0.0)
            .field("fallbacks", fallbacks);
        // Per true shape: the shapes found in its frames, most frequent first ("B": "B 40%, C 31%, ...").
        w.key("confusion").beginObject();
        for (const char truth : std::string("ABCDEFGHX")) {
            std::vector<std::pair<long long, char>> row;
            long long total = 0;
            for (const auto& [pair, n] : confusion)
                if (pair.first == truth) {
                    row.push_back({n, pair.second});
                    total += n;
                }
            if (total == 0)
                continue;
            std::sort(row.rbegin(), row.rend());
            std::string text;
            for (const auto& [n, found] : row)
                text += (text.empty() ? "" : ", ") + std::string(1, found) + " " +
                        std::to_string(std::lround(100.0 * double(n) / double(total))) + "%";
            w.field(std::string(1, truth), text + " of " + std::to_string(total));
        }
        w.endObject();
    }
};

// CPU seconds this process has used (all its threads).
double cpuTime() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// "-lw 5 -wip 0.2" as name-value pairs; a name without a value is an error (`flag` names the option).
SphinxRecognizer::DecoderSettings decoderSettings(const std::string& text, const std::string& flag) {
    std::istringstream in(text);
    SphinxRecognizer::DecoderSettings settings;
    for (std::string name, value; in >> name;) {
        if (!(in >> value))
            throw Error(ErrorCode::InvalidInput, flag + ": '" + name + "' has no value.");
        settings.emplace_back(name, value);
    }
    return settings;
}

// Whether `name` is in the comma-separated `list` (an empty list keeps everything).
bool kept(const std::string& list, const std::string& name) {
    if (list.empty())
        return true;
    return ("," + list + ",").find("," + name + ",") != std::string::npos;
}

// The indices in kTexts of the texts named in the comma-separated `list` ("all" or nothing: every text); a
// name that is none of them is an error.
std::vector<std::size_t> chosenTexts(const std::string& list) {
    std::istringstream in(list == "all" ? std::string() : list);
    for (std::string name; std::getline(in, name, ',');)
        if (std::none_of(std::begin(kTexts), std::end(kTexts), [&](const Text& t) { return name == t.name; }))
            throw Error(ErrorCode::InvalidInput,
                        "--texts: unknown text '" + name + "': use bench, ordinary or all.");
    std::vector<std::size_t> texts;
    for (std::size_t i = 0; i < std::size(kTexts); ++i)
        if (list == "all" || kept(list, kTexts[i].name))
            texts.push_back(i);
    return texts;
}

// A line of /proc/self/status ("VmRSS", "VmHWM": resident now, and its peak since the last reset), in MiB.
double statusMiB(const std::string& key) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key + ":", 0) == 0)
            return std::atof(line.c_str() + key.size() + 1) / 1024.0;
    return 0.0;
}

// Long recordings (issue #13, item 4): the paragraph spoken by flite:rms and repeated with pauses of 0.3-1.5
// s up to each length, aligned with the same paragraphs spoken by the alignment voice. The peak resident
// memory is reset before each alignment (/proc/self/clear_refs), so each length's peak is its own; the
// recording itself (float samples at the voice's rate) is made before the reset and counts in rss_before_mib.
int runLongAlignments(const AlignOptions& options) {
    const TextToSpeech tts;
    const Speech line = tts.synthesize(kParagraph, "flite:rms");
    const Speech said = tts.synthesize(kParagraph, RenderPipeline::kAlignmentVoice);
    const std::vector<float> lineSamples = toFloat(line.samples);
    const SphinxRecognizer recognizer;
    JsonWriter w;
    w.beginObject().field("suite", "align").field("voice", "flite:rms").key("long_recordings").beginArray();
    std::string list = options.longMinutes + ",";
    for (std::size_t at = 0, comma; (comma = list.find(',', at)) != std::string::npos; at = comma + 1) {
        const double minutes = std::atof(list.substr(at, comma - at).c_str());
        if (minutes <= 0)
            continue;
        std::vector<float> samples;
        std::vector<Phone> truth;
        Speech reference;
        reference.sampleRate = said.sampleRate;
        double referenceAt = 0;
        for (int i = 0; double(samples.size()) < minutes * 60.0 * line.sampleRate; ++i) {
            const double t = double(samples.size()) / line.sampleRate;
            for (Phone p : line.phones) {
                p.start += t;
                p.end += t;
                truth.push_back(p);
            }
            samples.insert(samples.end(), lineSamples.begin(), lineSamples.end());
            const double pause = 0.3 + 0.2 * (i % 7);
            truth.push_back({"pau", "pau", double(samples.size()) / line.sampleRate,
                             double(samples.size()) / line.sampleRate + pause});
            samples.resize(samples.size() + static_cast<std::size_t>(pause * line.sampleRate), 0.0f);
            for (Phone p : said.phones) {
                p.start += referenceAt;
                p.end += referenceAt;
                reference.phones.push_back(p);
            }
            for (Word word : said.words) {
                word.start += referenceAt;
                word.end += referenceAt;
                reference.words.push_back(word);
            }
            referenceAt += said.duration();
        }
        const double seconds = double(samples.size()) / line.sampleRate;
        std::ofstream("/proc/self/clear_refs") << "5"; // the peak (VmHWM) starts again from now
        const double before = statusMiB("VmRSS");
        const auto t = std::chrono::steady_clock::now();
        const double cpu = cpuTime();
        std::vector<double> joins;
        const std::optional<Speech> found =
            recognizer.align(samples, line.sampleRate, reference, CancelToken{}, {}, &joins);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        const double cpuSeconds = cpuTime() - cpu;
        const double peak = statusMiB("VmHWM");
        w.beginObject()
            .field("minutes", minutes)
            .field("audio_seconds", seconds)
            .field("words", static_cast<long long>(reference.words.size()))
            .field("aligned", found.has_value())
            .field("chunks", static_cast<long long>(joins.size() + 1))
            .field("wall_seconds", wall)
            .field("cpu_seconds", cpuSeconds)
            .field("realtime", seconds / wall)
            .field("realtime_cpu", seconds / cpuSeconds)
            .field("rss_before_mib", before)
            .field("peak_rss_mib", peak)
            .field("alignment_peak_mib", peak - before);
        if (found) {
            const std::string a = shapesPerFrame(VisemeRules().fromPhones(truth), 25, seconds);
            const std::string b = shapesPerFrame(VisemeRules().fromPhones(found->phones), 25, seconds);
            w.field("frames_right", frameAgreement(a, b))
                .field("boundary_median_ms", percentile(boundaryErrorsMs(truth, found->phones), 0.5));
        }
        w.endObject();
    }
    w.endArray().endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace

int runAlignSuite(const RenderSpec& spec, const std::filesystem::path& dir, const AlignOptions& options) {
    if (!options.longMinutes.empty())
        return runLongAlignments(options);
    const TextToSpeech tts;
    const SphinxRecognizer::Settings decoders{decoderSettings(options.wordSearch, "--word-search"),
                                              decoderSettings(options.phoneLoop, "--phone-loop")};
    // A setting the phone loop does not take fails here, once, not in every case.
    if (!decoders.phoneLoop.empty())
        static_cast<void>(SphinxRecognizer(decoders));
    const std::vector<std::size_t> texts = chosenTexts(options.texts);
    std::vector<std::string> voices;
    for (const char* v : kVoices)
        if (kept(options.voices, v))
            voices.push_back(v);
    const std::vector<double> speeds = {0.8, 1.0, 1.3};
    std::vector<Disguise> disguises;
    for (const Disguise d :
         {Disguise::Clean, Disguise::Noise, Disguise::Reverb, Disguise::PitchTempo, Disguise::MusicBed})
        if (kept(options.disguises, disguiseName(d)))
            disguises.push_back(d);
    std::ofstream shapes;
    if (!options.shapes.empty())
        shapes.open(options.shapes);
    // Each way of finding the phones, so that before and after are in the same run: without a transcript,
    // the acoustic analysis and PocketSphinx's phone recognition; with one, the warping aligner and
    // PocketSphinx's forced alignment (as a render does it: the warping aligner where its search fails,
    // counted as "fallbacks").
    struct Method {
        const char* name;
        bool transcribed;
        PhoneMethod method;
    };
    std::vector<Method> methods;
    for (const Method& m : {Method{"without_transcript_acoustic", false, PhoneMethod::Acoustic},
                            Method{"without_transcript_sphinx", false, PhoneMethod::Sphinx},
                            Method{"with_transcript_warp", true, PhoneMethod::Warp},
                            Method{"with_transcript_sphinx", true, PhoneMethod::Auto}})
        if (kept(options.methods, m.name))
            methods.push_back(m);
    // Per method, text, voice and disguise.
    using PerVoice = std::vector<std::vector<Totals>>;
    std::vector<std::vector<PerVoice>> results(
        methods.size(),
        std::vector<PerVoice>(texts.size(), PerVoice(voices.size(), std::vector<Totals>(disguises.size()))));
    for (std::size_t x = 0; x < texts.size(); ++x)
        for (std::size_t v = 0; v < voices.size(); ++v)
            for (std::size_t s = 0; s < speeds.size(); ++s) {
                const std::string& voice = voices[v];
                const double speed = speeds[s];
                const Speech speech =
                    tts.synthesize(kTexts[texts[x]].words, voice, SynthesisOptions{speed, 0.0});
                for (std::size_t d = 0; d < disguises.size(); ++d) {
                    // The seed a case had in the full suite, so that a filtered run repeats its cases exactly
                    // (the bench text's seeds are those of the suite before it had a second text).
                    const std::size_t voiceIndex = std::size_t(
                        std::find(std::begin(kVoices), std::end(kVoices), voice) - std::begin(kVoices));
                    const auto seed = std::uint32_t(
                        1 + ((texts[x] * std::size(kVoices) + voiceIndex) * speeds.size() + s) * 5 +
                        std::size_t(disguises[d]));
                    double scale = 1.0;
                    const std::vector<float> sound =
                        disguise(toFloat(speech.samples), speech.sampleRate, disguises[d], seed, &scale);
                    const std::filesystem::path wav = dir / "align.wav";
                    writeWav(wav, sound, speech.sampleRate, 2);
                    const std::vector<Phone> truth = scaled(speech.phones, scale);
                    // With a transcript, its synthesis (which a render does too) counts in the time.
                    for (std::size_t m = 0; m < methods.size(); ++m) {
                        const auto t = std::chrono::steady_clock::now();
                        const double cpu = cpuTime();
                        std::optional<Speech> reference;
                        if (methods[m].transcribed)
                            reference = tts.synthesize(kTexts[texts[x]].words,
                                                       RenderPipeline::kAlignmentVoice, SynthesisOptions{});
                        RecordingInfo info;
                        const Speech found =
                            Recording::load(wav, CancelToken{}, {}, &info, reference ? &*reference : nullptr,
                                            methods[m].method, decoders);
                        const double seconds =
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
                        const double duration = found.duration();
                        const std::string a =
                            shapesPerFrame(VisemeRules().fromPhones(truth), spec.fps, duration);
                        const std::string b =
                            shapesPerFrame(VisemeRules().fromPhones(found.phones), spec.fps, duration);
                        Totals one;
                        one.agreement.push_back(frameAgreement(a, b));
                        one.boundaries = boundaryErrorsMs(truth, found.phones);
                        for (std::size_t f = 0; f < std::min(a.size(), b.size()); ++f) {
                            ++one.confusion[{a[f], b[f]}];
                            if (a[f] == 'A') {
                                ++one.closedTruth;
                                one.closedFound += b[f] == 'A';
                            }
                        }
                        one.audioSeconds = duration;
                        one.fallbacks = methods[m].transcribed && info.phones != "sphinx-aligned" &&
                                        methods[m].method == PhoneMethod::Auto;
                        one.loadSeconds = seconds;
                        one.cpuSeconds = cpuTime() - cpu;
                        results[m][x][v][d].add(one);
                        if (shapes.is_open())
                            shapes << methods[m].name << ' ' << kTexts[texts[x]].name << ' ' << voice << ' '
                                   << speed << ' ' << disguiseName(disguises[d]) << ' ' << info.phones << ' '
                                   << std::lround(100.0 * one.agreement.front()) << "%\n  truth " << a
                                   << "\n  found " << b << '\n';
                    }
                }
            }
    JsonWriter w;
    w.beginObject()
        .field("suite", "align")
        .field("fps", spec.fps.toDouble())
        .field("frame_rate", spec.fps.toString())
        .field("voices", "flite:slt,awb,rms espeak:en-us")
        .field("word_search", options.wordSearch)
        .field("phone_loop", options.phoneLoop);
    w.key("texts").beginObject();
    for (const std::size_t x : texts)
        w.field(kTexts[x].name, kTexts[x].words);
    w.endObject();
    // The figures of some cases (per voice and disguise), then per disguise and per voice, in the open
    // object.
    const auto breakdown = [&](const PerVoice& totals) {
        Totals all;
        for (const auto& perVoice : totals)
            for (const Totals& t : perVoice)
                all.add(t);
        all.write(w);
        w.key("by_disguise").beginObject();
        for (std::size_t d = 0; d < disguises.size(); ++d) {
            Totals one;
            for (const auto& perVoice : totals)
                one.add(perVoice[d]);
            w.key(disguiseName(disguises[d])).beginObject();
            one.write(w);
            w.endObject();
        }
        w.endObject();
        w.key("by_voice").beginObject();
        for (std::size_t v = 0; v < voices.size(); ++v) {
            Totals one;
            for (const Totals& t : totals[v])
                one.add(t);
            w.key(voices[v]).beginObject();
            one.write(w);
            w.endObject();
        }
        w.endObject();
    };
    // Per method: every text's cases together (each text has as many), then each text's alone.
    for (std::size_t m = 0; m < methods.size(); ++m) {
        PerVoice together(voices.size(), std::vector<Totals>(disguises.size()));
        for (const PerVoice& perText : results[m])
            for (std::size_t v = 0; v < voices.size(); ++v)
                for (std::size_t d = 0; d < disguises.size(); ++d)
                    together[v][d].add(perText[v][d]);
        w.key(methods[m].name).beginObject();
        breakdown(together);
        w.key("by_text").beginObject();
        for (std::size_t x = 0; x < texts.size(); ++x) {
            w.key(kTexts[texts[x]].name).beginObject();
            breakdown(results[m][x]);
            w.endObject();
        }
        w.endObject().endObject();
    }
    w.endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
