#include "MouthParams.h"

namespace avatar {

MouthParams MouthParams::forShape(Viseme v) {
    // Openings follow measured speech: about 0.3 IOD (15-20 mm) for a wide-open AA, a few mm for consonants.
    switch (v) {
    case Viseme::A:
        return {0.0, -0.03, 0.0, 0.0};
    case Viseme::B:
        return {0.07, 0.02, 0.0, 0.0};
    case Viseme::C:
        return {0.20, 0.03, 0.0, 0.0};
    case Viseme::D:
        return {0.32, 0.05, 0.0, 0.0};
    case Viseme::E:
        return {0.17, -0.04, 0.35, 0.0};
    case Viseme::F:
        return {0.08, -0.12, 0.9, 0.0};
    case Viseme::G:
        return {0.03, 0.0, 0.0, 1.0};
    case Viseme::H:
        return {0.18, 0.02, 0.0, 0.0, 1.0};
    case Viseme::X:
        return {0.0, 0.0, 0.0, 0.0};
    }
    return {};
}

MouthParams MouthParams::lerp(const MouthParams& a, const MouthParams& b, double t) {
    auto mix = [t](double x, double y) { return x + (y - x) * t; };
    MouthParams m;
    m.open = mix(a.open, b.open);
    m.width = mix(a.width, b.width);
    m.round = mix(a.round, b.round);
    m.tuck = mix(a.tuck, b.tuck);
    m.tongue = mix(a.tongue, b.tongue);
    m.blink = mix(a.blink, b.blink);
    m.headX = mix(a.headX, b.headX);
    m.headY = mix(a.headY, b.headY);
    m.headRoll = mix(a.headRoll, b.headRoll);
    m.brow = mix(a.brow, b.brow);
    m.gazeX = mix(a.gazeX, b.gazeX);
    m.gazeY = mix(a.gazeY, b.gazeY);
    m.smile = mix(a.smile, b.smile);
    return m;
}

} // namespace avatar
