// Project files (project/ProjectFile): a .avatarproj document parsed as the studio and avatar-render open
// one. Media paths resolve against a private folder, so hashing a named file finds nothing of the machine's.
#include "FuzzInput.h"
#include "project/ProjectFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string document = avatar::fuzz::text(data, size);
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::project::LoadedProject loaded =
            avatar::project::ProjectFile::parse(document, avatar::fuzz::scratchFolder(), "fuzz.avatarproj");
        // A project that was read can be written and read back (the studio saves what it opened).
        const std::string saved =
            avatar::project::ProjectFile::serialize(loaded.project, avatar::fuzz::scratchFolder());
        avatar::fuzz::expectSuccess([&] {
            return avatar::project::ProjectFile::parse(saved, avatar::fuzz::scratchFolder(),
                                                       "saved.avatarproj");
        });
    });
    return 0;
}
