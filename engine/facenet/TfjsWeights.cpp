#include "TfjsWeights.h"

#include "core/Error.h"
#include "core/JsonValue.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

namespace avatar {
namespace {

std::vector<char> readAll(const std::filesystem::path& path, const char* what) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorCode::NotFound, std::string("The face model ") + what + " '" + path.string() +
                                             "' does not exist; run packaging/setup-models.sh.");
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
        throw Error(ErrorCode::Unreadable, "Cannot read the face model file '" + path.string() + "'.");
    return bytes;
}

[[noreturn]] void corrupt(const std::filesystem::path& path, const std::string& why) {
    throw Error(ErrorCode::Unreadable, "The face model file '" + path.string() + "' is corrupt (" + why +
                                           "); reinstall it with packaging/setup-models.sh.");
}

std::size_t bytesPerValue(const std::string& dtype) {
    if (dtype == "float32" || dtype == "int32")
        return 4;
    if (dtype == "uint16")
        return 2;
    if (dtype == "uint8")
        return 1;
    return 0;
}

} // namespace

TfjsWeights TfjsWeights::load(const std::filesystem::path& manifest) {
    const std::vector<char> text = readAll(manifest, "manifest");
    JsonValue root;
    try {
        root = JsonValue::parse(std::string_view(text.data(), text.size()));
    } catch (const Error& e) {
        corrupt(manifest, std::string("not JSON: ") + e.what());
    }
    if (root.type() != JsonValue::Type::Array || root.array().empty())
        corrupt(manifest, "expected a list of weight groups");

    TfjsWeights out;
    out.m_manifest = manifest;
    const std::filesystem::path dir = manifest.parent_path();
    for (const JsonValue& group : root.array()) {
        const JsonValue* paths = group.find("paths");
        const JsonValue* weights = group.find("weights");
        if (!paths || !weights || paths->type() != JsonValue::Type::Array ||
            weights->type() != JsonValue::Type::Array)
            corrupt(manifest, "a group lacks its paths or weights");
        // A group's shards are one byte stream cut into files; the weights follow each other in it.
        std::vector<char> bytes;
        std::filesystem::path lastShard;
        for (const JsonValue& p : paths->array()) {
            lastShard = dir / p.string();
            std::vector<char> shard = readAll(lastShard, "weights file");
            bytes.insert(bytes.end(), shard.begin(), shard.end());
        }
        const std::filesystem::path& blame = lastShard.empty() ? manifest : lastShard;
        std::size_t offset = 0;
        for (const JsonValue& w : weights->array()) {
            const JsonValue* name = w.find("name");
            const JsonValue* shape = w.find("shape");
            const JsonValue* dtype = w.find("dtype");
            if (!name || !shape || !dtype || shape->type() != JsonValue::Type::Array)
                corrupt(manifest, "a weight lacks its name, shape or dtype");
            Entry entry;
            std::size_t count = 1;
            for (const JsonValue& d : shape->array()) {
                const double v = d.number(-1.0);
                // A dimension above 2^31 is no weight file of ours; checked before the conversion, which
                // would be undefined for a value beyond int64 (fuzz_tfjs: 3.3e30).
                if (v < 0 || v != std::floor(v) || v > 2147483648.0)
                    corrupt(manifest, "weight '" + name->string() + "' has a bad shape");
                entry.shape.push_back(static_cast<std::int64_t>(v));
                count *= static_cast<std::size_t>(v);
            }
            entry.isInteger = dtype->string() == "int32";
            if (!entry.isInteger && dtype->string() != "float32")
                corrupt(manifest, "weight '" + name->string() + "' has the unsupported dtype '" +
                                      dtype->string() + "'");
            const JsonValue* quant = w.find("quantization");
            std::string storage = dtype->string();
            double scale = 1.0;
            double minimum = 0.0;
            if (quant) {
                const JsonValue* qd = quant->find("dtype");
                storage = qd ? qd->string() : "";
                if (storage != "uint8" && storage != "uint16")
                    corrupt(manifest, "weight '" + name->string() + "' has the unsupported quantisation '" +
                                          storage + "'");
                scale = quant->find("scale") ? quant->find("scale")->number() : 1.0;
                minimum = quant->find("min") ? quant->find("min")->number() : 0.0;
            }
            const std::size_t need = count * bytesPerValue(storage);
            if (offset + need > bytes.size())
                corrupt(blame, "it holds " + std::to_string(bytes.size()) + " bytes but its manifest needs " +
                                   std::to_string(offset + need) + " up to weight '" + name->string() + "'");
            entry.values.resize(count);
            const char* src = bytes.data() + offset;
            for (std::size_t i = 0; i < count; ++i) {
                double v = 0.0;
                if (storage == "uint8") {
                    v = static_cast<unsigned char>(src[i]) * scale + minimum;
                } else if (storage == "uint16") {
                    std::uint16_t q = 0;
                    std::memcpy(&q, src + 2 * i, 2); // little-endian, as tfjs writes it
                    v = q * scale + minimum;
                } else if (storage == "float32") {
                    float f = 0.0f;
                    std::memcpy(&f, src + 4 * i, 4);
                    v = f;
                } else {
                    std::int32_t n = 0;
                    std::memcpy(&n, src + 4 * i, 4);
                    v = n;
                }
                entry.values[i] = static_cast<float>(entry.isInteger ? std::round(v) : v);
            }
            offset += need;
            if (!out.m_entries.emplace(name->string(), std::move(entry)).second)
                corrupt(manifest, "weight '" + name->string() + "' is listed twice");
        }
        if (offset != bytes.size())
            corrupt(blame, "it holds " + std::to_string(bytes.size()) + " bytes but its manifest lists " +
                               std::to_string(offset));
    }
    return out;
}

const TfjsWeights::Entry& TfjsWeights::at(const std::string& name) const {
    auto it = m_entries.find(name);
    if (it == m_entries.end())
        throw Error(ErrorCode::Unreadable, "The face model manifest '" + m_manifest.string() +
                                               "' has no weight '" + name +
                                               "'; reinstall it with packaging/setup-models.sh.");
    return it->second;
}

std::vector<std::string> TfjsWeights::names() const {
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto& [name, entry] : m_entries)
        out.push_back(name);
    return out;
}

} // namespace avatar
