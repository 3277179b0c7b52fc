// CSV batches (project/CsvTable): RFC 4180 parsing with a header row, as `avatar-render batch` reads one,
// then the {{column}} placeholders of the batch plan filled from each row.
#include "FuzzInput.h"
#include "project/BatchPlan.h"
#include "project/CsvTable.h"

#include <cstdlib>
#include <map>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text = avatar::fuzz::text(data, size);
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::project::CsvTable table = avatar::project::CsvTable::parse(text, "fuzz.csv");
        // Every record has the header's number of fields and the line it started on.
        if (table.lines.size() != table.rows.size())
            std::abort();
        for (const std::vector<std::string>& row : table.rows)
            if (row.size() != table.header.size())
                std::abort();
        // The placeholders of a template made of the header, filled from each row.
        std::string pattern;
        for (const std::string& column : table.header)
            pattern += "{{" + column + "}}/";
        (void)avatar::project::Placeholders::names(pattern);
        for (const std::vector<std::string>& row : table.rows) {
            std::map<std::string, std::string> values;
            for (std::size_t i = 0; i < row.size(); ++i)
                values[table.header[i]] = row[i];
            (void)avatar::project::Placeholders::fill(pattern, values);
        }
    });
    return 0;
}
