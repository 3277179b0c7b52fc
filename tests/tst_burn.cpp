#include "captions/Caption.h"
#include "captions/CaptionBurner.h"
#include "core/Error.h"
#include "core/Image.h"

#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using avatar::CaptionBurner;
using avatar::CaptionCue;
using avatar::CaptionWord;
using avatar::Image;
using avatar::Rect;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 360;
constexpr std::uint8_t kGrey = 128;

// A cue whose lines are `text` split at "|", its words spaced `wordSeconds` apart from `start`.
CaptionCue cue(double start, double wordSeconds, const std::string& text) {
    CaptionCue result;
    result.start = start;
    std::string line;
    double at = start;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t next = std::min(text.find_first_of(" |", pos), text.size());
        const std::string word = text.substr(pos, next - pos);
        if (!word.empty()) {
            line += line.empty() ? word : " " + word;
            result.words.push_back({word, at, at + wordSeconds * 0.9});
            at += wordSeconds;
        }
        if (next >= text.size() || text[next] == '|') {
            result.lines.push_back(line);
            line.clear();
        }
        pos = next + 1;
    }
    result.end = at;
    return result;
}

// Two cues: [1.0, 3.0) on two lines (four words per line, 0.25 s each) and [5.0, 6.0) on one line.
std::vector<CaptionCue> sampleCues() {
    return {cue(1.0, 0.25, "Welcome to Avatar Studio,|the talking presenter maker."),
            cue(5.0, 0.5, "Thank you.")};
}

Image greyFrame(int width = kWidth, int height = kHeight) {
    Image frame(width, height);
    frame.fill(kGrey, kGrey, kGrey);
    return frame;
}

int count(const std::string& haystack, const std::string& needle) {
    int n = 0;
    for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
         pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

bool isYellow(const std::uint8_t* p) {
    return p[0] > 200 && p[1] > 160 && p[2] < 90;
}

// Mean x of the yellow pixels of `frame`, or -1 when there are none.
double yellowCentre(const Image& frame, int* pixels = nullptr) {
    double sum = 0.0;
    int n = 0;
    for (int y = 0; y < frame.height(); ++y)
        for (int x = 0; x < frame.width(); ++x)
            if (isYellow(frame.row(y) + 3 * x)) {
                sum += x;
                ++n;
            }
    if (pixels)
        *pixels = n;
    return n ? sum / n : -1.0;
}

// Runs `body` with file descriptor 2 sent to a temporary file; returns what was written to it.
template <typename Body> std::string captureStderr(Body body) {
    std::fflush(stderr);
    char path[] = "/tmp/tst_burn_stderr_XXXXXX";
    const int fd = mkstemp(path);
    const int saved = dup(2);
    dup2(fd, 2);
    body();
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    std::string text;
    lseek(fd, 0, SEEK_SET);
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    unlink(path);
    return text;
}

} // namespace

