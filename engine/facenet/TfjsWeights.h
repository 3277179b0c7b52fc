#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace avatar {

// The weights of one TensorFlow.js model: a JSON manifest (groups of binary shard paths, and per weight its
// name, shape, dtype and optional quantisation {dtype uint8|uint16, scale, min}) next to its .bin shards.
// Values are dequantised to float (value = q * scale + min) so that the networks see one type; int32 entries
// (constants the converter left in the SSD model) are kept as rounded floats. LibTorch-free on purpose: the
// networks turn these into tensors in their own translation units, and the loader is testable without them.
class TfjsWeights {
public:
    struct Entry {
        std::vector<std::int64_t> shape; // TensorFlow order (filters: height, width, in, out)
        std::vector<float> values;       // row-major, product(shape) of them
        bool isInteger = false;
    };

    // Throws Error(NotFound) naming the manifest or shard that is missing, Error(Unreadable) naming the file
    // that is corrupt (not JSON, an unknown dtype, a shard shorter or longer than its weights).
    static TfjsWeights load(const std::filesystem::path& manifest);

    bool contains(const std::string& name) const { return m_entries.count(name) != 0; }
    // Throws Error(Unreadable) naming the manifest when `name` is not in it.
    const Entry& at(const std::string& name) const;
    std::vector<std::string> names() const;
    std::size_t size() const { return m_entries.size(); }
    const std::filesystem::path& manifest() const { return m_manifest; }

private:
    std::filesystem::path m_manifest;
    std::map<std::string, Entry> m_entries;
};

} // namespace avatar
