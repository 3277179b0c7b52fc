#pragma once

#include <filesystem>

namespace avatar {

// Databases and caches hold what a user wrote (scripts, job settings, faces they named): they are created
// readable by their owner only, whatever the umask, and opened without following a planted symbolic link.
struct PrivateFiles {
    // Creates `dir` and any missing parents, each created one with mode 0700 (existing ones are left as
    // they are). False when it cannot be created or is not a folder.
    static bool createFolder(const std::filesystem::path& dir);
    // Before SQLite opens `file`: creates it empty with mode 0600 when it does not exist (SQLite gives its
    // -wal and -shm files the database's mode), and its missing parent folders 0700. Does nothing when it
    // exists; SQLite reports what is wrong with it.
    static void prepareDatabase(const std::filesystem::path& file);
};

} // namespace avatar
