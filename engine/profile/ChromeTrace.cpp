// ProfileReport::toChromeTrace: the Trace Event Format's JSON object form, which Perfetto and
// chrome://tracing open. Zones are complete events ("X", ts and dur in microseconds), counters "C" events,
// markers global instant events ("i", "s":"g"), thread names "M" metadata events.
#include "ProfileReport.h"
#include "ReportFormat.h"
#include "core/Json.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace avatar {

namespace {

std::string jsonString(std::string_view text) {
    return '"' + JsonWriter::escape(text) + '"';
}

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

} // namespace

std::string ProfileReport::toChromeTrace() const {
    std::string out;
    out.reserve(256 + data.zones.size() * 128);
    const std::string pid = std::to_string(data.processId);
    auto tidOf = [&](std::size_t thread) {
        return thread < data.threads.size() ? std::to_string(data.threads[thread].id) : std::string("0");
    };
    // Extra tracks get ids no OS thread has (Linux tids stay below 2^22 by default).
    auto laneTid = [&](std::size_t thread, std::size_t lane) {
        return std::to_string(1'000'000'000ULL + thread * 1000 + lane);
    };
    bool first = true;
    auto event = [&](const std::string& body) {
        out += first ? "\n" : ",\n";
        out += '{' + body + '}';
        first = false;
    };

    out += "{\"traceEvents\":[";
    event("\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + pid +
          ",\"tid\":0,\"args\":{\"name\":" + jsonString(title) + "}");
    for (std::size_t t = 0; t < data.threads.size(); ++t) {
        const std::string name = data.threads[t].name.empty() ? "thread " + tidOf(t) : data.threads[t].name;
        event("\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + tidOf(t) +
              ",\"args\":{\"name\":" + jsonString(name) + "}");
        event("\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + tidOf(t) +
              ",\"args\":{\"sort_index\":" + std::to_string(t) + "}");
    }
    // The format wants the complete events of one tid strictly nested. Zones recorded by hand (queue waits,
    // which began before the worker's previous task ended) can overlap others partly: those go to extra
    // tracks named after their thread ("render-0 (2)"), the first track where they nest. data.zones is sorted
    // by thread and start, parents first.
    std::vector<std::vector<std::vector<const ZoneRecord*>>> lanes(
        data.threads.size()); // thread, lane, stack
    for (const ZoneRecord& z : data.zones) {
        if (z.thread >= lanes.size())
            continue;
        auto& threadLanes = lanes[z.thread];
        std::size_t lane = 0;
        for (;; ++lane) {
            if (lane == threadLanes.size())
                threadLanes.emplace_back();
            auto& stack = threadLanes[lane];
            while (!stack.empty() && stack.back()->endNs <= z.startNs)
                stack.pop_back();
            if (stack.empty() || z.endNs <= stack.back()->endNs)
                break;
        }
        auto& stack = threadLanes[lane];
        const int depth = static_cast<int>(stack.size());
        stack.push_back(&z);
        const std::string tid = lane == 0 ? tidOf(z.thread) : laneTid(z.thread, lane);
        event("\"name\":" + jsonString(z.name) + ",\"cat\":" + jsonString(stageOf(z.name)) +
              ",\"ph\":\"X\",\"ts\":" + report::microseconds(z.startNs) +
              ",\"dur\":" + report::microseconds(z.durationNs()) + ",\"pid\":" + pid + ",\"tid\":" + tid +
              ",\"args\":{\"job\":" + std::to_string(z.job) + ",\"depth\":" + std::to_string(depth) + "}");
    }
    for (std::size_t t = 0; t < lanes.size(); ++t) {
        for (std::size_t lane = 1; lane < lanes[t].size(); ++lane) {
            const std::string name = data.threads[t].name + " (" + std::to_string(lane + 1) + ")";
            event("\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + laneTid(t, lane) +
                  ",\"args\":{\"name\":" + jsonString(name) + "}");
        }
    }
    for (const CounterSample& c : data.counters) {
        event("\"name\":" + jsonString(c.name) + ",\"ph\":\"C\",\"ts\":" + report::microseconds(c.timeNs) +
              ",\"pid\":" + pid + ",\"tid\":" + tidOf(c.thread) + ",\"args\":{\"value\":" + number(c.value) +
              "}");
    }
    for (const MarkerRecord& m : data.markers) {
        event("\"name\":" + jsonString(m.category + ": " + m.message) + ",\"cat\":" + jsonString(m.category) +
              ",\"ph\":\"i\",\"s\":\"g\",\"ts\":" + report::microseconds(m.timeNs) + ",\"pid\":" + pid +
              ",\"tid\":" + tidOf(m.thread) + ",\"args\":{\"message\":" + jsonString(m.message) + "}");
    }
    out += "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"title\":" + jsonString(title) +
           ",\"droppedEvents\":" + std::to_string(data.droppedEvents) + ",\"resilience\":{";
    for (std::size_t i = 0; i < kResilienceEventCount; ++i)
        out += std::string(i ? "," : "") +
               jsonString(std::string(ResilienceCounts::name(ResilienceCounts::event(i)))) + ":" +
               std::to_string(resilience.values[i]);
    out += "}}}\n";
    return out;
}

} // namespace avatar