class TstBurn : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Issue #18: the caption style (the CLI's --caption-* options, the studio's Style…).
    void styleReachesTheScript() {
        avatar::CaptionStyle style;
        style.font = "DejaVu Serif";
        style.size = 150;
        style.position = avatar::CaptionPosition::Top;
        style.colour = 0x112233;
        style.highlight = 0x00FF00;
        style.outline = 0xFF0000;
        const std::string script = CaptionBurner::assScript(sampleCues(), kWidth, kHeight, style);
        // 360 / 18 * 1.5 = 30 px; colours &HAABBGGRR; the shadow the outline's colour, half transparent;
        // alignment 8 is top centre.
        QVERIFY2(script.find("Style: Caption,DejaVu Serif,30,&H00332211,&H000000FF,&H000000FF,&H800000FF,") !=
                     std::string::npos,
                 script.c_str());
        QVERIFY(script.find(",8,32,32,22,") != std::string::npos);
        QVERIFY(script.find("{\\c&H00FF00&}") != std::string::npos);
        // The default style writes what captions were before styles existed.
        const std::string plain = CaptionBurner::assScript(sampleCues(), kWidth, kHeight, {});
        QVERIFY(plain.find("Style: Caption,DejaVu Sans,20,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,") !=
                std::string::npos);
        QVERIFY(plain.find("{\\c&H00D7FF&}") != std::string::npos);
    }

    void positionMovesTheCaptions() {
        for (const auto position : {avatar::CaptionPosition::Top, avatar::CaptionPosition::Middle}) {
            avatar::CaptionStyle style;
            style.position = position;
            const CaptionBurner burner(sampleCues(), kWidth, kHeight, style);
            const Rect area = burner.area();
            Image frame = greyFrame();
            QVERIFY(burner.draw(1.6, frame));
            int top = kHeight, bottom = 0;
            for (int y = 0; y < kHeight; ++y)
                for (int x = 0; x < kWidth; ++x) {
                    const std::uint8_t* p = frame.row(y) + 3 * x;
                    if (p[0] == kGrey && p[1] == kGrey && p[2] == kGrey)
                        continue;
                    QVERIFY(area.contains(x, y));
                    top = std::min(top, y);
                    bottom = std::max(bottom, y);
                }
            if (position == avatar::CaptionPosition::Top)
                QVERIFY2(top < kHeight / 8 && bottom < kHeight / 2, qPrintable(QString::number(top)));
            else
                QVERIFY2(top > kHeight / 4 && bottom < 3 * kHeight / 4,
                         qPrintable(QStringLiteral("%1 %2").arg(top).arg(bottom)));
            QVERIFY(area.bottom() < kHeight); // only the band the captions touch
        }
    }

    void badStyleRefused() {
        avatar::CaptionStyle style;
        style.size = 201;
        QVERIFY_THROWS_EXCEPTION(avatar::Error, CaptionBurner(sampleCues(), kWidth, kHeight, style));
        style = {};
        style.font = "Evil,Font";
        QVERIFY_THROWS_EXCEPTION(avatar::Error, CaptionBurner(sampleCues(), kWidth, kHeight, style));
        QCOMPARE(avatar::parseColour("#ffd700").value_or(0), 0xFFD700u);
        QVERIFY(!avatar::parseColour("#FFD70"));
        QVERIFY(!avatar::parseColour("gold"));
        QCOMPARE(avatar::colourName(0x00FF00), std::string("#00FF00"));
    }

    void scriptHeaderAndStyle() {
        const std::string script = CaptionBurner::assScript(sampleCues(), kWidth, kHeight);
        QVERIFY(script.find("[Script Info]") != std::string::npos);
        QVERIFY(script.find("PlayResX: 640\n") != std::string::npos);
        QVERIFY(script.find("PlayResY: 360\n") != std::string::npos);
        QVERIFY(script.find("ScaledBorderAndShadow: yes") != std::string::npos);
        QVERIFY(script.find("WrapStyle: 2") != std::string::npos);
        // 360 / 18 = 20 px text, white, black outline, bottom centre, 5% side and 6% bottom margins.
        QVERIFY2(script.find("Style: Caption,DejaVu Sans,20,&H00FFFFFF,") != std::string::npos,
                 script.c_str());
        QVERIFY(script.find(",2,32,32,22,") != std::string::npos);
    }

    void scriptEventPerWord() {
        const std::vector<CaptionCue> cues = sampleCues();
        const std::string script = CaptionBurner::assScript(cues, kWidth, kHeight);
        QCOMPARE(count(script, "\nDialogue: "), 10); // 8 + 2 words
        QCOMPARE(count(script, "\\N"), 8);           // each event of the two-line cue breaks once
        // The first word's event starts with the cue; consecutive events touch; the last ends with the cue.
        QVERIFY(script.find("Dialogue: 0,0:00:01.00,0:00:01.25,") != std::string::npos);
        QVERIFY(script.find("Dialogue: 0,0:00:01.25,0:00:01.50,") != std::string::npos);
        QVERIFY(script.find("Dialogue: 0,0:00:02.75,0:00:03.00,") != std::string::npos);
        QVERIFY(script.find("Dialogue: 0,0:00:05.00,0:00:05.50,") != std::string::npos);
        QVERIFY(script.find("Dialogue: 0,0:00:05.50,0:00:06.00,") != std::string::npos);
        // The first event highlights "Welcome" and shows the whole cue.
        QVERIFY2(
            script.find(",,{\\c&H00D7FF&}Welcome{\\r} to Avatar Studio,\\Nthe talking presenter maker.\n") !=
                std::string::npos,
            script.c_str());
        QVERIFY(script.find(",,Thank {\\c&H00D7FF&}you.{\\r}\n") != std::string::npos);
    }

    void scriptEscapes() {
        CaptionCue special = cue(0.0, 0.5, "a {b} c\\Nd");
        const std::string script = CaptionBurner::assScript({special}, kWidth, kHeight);
        QVERIFY2(script.find("\\{b\\}") != std::string::npos, script.c_str());
        QVERIFY(script.find("{b}") == std::string::npos);
        // The backslash of the user's text is never followed directly by 'N'.
        const std::size_t events = script.find("[Events]");
        QCOMPARE(count(script.substr(events), "c\\N"), 0);
        QCOMPARE(count(script.substr(events), "\\N"), 0);
    }

    void areaIsBottomBand() {
        const CaptionBurner burner(sampleCues(), kWidth, kHeight);
        const Rect area = burner.area();
        QVERIFY(!area.isEmpty());
        QCOMPARE(area.x, 0);
        QCOMPARE(area.width, kWidth);
        QCOMPARE(area.bottom(), kHeight);
        QVERIFY2(area.y > kHeight / 2, qPrintable(QString::number(area.y)));
        QVERIFY(area.y >= 0);

        const CaptionBurner none({}, kWidth, kHeight);
        QVERIFY(none.area().isEmpty());
        Image frame = greyFrame();
        QVERIFY(!none.draw(1.5, frame));
    }

    void drawInsideCue() {
        const CaptionBurner burner(sampleCues(), kWidth, kHeight);
        const Rect area = burner.area();
        Image frame = greyFrame();
        QVERIFY(burner.draw(1.6, frame));
        int changed = 0;
        int white = 0;
        int dark = 0;
        for (int y = 0; y < kHeight; ++y) {
            for (int x = 0; x < kWidth; ++x) {
                const std::uint8_t* p = frame.row(y) + 3 * x;
                if (p[0] == kGrey && p[1] == kGrey && p[2] == kGrey)
                    continue;
                QVERIFY2(area.contains(x, y), qPrintable(QStringLiteral("%1,%2").arg(x).arg(y)));
                ++changed;
                if (p[0] > 235 && p[1] > 235 && p[2] > 235)
                    ++white;
                if (p[0] < 40 && p[1] < 40 && p[2] < 40)
                    ++dark;
            }
        }
        QVERIFY(changed > 1000);
        QVERIFY2(white > 200, qPrintable(QString::number(white)));
        QVERIFY2(dark > 200, qPrintable(QString::number(dark)));
    }

    void nothingBetweenCues() {
        const CaptionBurner burner(sampleCues(), kWidth, kHeight);
        const Image grey = greyFrame();
        for (double t : {0.0, 0.5, 3.0, 4.0, 4.99, 6.0, 100.0}) {
            Image frame = grey;
            QVERIFY2(!burner.draw(t, frame), qPrintable(QString::number(t)));
            QVERIFY(std::equal(frame.data(), frame.data() + frame.byteSize(), grey.data()));
        }
    }

    void highlightMoves() {
        const CaptionBurner burner(sampleCues(), kWidth, kHeight);
        Image first = greyFrame();
        Image third = greyFrame();
        QVERIFY(burner.draw(1.1, first));  // "Welcome"
        QVERIFY(burner.draw(1.85, third)); // "Studio,"
        int firstPixels = 0;
        int thirdPixels = 0;
        const double firstX = yellowCentre(first, &firstPixels);
        const double thirdX = yellowCentre(third, &thirdPixels);
        QVERIFY2(firstPixels > 50 && thirdPixels > 50,
                 qPrintable(QStringLiteral("%1 %2").arg(firstPixels).arg(thirdPixels)));
        QVERIFY2(thirdX > firstX + 100, qPrintable(QStringLiteral("%1 %2").arg(firstX).arg(thirdX)));
        // In the second cue the highlight sits on its last word, right of centre.
        Image last = greyFrame();
        QVERIFY(burner.draw(5.7, last)); // "you."
        QVERIFY(yellowCentre(last) > kWidth / 2);
    }

    void concurrentMatchesSerial() {
        const CaptionBurner burner(sampleCues(), kWidth, kHeight);
        std::vector<double> times;
        for (int i = 0; i < 28; ++i)
            times.push_back(0.9 + i * 0.2);
        std::vector<Image> serial(times.size(), greyFrame());
        for (std::size_t i = 0; i < times.size(); ++i)
            burner.draw(times[i], serial[i]);

        std::vector<Image> parallel(times.size(), greyFrame());
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (std::size_t round = 0; round < 3; ++round)
                    for (std::size_t i = t; i < times.size(); i += 4) {
                        Image frame = greyFrame();
                        burner.draw(times[i], frame);
                        if (round == 2)
                            parallel[i] = std::move(frame);
                    }
            });
        for (std::thread& thread : threads)
            thread.join();
        for (std::size_t i = 0; i < times.size(); ++i)
            QVERIFY2(
                std::equal(serial[i].data(), serial[i].data() + serial[i].byteSize(), parallel[i].data()),
                qPrintable(QString::number(times[i])));
    }

    void silentOnStderr() {
        const std::string output = captureStderr([] {
            const CaptionBurner burner(sampleCues(), 1280, 720);
            Image frame = greyFrame(1280, 720);
            burner.draw(1.5, frame);
            burner.draw(5.2, frame);
            // A script whose text asks for a font that does not exist still renders quietly.
            CaptionCue odd = cue(0.0, 0.5, "{\\fnNoSuchFontAnywhere}x \\ y");
            const CaptionBurner other({odd}, 320, 240);
            Image small = greyFrame(320, 240);
            other.draw(0.2, small);
        });
        QVERIFY2(output.empty(), output.c_str());
    }

    // A portrait frame gets a smaller font so a full 42-character line still fits between the side margins.
    void portraitFits() {
        const CaptionBurner burner(sampleCues(), 360, 640);
        Image frame = greyFrame(360, 640);
        QVERIFY(burner.draw(1.5, frame));
        for (int y = 0; y < frame.height(); ++y) {
            for (int x : {0, 1, frame.width() - 2, frame.width() - 1}) {
                const std::uint8_t* p = frame.row(y) + 3 * x;
                QVERIFY(p[0] == kGrey && p[1] == kGrey && p[2] == kGrey);
            }
        }
    }

    void wrongFrameSizeDrawsNothing() {
        const CaptionBurner burner(sampleCues(), kWidth, kHeight);
        Image frame = greyFrame(320, 180);
        QVERIFY(!burner.draw(1.5, frame));
    }
};

QTEST_GUILESS_MAIN(TstBurn)
#include "tst_burn.moc"
