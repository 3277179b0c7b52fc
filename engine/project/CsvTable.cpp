#include "CsvTable.h"

#include "core/Error.h"

#include <fstream>
#include <iterator>
#include <set>

namespace avatar::project {

namespace {

[[noreturn]] void fail(const std::string& name, int line, const std::string& why) {
    throw Error(ErrorCode::InvalidInput, "'" + name + "' line " + std::to_string(line) + ": " + why + ".");
}

// Well-formed UTF-8 (no overlong forms, no surrogates), so that names and scripts reach the synthesiser and
// libass intact; a spreadsheet saved as Latin-1 is caught here with a clear message.
bool validUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int extra = 0;
        unsigned min = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= s.size())
            return false;
        for (int k = 1; k <= extra; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

} // namespace

int CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name)
            return static_cast<int>(i);
    return -1;
}

CsvTable CsvTable::parse(std::string_view text, const std::string& name) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    if (!validUtf8(text))
        throw Error(ErrorCode::InvalidInput,
                    "'" + name + "' is not UTF-8 text: save the spreadsheet as CSV UTF-8.");

    std::vector<std::vector<std::string>> records;
    std::vector<int> starts;
    std::vector<std::string> record;
    std::string field;
    int line = 1;
    int recordLine = 1;
    bool quoted = false;     // inside a quoted field
    bool wasQuoted = false;  // the current field was quoted (and has closed)
    bool anyContent = false; // the current record has text or a separator (blank lines are skipped)
    const auto endRecord = [&]() {
        if (anyContent) {
            record.push_back(std::move(field));
            records.push_back(std::move(record));
            starts.push_back(recordLine);
        }
        record.clear();
        field.clear();
        wasQuoted = anyContent = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                    wasQuoted = true;
                }
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            wasQuoted = false;
            anyContent = true;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue; // the CR of a CRLF
        } else if (c == '\n') {
            endRecord();
            ++line;
            recordLine = line;
        } else if (c == '"') {
            if (!field.empty() || wasQuoted)
                fail(name, line,
                     "a quote inside a field that does not start with one; quote the whole field and "
                     "double the quote (\"\")");
            quoted = true;
            anyContent = true;
        } else {
            if (wasQuoted)
                fail(name, line, "text after a closing quote");
            field += c;
            anyContent = true;
        }
    }
    if (quoted)
        fail(name, recordLine, "a quoted field is never closed");
    endRecord();

    if (records.empty())
        throw Error(ErrorCode::InvalidInput,
                    "'" + name + "' is empty: it needs a header row of column names.");
    CsvTable table;
    table.header = std::move(records.front());
    std::set<std::string> seen;
    for (std::string& column : table.header) {
        if (column.empty())
            fail(name, 1, "a column has no name");
        if (!seen.insert(column).second)
            fail(name, 1, "the column '" + column + "' appears twice");
    }
    for (std::size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != table.header.size())
            fail(name, starts[r],
                 "the row has " + std::to_string(records[r].size()) + " fields, the header " +
                     std::to_string(table.header.size()));
        table.rows.push_back(std::move(records[r]));
        table.lines.push_back(starts[r]);
    }
    return table;
}

CsvTable CsvTable::load(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error(ErrorCode::NotFound, "The data file '" + file.string() + "' does not exist.");
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw Error(ErrorCode::Unreadable, "The data file '" + file.string() + "' cannot be read.");
    return parse(text, file.string());
}

} // namespace avatar::project
