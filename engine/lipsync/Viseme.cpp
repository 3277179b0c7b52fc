#include "Viseme.h"

#include "core/Error.h"

namespace avatar {

char toChar(Viseme v) {
    return "ABCDEFGHX"[static_cast<int>(v)];
}

Viseme visemeFromChar(char c) {
    if (c >= 'A' && c <= 'H')
        return static_cast<Viseme>(c - 'A');
    if (c == 'X')
        return Viseme::X;
    throw Error(ErrorCode::InvalidInput, std::string("'") + c + "' is not a mouth shape (A-H or X).");
}

Viseme relaxed(Viseme v) {
    switch (v) {
    case Viseme::C:
    case Viseme::F:
    case Viseme::H:
        return Viseme::B;
    case Viseme::D:
    case Viseme::E:
        return Viseme::C;
    case Viseme::G:
        return Viseme::X;
    default:
        return v;
    }
}

std::string shapesOf(const VisemeTrack& track) {
    std::string s;
    for (const auto& cue : track)
        s += toChar(cue.shape);
    return s;
}

} // namespace avatar
