#include "JsonValue.h"

#include "core/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace avatar {

// Builds the tree from nlohmann's SAX events: no intermediate nlohmann document, and the depth is bounded
// here, before a hostile file could make the tree (and its recursive destructor) as deep as it likes.
class JsonTreeBuilder : public nlohmann::json_sax<nlohmann::json> {
public:
    static constexpr std::size_t kMaxDepth = 64;

    JsonValue take() { return std::move(m_root); }

    bool null() override { return add(JsonValue{}); }
    bool boolean(bool flag) override {
        JsonValue v;
        v.m_type = JsonValue::Type::Bool;
        v.m_bool = flag;
        return add(std::move(v));
    }
    bool number_integer(number_integer_t n) override { return number(static_cast<double>(n)); }
    bool number_unsigned(number_unsigned_t n) override { return number(static_cast<double>(n)); }
    bool number_float(number_float_t n, const string_t&) override { return number(n); }
    bool string(string_t& text) override {
        JsonValue v;
        v.m_type = JsonValue::Type::String;
        v.m_string = std::move(text);
        return add(std::move(v));
    }
    bool binary(binary_t&) override { return false; } // JSON text has no binary values
    bool start_object(std::size_t) override { return open(JsonValue::Type::Object); }
    bool key(string_t& name) override {
        m_keys.back() = std::move(name);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(JsonValue::Type::Array); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) override {
        // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 1, column 2: what";
        // its byte count starts at 1.
        std::string what = e.what();
        std::string where;
        if (const auto at = what.find(" at line "); at != std::string::npos) {
            const auto colon = what.find(": ", at);
            if (colon != std::string::npos) {
                where = " (" + what.substr(at + 4, colon - at - 4) + ")";
                what.erase(0, colon + 2);
            }
        }
        throw Error(ErrorCode::InvalidInput, "The JSON is not valid at byte " +
                                                 std::to_string(byte > 0 ? byte - 1 : 0) + where + ": " +
                                                 what + ".");
    }

private:
    bool number(double n) {
        JsonValue v;
        v.m_type = JsonValue::Type::Number;
        v.m_number = n;
        return add(std::move(v));
    }

    bool add(JsonValue v) {
        if (m_open.empty()) {
            m_root = std::move(v);
            return true;
        }
        JsonValue& parent = m_open.back();
        if (parent.m_type == JsonValue::Type::Array)
            parent.m_array.push_back(std::move(v));
        else
            parent.m_object.insert_or_assign(m_keys.back(), std::move(v));
        return true;
    }

    bool open(JsonValue::Type type) {
        if (m_open.size() >= kMaxDepth)
            return false; // stops the parser; parse() reports it
        JsonValue v;
        v.m_type = type;
        m_open.push_back(std::move(v));
        m_keys.emplace_back();
        return true;
    }

    bool close() {
        JsonValue done = std::move(m_open.back());
        m_open.pop_back();
        m_keys.pop_back();
        return add(std::move(done));
    }

    JsonValue m_root;
    std::vector<JsonValue> m_open;   // the containers being filled, outermost first
    std::vector<std::string> m_keys; // per open container: the key of the value that comes next
};

JsonValue JsonValue::parse(std::string_view text) {
    JsonTreeBuilder builder;
    // strict: nothing but white space may follow the document.
    const bool complete =
        nlohmann::json::sax_parse(text, &builder, nlohmann::json::input_format_t::json, true);
    if (!complete)
        throw Error(ErrorCode::InvalidInput, "The JSON is not valid: it is nested deeper than " +
                                                 std::to_string(JsonTreeBuilder::kMaxDepth) + " levels.");
    return builder.take();
}

const JsonValue* JsonValue::find(std::string_view key) const {
    const auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &it->second;
}

} // namespace avatar
