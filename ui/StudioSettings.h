#pragma once

#include "captions/CaptionStyle.h"
#include "core/FrameRate.h"

#include <QSettings>
#include <QString>
#include <QStringList>

namespace avatar::ui {

// The studio's choices, kept with QSettings (~/.config/Avatar Studio/Avatar Studio.conf on Linux). One object
// owned by the window and passed by reference; no global instance. Defaults live here only.
class StudioSettings {
public:
    StudioSettings(); // the application's settings (organisation and application name)
    explicit StudioSettings(const QString& iniFile); // a given file (tests)

    QSettings& raw() { return m_settings; }

    QString outputFolder() const; // default: ~/Videos/Avatar Studio
    void setOutputFolder(const QString& folder);
    static QString defaultOutputFolder();

    QString voice() const; // default flite:slt
    void setVoice(const QString& id);
    QString size() const; // "1280x720"
    void setSize(const QString& size);
    // Kept as FrameRate::toString() ("30000/1001"); an older studio's whole number (25) reads the same.
    FrameRate frameRate() const; // 25
    void setFrameRate(FrameRate rate);
    QString captions() const; // none | burn | srt | vtt | all
    void setCaptions(const QString& mode);
    QString priority() const; // low | normal | high
    void setPriority(const QString& priority);
    QString tier() const; // standard | advanced | ultra | quantum
    void setTier(const QString& tier);
    double speed() const;
    void setSpeed(double speed);
    QString faceBackend() const; // torch | dlib; default torch, as the CLI's --face-backend
    void setFaceBackend(const QString& backend);
    QString framing() const; // as-is | head | shoulders; default shoulders, as the CLI's --framing
    void setFraming(const QString& framing);
    QString expression() const; // neutral | friendly | serious; default neutral, as --expression
    void setExpression(const QString& expression);

    int renderThreads() const; // 0 = one per hardware thread
    void setRenderThreads(int threads);
    int concurrentJobs() const; // jobs rendering at once (applies at the next start)
    void setConcurrentJobs(int jobs);

    QString language() const; // "" = the system's; "en", "de"
    void setLanguage(const QString& language);

    QStringList portraits() const;
    void setPortraits(const QStringList& paths);
    QString currentPortrait() const; // the selected portrait; "" = the built-in astronaut
    void setCurrentPortrait(const QString& path);
    QString encoderPreset() const; // the composer's Encoding: an x264 preset; default veryfast
    void setEncoderPreset(const QString& preset);
    QString script() const;
    void setScript(const QString& script);
    // The batch folder of a studio batch still rendering (issue #14): set when it starts, cleared when it
    // ends; still set at the next start means the studio died during the batch, which then resumes.
    QString pendingBatch() const;
    void setPendingBatch(const QString& batchDir);
    // Issue #18: the voice's pitch, favourite voices (shown first), the burned captions' style.
    double pitch() const; // semitones, -12 .. 12; default 0, as the CLI's --pitch
    void setPitch(double semitones);
    QStringList favouriteVoices() const;
    void setFavouriteVoices(const QStringList& ids);
    CaptionStyle captionStyle() const; // default: CaptionStyle{}, as the CLI's --caption-* defaults
    void setCaptionStyle(const CaptionStyle& style);
    QStringList clusterBatches() const; // the batch folders submitted to Slurm, shown in the job queue
    void setClusterBatches(const QStringList& dirs);
    // Issue #18: the player's volume (0 .. 100, default 80) and mute, the window's view (false: the creator
    // layout, composer, player and queue; true: the engine view with the live charts and the profiler).
    int playerVolume() const;
    void setPlayerVolume(int percent);
    bool playerMuted() const;
    void setPlayerMuted(bool muted);
    bool engineView() const;
    void setEngineView(bool on);

private:
    QVariant get(const char* key, const QVariant& fallback) const;
    void set(const char* key, const QVariant& value);

    mutable QSettings m_settings;
};

} // namespace avatar::ui
