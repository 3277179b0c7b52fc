#include "StaleFiles.h"

#include "pipeline/RenderPipeline.h"

#include <cctype>

namespace avatar {

bool isTemporaryOf(const std::filesystem::path& file, const std::filesystem::path& target) {
    const std::string name = file.filename().string();
    const std::string prefix = target.filename().string() + ".part-";
    if (name.size() <= prefix.size() || name.size() > prefix.size() + 16 ||
        name.compare(0, prefix.size(), prefix))
        return false;
    for (std::size_t i = prefix.size(); i < name.size(); ++i)
        if (!std::isxdigit(static_cast<unsigned char>(name[i])))
            return false;
    return true;
}

bool isWritabilityProbe(const std::filesystem::path& file) {
    // mkostemp's six random characters after the prefix.
    const std::string name = file.filename().string();
    const std::string prefix = RenderPipeline::kProbePrefix;
    return name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::filesystem::path> removeStaleTemporaries(const RenderSpec& spec) {
    namespace fs = std::filesystem;
    std::vector<fs::path> targets = {spec.output};
    for (const fs::path& f : RenderPipeline::captionFiles(spec))
        targets.push_back(f);
    std::vector<fs::path> removed;
    for (const fs::path& output : targets) {
        if (output.empty())
            continue;
        // The encoder writes beside the file that will really be replaced (symbolic links followed).
        const fs::path target = RenderPipeline::resolveOutput(output);
        const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (!it->is_regular_file(ec))
                continue;
            if ((isTemporaryOf(it->path(), target) || isWritabilityProbe(it->path())) &&
                fs::remove(it->path(), ec))
                removed.push_back(it->path());
        }
    }
    return removed;
}

} // namespace avatar
