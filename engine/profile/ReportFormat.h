#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace avatar::report {

// Shared by the exporters: numbers and text in the forms every format uses.
std::string microseconds(std::int64_t ns);             // exact: "1234.567"
std::string milliseconds(double ns, int decimals = 3); // "12.345"
std::string percent(double fraction);                  // "18%"
std::string bytes(double value);                       // "1.5 MiB"
std::string xmlEscape(std::string_view text);          // & < > " '

} // namespace avatar::report
