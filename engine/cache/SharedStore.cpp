#include "SharedStore.h"

#include "Sha256.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <signal.h>
#include <thread>
#include <unistd.h>

namespace avatar::cache {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'A', 'V', 'S', 'H', 'A', 'R', 'E', '1'};
constexpr std::size_t kHeader = sizeof(kMagic) + 8 + 32;
constexpr auto kPoll = std::chrono::milliseconds(50);

std::string hostName() {
    char name[256] = {};
    ::gethostname(name, sizeof(name) - 1);
    return name;
}

std::string tempSuffix() {
    // (A fresh draw from the system's generator, not a thread_local engine: the engine is opened with dlopen
    // by avatar-render's launcher, and 2.5 KB of thread-local state would not fit the static TLS it can get.)
    std::random_device random;
    const std::uint64_t value = (std::uint64_t{random()} << 32) | random();
    return ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(value);
}

} // namespace

SharedStore::SharedStore(SharedStoreOptions options, CacheWarningCallback onWarning)
    : m_options(std::move(options)), m_onWarning(std::move(onWarning)),
      m_owner(hostName() + " " + std::to_string(::getpid())) {
    usable(); // says at once when the folder is not there
}

SharedStore::~SharedStore() {
    std::lock_guard lock(m_mutex);
    std::error_code ec;
    for (const std::string& id : m_claims)
        fs::remove(fs::path(fileOf(id)) += ".claim", ec);
}

fs::path SharedStore::fileOf(const std::string& id) const {
    std::string name = id;
    for (char& c : name)
        if (c == ':' || c == '/')
            c = '-';
    const auto dash = name.find('-');
    const std::string fan =
        dash != std::string::npos && name.size() >= dash + 3 ? name.substr(dash + 1, 2) : "00";
    return m_options.dir / fan / name;
}

bool SharedStore::usable() {
    std::lock_guard lock(m_mutex);
    if (m_down && std::chrono::steady_clock::now() < m_retryAt)
        return false;
    std::error_code ec;
    if (!fs::is_directory(m_options.dir, ec)) {
        m_down = true;
        m_retryAt = std::chrono::steady_clock::now() + m_options.retryAfter;
        ++m_errors;
        if (!m_warned && m_onWarning)
            m_onWarning("the shared cache '" + m_options.dir.string() +
                        "' is not there; this process uses its local cache only.");
        m_warned = true;
        return false;
    }
    m_down = false;
    return true;
}

void SharedStore::failed(const std::string& why) {
    std::lock_guard lock(m_mutex);
    ++m_errors;
    m_down = true;
    m_retryAt = std::chrono::steady_clock::now() + m_options.retryAfter;
    if (!m_warned && m_onWarning)
        m_onWarning("the shared cache '" + m_options.dir.string() + "' failed (" + why +
                    "); this process uses its local cache only.");
    m_warned = true;
}

BlobPtr SharedStore::read(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            failed(std::strerror(errno));
        return nullptr;
    }
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[1 << 16];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof(buffer))) > 0)
        bytes.insert(bytes.end(), buffer, buffer + n);
    const int readErrno = errno;
    ::close(fd);
    if (n < 0) {
        failed(std::strerror(readErrno));
        return nullptr;
    }
    std::uint64_t length = 0;
    for (int i = 0; i < 8 && bytes.size() >= kHeader; ++i)
        length |= std::uint64_t{bytes[sizeof(kMagic) + i]} << (8 * i);
    if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0 ||
        length != bytes.size() - kHeader) {
        std::error_code ec;
        fs::remove(file, ec); // a foreign or cut file (only a rename makes one, so it was put there by hand)
        return nullptr;
    }
    Sha256 sha;
    sha.update(std::span<const std::uint8_t>(bytes.data() + kHeader, length));
    const Sha256::Digest digest = sha.finish();
    if (std::memcmp(digest.data(), bytes.data() + sizeof(kMagic) + 8, digest.size()) != 0) {
        std::error_code ec;
        fs::remove(file, ec);
        return nullptr;
    }
    return std::make_shared<const Blob>(bytes.begin() + static_cast<std::ptrdiff_t>(kHeader), bytes.end());
}

