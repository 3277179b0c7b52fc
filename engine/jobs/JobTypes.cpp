#include "JobTypes.h"

#include "core/Error.h"
#include "core/Json.h"
#include "core/JsonValue.h"

#include <cmath>
#include <limits>

namespace avatar {
namespace {

// Reads the members of one JSON object with the types the spec needs. A missing member keeps its default (a
// database written by an older version still loads); a member of the wrong type is an error that names it.
class FieldReader {
public:
    FieldReader(const JsonValue& object, std::string where) : m_object(object), m_where(std::move(where)) {
        if (!object.isObject())
            fail("", "an object");
    }

    void read(const char* key, std::string& out) const {
        if (const JsonValue* v = m_object.find(key)) {
            if (v->type() != JsonValue::Type::String)
                fail(key, "a string");
            out = v->string();
        }
    }
    void read(const char* key, std::filesystem::path& out) const {
        std::string text = out.string();
        read(key, text);
        out = text;
    }
    void read(const char* key, double& out) const {
        if (const JsonValue* v = m_object.find(key)) {
            if (v->type() != JsonValue::Type::Number)
                fail(key, "a number");
            out = v->number();
        }
    }
    template <class Int> void readInt(const char* key, Int& out) const {
        if (const JsonValue* v = m_object.find(key)) {
            const double n = v->number(std::numeric_limits<double>::quiet_NaN());
            if (v->type() != JsonValue::Type::Number || n != std::floor(n) ||
                n < static_cast<double>(std::numeric_limits<Int>::min()) ||
                n > static_cast<double>(std::numeric_limits<Int>::max()))
                fail(key, "a whole number");
            out = static_cast<Int>(n);
        }
    }
    void read(const char* key, bool& out) const {
        if (const JsonValue* v = m_object.find(key)) {
            if (v->type() != JsonValue::Type::Bool)
                fail(key, "true or false");
            out = v->boolean();
        }
    }
    const JsonValue* find(const char* key) const { return m_object.find(key); }

