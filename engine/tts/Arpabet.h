#pragma once

#include <string>
#include <string_view>
#include <vector>

// The canonical phone set of Phone::arpabet, and the maps from each synthesiser's own phone names into it.
// Lip-sync rules are written against this one set, so every synthesiser's output is folded onto it here.
namespace avatar::arpabet {

// The 39 CMU dictionary phones in lower case, plus "ax" (schwa, which Flite keeps apart from "ah") and
// "pau" (silence).
const std::vector<std::string>& phones();
bool isValid(std::string_view phone);

// Flite's US English phone set is ARPAbet already; only its allophones ("dx", "axr", "en", ...) and silence
// names are folded. Never fails: an unknown name maps by its first letter.
std::string fromFlite(std::string_view name);

// espeak-ng phoneme mnemonics (Kirshenbaum-like ASCII, e.g. "tS", "3:", "aI@", "_:") of any language.
// Stress and length marks are ignored; an unknown mnemonic maps by its leading characters, so every
// language yields valid phones.
std::string fromEspeak(std::string_view mnemonic);

} // namespace avatar::arpabet
