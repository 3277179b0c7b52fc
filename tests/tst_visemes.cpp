#include "lipsync/BlinkTrack.h"
#include "lipsync/HeadMotion.h"
#include "lipsync/LoudnessShaping.h"
#include "lipsync/MouthAnimator.h"
#include "lipsync/VisemeRules.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <sstream>

using namespace avatar;

namespace {

// "pau:0.3 m:0.08 aa:0.15" -> a tiled phone timeline.
std::vector<Phone> phones(const std::string& spec) {
    std::vector<Phone> out;
    std::istringstream in(spec);
    std::string item;
    double t = 0.0;
    while (in >> item) {
        const auto colon = item.find(':');
        const std::string name = item.substr(0, colon);
        const double dur = std::stod(item.substr(colon + 1));
        out.push_back({name, name, t, t + dur});
        t += dur;
    }
    return out;
}

Viseme shapeAt(const VisemeTrack& track, double t) {
    for (const auto& c : track)
        if (t >= c.start && t < c.end)
            return c.shape;
    return Viseme::X;
}

} // namespace

class TstVisemes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapes_data() {
        QTest::addColumn<QString>("phones");
        QTest::addColumn<QString>("expected");
        QTest::newRow("closed m, open aa") << "pau:0.4 m:0.1 aa:0.2 pau:0.4"
                                           << "XADCX";
        QTest::newRow("p closure then release into aa") << "pau:0.4 p:0.1 aa:0.2 pau:0.4"
                                                        << "XADCX";
        QTest::newRow("f and v bite the lip") << "pau:0.4 f:0.12 iy:0.15 pau:0.4"
                                              << "XGBX";
        QTest::newRow("rounded uw") << "pau:0.4 uw:0.2 pau:0.4"
                                    << "XFX";
        QTest::newRow("ao is slightly rounded") << "pau:0.4 ao:0.2 pau:0.4"
                                                << "XEX";
        QTest::newRow("short ah is C, long ah is D") << "pau:0.4 ah:0.12 pau:0.4 ah:0.25 pau:0.4"
                                                     << "XCXDCX";
        QTest::newRow("eh and ae open to C") << "pau:0.4 eh:0.15 pau:0.4"
                                             << "XCX";
        QTest::newRow("diphthong ow splits E then F") << "pau:0.4 ow:0.25 pau:0.4"
                                                      << "XEFX";
        QTest::newRow("long ay starts wide") << "pau:0.4 ay:0.3 pau:0.4"
                                             << "XDBX";
        QTest::newRow("s anticipates the rounded vowel") << "pau:0.4 s:0.1 uw:0.2 pau:0.4"
                                                         << "XFX";
        QTest::newRow("w is puckered") << "pau:0.4 w:0.1 iy:0.2 pau:0.4"
                                       << "XFBX";
        QTest::newRow("long l raises the tongue") << "pau:0.4 l:0.2 pau:0.4"
                                                  << "XHX";
    }
    void shapes() {
        QFETCH(QString, phones);
        QFETCH(QString, expected);
        const VisemeTrack track = VisemeRules().fromPhones(::phones(phones.toStdString()));
        QCOMPARE(QString::fromStdString(shapesOf(track)), expected);
    }

    void pausesHoldRelaxOrRest_data() {
        QTest::addColumn<double>("pause");
        QTest::addColumn<QString>("expected");
        QTest::newRow("short pause holds") << 0.08 << "XDCX";
        QTest::newRow("medium pause relaxes") << 0.25 << "XDCDCX";
        QTest::newRow("long pause rests") << 0.6 << "XDCXDCX";
    }
    void pausesHoldRelaxOrRest() {
        QFETCH(double, pause);
        QFETCH(QString, expected);
        const std::string spec = "pau:0.4 aa:0.2 pau:" + std::to_string(pause) + " aa:0.2 pau:0.4";
        QCOMPARE(QString::fromStdString(shapesOf(VisemeRules().fromPhones(phones(spec)))), expected);
    }

    void adjacentPausesAreOnePause() {
        // A sentence's trailing silence followed by the next sentence's leading silence: 0.5 s in all, a
        // rest.
        const auto ph = phones("pau:0.3 aa:0.2 pau:0.2 pau:0.3 aa:0.2 pau:0.3");
        QCOMPARE(QString::fromStdString(shapesOf(VisemeRules().fromPhones(ph))), QStringLiteral("XDCXDCX"));
    }

    void inBetweensWhenClosingOrRounding_data() {
        QTest::addColumn<QString>("phones");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wide open to closed via C") << "pau:0.4 aa:0.3 m:0.15 pau:0.4"
                                                   << "XDCAX";
        QTest::newRow("wide open to puckered via E") << "pau:0.4 aa:0.3 uw:0.2 pau:0.4"
                                                     << "XDEFX";
        QTest::newRow("open to puckered via E") << "pau:0.4 eh:0.3 uw:0.2 pau:0.4"
                                                << "XCEFX";
        QTest::newRow("no in-between when opening") << "pau:0.4 m:0.15 aa:0.3 pau:0.4"
                                                    << "XADCX";
    }
    void inBetweensWhenClosingOrRounding() {
        QFETCH(QString, phones);
        QFETCH(QString, expected);
        const VisemeTrack track = VisemeRules().fromPhones(::phones(phones.toStdString()));
        QCOMPARE(QString::fromStdString(shapesOf(track)), expected);
        // In-betweens last 40-80 ms.
        for (std::size_t i = 1; i + 1 < track.size(); ++i)
            if (track[i].shape == Viseme::C && track[i - 1].shape == Viseme::D)
                QVERIFY(track[i].duration() >= 0.04 - 1e-9 && track[i].duration() <= 0.08 + 1e-9);
    }

    void tongueShowsForLAndTh() {
        const auto ph = phones("pau:0.4 l:0.2 aa:0.2 th:0.12 iy:0.2 s:0.12 pau:0.4");
        const VisemeTrack track = VisemeRules().fromPhones(ph);
        auto cueAt = [&](double t) {
            for (const auto& c : track)
                if (t >= c.start && t < c.end)
                    return c;
            return VisemeCue{};
        };
        QVERIFY(cueAt(ph[1].start + 0.1).tongue);  // l
        QVERIFY(cueAt(ph[3].start + 0.06).tongue); // th
        QVERIFY(!cueAt(ph[5].start + 0.06).tongue ||
                cueAt(ph[5].start + 0.06).shape == cueAt(ph[4].start).shape);
        QVERIFY(!cueAt(ph[2].start + 0.1).tongue); // aa
        const MouthAnimator animator;
        QVERIFY(animator.poseAt(track, ph[1].start + 0.15).tongue > 0.9);
        QVERIFY(animator.poseAt(track, ph[2].start + 0.12).tongue < 0.1);
    }

    void longHoldsAreBrokenUp() {
        // Five IH syllables in a row (1 s of B) alternate B and C instead of freezing.
        const VisemeTrack track =
            VisemeRules().fromPhones(phones("pau:0.4 ih:0.2 ih:0.2 ih:0.2 ih:0.2 ih:0.2 pau:0.4"));
        QCOMPARE(QString::fromStdString(shapesOf(track)), QStringLiteral("XBCBCBX"));
        // A short run of the same shape is left alone.
        QCOMPARE(QString::fromStdString(
                     shapesOf(VisemeRules().fromPhones(phones("pau:0.4 ih:0.2 ih:0.2 pau:0.4")))),
                 QStringLiteral("XBX"));
    }

    void lipsSealWithThePlosiveNotDuringTheVowel() {
        // "aa p aa": the silence that opens the p is the sealed lips, so the vowel before it is drawn open
        // until the p starts, and the animator has the lips shut when its silence begins.
        const auto ph = phones("pau:0.3 aa:0.2 p:0.08 aa:0.2 pau:0.3");
        const VisemeTrack track = VisemeRules().fromPhones(ph);
        const double pStart = ph[2].start;
        QVERIFY(shapeAt(track, pStart - 0.01) != Viseme::A); // D, or C on its way to the closure
        QCOMPARE(shapeAt(track, pStart + 0.01), Viseme::A);
        QCOMPARE(shapeAt(track, ph[3].start + 0.05), Viseme::D);
        const MouthAnimator animator;
        QVERIFY(animator.poseAt(track, pStart - 0.1).open > 0.25);  // the vowel, open
        QVERIFY(animator.poseAt(track, pStart + 0.03).open < 0.01); // sealed inside the closure
        // A tongue closure still comes ahead of its plosive: "aa t aa" raises the jaw to B before the t.
        const auto pt = phones("pau:0.3 aa:0.2 t:0.08 aa:0.2 pau:0.3");
        QCOMPARE(shapeAt(VisemeRules().fromPhones(pt), pt[2].start - 0.05), Viseme::B);
    }

    void shortClosuresSealAtTheirMiddle_data() {
        QTest::addColumn<double>("length");
        QTest::newRow("40 ms") << 0.04;
        QTest::newRow("50 ms") << 0.05;
        QTest::newRow("90 ms") << 0.09;
    }
    void shortClosuresSealAtTheirMiddle() {
        // A b between two wide vowels: however short, the lips meet at the middle of its closure (the next
        // vowel's anticipation starts no earlier), and they are open again on the vowel after it.
        QFETCH(double, length);
        const auto ph = phones("pau:0.3 aa:0.2 b:" + std::to_string(length) + " aa:0.2 pau:0.3");
        const VisemeTrack track = VisemeRules().fromPhones(ph);
        QCOMPARE(shapeAt(track, ph[2].start + 0.01), Viseme::A);
        double middle = -1;
        for (const VisemeCue& c : track)
            if (c.shape == Viseme::A)
                middle = (c.start + c.end) / 2;
        QVERIFY(middle > ph[1].start && middle < ph[3].start);
        const MouthAnimator animator;
        QVERIFY2(animator.poseAt(track, middle).open < 1e-3, "the lips do not meet on a short b");
        QVERIFY(animator.poseAt(track, ph[3].start + 0.1).open > 0.25);
    }

    void shortClosureBetweenShortVowelsSurvives() {
        // "maybe" as Flite's awb voice says it: the b (45 ms) sits between the short second half of a
        // diphthong and a vowel, neither with time to spare; its closure must still be in the track.
        const auto ph = phones("pau:0.3 m:0.047 ey:0.113 b:0.045 iy:0.101 pau:0.3");
        const VisemeTrack track = VisemeRules().fromPhones(ph);
        const double bMiddle = (ph[3].start + ph[3].end) / 2;
        QCOMPARE(shapeAt(track, bMiddle), Viseme::A);
        for (const VisemeCue& c : track)
            QVERIFY2(c.duration() >= 0.035, "a shape too short to register survived");
    }

    void cuesTileTheTimelineWithoutFlicker() {
        // Fast speech with many short phones.
        const auto ph = phones("pau:0.2 dh:0.03 ih:0.04 s:0.05 ih:0.03 z:0.04 ax:0.03 t:0.03 eh:0.05 s:0.06 "
                               "t:0.03 ah:0.04 v:0.04 m:0.05 ay:0.09 w:0.03 er:0.05 d:0.04 z:0.06 pau:0.3");
        const VisemeTrack track = VisemeRules().fromPhones(ph);
        QVERIFY(!track.empty());
        QCOMPARE(track.front().start, 0.0);
        QVERIFY(std::abs(track.back().end - ph.back().end) < 1e-9);
        for (std::size_t i = 0; i < track.size(); ++i) {
            if (i > 0) {
                QVERIFY(std::abs(track[i].start - track[i - 1].end) < 1e-9); // contiguous
                QVERIFY(track[i].shape != track[i - 1].shape);               // repeats merged
            }
            QVERIFY2(track[i].duration() >= 0.035, "a shape too short to register survived");
        }
    }

    void emptyAndSilentInput() {
        QVERIFY(VisemeRules().fromPhones({}).empty());
        const VisemeTrack silent = VisemeRules().fromPhones(phones("pau:1.0"));
        QCOMPARE(QString::fromStdString(shapesOf(silent)), QStringLiteral("X"));
    }

    void blinksAreNaturalAndReproducible() {
        // Timing from measurements of speakers (BlinkTrack.h): 0.8-3.8 s apart, 150-300 ms long.
        const BlinkTrack track(120.0, 42);
        const auto& blinks = track.blinks();
        QVERIFY(blinks.size() >= 120 / 3.8 - 1 && blinks.size() <= 120 / 0.8 + 1);
        for (std::size_t i = 0; i < blinks.size(); ++i) {
            QVERIFY(blinks[i].duration >= 0.15 && blinks[i].duration <= 0.3);
            if (i > 0) {
                const double interval = blinks[i].start - blinks[i - 1].start;
                QVERIFY(interval >= 0.8 - 1e-9 && interval <= 3.8 + 1e-9);
            }
            // Shut from 30 % to 42 % of the blink, open before and after it.
            QVERIFY(track.closureAt(blinks[i].start + 0.36 * blinks[i].duration) > 0.99);
            QCOMPARE(track.closureAt(blinks[i].start - 0.01), 0.0);
            QCOMPARE(track.closureAt(blinks[i].start + blinks[i].duration + 0.01), 0.0);
        }
        // The same seed blinks the same way; another seed differently.
        const BlinkTrack same(120.0, 42), other(120.0, 43);
        QCOMPARE(same.blinks().size(), blinks.size());
        QCOMPARE(same.blinks().front().start, blinks.front().start);
        QVERIFY(other.blinks().front().start != blinks.front().start);
        // Applied per frame: every blink has a fully shut frame; most frames are open.
        std::vector<MouthParams> poses(25 * 120);
        track.apply(poses, 25.0);
        const auto shut =
            std::count_if(poses.begin(), poses.end(), [](const MouthParams& p) { return p.blink == 1.0; });
        const auto closed =
            std::count_if(poses.begin(), poses.end(), [](const MouthParams& p) { return p.blink > 0.5; });
        QVERIFY(shut >= long(blinks.size()));
        QVERIFY(closed >= long(blinks.size()) && closed < long(poses.size()) / 8);
    }

    void headMotionIsSubtleSmoothAndNodsOnStress() {
        // 6 s of speech: quiet words, one loud word at 2 s, a 1.5 s pause from 3.5 s.
        Speech speech;
        speech.sampleRate = 16000;
        speech.samples.assign(16000 * 6, 0);
        auto tone = [&](double from, double to, double amplitude) {
            for (auto i = std::size_t(from * 16000); i < std::size_t(to * 16000); ++i)
                speech.samples[i] = static_cast<std::int16_t>(amplitude * std::sin(i * 0.1));
        };
        for (int k = 0; k < 6; ++k) {
            const double start = 0.2 + 0.3 * k;
            speech.words.push_back({"w", start, start + 0.25});
            tone(start, start + 0.25, 2000);
        }
        speech.words.push_back({"LOUD", 2.0, 2.4});
        tone(2.0, 2.4, 20000);
        speech.phones = {{"pau", "pau", 0.0, 3.5}, {"pau", "pau", 3.5, 5.0}, {"aa", "aa", 5.0, 6.0}};
        const HeadMotion head(speech, 7);
        QVERIFY(std::find(head.nodTimes().begin(), head.nodTimes().end(), 2.0) != head.nodTimes().end());
        std::vector<MouthParams> poses(150);
        head.apply(poses, 25.0);
        double maxX = 0, maxY = 0, maxStep = 0;
        for (std::size_t i = 0; i < poses.size(); ++i) {
            maxX = std::max(maxX, std::abs(poses[i].headX));
            maxY = std::max(maxY, std::abs(poses[i].headY));
            QVERIFY(std::abs(poses[i].headRoll) <= 0.01);
            if (i > 0)
                maxStep = std::max({maxStep, std::abs(poses[i].headX - poses[i - 1].headX),
                                    std::abs(poses[i].headY - poses[i - 1].headY)});
        }
        QVERIFY(maxX > 0.002 && maxX <= 0.02); // alive, yet a few pixels at most
        QVERIFY(maxY > 0.01 && maxY <= 0.05);
        QVERIFY(maxStep < 0.01); // no jumps between frames
        // The nod: the head is lower 0.2 s into the loud word than just before it.
        MouthParams before, during;
        head.poseAt(1.99, before);
        head.poseAt(2.22, during);
        QVERIFY(during.headY > before.headY + 0.01);
        // Reproducible.
        MouthParams again;
        HeadMotion(speech, 7).poseAt(2.22, again);
        QCOMPARE(again.headY, during.headY);
    }

    void animatorReachesShapesSmoothly() {
        const auto ph = phones("pau:0.5 aa:0.4 pau:0.5 m:0.3 pau:0.5");
        const VisemeTrack track = VisemeRules().fromPhones(ph);
        const MouthAnimator animator;
        const auto poses = animator.sample(track, 25.0, 55);
        QCOMPARE(poses.size(), std::size_t(55));
        // Rest at the start, fully open in the middle of aa, closed during m.
        QCOMPARE(poses[2].open, 0.0);
        QVERIFY(std::abs(animator.poseAt(track, 0.75).open - MouthParams::forShape(Viseme::D).open) < 1e-6);
        QVERIFY(animator.poseAt(track, 1.55).open < 0.01);
        // No popping: the opening never jumps by more than 60% of the full range between two frames.
        const double range = MouthParams::forShape(Viseme::D).open;
        for (std::size_t i = 1; i < poses.size(); ++i)
            QVERIFY2(std::abs(poses[i].open - poses[i - 1].open) <= 0.6 * range,
                     "mouth popped between frames");
        // Visual speech leads the audio a little: the mouth is already opening at the vowel's onset.
        QVERIFY(animator.poseAt(track, 0.5).open > 0.0);
    }

    // A closure (A) between loud vowels, found a few ms earlier or later (a recording's alignment): each
    // frame's opening moves a little with the shift, never from open to sealed (the old step at the frame's
    // centre took a loud frame from 0.109 to 0.006 IOD in tst_render_e2e's disguised recording), and the
    // frame holding the closure's middle is sealed (not boosted open by the loudness) at every shift.
    void closuresSealStablyUnderSmallShifts() {
        Speech loud; // a steady loud voice: every frame gets the full gain and boost
        loud.sampleRate = 16000;
        for (int i = 0; i < 2 * loud.sampleRate; ++i)
            loud.samples.push_back(static_cast<std::int16_t>(
                12000.0 * std::sin(2.0 * 3.141592653589793 * 200.0 * i / loud.sampleRate)));
        const LoudnessShaping shaping(loud);
        constexpr double kFps = 25.0;
        constexpr long long kFrames = 50;
        for (const double length : {0.04, 0.08, 0.12}) {
            std::vector<double> previous;
            for (int shiftMs = 0; shiftMs <= 40; ++shiftMs) {
                const double start = 0.8 + shiftMs / 1000.0;
                const VisemeTrack track = {{Viseme::D, 0.0, start},
                                           {Viseme::A, start, start + length},
                                           {Viseme::D, start + length, 2.0}};
                const std::vector<MouthParams> unshaped = MouthAnimator().sample(track, kFps, kFrames);
                std::vector<MouthParams> poses = unshaped;
                shaping.apply(poses, kFps, track);
                const auto middle = static_cast<std::size_t>((start + 0.5 * length) * kFps);
                QVERIFY2(poses[middle].open <= unshaped[middle].open + 1e-9,
                         qPrintable(QStringLiteral("closure of %1 s at +%2 ms: its middle frame is opened")
                                        .arg(length)
                                        .arg(shiftMs)));
                if (!previous.empty())
                    for (std::size_t f = 0; f < poses.size(); ++f) {
                        // The frame holding the middle changes as the middle crosses a frame's edge; a short
                        // closure (under two frames) seals that frame fully wherever its centre is.
                        const bool middleMoved =
                            length < 2.0 / kFps && (f == middle || f + 1 == middle || f == middle + 1);
                        if (!middleMoved)
                            QVERIFY2(std::abs(poses[f].open - previous[f]) < 0.03,
                                     qPrintable(QStringLiteral("closure of %1 s, 1 ms later at +%2 ms: frame "
                                                               "%3 moved from %4 to %5 IOD")
                                                    .arg(length)
                                                    .arg(shiftMs)
                                                    .arg(f)
                                                    .arg(previous[f])
                                                    .arg(poses[f].open)));
                    }
                previous.clear();
                for (const MouthParams& p : poses)
                    previous.push_back(p.open);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstVisemes)
#include "tst_visemes.moc"
