#include "CliOptions.h"

#include <cctype>

#include "assets/DefaultAssets.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/FrameRate.h"
#include "core/PrivateFiles.h"
#include "lipsync/CueWriter.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace avatar::cli {
namespace {

int parseInt(const std::string& flag, const std::string& text) {
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size())
        throw UsageError{flag + " expects a whole number, not '" + text + "'."};
    return value;
}

double parseNumber(const std::string& flag, const std::string& text) {
    // from_chars takes plain decimal only: no leading spaces, no hex, no locale.
    double value = 0.0;
    const char* first = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        throw UsageError{flag + " expects a number, not '" + text + "'."};
    return value;
}

void parseSize(const std::string& text, RenderSpec& spec) {
    const auto x = text.find_first_of("xX");
    if (x == std::string::npos)
        throw UsageError{"--size expects WIDTHxHEIGHT, for example 1280x720, not '" + text + "'."};
    spec.width = parseInt("--size", text.substr(0, x));
    spec.height = parseInt("--size", text.substr(x + 1));
}

std::string readScript(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::InvalidInput, "The script file '" + path + "' is a folder, not a text file.");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "The script file '" + path + "' does not exist or cannot be read.");
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad())
        throw Error(ErrorCode::Unreadable, "The script file '" + path + "' could not be read to the end.");
    std::string text = s.str();
    if (text.find('\0') != std::string::npos)
        throw Error(ErrorCode::InvalidInput, "The script file '" + path + "' is not a text file.");
    return text;
}

} // namespace

std::filesystem::path defaultCacheDir() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && *xdg == '/') // the XDG spec: relative values are invalid and ignored
        return std::filesystem::path(xdg) / "avatar-studio";
    const char* home = std::getenv("HOME");
    if (home && *home)
        return std::filesystem::path(home) / ".cache" / "avatar-studio";
    return {};
}

std::unique_ptr<cache::Cache> openCache(const std::filesystem::path& dir, ResilienceCounters* resilience,
                                        const std::filesystem::path& shared) {
    cache::CacheOptions options;
    options.disk.resilience = resilience;
    options.memory.capacityBytes = kCacheMemoryBytes;
    options.disk.capacityBytes = kCacheDiskBytes;
    options.onWarning = [](const std::string& message) {
        std::fprintf(stderr, "avatar-render: warning: %s\n", message.c_str());
    };
    if (PrivateFiles::createFolder(dir)) // owner only
        options.disk.path = dir / "cache.db";
    else
        options.onWarning("the cache folder '" + dir.string() +
                          "' cannot be created; this render caches in memory only.");
    options.shared.dir = shared;
    return std::make_unique<cache::Cache>(std::move(options));
}

