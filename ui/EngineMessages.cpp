#include "EngineMessages.h"

#include <QRegularExpression>

#include <functional>
#include <vector>

namespace avatar::ui {

namespace {

// One engine message template: its pattern (the captures are the values) and the translated sentence.
struct Template {
    QRegularExpression pattern;
    std::function<QString(const QRegularExpressionMatch&)> text;
};

const std::vector<Template>& templates() {
    // Built on first use, after the translator is installed: the lambdas call tr() each time they are used.
    static const std::vector<Template> list = [] {
        std::vector<Template> t;
        auto add = [&t](const char* pattern, std::function<QString(const QRegularExpressionMatch&)> text) {
            t.push_back(
                {QRegularExpression(QStringLiteral("^") + QString::fromLatin1(pattern) + QStringLiteral("$")),
                 std::move(text)});
        };
        // FaceAnalyzer, RenderPipeline, FaceRig: the portrait.
        add(R"(No face was found in '(.*)'\. Use a front-facing portrait where the face is at least 40 pixels wide\.)",
            [](const auto& m) {
                return EngineMessages::tr(
                           "No face was found in “%1”. Use a front-facing portrait where the face "
                           "is at least 40 pixels wide.")
                    .arg(m.captured(1));
            });
        add(R"(No face was found in '(.*)' by the face-api detector \(--face-backend torch\)\. Use a portrait where the face is clearly visible\.)",
            [](const auto& m) {
                return EngineMessages::tr(
                           "The neural face finder found no face in “%1”. Use a portrait where the "
                           "face is clearly visible.")
                    .arg(m.captured(1));
            });
        add(R"(The face is too small to animate \(eyes less than 4 pixels apart\)\.)", [](const auto&) {
            return EngineMessages::tr("The face is too small to animate (eyes less than 4 pixels apart).");
        });
        add(R"(The face lies outside the video frame\.)",
            [](const auto&) { return EngineMessages::tr("The face lies outside the video frame."); });
        // Images and files.
        add(R"(The image '(.*)' cannot be opened for reading\.)", [](const auto& m) {
            return EngineMessages::tr("The image “%1” cannot be opened for reading.").arg(m.captured(1));
        });
        // The decoder's own reason is in English: left out.
        add(R"(The image '(.*)' cannot be read: (.*)\.)", [](const auto& m) {
            return EngineMessages::tr("The image “%1” cannot be read.").arg(m.captured(1));
        });
        add(R"('(.*)' is not a readable image \(PNG, JPEG, BMP, WebP or TIFF expected\)\.)",
            [](const auto& m) {
                return EngineMessages::tr(
                           "“%1” is not an image the studio can read (PNG, JPEG, BMP, WebP or TIFF).")
                    .arg(m.captured(1));
            });
        add(R"('(.*)' is a folder, not an image\.)", [](const auto& m) {
            return EngineMessages::tr("“%1” is a folder, not an image.").arg(m.captured(1));
        });
        add(R"(The file '(.*)' does not exist\.)", [](const auto& m) {
            return EngineMessages::tr("The file “%1” does not exist.").arg(m.captured(1));
        });
        add(R"(The recording '(.*)' does not exist\.)", [](const auto& m) {
            return EngineMessages::tr("The recording “%1” does not exist.").arg(m.captured(1));
        });
        // The script and the voice.
        add(R"(The script is empty: give some text to speak\.)",
            [](const auto&) { return EngineMessages::tr("The script is empty: write some text to speak."); });
        add(R"(The script is too long \((\d+) bytes; at most (\d+)\): split it into several videos\.)",
            [](const auto& m) {
                return EngineMessages::tr(
                           "The script is too long (%1 bytes; at most %2): split it into several "
                           "videos.")
                    .arg(m.captured(1), m.captured(2));
            });
        add(R"(A pause in the script is longer than 10 seconds\.)", [](const auto&) {
            return EngineMessages::tr("A pause in the script is longer than 10 seconds.");
        });
        add(R"(Unknown voice '(.*)'\. Run 'avatar-render voices' to list the voices\.)", [](const auto& m) {
            return EngineMessages::tr("The voice “%1” is not installed.").arg(m.captured(1));
        });
        add(R"(Unknown (?:espeak-ng|Flite) voice '(.*)'\.)", [](const auto& m) {
            return EngineMessages::tr("The voice “%1” is not installed.").arg(m.captured(1));
        });
        // The output.
        add(R"(Cannot write '(.*)': the folder '(.*)' does not exist\.)", [](const auto& m) {
            return EngineMessages::tr("Cannot write “%1”: the folder “%2” does not exist.")
                .arg(m.captured(1), m.captured(2));
        });
        add(R"(Cannot write '(.*)': the folder '(.*)' is not writable \((.*)\)\.)", [](const auto& m) {
            return EngineMessages::tr("Cannot write “%1”: the folder “%2” is not writable.")
                .arg(m.captured(1), m.captured(2));
        });
        add(R"(Out of memory while writing '(.*)'\.)", [](const auto& m) {
            return EngineMessages::tr("Out of memory while writing “%1”.").arg(m.captured(1));
        });
        add(R"(The (\w+) pool cannot take (.*?): (.*); free buffers, render a smaller size or choose a higher tier\.)",
            [](const auto& m) {
                return EngineMessages::tr(
                           "Not enough memory for this render (%1 more): render a smaller size, "
                           "close other programs or choose a higher engine tier.")
                    .arg(m.captured(2));
            });
        return t;
    }();
    return list;
}

} // namespace

QString EngineMessages::translate(const QString& message) {
    for (const Template& t : templates()) {
        const QRegularExpressionMatch m = t.pattern.match(message);
        if (m.hasMatch())
            return t.text(m);
    }
    return message;
}

QString EngineMessages::translate(const std::string& message) {
    return translate(QString::fromStdString(message));
}

} // namespace avatar::ui
