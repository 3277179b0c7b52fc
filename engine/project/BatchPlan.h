#pragma once

#include "CsvTable.h"
#include "Project.h"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace avatar::project {

// `{{column}}` placeholders (spaces inside the braces allowed) in scripts, overlay texts and output names.
struct Placeholders {
    // The column names `text` uses, in order of first use.
    static std::vector<std::string> names(const std::string& text);
    // `text` with every placeholder replaced by its value; a name without a value is left as written.
    static std::string fill(const std::string& text, const std::map<std::string, std::string>& values);
};

// One row of a batch: the project with the row's values filled in and where its video goes, or why not.
struct BatchRow {
    int number = 0; // 1 = the first row after the header
    int line = 0;   // in the CSV file
    Project project;
    std::filesystem::path output;
    std::vector<std::string> problems; // empty: the row can render
};

// A batch checked as a whole before anything renders (issue #14): rows → jobs, so that a render farm can
// shard them (issue #16).
struct BatchPlan {
    std::vector<BatchRow> rows;
    std::vector<std::string> problems; // about the whole batch (a column the project needs is missing)

    bool valid() const;
    int invalidRows() const;
    // Every problem, one line each: "row 3 (line 4): the value of 'name' is empty".
    std::vector<std::string> report() const;

    // Fills `project` and `outputPattern` with each row. Problems found: a placeholder without a column
    // (the whole batch), an empty value for a placeholder the row uses, an output name whose value holds a
    // folder separator or is "." or ".." (it would leave the output folder), and outputs that collide (every
    // row involved), or an output name that does not end in .mp4.
    static BatchPlan make(const Project& project, const CsvTable& data, const std::string& outputPattern);
};

} // namespace avatar::project
