#pragma once

namespace avatar {

// Holt's linear method (double exponential smoothing): a level and a trend, each smoothed, so that a
// steadily rising queue is extrapolated rather than merely averaged. One update per scaler tick.
class HoltForecast {
public:
    HoltForecast(double alpha = 0.5, double beta = 0.3) : m_alpha(alpha), m_beta(beta) {}

    void update(double value) {
        if (!m_started) {
            m_level = value;
            m_trend = 0.0;
            m_started = true;
            return;
        }
        const double previous = m_level;
        m_level = m_alpha * value + (1.0 - m_alpha) * (m_level + m_trend);
        m_trend = m_beta * (m_level - previous) + (1.0 - m_beta) * m_trend;
    }
    // The value expected `steps` updates ahead.
    double forecast(double steps) const { return m_level + steps * m_trend; }
    double level() const { return m_level; }
    double trend() const { return m_trend; }
    bool started() const { return m_started; }

private:
    double m_alpha;
    double m_beta;
    double m_level = 0.0;
    double m_trend = 0.0;
    bool m_started = false;
};

} // namespace avatar
