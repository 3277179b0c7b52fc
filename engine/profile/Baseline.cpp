#include "Baseline.h"

#include "core/AtomicFile.h"
#include "core/Error.h"
#include "core/Json.h"
#include "core/JsonValue.h"

#include <fstream>
#include <sstream>
#include <tuple>

namespace avatar {

std::string Baseline::toJson() const {
    JsonWriter w;
    w.beginObject().field("version", 1).field("unit", "ns").key("stages").beginObject();
    for (const auto& [name, stage] : stages) {
        w.key(name).beginObject().field("p50", stage.p50Ns).field("p95", stage.p95Ns).endObject();
    }
    w.endObject().endObject();
    return w.str() + "\n";
}

Baseline Baseline::fromJson(const std::string& text) {
    const JsonValue doc = JsonValue::parse(text);
    const JsonValue* stages = doc.isObject() ? doc.find("stages") : nullptr;
    if (!stages || !stages->isObject())
        throw Error(ErrorCode::InvalidInput,
                    "The baseline has no \"stages\" object: save one with --save-baseline.");
    Baseline baseline;
    for (const auto& [name, value] : stages->object()) {
        const JsonValue* p50 = value.find("p50");
        const JsonValue* p95 = value.find("p95");
        if (!p50 || !p95 || p50->type() != JsonValue::Type::Number || p95->type() != JsonValue::Type::Number)
            throw Error(ErrorCode::InvalidInput,
                        "The baseline's stage \"" + name + "\" lacks numeric p50 and p95.");
        baseline.stages[name] = StageBaseline{p50->number(), p95->number()};
    }
    return baseline;
}

Baseline Baseline::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "The baseline " + path.string() + " does not exist.");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return fromJson(text.str());
    } catch (const Error& e) {
        throw Error(ErrorCode::InvalidInput, "The baseline " + path.string() + " is unusable: " + e.what());
    }
}

void Baseline::save(const std::filesystem::path& path) const {
    AtomicFile::write(path, toJson());
}

std::vector<Regression> compareToBaseline(const Baseline& baseline, const Baseline& current, double threshold,
                                          double minDeltaNs) {
    std::vector<Regression> out;
    for (const auto& [name, before] : baseline.stages) {
        const auto it = current.stages.find(name);
        if (it == current.stages.end())
            continue;
        const StageBaseline& now = it->second;
        for (const auto& [metric, was, is] :
             {std::tuple{"p50", before.p50Ns, now.p50Ns}, std::tuple{"p95", before.p95Ns, now.p95Ns}}) {
            Regression r{name, metric, was, is, was > 0 ? is / was - 1.0 : 0.0, false};
            r.regressed = was > 0 && r.change > threshold && is - was >= minDeltaNs;
            out.push_back(r);
        }
    }
    return out;
}

} // namespace avatar