    [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
        const std::string what = key.empty() ? m_where : m_where + "." + key;
        throw Error(ErrorCode::InvalidInput, "The job's '" + what + "' must be " + expected + ".");
    }

private:
    const JsonValue& m_object;
    std::string m_where;
};

// The exact "frame_rate" ("30000/1001"), or in rows written before rates were fractions the whole "fps". The
// range is not checked here: a row out of range loads, and its render fails with FrameRate's message.
void readFrameRate(const FieldReader& r, FrameRate& rate) {
    if (const JsonValue* exact = r.find("frame_rate")) {
        const std::optional<FrameRate> parsed =
            exact->type() == JsonValue::Type::String ? FrameRate::parse(exact->string()) : std::nullopt;
        if (!parsed)
            r.fail("frame_rate", "a frame rate such as \"25\" or \"30000/1001\"");
        rate = *parsed;
        return;
    }
    int whole = rate.num(); // the defaults are whole rates
    r.readInt("fps", whole);
    // Zero or negative is no rate at all: it could not be written back as a "frame_rate" (fuzz_jobs).
    if (whole <= 0)
        r.fail("fps", "a whole number of frames a second above 0");
    rate = whole;
}

// The caption style (issue #18); rows written before it have none and keep the default style.
void readCaptionStyle(const FieldReader& r, CaptionStyle& style) {
    r.read("caption_font", style.font);
    r.readInt("caption_size", style.size);
    std::string position = captionPositionName(style.position);
    r.read("caption_position", position);
    const auto parsed = parseCaptionPosition(position);
    if (!parsed)
        r.fail("caption_position", "\"bottom\", \"middle\" or \"top\"");
    style.position = *parsed;
    const std::pair<const char*, std::uint32_t*> colours[] = {{"caption_colour", &style.colour},
                                                              {"caption_highlight", &style.highlight},
                                                              {"caption_outline", &style.outline}};
    for (const auto& [key, value] : colours) {
        std::string text = colourName(*value);
        r.read(key, text);
        const auto colour = parseColour(text);
        if (!colour)
            r.fail(key, "a colour \"#RRGGBB\"");
        *value = *colour;
    }
}

void writeRender(JsonWriter& w, const RenderSpec& r) {
    w.beginObject()
        .field("text", r.text)
        .field("audio", r.audio.string()) // issue #13: a recorded narration; empty = the voice speaks
        .field("avatar", r.avatar.string())
        .field("voice", r.voice)
        .field("speed", r.speed)
        .field("pitch", r.pitch)
        .field("width", r.width)
        .field("height", r.height)
        .field("fps", r.fps.toDouble())        // a number for readers that want one (29.97002997002997)
        .field("frame_rate", r.fps.toString()) // exact ("30000/1001"); absent in older rows
        .field("preset", r.preset)
        .field("crf", r.crf)
        .field("output", r.output.string())
        .field("captions_burn", r.captionsBurn)
        .field("captions_srt", r.captionsSrt)
        .field("captions_vtt", r.captionsVtt)
        .field("caption_font", r.captionStyle.font) // issue #18; absent in older rows: the default style
        .field("caption_size", r.captionStyle.size)
        .field("caption_position", captionPositionName(r.captionStyle.position))
        .field("caption_colour", colourName(r.captionStyle.colour))
        .field("caption_highlight", colourName(r.captionStyle.highlight))
        .field("caption_outline", colourName(r.captionStyle.outline))
        .field("threads", r.threads)
        .field("face_backend", r.faceBackend == FaceBackend::Torch ? "torch" : "dlib")
        .field("framing", framingName(r.framing))
        .field("face_index", r.faceIndex)
        .field("expression", toString(r.expression)) // issue #12; absent in older rows: neutral
        .endObject();
}

void writeSpec(JsonWriter& w, const JobSpec& spec) {
    w.beginObject()
        .field("name", spec.name)
        .field("priority", jobPriorityName(spec.priority))
        .field("tier", tierName(spec.tier))
        .field("use_cache", spec.useCache)
        .field("audio_sha256", spec.audioSha256);
    w.key("render");
    writeRender(w, spec.render);
    w.endObject();
}

// The fields (and order) avatar-render --json prints; the job database and `queue` keep the same.
void writeResult(JsonWriter& w, const RenderResult& r) {
    w.beginObject()
        .field("output", r.output.string())
        .field("duration", r.duration)
        .field("frames", r.frames)
        .field("width", r.width)
        .field("height", r.height)
        .field("fps", r.fps.toDouble())
        .field("frame_rate", r.fps.toString())
        .field("voice", r.voice)
        .field("expression", toString(r.expression));
    if (!r.recording.codec.empty())
        w.key("recording")
            .beginObject()
            .field("codec", r.recording.codec)
            .field("source_rate", r.recording.sourceRate)
            .field("source_channels", r.recording.sourceChannels)
            .field("source_loudness", r.recording.sourceLoudness)
            .field("gain_db", r.recording.gainDb)
            .field("loudness", r.recording.loudness)
            .endObject();
    w.key("seconds")
        .beginObject()
        .field("tts", r.seconds.tts)
        .field("face", r.seconds.face)
        .field("animate", r.seconds.animate)
        .field("render", r.seconds.render)
        .field("encode", r.seconds.encode)
        .endObject();
    w.key("cache")
        .beginObject()
        .field("tts_hits", r.cache.ttsHits)
        .field("tts_misses", r.cache.ttsMisses)
        .field("face_hits", r.cache.faceHits)
        .field("segments_reused", r.cache.segmentsReused)
        .field("segments_rendered", r.cache.segmentsRendered)
        .field("frames_rendered", r.cache.framesRendered)
        .field("audio_parts_reused", r.cache.audioPartsReused)
        .field("audio_parts_encoded", r.cache.audioPartsEncoded)
        .endObject();
    w.key("resilience").beginObject();
    for (std::size_t i = 0; i < kResilienceEventCount; ++i)
        w.field(std::string(ResilienceCounts::name(ResilienceCounts::event(i))),
                static_cast<long long>(r.resilience.values[i]));
    w.endObject();
    w.key("captions").beginArray();
    for (const auto& f : r.captionFiles)
        w.value(f.string());
    w.endArray();
    w.field("framing", framingName(r.framing)).field("face_index", r.faceIndex);
    w.key("warnings").beginArray();
    for (const std::string& warning : r.warnings)
        w.value(warning);
    w.endArray();
    // Derived, so not read back; null (the writer's non-finite number) when no time was measured.
    w.field("total_seconds", r.totalSeconds)
        .field("realtime_factor", r.duration / r.totalSeconds)
        .endObject();
}

JsonValue parseDocument(const std::string& json, const char* what) {
    try {
        return JsonValue::parse(json);
    } catch (const Error& e) {
        throw Error(ErrorCode::InvalidInput, std::string("The ") + what + " is damaged: " + e.what());
    }
}

} // namespace

const char* jobStateName(JobState state) {
    switch (state) {
    case JobState::Invalid:
        return "invalid";
    case JobState::Queued:
        return "queued";
    case JobState::Running:
        return "running";
    case JobState::Done:
        return "done";
    case JobState::Failed:
        return "failed";
    case JobState::Cancelled:
        return "cancelled";
    case JobState::Interrupted:
        return "interrupted";
    }
    return "invalid";
}

std::optional<JobState> parseJobState(const std::string& name) {
    for (JobState s : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed,
                       JobState::Cancelled, JobState::Interrupted})
        if (name == jobStateName(s))
            return s;
    return std::nullopt;
}

