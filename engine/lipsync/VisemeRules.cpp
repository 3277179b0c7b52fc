#include "VisemeRules.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

namespace avatar {
namespace {

using Set = std::string_view; // candidate shapes as letters, in order of preference

enum class Kind { Pause, Vowel, Diphthong, Plosive, Other };

struct PhoneRule {
    Kind kind = Kind::Other;
    Set shapes;     // vowels and others: the set; diphthongs: first and second shape; plosives: closure set
    Set longShapes; // when the phone is long (AH, AY, AW, L)
};

PhoneRule ruleFor(std::string_view p) {
    // Vowels
    if (p == "aa")
        return {Kind::Vowel, "D", {}};
    if (p == "ao")
        return {Kind::Vowel, "E", {}};
    if (p == "iy" || p == "ih")
        return {Kind::Vowel, "B", {}};
    if (p == "uw" || p == "uh")
        return {Kind::Vowel, "F", {}};
    if (p == "eh" || p == "ae")
        return {Kind::Vowel, "C", {}};
    if (p == "ah")
        return {Kind::Vowel, "C", "D"};
    if (p == "ax" || p == "ix")
        return {Kind::Vowel, "BC", {}};
    if (p == "er" || p == "axr")
        return {Kind::Vowel, "E", {}};
    // Diphthongs: first shape, second shape
    if (p == "ey")
        return {Kind::Diphthong, "CB", {}};
    if (p == "ay")
        return {Kind::Diphthong, "CB", "DB"};
    if (p == "ow")
        return {Kind::Diphthong, "EF", {}};
    if (p == "aw")
        return {Kind::Diphthong, "CE", "DE"};
    if (p == "oy")
        return {Kind::Diphthong, "EB", {}};
    // Plosives: the closure's set; the release takes the following shape
    if (p == "p" || p == "b")
        return {Kind::Plosive, "A", {}};
    if (p == "t" || p == "d" || p == "dx")
        return {Kind::Plosive, "BF", {}};
    if (p == "k" || p == "g")
        return {Kind::Plosive, "BCEFH", {}};
    // Others
    if (p == "m")
        return {Kind::Other, "A", {}};
    if (p == "f" || p == "v")
        return {Kind::Other, "G", {}};
    if (p == "ch" || p == "jh" || p == "th" || p == "dh" || p == "s" || p == "z" || p == "sh" || p == "zh")
        return {Kind::Other, "BF", {}};
    if (p == "n" || p == "en")
        return {Kind::Other, "BCFH", {}};
    if (p == "ng")
        return {Kind::Other, "BCEF", {}};
    if (p == "l" || p == "el")
        return {Kind::Other, "BEFH", "H"};
    if (p == "r")
        return {Kind::Other, "BEF", {}};
    if (p == "y")
        return {Kind::Other, "BCF", {}};
    if (p == "w")
        return {Kind::Other, "F", {}};
    if (p == "hh")
        return {Kind::Other, "ABCDEFGH", {}};
    if (p == "pau" || p == "sil" || p == "h#" || p.empty())
        return {Kind::Pause, {}, {}};
    return {Kind::Other, "BC", {}}; // unknown phones: a neutral, slightly open mouth
}

// Rough openness / rounding per shape, only to pick "the closest shape to the previous one".
struct Pose {
    double open;
    double round;
};
Pose poseOf(Viseme v) {
    switch (v) {
    case Viseme::A:
        return {0.0, 0.0};
    case Viseme::B:
        return {0.2, 0.0};
    case Viseme::C:
        return {0.55, 0.0};
    case Viseme::D:
        return {1.0, 0.0};
    case Viseme::E:
        return {0.45, 0.4};
    case Viseme::F:
        return {0.25, 1.0};
    case Viseme::G:
        return {0.1, 0.0};
    case Viseme::H:
        return {0.5, 0.0};
    case Viseme::X:
        return {0.0, 0.0};
    }
    return {0.0, 0.0};
}

Viseme closestIn(Set set, Viseme previous) {
    Viseme best = visemeFromChar(set.front());
    double bestDist = 1e9;
    const Pose p = poseOf(previous);
    for (const char c : set) {
        const Viseme v = visemeFromChar(c);
        if (v == previous)
            return v;
        const Pose q = poseOf(v);
        const double d = std::hypot(p.open - q.open, p.round - q.round);
        if (d < bestDist - 1e-9) {
            bestDist = d;
            best = v;
        }
    }
    return best;
}

bool inSet(Set set, Viseme v) {
    return set.find(toChar(v)) != Set::npos;
}

struct Draft {
    Viseme shape = Viseme::X;
    double start = 0.0;
    double end = 0.0;
    bool release = false; // a plosive's release: takes the following shape
    bool vowel = false;   // from a vowel (a syllable nucleus), for breaking up long holds
    bool tongue = false;  // L, TH, DH: the tongue tip shows behind the upper teeth
};

} // namespace

VisemeTrack VisemeRules::fromPhones(const std::vector<Phone>& input) const {
    const Timing& t = m_timing;
    // Adjacent pauses (one sentence's trailing silence and the next one's leading silence) are one pause.
    std::vector<Phone> phones;
    phones.reserve(input.size());
    for (const Phone& p : input) {
        const bool pause = ruleFor(p.arpabet).kind == Kind::Pause;
        if (pause && !phones.empty() && ruleFor(phones.back().arpabet).kind == Kind::Pause) {
            phones.back().end = p.end;
            continue;
        }
        phones.push_back(p);
    }
    std::vector<Draft> drafts;
    Viseme previous = Viseme::X;

    // A vowel with a single shape within reach ahead of phone i, for anticipation.
    auto upcomingVowel = [&](std::size_t i) -> Set {
        const double horizon = phones[i].end + t.anticipation;
        for (std::size_t j = i + 1; j < phones.size() && phones[j].start < horizon; ++j) {
            const PhoneRule r = ruleFor(phones[j].arpabet);
            if (r.kind == Kind::Pause)
                return {};
            if (r.kind == Kind::Diphthong)
                return r.shapes.substr(0, 1);
            if (r.kind == Kind::Vowel)
                return r.shapes.size() == 1 && r.longShapes.empty() ? r.shapes : Set{};
        }
        return {};
    };
    auto pick = [&](Set set, std::size_t i) {
        if (set.size() > 1) {
            const Set ahead = upcomingVowel(i);
            if (!ahead.empty() && inSet(set, visemeFromChar(ahead.front())))
                return visemeFromChar(ahead.front());
        }
        return closestIn(set, previous);
    };

    for (std::size_t i = 0; i < phones.size(); ++i) {
        const Phone& ph = phones[i];
        const double dur = std::max(0.0, ph.end - ph.start);
        const PhoneRule rule = ruleFor(ph.arpabet);
        switch (rule.kind) {
        case Kind::Pause: {
            const bool edge = i == 0 || i + 1 == phones.size();
            Viseme v = Viseme::X;
            if (!edge && dur < t.holdPause)
                v = previous;
            else if (!edge && dur <= t.restPause)
                v = relaxed(previous);
            drafts.push_back({v, ph.start, ph.end, false});
            previous = v;
            break;
        }
        case Kind::Vowel: {
            const Set set = (!rule.longShapes.empty() && dur >= t.longVowel) ? rule.longShapes : rule.shapes;
            const Viseme v = closestIn(set, previous);
            drafts.push_back({v, ph.start, ph.end, false, true});
            previous = v;
            break;
        }
        case Kind::Diphthong: {
            const Set set = (!rule.longShapes.empty() && dur >= t.longVowel) ? rule.longShapes : rule.shapes;
            const double split = ph.start + 0.6 * dur;
            const Viseme first = visemeFromChar(set[0]);
            const Viseme second = visemeFromChar(set[1]);
            drafts.push_back({first, ph.start, split, false, true});
            drafts.push_back({second, split, ph.end, false, true});
            previous = second;
            break;
        }
        case Kind::Plosive: {
            const Viseme closure = pick(rule.shapes, i);
            // A tongue closure sits before the phone, carved out of the previous shape. A lip closure does
            // not: the silence that opens a P or B is the sealed lips themselves, so the vowel before it
            // sounds until the lips meet (MouthAnimator starts closing them ahead). Carved out of the vowel,
            // 40-120 ms of it were drawn sealed while it was loud (docs/PERFORMANCE.md, lip-sync margin).
            double closureStart = ph.start;
            if (!drafts.empty() && closure != Viseme::A) {
                Draft& prev = drafts.back();
                const double prevDur = prev.end - prev.start;
                const double want = std::clamp(prevDur / 2.0, t.closureMin, t.closureMax);
                const double take = std::min(want, std::max(0.0, prevDur - t.closureMin));
                closureStart = ph.start - take;
                prev.end = closureStart;
            }
            // Most of the phone keeps the closure (the hold); the release, a short burst, opens towards the
            // next shape.
            const double holdEnd = ph.start + 0.7 * dur;
            drafts.push_back({closure, closureStart, holdEnd, false});
            drafts.push_back({closure, holdEnd, ph.end, true});
            previous = closure;
            break;
        }
        case Kind::Other: {
            const Set set = (!rule.longShapes.empty() && dur >= 0.15) ? rule.longShapes : rule.shapes;
            const Viseme v = pick(set, i);
            const bool tongue =
                ph.arpabet == "l" || ph.arpabet == "el" || ph.arpabet == "th" || ph.arpabet == "dh";
            drafts.push_back({v, ph.start, ph.end, false, false, tongue});
            previous = v;
            break;
        }
        }
    }

    // Releases take the following shape (a pause or the end: slightly open).
    for (std::size_t i = drafts.size(); i-- > 0;) {
        if (!drafts[i].release)
            continue;
        Viseme next = Viseme::B;
        if (i + 1 < drafts.size() && drafts[i + 1].shape != Viseme::X)
            next = drafts[i + 1].shape;
        drafts[i].shape = next;
    }

    // One shape held for long over three or more syllables looks frozen: alternate B and C on every second
    // vowel of such a run.
    for (std::size_t i = 0; i < drafts.size();) {
        std::size_t j = i;
        int vowels = 0;
        while (j < drafts.size() && drafts[j].shape == drafts[i].shape) {
            vowels += drafts[j].vowel ? 1 : 0;
            ++j;
        }
        const Viseme held = drafts[i].shape;
        if ((held == Viseme::B || held == Viseme::C) && vowels >= 3 &&
            drafts[j - 1].end - drafts[i].start > t.maxHold) {
            int seen = 0;
            for (std::size_t k = i; k < j; ++k)
                if (drafts[k].vowel && (seen++ % 2) == 1)
                    drafts[k].shape = held == Viseme::B ? Viseme::C : Viseme::B;
        }
        i = j;
    }

    // Drop empty drafts, then merge repeats.
    VisemeTrack cues;
    for (const Draft& d : drafts) {
        if (d.end - d.start <= 1e-6)
            continue;
        if (!cues.empty() && cues.back().shape == d.shape) {
            cues.back().end = d.end;
            cues.back().tongue = cues.back().tongue || d.tongue;
            continue;
        }
        cues.push_back({d.shape, d.start, d.end, d.tongue});
    }

    // Minimum durations: grow short shapes to the left (by at most maxExtend) while the previous shape keeps
    // at least minShape; what stays too short to register is folded into its predecessor.
    // A shape that cannot grow left enough borrows from the next one instead (closures must not vanish).
    for (std::size_t i = 0; i < cues.size(); ++i) {
        const double least = cues[i].shape == Viseme::A   ? t.minSeal
                             : cues[i].shape == Viseme::D ? t.minWide
                                                          : t.minShape;
        double need = least - cues[i].duration();
        if (need <= 0)
            continue;
        if (i > 0) {
            const double room = std::max(0.0, cues[i - 1].duration() - t.minShape);
            const double grow = std::min({need, t.maxExtend, room});
            cues[i].start -= grow;
            cues[i - 1].end = cues[i].start;
            need -= grow;
        }
        if (need > 0 && i + 1 < cues.size()) {
            const double room = std::max(0.0, cues[i + 1].duration() - t.minShape);
            const double grow = std::min({need, t.maxExtend, room});
            cues[i].end += grow;
            cues[i + 1].start = cues[i].end;
        }
    }
    // In-betweens when closing or rounding from an open mouth (D→A and D→X via C, D→F via E, C↔F via E): the
    // mouth pops open but closes through an intermediate shape, carved from the end of the open one.
    auto inBetween = [](Viseme from, Viseme to) -> std::optional<Viseme> {
        if (from == Viseme::D && (to == Viseme::A || to == Viseme::X))
            return Viseme::C;
        if ((from == Viseme::D || from == Viseme::C) && to == Viseme::F)
            return Viseme::E;
        if (from == Viseme::F && to == Viseme::C)
            return Viseme::E;
        return std::nullopt;
    };
    for (std::size_t i = 0; i + 1 < cues.size(); ++i) {
        const auto via = inBetween(cues[i].shape, cues[i + 1].shape);
        const double length = std::clamp(cues[i].duration() * 0.3, 0.0, t.inBetweenMax);
        if (!via || length < t.inBetweenMin || cues[i].duration() - length < t.minShape)
            continue;
        const VisemeCue extra{*via, cues[i].end - length, cues[i].end};
        cues[i].end = extra.start;
        cues.insert(cues.begin() + static_cast<std::ptrdiff_t>(i) + 1, extra);
        ++i;
    }

    // What is still too short to register is folded into its predecessor, except a closure: M, B and P must
    // be seen, so a short closure takes the time it lacks from the shape before it, or else the one after.
    const double registers = t.minShape * 0.5;
    for (std::size_t i = 0; i < cues.size(); ++i) {
        VisemeCue& c = cues[i];
        const double missing = registers - c.duration();
        if (c.shape != Viseme::A || missing <= 0)
            continue;
        if (i > 0 && cues[i - 1].duration() - missing >= registers) {
            c.start -= missing;
            cues[i - 1].end = c.start;
        } else if (i + 1 < cues.size() && cues[i + 1].duration() - missing >= registers) {
            c.end += missing;
            cues[i + 1].start = c.end;
        }
    }
    VisemeTrack out;
    for (const VisemeCue& c : cues) {
        const bool tooShort = c.duration() < registers && c.shape != Viseme::A;
        if (!out.empty() && (tooShort || out.back().shape == c.shape)) {
            out.back().end = c.end;
            out.back().tongue = out.back().tongue || c.tongue;
            continue;
        }
        out.push_back(c);
    }
    if (!out.empty() && !phones.empty())
        out.front().start = std::min(out.front().start, phones.front().start);
    return out;
}

} // namespace avatar