std::string usage() {
    // "  or:" lines, as GNU programs write them: help2man makes each a line of the man page's synopsis.
    return R"(Usage: avatar-render [render] [options]
  or:  avatar-render [render] PROJECT.avatarproj [-o OUT.mp4] [--json] [-q] [--tier T] [--cache-dir DIR | --no-cache]
  or:  avatar-render voices [--json]
  or:  avatar-render frame VIDEO [--at SECONDS] -o IMAGE.png
  or:  avatar-render cues [--audio FILE] [--text TEXT | --script FILE] -o CUES.tsv|xml|json|dat
  or:  avatar-render shapes [--avatar IMAGE] [--size WxH] [--framing F] [--face N] [--face-backend B] -o SHEET.png
  or:  avatar-render faces IMAGE... [--json]      (see 'avatar-render faces --help')
  or:  avatar-render queue add|run|list ...       (see 'avatar-render queue --help')
  or:  avatar-render batch PROJECT DATA.csv -o 'out/{{name}}.mp4'  (see 'avatar-render batch --help')
  or:  avatar-render batch PROJECT DATA.csv -o PATTERN --slurm --batch-dir DIR [--tasks N]  (a Slurm array)
  or:  avatar-render batch status|resubmit DIR  (a batch on a Slurm cluster: docs/FARM.md)

Renders a lip-synced talking-presenter video (H.264/AAC MP4) from a script and a portrait, or
the scenes of a project file made in Avatar Studio (default output: the project's name with .mp4).

Options for render:
  --text TEXT        the script to speak
  --script FILE      read the script from a UTF-8 text file
                     (neither: the built-in demo script)
                     pauses: <break time="500ms"/>, <break time="1s"/>
  --audio FILE       narrate with a recording instead of a voice (WAV, FLAC, MP3,
                     M4A, OGG, ... any rate and channels; up to 4 hours); brought to
                     -16 LUFS; the mouth follows the sound; --text/--script is then
                     its transcript (English, any length, aligned in chunks): its words
                     are aligned to the sound, drive the mouth and time captions;
                     without one, the words spoken are recognised (English voices;
                     other languages: the sound's own analysis)
  --avatar IMAGE     portrait (PNG, JPEG, ...); default: the built-in astronaut portrait
  --voice ID         voice id from 'avatar-render voices' (default flite:slt)
  --speed X          speaking speed, 0.5 .. 2.0 (default 1)
  --pitch N          pitch shift in semitones, -12 .. 12 (default 0)
  --size WxH         frame size, even numbers (default 1280x720)
  --fps RATE         frames per second, 1 to 60: whole (25), decimal (29.97,
                     23.976, 59.94: NTSC's exact N/1001 rates) or a fraction
                     (30000/1001) (default 25)
  --preset NAME      x264 preset, ultrafast..veryslow (default: the tier's,
                     standard veryfast, advanced and ultra superfast, quantum ultrafast)
  --crf N            x264 quality, 0 (lossless) .. 51 (default 20)
  --captions MODE    none, burn (into the picture, current word highlighted),
                     srt or vtt (files beside the video: out.mp4 -> out.srt / out.vtt),
                     or all three (default none)
  --caption-font NAME       burned captions' font family (default DejaVu Sans)
  --caption-size PERCENT    their size, 50 .. 200 % of the automatic size (default 100)
  --caption-position WHERE  bottom, middle or top (default bottom)
  --caption-colour #RRGGBB  the text's colour (default #FFFFFF)
  --caption-highlight #RRGGBB  the spoken word's colour (default #FFD700)
  --caption-outline #RRGGBB    outline and shadow colour (default #000000)
  --threads N        render threads (default: one per CPU thread)
  --face-backend B   who finds the portrait's face: torch (the face-api models on
                     LibTorch, MIT-licensed weights: also small and turned faces) or
                     dlib (HOG detector, faces from about 40 px, front-facing; its
                     landmark model's training data is for non-commercial use only)
                     (default torch)
  --framing F        as-is (the whole portrait, blurred bars), head (a close-up) or
                     shoulders (head and shoulders, like a news presenter): the crop
                     around the face, the eyes near the upper third (default shoulders)
  --face N           in a photo with several faces, the one that speaks: 0 the largest,
                     1 the next in size, ... (as numbered by 'avatar-render faces --backend B'
                     with the same face finder) (default 0)
  --expression E     the presenter's resting expression: neutral (the portrait's own face),
                     friendly (a resting smile) or serious (corners and brows a little
                     down) (default neutral)
  --tier NAME        optimisation tier: standard, advanced, ultra or quantum (default
                     standard): memory cap, batch sizes, scaler thresholds, profiling
                     detail and encoder preset
  --report FILE      write a profile of the render; the format follows the extension:
                     .json (Chrome trace, opens in Perfetto), .html, .csv or .pdf;
                     may be given several times
  --baseline FILE    a profile baseline (JSON) to flag regressions against in reports
  --cache-dir DIR    keep speech, face analysis and encoded video segments (one per
                     sentence) here, so that re-rendering an edited script redraws only
                     the sentences that changed (default $XDG_CACHE_HOME/avatar-studio or
                     ~/.cache/avatar-studio; 256 MiB in memory, at most 2 GiB on disk in
                     DIR/cache.db)
  --no-cache         neither read nor write the cache: the video is encoded in one piece
  -o, --output FILE  output MP4 (default avatar.mp4)
  --json             print one JSON line with the result on stdout
  -q, --quiet        no progress bar
  -h, --help         this help
  --version          print the version
)";
}

CliOptions parse(const std::vector<std::string>& args) {
    CliOptions o;
    o.spec.output = "avatar.mp4";
    std::size_t i = 0;
    if (!args.empty() && args[0] == "render")
        i = 1;
    if (i < args.size() && std::filesystem::path(args[i]).extension() == ".avatarproj") {
        o.command = Command::Project;
        o.project = args[i];
        o.spec.output = o.project.stem().string() + ".mp4";
        ++i;
    } else if (!args.empty()) {
        if (args[0] == "render") {
            i = 1;
        } else if (args[0] == "voices") {
            o.command = Command::Voices;
            i = 1;
        } else if (args[0] == "shapes") {
            o.command = Command::Shapes;
            o.spec.output = "mouth-shapes.png";
            i = 1;
        } else if (args[0] == "cues") {
            o.command = Command::Cues;
            o.spec.output.clear();
            i = 1;
        } else if (args[0] == "frame") {
            o.command = Command::Frame;
            o.spec.output.clear();
            if (args.size() < 2 || args[1].empty() || args[1][0] == '-')
                throw UsageError{
                    "'frame' needs a video file: avatar-render frame VIDEO --at SECONDS -o IMAGE.png"};
            o.video = args[1];
            i = 2;
        }
    }
    bool haveText = false;
    bool haveScript = false;
    std::set<std::string> given; // an option given twice is a mistake, not "the last one wins"
    auto value = [&](const std::string& flag) -> std::string {
        if (i + 1 >= args.size())
            throw UsageError{flag + " needs a value."};
        const std::string name = flag == "-o" ? "--output" : flag;
        if (!given.insert(name).second)
            throw UsageError{name + " was given twice."};
        return args[++i];
    };
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            o.command = Command::Help;
        } else if (a == "--version") {
            o.command = Command::Version;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "-q" || a == "--quiet") {
            o.quiet = true;
        } else if (o.command == Command::Voices) {
            throw UsageError{"'voices' takes only --json, not '" + a + "'."};
        } else if (o.command == Command::Frame && a == "--at") {
            const std::string v = value(a);
            try {
                o.at = std::stod(v);
            } catch (const std::exception&) {
                throw UsageError{"--at expects seconds, not '" + v + "'."};
            }
        } else if (o.command == Command::Frame && a != "-o" && a != "--output") {
            throw UsageError{"'frame' takes --at and -o, not '" + a + "'."};
        } else if (o.command == Command::Shapes && a != "--avatar" && a != "--size" && a != "-o" &&
                   a != "--output" && a != "--framing" && a != "--face" && a != "--face-backend") {
            throw UsageError{
                "'shapes' takes --avatar, --size, --framing, --face, --face-backend and -o, not '" + a +
                "'."};
        } else if (o.command == Command::Project && a != "-o" && a != "--output" && a != "--tier" &&
                   a != "--cache-dir" && a != "--no-cache") {
            throw UsageError{"'" + a +
                             "' is set in the project (open it in Avatar Studio to change it); "
                             "with a project give only -o, --json, -q, --tier, --cache-dir or --no-cache."};
        } else if (o.command == Command::Cues && a != "--audio" && a != "--text" && a != "--script" &&
                   a != "--voice" && a != "--speed" && a != "--pitch" && a != "--fps" && a != "-o" &&
                   a != "--output") {
            throw UsageError{
                "'cues' takes --audio, --text, --script, --voice, --speed, --pitch, --fps and -o, "
                "not '" +
                a + "'."};
        } else if (a == "--text") {
            o.spec.text = value(a);
            haveText = true;
        } else if (a == "--script") {
            o.spec.text = readScript(value(a));
            haveScript = true;
        } else if (a == "--audio") {
            o.spec.audio = value(a);
            if (o.spec.audio.empty())
                throw UsageError{"--audio needs a file name."};
        } else if (a == "--avatar") {
            o.spec.avatar = value(a);
            if (o.spec.avatar.empty())
                throw UsageError{"--avatar needs a file name."};
        } else if (a == "--voice") {
            o.spec.voice = value(a);
        } else if (a == "--size") {
            parseSize(value(a), o.spec);
        } else if (a == "--captions") {
            const std::string mode = value(a);
            if (mode != "none" && mode != "burn" && mode != "srt" && mode != "vtt" && mode != "all")
                throw UsageError{"--captions expects none, burn, srt, vtt or all, not '" + mode + "'."};
            o.spec.captionsBurn = mode == "burn" || mode == "all";
            o.spec.captionsSrt = mode == "srt" || mode == "all";
            o.spec.captionsVtt = mode == "vtt" || mode == "all";
        } else if (a == "--caption-font") {
            o.spec.captionStyle.font = value(a);
        } else if (a == "--caption-size") {
            o.spec.captionStyle.size = parseInt(a, value(a));
        } else if (a == "--caption-position") {
            const std::string name = value(a);
            const auto position = parseCaptionPosition(name);
            if (!position)
                throw UsageError{"--caption-position expects bottom, middle or top, not '" + name + "'."};
            o.spec.captionStyle.position = *position;
        } else if (a == "--caption-colour" || a == "--caption-highlight" || a == "--caption-outline") {
            const std::string text = value(a);
            const auto colour = parseColour(text);
            if (!colour)
                throw UsageError{a + " expects a colour #RRGGBB, for example #FFD700, not '" + text + "'."};
            (a == "--caption-colour"      ? o.spec.captionStyle.colour
             : a == "--caption-highlight" ? o.spec.captionStyle.highlight
                                          : o.spec.captionStyle.outline) = *colour;
        } else if (a == "--speed") {
            o.spec.speed = parseNumber(a, value(a));
        } else if (a == "--pitch") {
            o.spec.pitch = parseNumber(a, value(a));
        } else if (a == "--fps") {
            // Malformed is a usage error; out of range is refused by the render's checks, with the same
            // message (FrameRate::message).
            const std::string text = value(a);
            const std::optional<FrameRate> rate = FrameRate::parse(text);
            if (!rate)
                throw UsageError{FrameRate::message(text)};
            o.spec.fps = *rate;
        } else if (a == "--preset") {
            o.spec.preset = value(a);
        } else if (a == "--crf") {
            o.spec.crf = parseInt(a, value(a));
        } else if (a == "--threads") {
            o.spec.threads = parseInt(a, value(a));
            if (o.spec.threads < 0 || o.spec.threads > 256)
                throw UsageError{"--threads must be between 0 and 256."};
        } else if (a == "--face-backend") {
            const std::string backend = value(a);
            if (backend != "dlib" && backend != "torch")
                throw UsageError{"--face-backend expects dlib or torch, not '" + backend + "'."};
            o.spec.faceBackend = backend == "torch" ? FaceBackend::Torch : FaceBackend::Dlib;
        } else if (a == "--framing") {
            const std::string name = value(a);
            const auto framing = parseFraming(name);
            if (!framing)
                throw UsageError{"--framing expects as-is, head or shoulders, not '" + name + "'."};
            o.spec.framing = *framing;
        } else if (a == "--face") {
            o.spec.faceIndex = parseInt(a, value(a));
            if (o.spec.faceIndex < 0)
                throw UsageError{"--face expects 0 (the largest face) or more, not '" + args[i] + "'."};
        } else if (a == "--expression") {
            const std::string name = value(a);
            const auto expression = parseExpression(name);
            if (!expression)
                throw UsageError{"--expression expects neutral, friendly or serious, not '" + name + "'."};
            o.spec.expression = *expression;
        } else if (a == "-o" || a == "--output") {
            o.spec.output = value(a);
        } else if (a == "--tier") {
            const std::string name = value(a);
            o.tier = parseTier(name);
            if (!o.tier)
                throw UsageError{"--tier expects standard, advanced, ultra or quantum, not '" + name + "'."};
        } else if (a == "--report") {
            // Repeatable: one report per format.
            if (i + 1 >= args.size())
                throw UsageError{"--report needs a file name."};
            const std::filesystem::path file = args[++i];
            std::string ext = file.extension().string();
            for (char& c : ext)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (ext != ".json" && ext != ".html" && ext != ".htm" && ext != ".csv" && ext != ".pdf")
                throw UsageError{"--report '" + file.string() +
                                 "': the format follows the extension, use .json, .html, .csv or .pdf."};
            o.reports.push_back(file);
        } else if (a == "--baseline") {
            o.baseline = value(a);
        } else if (a == "--cache-dir") {
            o.cacheDir = value(a);
            if (o.cacheDir.empty())
                throw UsageError{"--cache-dir needs a folder name."};
        } else if (a == "--no-cache") {
            o.noCache = true;
        } else {
            throw UsageError{"Unknown option '" + a + "'. Run 'avatar-render --help' for the options."};
        }
    }
    if (o.command == Command::Cues) {
        if (o.spec.output.empty())
            throw UsageError{"'cues' needs -o FILE (.tsv, .xml, .json or .dat)."};
        if (!CueWriter::formatFor(o.spec.output))
            throw UsageError{
                "'cues' writes .tsv, .xml or .json (Rhubarb Lip Sync) or .dat (Moho switch), not '" +
                o.spec.output.string() + "'."};
    }
    if (o.command == Command::Frame && o.spec.output.empty())
        throw UsageError{"'frame' needs -o IMAGE.png."};
    if (haveText && haveScript)
        throw UsageError{"Give either --text or --script, not both."};
    if (o.noCache && !o.cacheDir.empty())
        throw UsageError{"Give either --cache-dir or --no-cache, not both."};
    if (!haveText && !haveScript && o.spec.audio.empty())
        o.spec.text = DefaultAssets::defaultScript();
    return o;
}

} // namespace avatar::cli
