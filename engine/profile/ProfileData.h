#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace avatar {

// What a Profiler recorded, in nanoseconds since the profiler was made. Plain data: the analyses and the
// exporters read it, and tests build it by hand.
struct ThreadInfo {
    std::uint64_t id = 0; // the OS thread id (what perf and top show)
    std::string name;     // "render-0", ...; the pthread name when the thread first recorded
};

struct ZoneRecord {
    std::string name;       // "render.frame": the part before the first '.' is the stage
    std::size_t thread = 0; // index into ProfileData::threads
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    int depth = 0;         // zones open on the same thread around this one
    std::uint32_t job = 0; // 0 when recorded outside a ProfileJobScope
    std::int64_t durationNs() const { return endNs - startNs; }
};

struct CounterSample {
    std::string name;
    std::size_t thread = 0;
    std::int64_t timeNs = 0;
    double value = 0.0;
};

// An instant with a message, e.g. a scaler decision ("scale 4 -> 6: cpu 97%").
struct MarkerRecord {
    std::string category;
    std::string message;
    std::size_t thread = 0;
    std::int64_t timeNs = 0;
};

struct ProfileData {
    std::int64_t processId = 0;
    std::vector<ThreadInfo> threads;
    std::vector<ZoneRecord> zones; // sorted by thread, then start, then outer before inner
    std::vector<CounterSample> counters;
    std::vector<MarkerRecord> markers;
    std::uint64_t droppedEvents = 0;

    // The earliest start and the latest end over zones, counters and markers (0, 0 when empty).
    std::int64_t beginNs() const;
    std::int64_t endNs() const;
    // Puts zones in the order above; call after building data by hand.
    void sortZones();
};

// The stage of a zone: its name up to the first '.', so "render.frame" and "render" both count for "render".
std::string_view stageOf(std::string_view zoneName);

// The stages the pipeline opens zones for, in pipeline order. "queue" is time a task waited for a worker;
// name such zones "queue.<stage>" (e.g. "queue.render") so that the wait is charged to the stage it delayed.
const std::vector<std::string>& pipelineStages();

} // namespace avatar
