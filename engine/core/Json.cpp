#include "Json.h"

#include <nlohmann/json.hpp>

#include <charconv>
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
        // -0.0 would be written "-0", which reads back as the integer 0 and is then written "0": a job row
        // with a pitch of -0.0 did not read back what it wrote (fuzz_jobs). Zero is written one way.
        if (number == 0.0)
            number = 0.0;
        // The shortest text that reads back to the same double. Six significant digits ("%.6g") lost data,
        // and a derived field (a result's realtime_factor, computed from the full values) then came out
        // different once its inputs had been rounded by a write and a read (fuzz_jobs).
        char buf[32];
        const char* end = std::to_chars(buf, buf + sizeof buf, number).ptr;
        m_out.write(buf, end - buf);
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
    // nlohmann-json quotes the string; bytes that are not UTF-8 become U+FFFD instead of making the whole
    // document invalid.
    std::string quoted = nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
}

} // namespace avatar
