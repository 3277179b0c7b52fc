#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace avatar::cache {

// What is cached: opaque bytes (PCM + phone timeline, serialised landmarks, an encoded segment). Values are
// shared and immutable so that a hit hands out a reference, not a copy of megabytes, under a shard's lock.
using Blob = std::vector<std::uint8_t>;
using BlobPtr = std::shared_ptr<const Blob>;

// Milliseconds on the wall clock (L2's last-access times are shared between processes, so a steady clock
// would not do). Tests install a fake one.
using CacheClock = std::function<std::int64_t()>;
CacheClock systemCacheClock();

// One-line warnings for the log (corrupt database moved aside, disk full, ...). Called on the caller's
// thread.
using CacheWarningCallback = std::function<void(const std::string& message)>;

// How a new key may enter L1. Steered by the learned access classes and the scan detector.
enum class Admission {
    Normal,     // window, then main if TinyLFU says its frequency beats main's victim
    WindowOnly, // a key in the one-hit/scan class: kept in the window, never promoted to main
    Bypass,     // a new key during a detected scan: not stored in L1 at all (L2 still gets it)
};

} // namespace avatar::cache
