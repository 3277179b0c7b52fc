#include "ProgressBar.h"

#include <string>

namespace avatar::cli {

void ProgressBar::update(const Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    const bool last = p.stage == Stage::Done;
    if (!last && m_drawn && now - m_last < std::chrono::milliseconds(100))
        return;
    m_last = now;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(p.fraction * kWidth + 0.5);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    std::fprintf(m_out, "\r[%s] %3d%% %-8s", bar.c_str(), static_cast<int>(p.fraction * 100 + 0.5),
                 stageName(p.stage));
    if (p.framesTotal > 0)
        std::fprintf(m_out, " %lld/%lld frames", p.framesDone, p.framesTotal);
    std::fflush(m_out);
    m_drawn = true;
}

void ProgressBar::finish() {
    if (m_drawn)
        std::fputc('\n', m_out);
    m_drawn = false;
}

} // namespace avatar::cli
