#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace avatar {

// Files compiled into the engine (resources/, see resources/ATTRIBUTION.md) so that a plain binary can render
// the demo with no data files beside it.
struct DefaultAssets {
    // The default portrait, PNG bytes (NASA astronaut Eileen Collins, public domain).
    static std::span<const std::uint8_t> portraitPng();
    static std::string portraitName() { return "astronaut.png (NASA, public domain)"; }
    // The demo script rendered when no text is given.
    static std::string defaultScript();
    // The fixed ~60 s benchmark script.
    static std::string benchmarkScript();
};

} // namespace avatar
