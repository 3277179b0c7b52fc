#include "BatchCommand.h"

#include "CliOptions.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/Json.h"
#include "project/BatchPlan.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace avatar::cli {

namespace fs = std::filesystem;

namespace {

struct BatchOptions {
    fs::path project;
    fs::path script;
    fs::path avatar;
    std::string voice;
    fs::path data;
    std::string output;
    bool skipInvalid = false;
    bool json = false;
    bool quiet = false;
    fs::path cacheDir;
    bool noCache = false;
};

BatchOptions parseBatch(const std::vector<std::string>& args) {
    BatchOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size())
                throw UsageError{a + " needs a value."};
            return args[++i];
        };
        if (a == "-o" || a == "--output")
            o.output = value();
        else if (a == "--script")
            o.script = value();
        else if (a == "--avatar")
            o.avatar = value();
        else if (a == "--voice")
            o.voice = value();
        else if (a == "--skip-invalid")
            o.skipInvalid = true;
        else if (a == "--json")
            o.json = true;
        else if (a == "-q" || a == "--quiet")
            o.quiet = true;
        else if (a == "--cache-dir")
            o.cacheDir = value();
        else if (a == "--no-cache")
            o.noCache = true;
        else if (!a.empty() && a[0] != '-' && fs::path(a).extension() == project::ProjectFile::kExtension)
            o.project = a;
        else if (!a.empty() && a[0] != '-' && o.data.empty())
            o.data = a;
        else
            throw UsageError{"'batch' does not take '" + a + "'. Run 'avatar-render batch --help'."};
    }
    if (o.data.empty())
        throw UsageError{"'batch' needs a CSV data file."};
    if (o.output.empty())
        throw UsageError{"'batch' needs -o with the output name, e.g. -o 'out/{{name}}.mp4'."};
    if (o.project.empty() == o.script.empty())
        throw UsageError{"'batch' needs either a project (.avatarproj) or --script FILE, not both."};
    if (!o.project.empty() && (!o.avatar.empty() || !o.voice.empty()))
        throw UsageError{"--avatar and --voice are set in the project."};
    if (o.noCache && !o.cacheDir.empty())
        throw UsageError{"Give either --cache-dir or --no-cache, not both."};
    return o;
}

// The one-scene project of `batch --script ... --avatar ...`.
project::Project oneScene(const BatchOptions& o) {
    std::ifstream in(o.script, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "The script '" + o.script.string() + "' cannot be read.");
    project::Project p;
    project::Scene scene;
    scene.script.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!o.avatar.empty())
        scene.presenter.portrait.path = fs::absolute(o.avatar);
    if (!o.voice.empty())
        scene.presenter.voice = o.voice;
    p.scenes.push_back(std::move(scene));
    return p;
}

} // namespace

std::string batchUsage() {
    return R"(Usage: avatar-render batch PROJECT.avatarproj DATA.csv -o 'out/{{name}}.mp4' [options]
       avatar-render batch --script FILE [--avatar IMAGE] [--voice ID] DATA.csv -o PATTERN [options]

One video per row of DATA.csv (RFC 4180, UTF-8 with or without BOM, a header row of column names):
{{column}} in the scripts, titles, lower thirds and the output name is replaced by the row's value.
Every row is checked first (missing columns, empty values, names leaving the output folder or
colliding); nothing renders while a row is invalid. Sentences without a placeholder render once and
are reused from the cache for every row.

Options:
  --skip-invalid     render the valid rows and list the others as warnings
  --cache-dir DIR    the render cache (default as for render); --no-cache: none
  --json             one JSON line with every row's result on stdout
  -q, --quiet        no per-row lines
)";
}

int runBatchCommand(const std::vector<std::string>& args, const CancelToken& cancel) {
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
        std::cout << batchUsage();
        return 0;
    }
    BatchOptions o;
    try {
        o = parseBatch(args);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        return 2;
    }
    try {
        const project::Project base =
            o.project.empty() ? oneScene(o) : project::ProjectFile::load(o.project).project;
        const project::CsvTable data = project::CsvTable::load(o.data);
        const project::BatchPlan plan = project::BatchPlan::make(base, data, o.output);
        for (const std::string& line : plan.report())
            std::fprintf(stderr, "avatar-render: %s%s\n", o.skipInvalid ? "warning: " : "", line.c_str());
        if (!plan.problems.empty() || (!plan.valid() && !o.skipInvalid)) {
            std::fprintf(stderr,
                         "avatar-render: %d of %zu rows are invalid; nothing was rendered (fix them, or "
                         "pass --skip-invalid).\n",
                         plan.problems.empty() ? plan.invalidRows() : static_cast<int>(plan.rows.size()),
                         plan.rows.size());
            return 1;
        }

        EngineServices services;
        std::unique_ptr<cache::Cache> cache;
        if (!o.noCache) {
            cache = openCache(o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir);
            services.cache = cache.get();
        }
        const project::ProjectRenderer renderer(services);
        JsonWriter json;
        json.beginObject().field("rows", static_cast<int>(plan.rows.size()));
        json.key("videos").beginArray();
        int rendered = 0;
        for (const project::BatchRow& row : plan.rows) {
            if (!row.problems.empty())
                continue;
            std::error_code ec;
            if (row.output.has_parent_path())
                fs::create_directories(row.output.parent_path(), ec);
            const project::ProjectRenderResult r = renderer.run(row.project, row.output, cancel);
            ++rendered;
            long long drawn = 0;
            for (const RenderResult& scene : r.scenes)
                drawn += scene.cache.framesRendered;
            json.beginObject()
                .field("row", row.number)
                .field("output", r.output.string())
                .field("duration", r.duration)
                .field("frames", r.frames)
                .field("frames_rendered", drawn)
                .field("seconds", r.totalSeconds)
                .endObject();
            if (!o.quiet && !o.json)
                std::fprintf(stderr,
                             "Wrote %s (row %d of %zu, %.1f s, %lld of %lld frames drawn) in %.1f s.\n",
                             r.output.c_str(), row.number, plan.rows.size(), r.duration, drawn, r.frames,
                             r.totalSeconds);
        }
        json.endArray().field("rendered", rendered).field("skipped", plan.invalidRows()).endObject();
        if (o.json)
            std::cout << json.str() << std::endl;
        return 0;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled) {
            std::fprintf(stderr, "avatar-render: interrupted; the videos written so far stay.\n");
            return 130;
        }
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    }
}

} // namespace avatar::cli
