#pragma once

// What the project suites (tst_project, tst_scene_media, tst_gui_projects) measure in the videos they
// render (every decoded frame, the mean colour of an area, the level of a tone in the sound) and the media
// they make for them (a picture of one colour, a WAV of a steady tone).

#include "core/Image.h"
#include "core/ImageIO.h"
#include "media/MediaReader.h"

#include <QString>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

namespace avatar::test {

inline std::vector<Image> decodeAll(const std::filesystem::path& file) {
    MediaReader reader(file);
    std::vector<Image> frames;
    Image frame;
    while (reader.readVideoFrame(frame))
        frames.push_back(frame);
    return frames;
}

// The mean red, green and blue of `area` of `image`.
inline std::array<double, 3> meanColor(const Image& image, const Rect& area) {
    std::array<double, 3> sum{};
    for (int y = area.y; y < area.bottom(); ++y)
        for (int x = area.x; x < area.right(); ++x)
            for (int c = 0; c < 3; ++c)
                sum[c] += image.row(y)[x * 3 + c];
    const double n = double(area.width) * area.height;
    return {sum[0] / n, sum[1] / n, sum[2] / n};
}

// The pixels of `area` of `image` within 50 of `want` in each of red, green and blue.
inline int countNear(const Image& image, const Rect& area, std::array<int, 3> want) {
    int n = 0;
    for (int y = area.y; y < area.bottom(); ++y)
        for (int x = area.x; x < area.right(); ++x) {
            const std::uint8_t* px = image.row(y) + x * 3;
            n += std::abs(px[0] - want[0]) < 50 && std::abs(px[1] - want[1]) < 50 &&
                 std::abs(px[2] - want[2]) < 50;
        }
    return n;
}

inline bool near(const std::array<double, 3>& got, std::array<int, 3> want, double tolerance) {
    for (int c = 0; c < 3; ++c)
        if (std::abs(got[c] - want[c]) > tolerance)
            return false;
    return true;
}

inline QString show(const std::array<double, 3>& c) {
    return QStringLiteral("(%1, %2, %3)").arg(c[0]).arg(c[1]).arg(c[2]);
}

// The amplitude of the `hz` component of samples [from, from + n) (Goertzel).
inline double toneLevel(const std::vector<float>& x, std::size_t from, std::size_t n, double hz, int rate) {
    const double w = 2.0 * std::numbers::pi * hz / rate;
    const double k = 2.0 * std::cos(w);
    double s1 = 0.0, s2 = 0.0;
    for (std::size_t i = from; i < from + n && i < x.size(); ++i) {
        const double s0 = x[i] + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return 2.0 * std::sqrt(std::max(0.0, s1 * s1 + s2 * s2 - k * s1 * s2)) / double(n);
}

// A picture of one colour: media for the round trip (no face needed until a render), slides and logos.
inline void writeSolid(const std::filesystem::path& file, int width, int height, std::uint8_t r,
                       std::uint8_t g, std::uint8_t b) {
    Image image(width, height);
    image.fill(r, g, b);
    ImageIO::save(image, file);
}

// A stereo 16-bit WAV of a steady tone: the "music" (above the synthesised voices' 8 kHz band, so that
// its level can be measured under the speech).
inline void writeToneWav(const std::filesystem::path& file, double hz, int rate, double seconds,
                         double amplitude) {
    const auto frames = static_cast<std::uint32_t>(rate * seconds);
    std::string bytes = "RIFF";
    const auto u32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            bytes += static_cast<char>((v >> (8 * i)) & 0xFF);
    };
    const auto u16 = [&](std::uint16_t v) {
        bytes += static_cast<char>(v & 0xFF);
        bytes += static_cast<char>(v >> 8);
    };
    u32(36 + frames * 4);
    bytes += "WAVEfmt ";
    u32(16);
    u16(1);
    u16(2);
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate) * 4);
    u16(4);
    u16(16);
    bytes += "data";
    u32(frames * 4);
    for (std::uint32_t i = 0; i < frames; ++i) {
        const auto v = static_cast<std::int16_t>(
            std::lround(amplitude * 32767 * std::sin(2 * std::numbers::pi * hz * i / rate)));
        u16(static_cast<std::uint16_t>(v));
        u16(static_cast<std::uint16_t>(v));
    }
    std::ofstream(file, std::ios::binary) << bytes;
}

} // namespace avatar::test
