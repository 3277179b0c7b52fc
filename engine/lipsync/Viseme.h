#pragma once

#include <string>
#include <vector>

namespace avatar {

// Mouth shapes after Preston Blair's chart as popularised by Rhubarb Lip Sync:
// A closed (M/B/P), B slightly open (most consonants, EE), C open (EH, AE), D wide open (AA), E slightly
// rounded (AO, ER), F puckered (UW, W), G upper teeth on lower lip (F/V), H tongue raised (long L), X rest.
enum class Viseme { A, B, C, D, E, F, G, H, X };

char toChar(Viseme v);
// 'A'..'H', 'X'; throws Error(InvalidInput) otherwise.
Viseme visemeFromChar(char c);
// The relaxed version of a shape, used in short pauses: C→B, D→C, E→C, F→B, H→B, G→X, others unchanged.
Viseme relaxed(Viseme v);

// One shape held over [start, end) seconds.
struct VisemeCue {
    Viseme shape = Viseme::X;
    double start = 0.0;
    double end = 0.0;
    bool tongue = false; // an L or TH sound: the tongue tip shows behind the upper teeth
    double duration() const { return end - start; }
};

using VisemeTrack = std::vector<VisemeCue>;

// "XBCA..." with one letter per cue, for tests and logs.
std::string shapesOf(const VisemeTrack& track);

} // namespace avatar
