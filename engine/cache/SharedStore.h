#pragma once

#include "CacheTypes.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

namespace avatar::cache {

struct SharedStoreOptions {
    std::filesystem::path dir; // a folder every node of a cluster mounts
    // Kinds of value that are claimed while one node computes them, so the others wait for it instead of
    // computing the same thing (a sentence every row of a batch says). Speech too, not for its cost: two
    // processes synthesising one sentence may get samples that differ in the last bits, and then poses and
    // segment keys differ; taking the first node's speech keeps one segment for the sentence.
    std::set<std::string> claimedKinds{"segment", "tts", "face"};
    // A claim older than this is taken for abandoned (a node lost mid-render) and taken over.
    std::chrono::seconds claimTimeout{120};
    // After a failure the tier is left alone this long, then tried again.
    std::chrono::seconds retryAfter{30};
};

// L3 (issue #16): content-addressed files on a shared filesystem, behind L1 and L2, so the nodes of a render
// farm share what any of them rendered. A value is written under a temporary name and renamed into place
// (atomic on one filesystem, NFS included), so a reader sees a whole file or none and concurrent writers of
// one key (which write equal bytes: the key is the content's hash) cannot interleave; each file carries a
// SHA-256 of its bytes, checked on read. Never throws: a folder that is missing, unmounted or failing makes
// one warning, and the cache goes on with its local levels (docs/FARM.md has the measurements behind the
// choice of files over Redis).
class SharedStore {
public:
    SharedStore(SharedStoreOptions options, CacheWarningCallback onWarning);
    ~SharedStore(); // removes the claims it still holds
    SharedStore(const SharedStore&) = delete;
    SharedStore& operator=(const SharedStore&) = delete;

    // The value, or null. For a claimed kind a miss claims the key for this process (the caller computes and
    // put()s it); while another live process holds the claim, waits for its value.
    BlobPtr get(const std::string& id, const std::string& kind);
    void put(const std::string& id, const Blob& value);

    struct Stats {
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
        std::uint64_t writes = 0;
        std::uint64_t waits = 0; // gets that waited for another process's claim
        std::uint64_t errors = 0;
        bool available = false;
    };
    Stats stats() const;

private:
    std::filesystem::path fileOf(const std::string& id) const;
    BlobPtr read(const std::filesystem::path& file);
    bool usable();
    void failed(const std::string& why);
    bool claim(const std::string& id);
    void release(const std::string& id);
    bool claimAlive(const std::filesystem::path& claimFile) const;

    SharedStoreOptions m_options;
    CacheWarningCallback m_onWarning;
    std::string m_owner;        // "host pid", written into claims
    mutable std::mutex m_mutex; // m_claims, m_retryAt, m_down, m_warned
    std::set<std::string> m_claims;
    std::chrono::steady_clock::time_point m_retryAt{};
    bool m_down = false;
    bool m_warned = false;
    std::atomic<std::uint64_t> m_hits{0}, m_misses{0}, m_writes{0}, m_waits{0}, m_errors{0};
};

} // namespace avatar::cache
