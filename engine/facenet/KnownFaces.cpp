#include "KnownFaces.h"

#include "core/Error.h"
#include "core/SqliteDatabase.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <sqlite3.h>

namespace avatar {
KnownFaces::KnownFaces(const std::filesystem::path& file) : m_file(file) {
    // Owner only (SqliteDatabase): the faces a user named.
    if (std::string why; m_db.open(file, 5000, why) != SQLITE_OK)
        throw Error(ErrorCode::Io, "Cannot open the known-faces file '" + file.string() + "': " + why + ".");
    exec("CREATE TABLE IF NOT EXISTS known_faces (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
         "descriptor BLOB NOT NULL, source TEXT NOT NULL, added TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    load();
}

KnownFaces::~KnownFaces() = default;

void KnownFaces::exec(const char* sql) const {
    if (std::string why; m_db.exec(sql, &why) != SQLITE_OK) {
        // Anything but a database (a text file, say) fails here first.
        throw Error(ErrorCode::Unreadable,
                    "'" + m_file.string() + "' is not a known-faces file: " + why + ".");
    }
}

void KnownFaces::load() {
    SqliteStatement s(m_db, "SELECT name, descriptor FROM known_faces ORDER BY id");
    if (!s.ok())
        throw Error(ErrorCode::Unreadable,
                    "'" + m_file.string() + "' is not a known-faces file: " + m_db.message() + ".");
    m_entries.clear();
    while (s.step() == SQLITE_ROW) {
        Entry e;
        e.name = s.text(0);
        // Descriptors are stored as 128 native float32 (this file stays on the machine that wrote it); a row
        // of another size is skipped rather than read out of bounds.
        if (s.bytes(1) != sizeof(Descriptor))
            continue;
        std::memcpy(e.descriptor.data(), s.blob(1), sizeof(Descriptor));
        m_entries.push_back(std::move(e));
    }
}

void KnownFaces::add(const std::string& name, const Descriptor& descriptor, const std::string& source) {
    if (name.empty())
        throw Error(ErrorCode::InvalidInput, "A known face needs a name.");
    if (std::all_of(descriptor.begin(), descriptor.end(), [](float v) { return v == 0.0f; }))
        throw Error(ErrorCode::InvalidInput, "The face in '" + source + "' has no descriptor to remember.");
    SqliteStatement s(m_db, "INSERT INTO known_faces (name, descriptor, source) VALUES (?, ?, ?)");
    if (!s.ok() ||
        s.bind(1, name).bindBlob(2, descriptor.data(), sizeof(Descriptor)).bind(3, source).step() !=
            SQLITE_DONE)
        throw Error(ErrorCode::Io, "Cannot write to the known-faces file '" + m_file.string() +
                                       "': " + m_db.message() + ".");
    m_entries.push_back({name, descriptor});
}

std::optional<KnownFaces::Match> KnownFaces::recognise(const Descriptor& descriptor,
                                                       double maxDistance) const {
    std::optional<Match> best;
    for (const Entry& e : m_entries) {
        const double d = FaceNet::distance(descriptor, e.descriptor);
        if (d < maxDistance && (!best || d < best->distance))
            best = Match{e.name, d};
    }
    return best;
}

std::vector<std::pair<std::string, int>> KnownFaces::names() const {
    std::map<std::string, int> counts;
    for (const Entry& e : m_entries)
        ++counts[e.name];
    return {counts.begin(), counts.end()};
}

} // namespace avatar