const char* jobPriorityName(JobPriority priority) {
    switch (priority) {
    case JobPriority::Low:
        return "low";
    case JobPriority::Normal:
        return "normal";
    case JobPriority::High:
        return "high";
    }
    return "normal";
}

std::optional<JobPriority> parseJobPriority(const std::string& name) {
    for (JobPriority p : {JobPriority::Low, JobPriority::Normal, JobPriority::High})
        if (name == jobPriorityName(p))
            return p;
    return std::nullopt;
}

std::string jobSpecToJson(const JobSpec& spec) {
    JsonWriter w;
    writeSpec(w, spec);
    return w.str();
}

JobSpec jobSpecFromJson(const std::string& json) {
    const JsonValue doc = parseDocument(json, "job spec");
    const FieldReader top(doc, "spec");
    JobSpec spec;
    top.read("name", spec.name);
    std::string text = jobPriorityName(spec.priority);
    top.read("priority", text);
    const auto priority = parseJobPriority(text);
    if (!priority)
        top.fail("priority", "high, normal or low, not '" + text + "'");
    spec.priority = *priority;
    text = tierName(spec.tier);
    top.read("tier", text);
    const auto tier = parseTier(text);
    if (!tier)
        top.fail("tier", "standard, advanced, ultra or quantum, not '" + text + "'");
    spec.tier = *tier;
    top.read("use_cache", spec.useCache);
    top.read("audio_sha256", spec.audioSha256); // absent in older rows
    const JsonValue* render = top.find("render");
    if (!render)
        top.fail("render", "present");
    const FieldReader r(*render, "spec.render");
    RenderSpec& s = spec.render;
    r.read("text", s.text);
    r.read("audio", s.audio); // absent in older rows: synthetic voice
    r.read("avatar", s.avatar);
    r.read("voice", s.voice);
    r.read("speed", s.speed);
    r.read("pitch", s.pitch);
    r.readInt("width", s.width);
    r.readInt("height", s.height);
    readFrameRate(r, s.fps);
    r.read("preset", s.preset);
    r.readInt("crf", s.crf);
    r.read("output", s.output);
    r.read("captions_burn", s.captionsBurn);
    r.read("captions_srt", s.captionsSrt);
    r.read("captions_vtt", s.captionsVtt);
    readCaptionStyle(r, s.captionStyle);
    r.readInt("threads", s.threads);
    std::string backend = s.faceBackend == FaceBackend::Torch ? "torch" : "dlib";
    r.read("face_backend", backend);
    if (backend != "torch" && backend != "dlib")
        r.fail("face_backend", "\"dlib\" or \"torch\"");
    s.faceBackend = backend == "torch" ? FaceBackend::Torch : FaceBackend::Dlib;
    // Jobs written before framing existed were rendered as is, with the largest face: they stay so.
    std::string framing = framingName(Framing::AsIs);
    r.read("framing", framing);
    const auto parsed = parseFraming(framing);
    if (!parsed)
        r.fail("framing", "\"as-is\", \"head\" or \"shoulders\"");
    s.framing = *parsed;
    r.readInt("face_index", s.faceIndex);
    if (s.faceIndex < 0)
        r.fail("face_index", "0 or more");
    // The resting expression (issue #12): rows written before it have none and stay neutral.
    std::string expression = toString(s.expression);
    r.read("expression", expression);
    const auto parsedExpression = parseExpression(expression);
    if (!parsedExpression)
        r.fail("expression", "\"neutral\", \"friendly\" or \"serious\"");
    s.expression = *parsedExpression;
    return spec;
}

std::string renderResultToJson(const RenderResult& result) {
    JsonWriter w;
    writeResult(w, result);
    return w.str();
}

