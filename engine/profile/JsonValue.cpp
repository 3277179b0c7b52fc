#include "JsonValue.h"

#include "core/Error.h"

#include <cstdlib>
#include <string>

namespace avatar {

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : m_text(text) {}

    JsonValue document() {
        JsonValue v = value(0);
        skipSpace();
        if (m_pos != m_text.size())
            fail("unexpected text after the document");
        return v;
    }

private:
    static constexpr int kMaxDepth = 64;

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorCode::InvalidInput,
                    "The JSON is not valid at byte " + std::to_string(m_pos) + ": " + what + ".");
    }

    void skipSpace() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' ||
                                         m_text[m_pos] == '\r' || m_text[m_pos] == '\t'))
            ++m_pos;
    }

    bool consume(std::string_view word) {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    JsonValue value(int depth) {
        if (depth > kMaxDepth)
            fail("nested too deeply");
        skipSpace();
        if (m_pos >= m_text.size())
            fail("unexpected end");
        JsonValue v;
        const char c = m_text[m_pos];
        if (c == '{') {
            v.m_type = JsonValue::Type::Object;
            ++m_pos;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
                return v;
            }
            for (;;) {
                skipSpace();
                std::string key = stringLiteral();
                skipSpace();
                if (!consume(":"))
                    fail("expected ':'");
                v.m_object.insert_or_assign(std::move(key), value(depth + 1));
                skipSpace();
                if (consume(","))
                    continue;
                if (consume("}"))
                    return v;
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v.m_type = JsonValue::Type::Array;
            ++m_pos;
            skipSpace();
            if (consume("]"))
                return v;
            for (;;) {
                v.m_array.push_back(value(depth + 1));
                skipSpace();
                if (consume(","))
                    continue;
                if (consume("]"))
                    return v;
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.m_type = JsonValue::Type::String;
            v.m_string = stringLiteral();
            return v;
        }
        if (consume("true") || consume("false")) {
            v.m_type = JsonValue::Type::Bool;
            v.m_bool = m_text[m_pos - 2] == 'u'; // "true" ends in "ue", "false" in "se"
            return v;
        }
        if (consume("null"))
            return v;
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() &&
               std::string_view("+-0123456789.eE").find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
        if (start == m_pos)
            fail("unexpected character");
        const std::string number(m_text.substr(start, m_pos - start));
        char* end = nullptr;
        v.m_number = std::strtod(number.c_str(), &end);
        if (end != number.c_str() + number.size())
            fail("malformed number");
        v.m_type = JsonValue::Type::Number;
        return v;
    }

    std::string stringLiteral() {
        if (!consume("\""))
            fail("expected a string");
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            char c = m_text[m_pos++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size())
                break;
            c = m_text[m_pos++];
            switch (c) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                if (m_pos + 4 > m_text.size())
                    fail("short \\u escape");
                const std::string hex(m_text.substr(m_pos, 4));
                char* end = nullptr;
                const auto code = static_cast<unsigned>(std::strtoul(hex.c_str(), &end, 16));
                if (end != hex.c_str() + 4)
                    fail("malformed \\u escape");
                m_pos += 4;
                // UTF-8 for the basic plane; surrogate pairs are not needed for our own files.
                if (code < 0x80) {
                    out += static_cast<char>(code);
                } else if (code < 0x800) {
                    out += static_cast<char>(0xC0 | (code >> 6));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                } else {
                    out += static_cast<char>(0xE0 | (code >> 12));
                    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                }
                break;
            }
            default:
                out += c;
                break; // \" \\ \/
            }
        }
        if (!consume("\""))
            fail("unterminated string");
        return out;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

JsonValue JsonValue::parse(std::string_view text) {
    return JsonParser(text).document();
}

const JsonValue* JsonValue::find(std::string_view key) const {
    const auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &it->second;
}

} // namespace avatar
