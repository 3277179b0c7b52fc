#include "CriticalPath.h"

#include <algorithm>
#include <limits>
#include <string_view>

namespace avatar {

namespace {

bool isStage(std::string_view name, const std::vector<std::string>& stages) {
    const std::string_view stage = stageOf(name);
    return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

// The innermost zone of `thread` open just before t (start < t <= end), or -1.
int innermostOpen(const std::vector<const ZoneRecord*>& zones, std::size_t thread, std::int64_t t) {
    int best = -1;
    for (std::size_t i = 0; i < zones.size(); ++i) {
        const ZoneRecord& z = *zones[i];
        if (z.thread != thread || z.startNs >= t || z.endNs < t)
            continue;
        if (best < 0 || z.startNs > zones[best]->startNs ||
            (z.startNs == zones[best]->startNs && z.depth > zones[best]->depth))
            best = static_cast<int>(i);
    }
    return best;
}

// The stage zone that ended last at or before t (any thread), or -1. Ties go to the inner zone.
int lastEndedBefore(const std::vector<const ZoneRecord*>& zones, std::int64_t t) {
    int best = -1;
    for (std::size_t i = 0; i < zones.size(); ++i) {
        const ZoneRecord& z = *zones[i];
        if (z.endNs > t)
            continue;
        if (best < 0 || z.endNs > zones[best]->endNs ||
            (z.endNs == zones[best]->endNs && z.startNs > zones[best]->startNs))
            best = static_cast<int>(i);
    }
    return best;
}

} // namespace

CriticalPath CriticalPath::compute(const std::vector<ZoneRecord>& zones,
                                   const std::vector<std::string>& stages) {
    CriticalPath path;
    if (zones.empty())
        return path;
    path.job = zones.front().job;
    path.startNs = std::numeric_limits<std::int64_t>::max();
    path.endNs = std::numeric_limits<std::int64_t>::min();
    std::vector<const ZoneRecord*> work;
    for (const ZoneRecord& z : zones) {
        path.startNs = std::min(path.startNs, z.startNs);
        path.endNs = std::max(path.endNs, z.endNs);
        // Empty zones cannot carry the walk backwards; they have no time to give anyway.
        if (z.endNs > z.startNs && isStage(z.name, stages))
            work.push_back(&z);
    }

    std::vector<CriticalSegment> backwards;
    auto add = [&](CriticalSegment seg) {
        if (seg.endNs <= seg.startNs)
            return;
        if (!backwards.empty() && backwards.back().zone == seg.zone &&
            backwards.back().thread == seg.thread && backwards.back().startNs == seg.endNs) {
            backwards.back().startNs = seg.startNs;
            return;
        }
        backwards.push_back(std::move(seg));
    };

    std::int64_t t = path.endNs;
    int current = lastEndedBefore(work, t);
    std::size_t thread = current >= 0 ? work[current]->thread : 0;
    while (t > path.startNs) {
        int open = innermostOpen(work, thread, t);
        if (open < 0) {
            // Nothing of the job runs on this thread just before t: follow whatever ended last.
            const int previous = lastEndedBefore(work, t);
            if (previous < 0) {
                add(CriticalSegment{"wait", "wait", thread, path.startNs, t});
                break;
            }
            add(CriticalSegment{"wait", "wait", work[previous]->thread, work[previous]->endNs, t});
            t = work[previous]->endNs;
            thread = work[previous]->thread;
            continue;
        }
        // The open zone owns the time back to its start, or to the end of a child of it that closed before t.
        const ZoneRecord& z = *work[open];
        std::int64_t from = z.startNs;
        for (const ZoneRecord* other : work) {
            if (other->thread == thread && other->startNs >= z.startNs && other->endNs < t && other != &z)
                from = std::max(from, other->endNs);
        }
        add(CriticalSegment{std::string(stageOf(z.name)), z.name, thread, from, t});
        t = from;
    }
    path.segments.assign(backwards.rbegin(), backwards.rend());
    return path;
}

std::vector<std::pair<std::string, std::int64_t>> CriticalPath::stageTimes() const {
    std::vector<std::pair<std::string, std::int64_t>> times;
    for (const CriticalSegment& s : segments) {
        auto it = std::find_if(times.begin(), times.end(), [&](const auto& p) { return p.first == s.stage; });
        if (it == times.end())
            times.emplace_back(s.stage, s.durationNs());
        else
            it->second += s.durationNs();
    }
    const auto& order = pipelineStages();
    auto rank = [&](const std::string& stage) {
        const auto it = std::find(order.begin(), order.end(), stage);
        return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
    };
    std::stable_sort(times.begin(), times.end(), [&](const auto& a, const auto& b) {
        return rank(a.first) != rank(b.first) ? rank(a.first) < rank(b.first) : a.first < b.first;
    });
    return times;
}

std::string CriticalPath::chain() const {
    // The stages in order, consecutive repeats of one stage merged.
    std::vector<std::string_view> steps;
    for (const CriticalSegment& s : segments)
        if (steps.empty() || steps.back() != s.stage)
            steps.push_back(s.stage);
    // A render of many frames alternates "render > encode" hundreds of times: each repeated cycle becomes
    // one run, "(render > encode) × 612", so that a report shows the path in a line instead of pages.
    constexpr std::size_t kLongestCycle = 4; // render, wait, encode, wait
    std::string out;
    auto append = [&](const std::string& item) {
        if (!out.empty())
            out += " > ";
        out += item;
    };
    std::size_t i = 0;
    while (i < steps.size()) {
        std::size_t bestLength = 0, bestCount = 1;
        for (std::size_t length = 2; length <= kLongestCycle && i + 2 * length <= steps.size(); ++length) {
            std::size_t count = 1;
            while (i + (count + 1) * length <= steps.size() &&
                   std::equal(steps.begin() + long(i), steps.begin() + long(i + length),
                              steps.begin() + long(i + count * length)))
                ++count;
            if (count >= 2 && count * length > bestCount * bestLength) // the shortest cycle on a tie
                bestLength = length, bestCount = count;
        }
        if (bestLength == 0) {
            append(std::string(steps[i]));
            ++i;
            continue;
        }
        std::string cycle;
        for (std::size_t k = i; k < i + bestLength; ++k)
            cycle += (k == i ? "" : " > ") + std::string(steps[k]);
        append("(" + cycle + ") × " + std::to_string(bestCount));
        i += bestLength * bestCount;
    }
    return out;
}

} // namespace avatar
