#include "BatchPlan.h"

#include <algorithm>
#include <cctype>

namespace avatar::project {

namespace {

std::string trimmed(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// Calls visit(start, end, name) for each {{name}} of `text`.
template <class Visit> void forEachPlaceholder(const std::string& text, Visit&& visit) {
    std::size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string::npos) {
        const std::size_t end = text.find("}}", pos + 2);
        if (end == std::string::npos)
            return;
        const std::string name = trimmed(std::string_view(text).substr(pos + 2, end - pos - 2));
        if (name.empty() || name.find('{') != std::string::npos) {
            pos += 2;
            continue;
        }
        visit(pos, end + 2, name);
        pos = end + 2;
    }
}

// Every text of a project a row's values go into.
std::vector<std::string*> texts(Project& p) {
    std::vector<std::string*> out;
    for (Scene& s : p.scenes) {
        out.push_back(&s.script);
        for (TextOverlay& o : s.overlays) {
            out.push_back(&o.text);
            out.push_back(&o.detail);
        }
    }
    return out;
}

} // namespace

std::vector<std::string> Placeholders::names(const std::string& text) {
    std::vector<std::string> out;
    forEachPlaceholder(text, [&](std::size_t, std::size_t, const std::string& name) {
        if (std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(name);
    });
    return out;
}

std::string Placeholders::fill(const std::string& text, const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t copied = 0;
    forEachPlaceholder(text, [&](std::size_t start, std::size_t end, const std::string& name) {
        const auto it = values.find(name);
        if (it == values.end())
            return;
        out.append(text, copied, start - copied);
        out += it->second;
        copied = end;
    });
    out.append(text, copied);
    return out;
}

bool BatchPlan::valid() const {
    return problems.empty() && invalidRows() == 0;
}

int BatchPlan::invalidRows() const {
    return static_cast<int>(
        std::count_if(rows.begin(), rows.end(), [](const BatchRow& r) { return !r.problems.empty(); }));
}

std::vector<std::string> BatchPlan::report() const {
    std::vector<std::string> out = problems;
    for (const BatchRow& row : rows)
        for (const std::string& p : row.problems)
            out.push_back("row " + std::to_string(row.number) + " (line " + std::to_string(row.line) +
                          "): " + p);
    return out;
}

BatchPlan BatchPlan::make(const Project& project, const CsvTable& data, const std::string& outputPattern) {
    BatchPlan plan;
    Project probe = project;
    std::vector<std::string> used;
    for (const std::string* text : texts(probe))
        for (const std::string& name : Placeholders::names(*text))
            if (std::find(used.begin(), used.end(), name) == used.end())
                used.push_back(name);
    const std::vector<std::string> outputNames = Placeholders::names(outputPattern);
    for (const std::string& name : outputNames)
        if (std::find(used.begin(), used.end(), name) == used.end())
            used.push_back(name);
    for (const std::string& name : used)
        if (data.column(name) < 0)
            plan.problems.push_back("the column '" + name + "' that {{" + name +
                                    "}} needs is not in the data");
    if (outputNames.empty() && data.rows.size() > 1)
        plan.problems.push_back("the output name '" + outputPattern +
                                "' has no {{column}}: every row would write the same file");

    std::map<std::string, std::vector<std::size_t>> byOutput;
    for (std::size_t r = 0; r < data.rows.size(); ++r) {
        BatchRow row;
        row.number = static_cast<int>(r + 1);
        row.line = data.lines[r];
        std::map<std::string, std::string> values;
        for (std::size_t c = 0; c < data.header.size(); ++c)
            values[data.header[c]] = data.rows[r][c];
        for (const std::string& name : used) {
            const auto it = values.find(name);
            if (it != values.end() && trimmed(it->second).empty())
                row.problems.push_back("the value of '" + name + "' is empty");
        }
        for (const std::string& name : outputNames) {
            const auto it = values.find(name);
            if (it == values.end())
                continue;
            const std::string& v = it->second;
            if (v.find('/') != std::string::npos || v.find('\\') != std::string::npos || trimmed(v) == "." ||
                trimmed(v) == "..")
                row.problems.push_back("the value '" + v + "' of '" + name +
                                       "' would put the video outside the output folder");
        }
        row.project = project;
        for (std::string* text : texts(row.project))
            *text = Placeholders::fill(*text, values);
        row.output = std::filesystem::path(Placeholders::fill(outputPattern, values)).lexically_normal();
        std::string ext = row.output.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        if (row.problems.empty() && ext != ".mp4")
            row.problems.push_back("the output '" + row.output.string() + "' is not a .mp4 name");
        // A name from the data that is a symbolic link in the output folder would be written through (as the
        // command line does for a link the user names) and put the video wherever the link points.
        std::error_code ec;
        if (row.problems.empty() && !outputNames.empty() && std::filesystem::is_symlink(row.output, ec))
            row.problems.push_back("the output '" + row.output.string() +
                                   "' is a symbolic link: it would put the video outside the output folder");
        byOutput[row.output.string()].push_back(r);
        plan.rows.push_back(std::move(row));
    }
    for (const auto& [output, rows] : byOutput) {
        if (rows.size() < 2)
            continue;
        for (const std::size_t r : rows) {
            std::string others;
            for (const std::size_t o : rows)
                if (o != r)
                    others += (others.empty() ? "" : ", ") + std::to_string(o + 1);
            plan.rows[r].problems.push_back("the output '" + output + "' is also row " + others + "'s");
        }
    }
    return plan;
}

} // namespace avatar::project
