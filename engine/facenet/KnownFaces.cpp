#include "KnownFaces.h"

#include "core/Error.h"
#include "core/PrivateFiles.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <sqlite3.h>

namespace avatar {
namespace {

// Finalizes on every path out of a query.
struct Statement {
    sqlite3_stmt* stmt = nullptr;
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
            stmt = nullptr;
    }
    ~Statement() { sqlite3_finalize(stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
};

} // namespace

KnownFaces::KnownFaces(const std::filesystem::path& file) : m_file(file) {
    PrivateFiles::prepareDatabase(file); // owner only: the faces a user named
    if (sqlite3_open_v2(file.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        const std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        throw Error(ErrorCode::Io, "Cannot open the known-faces file '" + file.string() + "': " + why + ".");
    }
    sqlite3_busy_timeout(m_db, 5000);
    try {
        exec(
            "CREATE TABLE IF NOT EXISTS known_faces (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "descriptor BLOB NOT NULL, source TEXT NOT NULL, added TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
        load();
    } catch (...) {
        sqlite3_close(m_db);
        throw;
    }
}

KnownFaces::~KnownFaces() {
    sqlite3_close(m_db);
}

void KnownFaces::exec(const char* sql) const {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        // Anything but a database (a text file, say) fails here first.
        throw Error(ErrorCode::Unreadable,
                    "'" + m_file.string() + "' is not a known-faces file: " + why + ".");
    }
}

void KnownFaces::load() {
    Statement s(m_db, "SELECT name, descriptor FROM known_faces ORDER BY id");
    if (!s.stmt)
        throw Error(ErrorCode::Unreadable,
                    "'" + m_file.string() + "' is not a known-faces file: " + sqlite3_errmsg(m_db) + ".");
    m_entries.clear();
    while (sqlite3_step(s.stmt) == SQLITE_ROW) {
        Entry e;
        e.name = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 0));
        // Descriptors are stored as 128 native float32 (this file stays on the machine that wrote it); a row
        // of another size is skipped rather than read out of bounds.
        if (sqlite3_column_bytes(s.stmt, 1) != static_cast<int>(sizeof(Descriptor)))
            continue;
        std::memcpy(e.descriptor.data(), sqlite3_column_blob(s.stmt, 1), sizeof(Descriptor));
        m_entries.push_back(std::move(e));
    }
}

void KnownFaces::add(const std::string& name, const Descriptor& descriptor, const std::string& source) {
    if (name.empty())
        throw Error(ErrorCode::InvalidInput, "A known face needs a name.");
    if (std::all_of(descriptor.begin(), descriptor.end(), [](float v) { return v == 0.0f; }))
        throw Error(ErrorCode::InvalidInput, "The face in '" + source + "' has no descriptor to remember.");
    Statement s(m_db, "INSERT INTO known_faces (name, descriptor, source) VALUES (?, ?, ?)");
    if (!s.stmt || sqlite3_bind_text(s.stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_blob(s.stmt, 2, descriptor.data(), sizeof(Descriptor), SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(s.stmt, 3, source.c_str(), -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(s.stmt) != SQLITE_DONE)
        throw Error(ErrorCode::Io, "Cannot write to the known-faces file '" + m_file.string() +
                                       "': " + sqlite3_errmsg(m_db) + ".");
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
