#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace avatar {

struct Scene;

// Portraits prepared for drawing (a Scene: the portrait fitted to the frame, its face rig, mouth interior and
// sealed lips), kept for the next job on the same portrait, face, framing and size: a batch renders one
// portrait hundreds of times, and building its Scene (decoding the portrait, the blurred fill, the rig, the
// teeth) costs more than looking up its landmarks. This is the tier table's "model cache size"
// (TierSettings::modelCacheSize): how many are kept, the least recently used going first. A Scene is
// read-only once built, so jobs running at once share one.
class PreparedScenes {
public:
    struct Entry {
        std::shared_ptr<const Scene> scene;
        std::vector<std::string> warnings; // what building it said (a soft portrait), said again on each use
    };

    explicit PreparedScenes(std::size_t capacity) : m_capacity(capacity) {}

    std::optional<Entry> find(const std::string& key);
    void put(const std::string& key, Entry entry);
    // Applies a tier's size at once (dropping the least recently used beyond it).
    void setCapacity(std::size_t capacity);
    std::size_t capacity() const;
    std::size_t size() const;

private:
    void trim(); // with m_mutex held

    mutable std::mutex m_mutex;
    std::size_t m_capacity;
    std::list<std::pair<std::string, Entry>> m_entries; // most recently used first
};

} // namespace avatar
