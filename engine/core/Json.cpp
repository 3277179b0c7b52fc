#include "Json.h"

#include <cmath>
#include <cstdio>

namespace avatar {

void JsonWriter::separate() {
    if (m_needComma)
        m_out << ',';
    m_needComma = false;
}

JsonWriter& JsonWriter::beginObject() {
    separate();
    m_out << '{';
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    m_out << '}';
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    separate();
    m_out << '[';
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    m_out << ']';
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    m_out << '"' << escape(name) << "\":";
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    m_out << '"' << escape(text) << '"';
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    separate();
    if (!std::isfinite(number)) {
        m_out << "null";
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", number);
        m_out << buf;
    }
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::value(long long number) {
    separate();
    m_out << number;
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    m_out << (flag ? "true" : "false");
    m_needComma = true;
    return *this;
}

std::string JsonWriter::escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x",
                              static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

} // namespace avatar
