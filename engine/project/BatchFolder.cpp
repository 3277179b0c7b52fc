#include "BatchFolder.h"

#include "ProjectFile.h"
#include "core/AtomicFile.h"
#include "core/Error.h"
#include "core/Json.h"
#include "core/JsonValue.h"

#include <fstream>
#include <iterator>

namespace avatar::project {

namespace fs = std::filesystem;

namespace {

constexpr int kVersion = 1;

[[noreturn]] void damaged(const fs::path& file, const std::string& why) {
    throw Error(ErrorCode::Unreadable,
                "The batch settings '" + file.string() + "' are damaged: " + why + ".");
}

} // namespace

fs::path BatchFolder::jobsFile(int task) const {
    return dir / "jobs" / ("task-" + std::to_string(task) + ".jobs");
}

BatchFolder BatchFolder::create(const fs::path& dir, const Project& project, const fs::path& data,
                                const std::string& output, int tasks, const fs::path& cacheDir, bool noCache,
                                const fs::path& sharedCache) {
    BatchFolder f;
    f.dir = fs::absolute(dir);
    f.output = output;
    f.tasks = tasks;
    f.cacheDir = cacheDir.empty() ? fs::path() : fs::absolute(cacheDir);
    f.noCache = noCache;
    f.sharedCache = sharedCache.empty() ? fs::path() : fs::absolute(sharedCache);
    f.source = fs::absolute(data);
    std::error_code ec;
    if (fs::exists(f.settingsFile(), ec))
        throw Error(ErrorCode::InvalidInput,
                    "The folder '" + f.dir.string() + "' already holds a batch; choose another --batch-dir.");
    fs::create_directories(f.dir / "jobs", ec);
    fs::create_directories(f.logsDir(), ec);
    if (ec)
        throw Error(ErrorCode::Io,
                    "Cannot create the batch folder '" + f.dir.string() + "': " + ec.message() + ".");
    ProjectFile::save(project, f.projectFile());
    if (!fs::copy_file(data, f.dataFile(), fs::copy_options::overwrite_existing, ec))
        throw Error(ErrorCode::Io,
                    "Cannot copy '" + data.string() + "' into the batch folder: " + ec.message() + ".");
    f.save();
    return f;
}

BatchFolder BatchFolder::open(const fs::path& dir) {
    BatchFolder f;
    f.dir = fs::absolute(dir);
    std::ifstream in(f.settingsFile(), std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "'" + f.dir.string() + "' is not a batch folder (no batch.json).");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    JsonValue json;
    try {
        json = JsonValue::parse(text);
    } catch (const Error& e) {
        damaged(f.settingsFile(), e.what());
    }
    const JsonValue* version = json.find("version");
    const JsonValue* out = json.find("output");
    const JsonValue* tasks = json.find("tasks");
    if (!version || !out || !tasks || out->string().empty() || tasks->number() < 1)
        damaged(f.settingsFile(), "'version', 'output' or 'tasks' is missing");
    if (version->number() > kVersion)
        throw Error(ErrorCode::InvalidInput,
                    "The batch folder '" + f.dir.string() + "' was written by a newer avatar-render.");
    f.output = out->string();
    f.tasks = static_cast<int>(tasks->number());
    if (const JsonValue* c = json.find("cache_dir"))
        f.cacheDir = c->string();
    if (const JsonValue* n = json.find("no_cache"))
        f.noCache = n->boolean();
    if (const JsonValue* shared = json.find("shared_cache"))
        f.sharedCache = shared->string();
    if (const JsonValue* source = json.find("source"); source && source->type() == JsonValue::Type::String)
        f.source = source->string(); // absent in folders written before it was kept
    if (const JsonValue* jobs = json.find("slurm_jobs"))
        for (const JsonValue& id : jobs->array())
            f.slurmJobs.push_back(id.string());
    return f;
}

void BatchFolder::save() const {
    JsonWriter w;
    w.beginObject()
        .field("version", kVersion)
        .field("output", output)
        .field("tasks", tasks)
        .field("cache_dir", cacheDir.string())
        .field("no_cache", noCache)
        .field("shared_cache", sharedCache.string())
        .field("source", source.string());
    w.key("slurm_jobs").beginArray();
    for (const std::string& id : slurmJobs)
        w.value(id);
    w.endArray().endObject();
    AtomicFile::write(settingsFile(), w.str() + "\n");
}

} // namespace avatar::project
