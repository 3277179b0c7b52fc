#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace avatar::project {

// A CSV file as RFC 4180 writes it: a header row of column names, then records; fields separated by commas,
// quoted with double quotes when they hold commas, quotes (doubled) or line breaks; lines end in CRLF or LF.
// UTF-8, with or without a byte-order mark.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> lines; // the line each row starts on (1 = the header), for messages

    // The index of `column` in the header, or -1.
    int column(std::string_view name) const;

    // Throws Error(InvalidInput) naming the line for a quote left open, text after a closing quote, a
    // record with another number of fields than the header, an empty or repeated column name, or a file
    // that is not UTF-8. Blank lines are skipped.
    static CsvTable parse(std::string_view text, const std::string& name);
    // Error(NotFound) / Error(Unreadable) for the file, then as parse().
    static CsvTable load(const std::filesystem::path& file);
};

} // namespace avatar::project
