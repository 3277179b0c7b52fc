#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace avatar {

// Where one of the project's modules lives: the path in `environmentVariable` when it is set, then
// `<prefix>/<installPath>` for the prefix the running program is installed under (/proc/self/exe's
// grandparent), then `buildPath` (the build tree, for tests and programs run from it).
std::vector<std::filesystem::path> pluginCandidates(const char* environmentVariable,
                                                    const std::filesystem::path& installPath,
                                                    const std::filesystem::path& buildPath);

// Opens the first candidate that loads and whose `symbol` `accept` takes, and returns that symbol; the module
// is never closed (its threads and static objects live as long as the process). Returns nullptr when none
// does, with one line per candidate in `tried` saying why (`rejected` is the reason for a symbol `accept`
// refused).
void* openPluginSymbol(const std::vector<std::filesystem::path>& candidates, const char* symbol,
                       const std::function<bool(void*)>& accept, const std::string& rejected,
                       std::string& tried);

} // namespace avatar
