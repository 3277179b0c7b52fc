#include "Arpabet.h"

#include <algorithm>
#include <array>
#include <utility>

namespace avatar::arpabet {

namespace {

using Mapping = std::pair<std::string_view, std::string_view>;

// Flite's cmulex/us phone set beyond plain ARPAbet: allophones fold onto the phone whose mouth shape they
// share, and every flavour of silence becomes "pau".
constexpr std::array kFliteMappings = {
    Mapping{"axr", "er"},  Mapping{"dx", "d"},     Mapping{"el", "l"},     Mapping{"em", "m"},
    Mapping{"en", "n"},    Mapping{"ix", "ih"},    Mapping{"nx", "n"},     Mapping{"h#", "pau"},
    Mapping{"sil", "pau"}, Mapping{"ssil", "pau"}, Mapping{"brth", "pau"},
};

// espeak-ng mnemonics. The English ones are exact; other languages' phones reuse most of these names and the
// rest land on the nearest English mouth shape (rounded front vowels on rounded back ones, uvular and
// palatal fricatives on "hh", and so on), which is what lip sync needs: the shape, not the sound.
// clang-format off
constexpr std::array kEspeakMappings = {
    // Consonants.
    Mapping{"p", "p"},   Mapping{"b", "b"},   Mapping{"t", "t"},   Mapping{"d", "d"},   Mapping{"k", "k"},
    Mapping{"g", "g"},   Mapping{"m", "m"},   Mapping{"n", "n"},   Mapping{"N", "ng"},  Mapping{"f", "f"},
    Mapping{"v", "v"},   Mapping{"T", "th"},  Mapping{"D", "dh"},  Mapping{"s", "s"},   Mapping{"z", "z"},
    Mapping{"S", "sh"},  Mapping{"Z", "zh"},  Mapping{"tS", "ch"}, Mapping{"dZ", "jh"}, Mapping{"h", "hh"},
    Mapping{"l", "l"},   Mapping{"r", "r"},   Mapping{"r-", "r"},  Mapping{"R", "r"},   Mapping{"*", "r"},
    Mapping{"w", "w"},   Mapping{"j", "y"},   Mapping{"t#", "d"},  Mapping{"?", "t"},   Mapping{"@L", "l"},
    Mapping{"L", "l"},   Mapping{"l^", "l"},  Mapping{"n^", "n"},  Mapping{"J", "n"},   Mapping{"n-", "n"},
    Mapping{"m-", "m"},  Mapping{"x", "hh"},  Mapping{"X", "hh"},  Mapping{"C", "hh"},  Mapping{"ts", "s"},
    Mapping{"dz", "z"},  Mapping{"pf", "f"},  Mapping{"B", "b"},   Mapping{"G", "g"},   Mapping{"Q", "g"},
    Mapping{"c", "k"},   Mapping{"q", "k"},   Mapping{"M", "m"},   Mapping{"K", "k"},   Mapping{"H", "hh"},
    Mapping{"TS", "ch"},  Mapping{"ng", "ng"}, Mapping{"sx", "sh"},
    // Monophthongs. "a#" is English's weak "a" (the article, "about"), hence a schwa.
    Mapping{"a", "ae"},   Mapping{"a#", "ax"},  Mapping{"aa", "aa"},  Mapping{"a:", "aa"},
    Mapping{"A", "aa"},   Mapping{"A:", "aa"},  Mapping{"A@", "aa"},  Mapping{"0", "aa"},
    Mapping{"@", "ax"},   Mapping{"@2", "ax"},  Mapping{"@5", "ax"},  Mapping{"@-", "ax"},
    Mapping{"3", "er"},   Mapping{"3:", "er"},  Mapping{"E", "eh"},   Mapping{"e", "eh"},
    Mapping{"e:", "ey"},  Mapping{"e@", "eh"},  Mapping{"I", "ih"},   Mapping{"I2", "ih"},
    Mapping{"I#", "ih"},  Mapping{"i", "iy"},   Mapping{"i:", "iy"},  Mapping{"i@", "ih"},
    Mapping{"i@3", "ih"}, Mapping{"I@", "ih"},  Mapping{"O", "ao"},   Mapping{"O:", "ao"},
    Mapping{"O@", "ao"},  Mapping{"o", "ow"},   Mapping{"o:", "ow"},  Mapping{"o@", "ao"},
    Mapping{"U", "uh"},   Mapping{"U@", "uh"},  Mapping{"u", "uw"},   Mapping{"u:", "uw"},
    Mapping{"V", "ah"},   Mapping{"y", "uw"},   Mapping{"Y", "uh"},   Mapping{"W", "er"},
    Mapping{"&", "ae"},   Mapping{"8", "uh"},   Mapping{"@r", "er"},
    // Diphthongs.
    Mapping{"aI", "ay"},  Mapping{"aI@", "ay"}, Mapping{"aI3", "ay"}, Mapping{"eI", "ey"},
    Mapping{"oU", "ow"},  Mapping{"@U", "ow"},  Mapping{"aU", "aw"},  Mapping{"aU@", "aw"},
    Mapping{"OI", "oy"},  Mapping{"Oy", "oy"},  Mapping{"OY", "oy"},  Mapping{"oI", "oy"},
    Mapping{"oi", "oy"},  Mapping{"EI", "ey"},  Mapping{"ei", "ey"},  Mapping{"ai", "ay"},
    Mapping{"aY", "ay"},  Mapping{"a:I", "ay"}, Mapping{"au", "aw"},
};
// clang-format on

constexpr std::array<std::string_view, 41> kPhones = {
    "aa",  "ae", "ah", "ao", "aw", "ax", "ay", "b",  "ch", "d", "dh", "eh", "er", "ey",
    "f",   "g",  "hh", "ih", "iy", "jh", "k",  "l",  "m",  "n", "ng", "ow", "oy", "p",
    "pau", "r",  "s",  "sh", "t",  "th", "uh", "uw", "v",  "w", "y",  "z",  "zh",
};

template <std::size_t N>
const std::string_view* lookup(const std::array<Mapping, N>& table, std::string_view key) {
    const auto it =
        std::find_if(table.begin(), table.end(), [key](const Mapping& m) { return m.first == key; });
    return it == table.end() ? nullptr : &it->second;
}

// Marks that modify a phoneme without changing its mouth shape: length, variants, nasalisation, tones.
bool isModifier(char c) {
    return std::string_view(":#-~!|^/;\"'.,%=+").find(c) != std::string_view::npos || (c >= '0' && c <= '9');
}

bool isStressMark(char c) {
    return c == '\'' || c == ',' || c == '%' || c == '=';
}

} // namespace

const std::vector<std::string>& phones() {
    // Immutable after construction, so sharing it is harmless.
    static const std::vector<std::string> all(kPhones.begin(), kPhones.end());
    return all;
}

bool isValid(std::string_view phone) {
    return std::find(kPhones.begin(), kPhones.end(), phone) != kPhones.end();
}

std::string fromEspeak(std::string_view mnemonic) {
    while (!mnemonic.empty() && isStressMark(mnemonic.front())) {
        mnemonic.remove_prefix(1);
    }
    // espeak names every pause "_" with a length suffix ("_:", "_!", "_|", "_^_" between languages), and
    // marks a switch of language with "(en)" and the like, which is no sound either.
    if (mnemonic.empty() || mnemonic.front() == '_' || mnemonic.front() == '(') {
        return "pau";
    }
    if (const auto* exact = lookup(kEspeakMappings, mnemonic)) {
        return std::string(*exact);
    }
    // Drop trailing modifiers, but never the first character: "0" and "3" are vowels in their own right.
    std::string_view stem = mnemonic;
    while (stem.size() > 1 && isModifier(stem.back())) {
        stem.remove_suffix(1);
    }
    if (const auto* exact = lookup(kEspeakMappings, stem)) {
        return std::string(*exact);
    }
    // A longer unknown cluster ("aI@3", "tl#") is usually a known phone plus a glide or release.
    for (std::size_t length = std::min<std::size_t>(stem.size(), 3); length > 0; --length) {
        if (const auto* prefix = lookup(kEspeakMappings, stem.substr(0, length))) {
            return std::string(*prefix);
        }
    }
    return "ax"; // a neutral, half-open mouth is the least wrong guess for a sound we know nothing about
}

std::string fromFlite(std::string_view name) {
    if (isValid(name)) {
        return std::string(name);
    }
    if (const auto* mapped = lookup(kFliteMappings, name)) {
        return std::string(*mapped);
    }
    // Flite's names are ARPAbet-like, so espeak's first-letter fallback is a good guess for anything new.
    return fromEspeak(name);
}

} // namespace avatar::arpabet