RenderResult renderResultFromJson(const std::string& json) {
    const JsonValue doc = parseDocument(json, "job result");
    const FieldReader top(doc, "result");
    RenderResult r;
    top.read("output", r.output);
    top.read("duration", r.duration);
    top.readInt("frames", r.frames);
    top.readInt("width", r.width);
    top.readInt("height", r.height);
    readFrameRate(top, r.fps);
    top.read("voice", r.voice);
    std::string expression = toString(r.expression);
    top.read("expression", expression);
    r.expression = parseExpression(expression).value_or(Expression::Neutral);
    if (const JsonValue* captions = top.find("captions")) {
        if (captions->type() != JsonValue::Type::Array)
            top.fail("captions", "a list of file names");
        for (const JsonValue& f : captions->array()) {
            if (f.type() != JsonValue::Type::String)
                top.fail("captions", "a list of file names");
            r.captionFiles.emplace_back(f.string());
        }
    }
    std::string framing = framingName(Framing::AsIs);
    top.read("framing", framing);
    const auto parsed = parseFraming(framing);
    if (!parsed)
        top.fail("framing", "\"as-is\", \"head\" or \"shoulders\"");
    r.framing = *parsed;
    top.readInt("face_index", r.faceIndex);
    if (const JsonValue* warnings = top.find("warnings")) {
        if (warnings->type() != JsonValue::Type::Array)
            top.fail("warnings", "a list of sentences");
        for (const JsonValue& text : warnings->array()) {
            if (text.type() != JsonValue::Type::String)
                top.fail("warnings", "a list of sentences");
            r.warnings.push_back(text.string());
        }
    }
    if (const JsonValue* recording = top.find("recording")) {
        const FieldReader a(*recording, "result.recording");
        a.read("codec", r.recording.codec);
        a.readInt("source_rate", r.recording.sourceRate);
        a.readInt("source_channels", r.recording.sourceChannels);
        a.read("source_loudness", r.recording.sourceLoudness);
        a.read("gain_db", r.recording.gainDb);
        a.read("loudness", r.recording.loudness);
        r.recording.duration = r.duration;
    }
    if (const JsonValue* seconds = top.find("seconds")) {
        const FieldReader s(*seconds, "result.seconds");
        s.read("tts", r.seconds.tts);
        s.read("face", r.seconds.face);
        s.read("animate", r.seconds.animate);
        s.read("render", r.seconds.render);
        s.read("encode", r.seconds.encode);
    }
    if (const JsonValue* cache = top.find("cache")) {
        const FieldReader c(*cache, "result.cache");
        c.readInt("tts_hits", r.cache.ttsHits);
        c.readInt("tts_misses", r.cache.ttsMisses);
        c.readInt("face_hits", r.cache.faceHits);
        c.readInt("segments_reused", r.cache.segmentsReused);
        c.readInt("segments_rendered", r.cache.segmentsRendered);
        c.readInt("frames_rendered", r.cache.framesRendered);
        c.readInt("audio_parts_reused", r.cache.audioPartsReused);
        c.readInt("audio_parts_encoded", r.cache.audioPartsEncoded);
    }
    if (const JsonValue* resilience = top.find("resilience")) {
        const FieldReader c(*resilience, "result.resilience");
        for (std::size_t i = 0; i < kResilienceEventCount; ++i) {
            long long n = 0;
            c.readInt(std::string(ResilienceCounts::name(ResilienceCounts::event(i))).c_str(), n);
            r.resilience.values[i] = static_cast<std::uint64_t>(std::max(0LL, n));
        }
    }
    top.read("total_seconds", r.totalSeconds);
    return r;
}

std::string jobRecordToJson(const JobRecord& record) {
    JsonWriter w;
    w.beginObject()
        .field("id", static_cast<long long>(record.id))
        .field("state", jobStateName(record.state))
        .field("stage", stageName(record.stage))
        .field("progress", record.progress)
        .field("elapsed_seconds", record.elapsedSeconds)
        .field("eta_seconds", record.etaSeconds)
        .field("attempts", record.attempts)
        .field("error", record.error)
        // Whole seconds since the epoch: the writer keeps six significant digits, too few for a date.
        .field("created_at", std::llround(record.createdAt))
        .field("started_at", std::llround(record.startedAt))
        .field("finished_at", std::llround(record.finishedAt))
        .field("position", record.position);
    w.key("spec");
    writeSpec(w, record.spec);
    if (record.state == JobState::Done) {
        w.key("result");
        writeResult(w, record.result);
    }
    w.endObject();
    return w.str();
}

} // namespace avatar
