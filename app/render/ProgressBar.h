#pragma once

#include "pipeline/RenderSpec.h"

#include <chrono>
#include <cstdio>

namespace avatar::cli {

// A one-line progress bar on a terminal (stderr), redrawn at most 10 times a second.
class ProgressBar {
public:
    explicit ProgressBar(std::FILE* out) : m_out(out) {}
    ~ProgressBar() { finish(); }
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(const Progress& p);
    void finish(); // ends the line, once

private:
    std::FILE* m_out;
    std::chrono::steady_clock::time_point m_last{};
    bool m_drawn = false;
};

} // namespace avatar::cli
