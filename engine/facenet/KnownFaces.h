#pragma once

#include "FaceNet.h"
#include "core/SqliteDatabase.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace avatar {

// A library of named faces: a SQLite file of name → 128-D face-api descriptors (one row per added image,
// so that a person added from several photos is matched against each). Recognition is the nearest stored
// descriptor when it is closer than kMatchDistance. Not thread-safe (one connection); the file may be shared
// by processes (SQLite's locking).
class KnownFaces {
public:
    using Descriptor = std::array<float, FaceNetFace::kDescriptorSize>;
    // Stricter than face-api's customary 0.6: the sample photos hold different people at 0.5..0.6, and
    // naming a stranger is worse than naming no one.
    static constexpr double kMatchDistance = 0.5;

    struct Match {
        std::string name;
        double distance = 0;
    };

    // Opens or creates `file`. Throws Error(Io) naming it when it cannot, Error(Unreadable) when it is not
    // a known-faces database.
    explicit KnownFaces(const std::filesystem::path& file);
    ~KnownFaces();
    KnownFaces(const KnownFaces&) = delete;
    KnownFaces& operator=(const KnownFaces&) = delete;

    // `source` says where the descriptor came from (a file name), for listings. Throws Error(InvalidInput)
    // for an empty name or an all-zero descriptor, Error(Io) when the row cannot be written.
    void add(const std::string& name, const Descriptor& descriptor, const std::string& source);
    // The nearest known face under `maxDistance`; nullopt when none is that close (or the library is empty).
    std::optional<Match> recognise(const Descriptor& descriptor, double maxDistance = kMatchDistance) const;
    // Every name with the number of descriptors stored for it, sorted by name.
    std::vector<std::pair<std::string, int>> names() const;

private:
    struct Entry {
        std::string name;
        Descriptor descriptor;
    };
    void exec(const char* sql) const;
    void load();

    std::filesystem::path m_file;
    SqliteDatabase m_db;
    std::vector<Entry> m_entries; // the whole table: a few thousand faces at most, 0.5 KB each
};

} // namespace avatar
