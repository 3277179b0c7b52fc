#include "StudioSettings.h"

#include "pipeline/RenderSpec.h"

#include <QDir>
#include <QStandardPaths>

#include <algorithm>

namespace avatar::ui {

StudioSettings::StudioSettings() = default;

StudioSettings::StudioSettings(const QString& iniFile) : m_settings(iniFile, QSettings::IniFormat) {}

QVariant StudioSettings::get(const char* key, const QVariant& fallback) const {
    return m_settings.value(QLatin1String(key), fallback);
}

void StudioSettings::set(const char* key, const QVariant& value) {
    m_settings.setValue(QLatin1String(key), value);
}

QString StudioSettings::defaultOutputFolder() {
    QString videos = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (videos.isEmpty())
        videos = QDir::homePath() + QStringLiteral("/Videos");
    return videos + QStringLiteral("/Avatar Studio");
}

QString StudioSettings::outputFolder() const {
    return get("output/folder", defaultOutputFolder()).toString();
}
void StudioSettings::setOutputFolder(const QString& folder) {
    set("output/folder", folder);
}

QString StudioSettings::pendingBatch() const {
    return get("batch/pending", QString()).toString();
}
void StudioSettings::setPendingBatch(const QString& batchDir) {
    set("batch/pending", batchDir);
    m_settings.sync(); // now, not at exit: it is read after a crash
}

QString StudioSettings::voice() const {
    return get("defaults/voice", QStringLiteral("flite:slt")).toString();
}
void StudioSettings::setVoice(const QString& id) {
    set("defaults/voice", id);
}
QString StudioSettings::size() const {
    return get("defaults/size", QStringLiteral("1280x720")).toString();
}
void StudioSettings::setSize(const QString& size) {
    set("defaults/size", size);
}
FrameRate StudioSettings::frameRate() const {
    return FrameRate::parse(get("defaults/fps", 25).toString().toStdString()).value_or(FrameRate());
}
void StudioSettings::setFrameRate(FrameRate rate) {
    set("defaults/fps", QString::fromStdString(rate.toString()));
}
QString StudioSettings::captions() const {
    return get("defaults/captions", QStringLiteral("none")).toString();
}
void StudioSettings::setCaptions(const QString& mode) {
    set("defaults/captions", mode);
}
QString StudioSettings::priority() const {
    return get("defaults/priority", QStringLiteral("normal")).toString();
}
void StudioSettings::setPriority(const QString& priority) {
    set("defaults/priority", priority);
}
QString StudioSettings::tier() const {
    return get("engine/tier", QStringLiteral("standard")).toString();
}
void StudioSettings::setTier(const QString& tier) {
    set("engine/tier", tier);
}
double StudioSettings::speed() const {
    return get("defaults/speed", 1.0).toDouble();
}
void StudioSettings::setSpeed(double speed) {
    set("defaults/speed", speed);
}
QString StudioSettings::faceBackend() const {
    return get("defaults/faceBackend", QStringLiteral("torch")).toString();
}
void StudioSettings::setFaceBackend(const QString& backend) {
    set("defaults/faceBackend", backend);
}
QString StudioSettings::expression() const {
    return get("defaults/expression", QStringLiteral("neutral")).toString();
}
void StudioSettings::setExpression(const QString& expression) {
    set("defaults/expression", expression);
}

QString StudioSettings::framing() const {
    return get("defaults/framing", QString::fromLatin1(framingName(RenderSpec{}.framing))).toString();
}
void StudioSettings::setFraming(const QString& framing) {
    set("defaults/framing", framing);
}

int StudioSettings::renderThreads() const {
    return get("engine/renderThreads", 0).toInt();
}
void StudioSettings::setRenderThreads(int threads) {
    set("engine/renderThreads", threads);
}
int StudioSettings::concurrentJobs() const {
    return get("engine/concurrentJobs", 1).toInt();
}
void StudioSettings::setConcurrentJobs(int jobs) {
    set("engine/concurrentJobs", jobs);
}

QString StudioSettings::language() const {
    return get("ui/language", QString()).toString();
}
void StudioSettings::setLanguage(const QString& language) {
    set("ui/language", language);
}

QStringList StudioSettings::portraits() const {
    return get("composer/portraits", QStringList()).toStringList();
}
void StudioSettings::setPortraits(const QStringList& paths) {
    set("composer/portraits", paths);
}
QStringList StudioSettings::clusterBatches() const {
    return get("cluster/batches", QStringList()).toStringList();
}
void StudioSettings::setClusterBatches(const QStringList& dirs) {
    set("cluster/batches", dirs);
}
QString StudioSettings::script() const {
    return get("composer/script", QString()).toString();
}
void StudioSettings::setScript(const QString& script) {
    set("composer/script", script);
}

QString StudioSettings::currentPortrait() const {
    return get("composer/currentPortrait", QString()).toString();
}

void StudioSettings::setCurrentPortrait(const QString& path) {
    set("composer/currentPortrait", path);
}

QString StudioSettings::encoderPreset() const {
    return get("defaults/encoderPreset", QStringLiteral("veryfast")).toString();
}

void StudioSettings::setEncoderPreset(const QString& preset) {
    set("defaults/encoderPreset", preset);
}

double StudioSettings::pitch() const {
    return get("defaults/pitch", 0.0).toDouble();
}

void StudioSettings::setPitch(double semitones) {
    set("defaults/pitch", semitones);
}

QStringList StudioSettings::favouriteVoices() const {
    return get("voices/favourites", QStringList()).toStringList();
}

void StudioSettings::setFavouriteVoices(const QStringList& ids) {
    set("voices/favourites", ids);
}

CaptionStyle StudioSettings::captionStyle() const {
    // Stored in the CLI's spelling; a damaged value falls back to the default of that field.
    CaptionStyle style;
    auto colour = [this](const char* key, std::uint32_t fallback) {
        return parseColour(get(key, QString()).toString().toStdString()).value_or(fallback);
    };
    style.font = get("captions/font", QString::fromStdString(style.font)).toString().toStdString();
    style.size = get("captions/size", style.size).toInt();
    style.position = parseCaptionPosition(get("captions/position", QString()).toString().toStdString())
                         .value_or(style.position);
    style.colour = colour("captions/colour", style.colour);
    style.highlight = colour("captions/highlight", style.highlight);
    style.outline = colour("captions/outline", style.outline);
    return style;
}

void StudioSettings::setCaptionStyle(const CaptionStyle& style) {
    set("captions/font", QString::fromStdString(style.font));
    set("captions/size", style.size);
    set("captions/position", QString::fromLatin1(captionPositionName(style.position)));
    set("captions/colour", QString::fromStdString(colourName(style.colour)));
    set("captions/highlight", QString::fromStdString(colourName(style.highlight)));
    set("captions/outline", QString::fromStdString(colourName(style.outline)));
}

int StudioSettings::playerVolume() const {
    return std::clamp(get("player/volume", 80).toInt(), 0, 100);
}
void StudioSettings::setPlayerVolume(int percent) {
    set("player/volume", std::clamp(percent, 0, 100));
}
bool StudioSettings::playerMuted() const {
    return get("player/muted", false).toBool();
}
void StudioSettings::setPlayerMuted(bool muted) {
    set("player/muted", muted);
}
bool StudioSettings::engineView() const {
    return get("view/engine", false).toBool();
}
void StudioSettings::setEngineView(bool on) {
    set("view/engine", on);
}

} // namespace avatar::ui