bool SharedStore::claimAlive(const fs::path& claimFile) const {
    std::error_code ec;
    const auto written = fs::last_write_time(claimFile, ec);
    if (ec)
        return false;
    if (fs::file_time_type::clock::now() - written > m_options.claimTimeout)
        return false;
    // A claim of a process of this host that is gone is dead at once (a task killed by scancel).
    std::ifstream in(claimFile);
    std::string host;
    long pid = 0;
    if (in >> host >> pid && host == hostName() && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
        errno == ESRCH)
        return false;
    return true;
}

bool SharedStore::claim(const std::string& id) {
    const fs::path claimFile = fs::path(fileOf(id)) += ".claim";
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int fd = ::open(claimFile.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            // An empty claim (the write failed) still claims: its age decides when it is abandoned.
            const std::string text = m_owner + "\n";
            [[maybe_unused]] const ssize_t written = ::write(fd, text.data(), text.size());
            ::close(fd);
            std::lock_guard lock(m_mutex);
            m_claims.insert(id);
            return true;
        }
        if (errno != EEXIST)
            return false;
        if (claimAlive(claimFile))
            return false;
        std::error_code ec;
        fs::remove(claimFile, ec); // abandoned: take it over
    }
    return false;
}

void SharedStore::release(const std::string& id) {
    std::lock_guard lock(m_mutex);
    if (m_claims.erase(id)) {
        std::error_code ec;
        fs::remove(fs::path(fileOf(id)) += ".claim", ec);
    }
}

BlobPtr SharedStore::get(const std::string& id, const std::string& kind) {
    if (!usable())
        return nullptr;
    const fs::path file = fileOf(id);
    if (BlobPtr value = read(file)) {
        ++m_hits;
        return value;
    }
    if (m_options.claimedKinds.count(kind)) {
        {
            std::lock_guard lock(m_mutex);
            if (m_claims.count(id)) { // ours: this process computes it
                ++m_misses;
                return nullptr;
            }
        }
        std::error_code ec;
        fs::create_directories(file.parent_path(), ec);
        bool waited = false;
        while (!claim(id)) {
            // Another live process computes it: wait for its value, or for its claim to go away.
            if (!waited)
                ++m_waits;
            waited = true;
            std::this_thread::sleep_for(kPoll);
            if (BlobPtr value = read(file)) {
                ++m_hits;
                return value;
            }
            if (!usable())
                return nullptr;
        }
        if (BlobPtr value = read(file)) { // written between our read and our claim
            release(id);
            ++m_hits;
            return value;
        }
    }
    ++m_misses;
    return nullptr;
}

void SharedStore::put(const std::string& id, const Blob& value) {
    if (!usable()) {
        release(id);
        return;
    }
    const fs::path file = fileOf(id);
    std::error_code ec;
    if (fs::exists(file, ec)) { // content-addressed: the same key holds the same bytes
        release(id);
        return;
    }
    fs::create_directories(file.parent_path(), ec);
    const fs::path temp = fs::path(file) += tempSuffix();
    Sha256 sha;
    sha.update(std::span<const std::uint8_t>(value.data(), value.size()));
    const Sha256::Digest digest = sha.finish();
    std::uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = static_cast<std::uint8_t>(std::uint64_t{value.size()} >> (8 * i));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(kMagic, sizeof(kMagic));
        out.write(reinterpret_cast<const char*>(length), sizeof(length));
        out.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
        out.write(reinterpret_cast<const char*>(value.data()), static_cast<std::streamsize>(value.size()));
        out.flush();
        if (!out) {
            out.close();
            fs::remove(temp, ec);
            release(id);
            failed("cannot write '" + temp.string() + "'");
            return;
        }
    }
    fs::rename(temp, file, ec);
    if (ec) {
        fs::remove(temp, ec);
        release(id);
        failed(ec.message());
        return;
    }
    ++m_writes;
    release(id);
}

SharedStore::Stats SharedStore::stats() const {
    Stats s;
    s.hits = m_hits;
    s.misses = m_misses;
    s.writes = m_writes;
    s.waits = m_waits;
    s.errors = m_errors;
    {
        std::lock_guard lock(m_mutex);
        s.available = !m_down;
    }
    return s;
}

} // namespace avatar::cache
