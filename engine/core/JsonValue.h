#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace avatar {

// A parsed JSON document (job rows, tfjs manifests, baselines, project files; core/Json.h writes).
// nlohmann-json does the parsing, behind this small read-only tree, so that its large header stays out of the
// files that only read a few fields. Numbers are doubles; object keys are sorted; a repeated key keeps its
// last value.
class JsonValue {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    // Throws Error(InvalidInput) naming the byte offset of the first mistake (nesting deeper than 64 is one).
    static JsonValue parse(std::string_view text);

    Type type() const { return m_type; }
    bool isObject() const { return m_type == Type::Object; }
    bool boolean() const { return m_bool; }
    double number(double fallback = 0.0) const { return m_type == Type::Number ? m_number : fallback; }
    const std::string& string() const { return m_string; }
    const std::vector<JsonValue>& array() const { return m_array; }
    const std::map<std::string, JsonValue, std::less<>>& object() const { return m_object; }
    // The member `key` of an object, or nullptr.
    const JsonValue* find(std::string_view key) const;

private:
    friend class JsonTreeBuilder;
    Type m_type = Type::Null;
    bool m_bool = false;
    double m_number = 0.0;
    std::string m_string;
    std::vector<JsonValue> m_array;
    std::map<std::string, JsonValue, std::less<>> m_object;
};

} // namespace avatar
