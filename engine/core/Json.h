#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace avatar {

// A streaming writer for the one-line JSON reports of the CLI and the benchmark, job rows and project files
// (core/JsonValue.h reads them). Strings are escaped by nlohmann-json; numbers keep 6 significant digits.
class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(long long number);
    JsonWriter& value(int number) { return value(static_cast<long long>(number)); }
    JsonWriter& value(bool flag);
    template <class T> JsonWriter& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }
    std::string str() const { return m_out.str(); }

    static std::string escape(std::string_view text);

private:
    void separate();
    std::ostringstream m_out;
    bool m_needComma = false;
};

} // namespace avatar
