#pragma once

#include "Project.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace avatar::project {

// Something about a project's media noticed when it was opened: a file that is no longer where the project
// says (moved or deleted), or one whose content differs from when the project was saved.
struct MediaNotice {
    enum class Kind { Missing, Changed };
    Kind kind = Kind::Missing;
    std::string role; // "the portrait of scene 2", "the logo"
    std::filesystem::path path;
    // One sentence for the user, without a prefix.
    std::string message() const;
};

struct LoadedProject {
    Project project;
    int fileVersion = 0; // the schema version the file was written in (older ones are upgraded on load)
    std::vector<MediaNotice> notices;
};

// The .avatarproj file: a versioned JSON document (docs in README.md). Reading accepts every older schema
// version; a newer or damaged file is refused with one clear error, and save() never replaces such a file.
class ProjectFile {
public:
    static constexpr int kSchemaVersion = 3;
    static constexpr std::string_view kExtension = ".avatarproj";
    static constexpr std::string_view kFormatName = "avatar-studio-project";

    // Throws Error(NotFound) when the file is missing, Error(Unreadable) when it is damaged (not JSON, not a
    // project, a field of the wrong type) and Error(InvalidInput) when a newer version of the program wrote
    // it. Media paths come back absolute; their files are checked against the saved hashes (notices).
    static LoadedProject load(const std::filesystem::path& file);
    // The same from the document's text; relative media paths are resolved against `folder`. `name` is
    // what error messages call the document.
    static LoadedProject parse(std::string_view text, const std::filesystem::path& folder,
                               const std::string& name);

    // Writes the project atomically, media paths relative to the file's folder and hashed. Throws
    // Error(InvalidInput) and leaves the file alone when it exists and is not a project this version can
    // read (newer or damaged: it may hold work that saving would lose), Error(Io) when it cannot be written.
    static void save(const Project& project, const std::filesystem::path& file);
    // The document save() writes, for a project file in `folder`.
    static std::string serialize(const Project& project, const std::filesystem::path& folder);

    // SHA-256 of a file's content, lower-case hex. Throws Error(NotFound) / Error(Unreadable).
    static std::string hashFile(const std::filesystem::path& file);
};

} // namespace avatar::project
