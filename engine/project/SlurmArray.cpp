#include "SlurmArray.h"

#include "core/AtomicFile.h"
#include "core/Error.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace avatar::project {

namespace fs = std::filesystem;

fs::path SlurmArray::findOnPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0)
            return fs::absolute(fs::path(dir) / program);
    return {};
}

std::string SlurmArray::shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::optional<std::string> SlurmArray::capture(const std::string& command, std::string* error) {
    // stderr goes to a file of its own so that a refusal can be shown where there is no terminal (the
    // studio), and never mixes with the job id on stdout.
    char errName[] = "/tmp/avatar-slurm-XXXXXX";
    const int errFd = ::mkstemp(errName);
    const std::string redirect = errFd >= 0 ? " 2>" + shellQuote(errName) : std::string();
    if (errFd >= 0)
        ::close(errFd);
    FILE* pipe = ::popen((command + redirect).c_str(), "r");
    std::string out;
    int status = -1;
    if (pipe) {
        std::array<char, 4096> buffer{};
        while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
            out.append(buffer.data(), n);
        status = ::pclose(pipe);
    }
    std::string err;
    if (errFd >= 0) {
        std::ifstream in(errName, std::ios::binary);
        err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        ::unlink(errName);
    }
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (error)
            *error = err.substr(0, err.find_last_not_of(" \n") + 1);
        return std::nullopt;
    }
    return out;
}

void SlurmArray::writeScript(const BatchFolder& folder, const SlurmSettings& o,
                             const fs::path& renderProgram) {
    std::string s =
        "#!/bin/sh\n"
        "# Written by avatar-render batch --slurm: each array task renders its rows of the batch\n"
        "# in this folder (row R is task (R - 1) mod " +
        std::to_string(folder.tasks) +
        ") and resumes them when requeued.\n"
        "#SBATCH --job-name=avatar-batch\n"
        "#SBATCH --array=0-" +
        std::to_string(folder.tasks - 1) +
        "\n#SBATCH --output=" + (folder.logsDir() / "task-%a.log").string() + "\n#SBATCH --requeue\n";
    if (!o.partition.empty())
        s += "#SBATCH --partition=" + o.partition + "\n";
    if (!o.time.empty())
        s += "#SBATCH --time=" + o.time + "\n";
    if (o.cpusPerTask > 0)
        s += "#SBATCH --cpus-per-task=" + std::to_string(o.cpusPerTask) + "\n";
    s += "exec " + shellQuote(renderProgram.string()) + " batch --shard " + shellQuote(folder.dir.string()) +
         " -q\n";
    AtomicFile::write(folder.scriptFile(), s);
    fs::permissions(folder.scriptFile(), fs::perms::owner_exec, fs::perm_options::add);
}

std::string SlurmArray::submit(BatchFolder& folder, const std::string& tasks) {
    if (!available())
        throw Error(ErrorCode::InvalidInput, "sbatch is not on the PATH; the batch folder '" +
                                                 folder.dir.string() + "' is ready: submit " +
                                                 folder.scriptFile().string() +
                                                 " with sbatch on the cluster.");
    std::string error;
    const std::optional<std::string> out = capture(
        "sbatch --parsable --array=" + tasks + " " + shellQuote(folder.scriptFile().string()), &error);
    const std::string id = out ? out->substr(0, out->find_first_of(";\n")) : std::string();
    if (id.empty())
        throw Error(ErrorCode::InvalidInput, "sbatch refused the batch in '" + folder.dir.string() +
                                                 "': " + (error.empty() ? std::string("no job id") : error));
    folder.slurmJobs.push_back(id);
    folder.save();
    return id;
}

BatchFolder SlurmArray::submitNew(const FarmSubmission& o, const Project& project, const fs::path& data,
                                  const std::string& output) {
    const int tasks = o.tasks > 0 ? o.tasks : FarmSubmission::kDefaultTasks;
    BatchFolder folder =
        BatchFolder::create(o.batchDir, project, data, output, tasks, o.cacheDir, o.noCache, o.sharedCache);
    writeScript(folder, o.slurm, o.renderProgram);
    if (!o.dryRun)
        submit(folder, "0-" + std::to_string(tasks - 1));
    return folder;
}

} // namespace avatar::project
