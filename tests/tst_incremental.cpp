// Incremental re-render (issue #6): with a cache, a job is encoded in one closed-GOP segment per sentence and
// joined by remuxing. A ten-sentence script is rendered cold, then with one sentence edited (a fresh cache
// object on the same SQLite file, as a new process would see it): only that sentence is drawn again, the
// joined files decode frame by frame with continuous timestamps and audio in sync, the unchanged sentences'
// frames are identical, and the joined video matches a render without cache within codec noise.
#include "cache/Cache.h"
#include "media/AacTrackEncoder.h"
#include "media/EncodedSegment.h"
#include "media/MediaReader.h"
#include "media/SegmentEncoder.h"
#include "pipeline/EncoderHeaderMemo.h"
#include "pipeline/RenderCache.h"
#include "pipeline/RenderPipeline.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

using namespace avatar;

namespace {

const std::vector<std::string> kSentences = {
    "Welcome to the weekly update.",       "Our team shipped the new editor.",
    "Customers asked for faster renders.", "We listened and made them quicker.",
    "The cache keeps what was made.",      "Only changed sentences render again.",
    "Audio is encoded in one piece.",      "Segments join without a seam.",
    "Thanks for watching today.",          "See you next week."};

std::string script(const std::vector<std::string>& sentences) {
    std::string text;
    for (const auto& s : sentences)
        text += s + " ";
    return text;
}

double meanAbsDiff(const Image& a, const Image& b) {
    double sum = 0;
    const std::size_t n = a.byteSize();
    for (std::size_t i = 0; i < n; ++i)
        sum += std::abs(int(a.data()[i]) - int(b.data()[i]));
    return n ? sum / double(n) : 0.0;
}

std::unique_ptr<cache::Cache> openCache(const QString& dir, std::int64_t maxPages = 0) {
    cache::CacheOptions o;
    o.memory.capacityBytes = 64u << 20;
    o.disk.path = (dir + QStringLiteral("/cache.db")).toStdString();
    o.disk.maxPageCount = maxPages;
    return std::make_unique<cache::Cache>(std::move(o));
}

// Every frame of a video, with its presentation time.
struct Decoded {
    std::vector<Image> frames;
    std::vector<double> pts;
};

Decoded decodeAll(const std::filesystem::path& file) {
    Decoded d;
    MediaReader reader(file);
    Image frame;
    double pts = 0;
    while (reader.readVideoFrame(frame, &pts)) {
        d.frames.push_back(frame);
        d.pts.push_back(pts);
    }
    return d;
}

} // namespace

class TstIncremental : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;

    RenderSpec spec(const std::vector<std::string>& sentences, const QString& out) const {
        RenderSpec s;
        s.text = script(sentences);
        s.width = 320;
        s.height = 240;
        s.fps = 25;
        s.preset = "veryfast"; // B-frames: the joiner's decoding times are exercised
        s.output = m_dir.filePath(out).toStdString();
        return s;
    }

    // A cache of its own in the folder `name` (created by the cache), in use by the services until the test
    // sets m_services->cache back to null.
    std::unique_ptr<cache::Cache> attachCache(const QString& name, std::int64_t maxPages = 0) {
        auto cache = openCache(m_dir.filePath(name), maxPages);
        m_services->cache = cache.get();
        return cache;
    }

    // The checks every joined file must pass: frame count, timestamps, audio in sync.
    void checkPlayable(const RenderResult& r, const Decoded& d) {
        const MediaInfo info = MediaReader::probe(r.output);
        QCOMPARE(info.videoStreams, 1);
        QCOMPARE(info.audioStreams, 1);
        QCOMPARE(info.frameCount, r.frames);
        QCOMPARE(static_cast<long long>(d.frames.size()), r.frames);
        QVERIFY(std::abs(double(r.frames) - r.duration * r.fps.toDouble()) <= 1.0);
        for (std::size_t i = 1; i < d.pts.size(); ++i) {
            QVERIFY2(d.pts[i] > d.pts[i - 1], qPrintable(QStringLiteral("pts not increasing at %1").arg(i)));
            QVERIFY2(std::abs(d.pts[i] - d.pts[i - 1] - r.fps.seconds(1)) < 1e-3,
                     qPrintable(QStringLiteral("pts gap at frame %1").arg(i)));
        }
        QVERIFY2(
            std::abs(info.videoDuration - info.audioDuration) <= r.fps.seconds(1) + 1e-6,
            qPrintable(
                QStringLiteral("video %1 s, audio %2 s").arg(info.videoDuration).arg(info.audioDuration)));
        QVERIFY(std::abs(info.audioDuration - r.duration) < 0.05);
        QVERIFY(info.faststart);
    }

    // The joined sound against the one-piece encode of the same narration, 512-sample window by window: each
    // part sits at its AAC frame boundary (AacTrackEncoder::partOffset, within 512 samples of its video), so
    // the reference is read that much earlier or later. A lost or repeated frame, a part in the wrong place
    // or a click where parts meet would leave a window far from the reference; two encodes of the same speech
    // differ by codec noise only.
    void checkSeamlessSound(const Narration& narration, int fps, const std::filesystem::path& joined,
                            const std::filesystem::path& whole) {
        int rate = 0, wholeRate = 0;
        const std::vector<float> a = MediaReader(joined).readAudioMono(&rate);
        const std::vector<float> b = MediaReader(whole).readAudioMono(&wholeRate);
        QCOMPARE(rate, AacTrackEncoder::kSampleRate);
        QCOMPARE(wholeRate, rate);
        QVERIFY(std::abs(double(a.size()) - double(b.size())) <= 1);
        const int voiceRate = narration.speech.sampleRate;
        std::vector<std::int64_t> at, shift; // where each part lands, and how far from its video start
        for (const NarrationPart& part : narration.parts) {
            const auto start =
                static_cast<std::size_t>(std::llround(double(part.firstFrame) * voiceRate / fps));
            at.push_back(AacTrackEncoder::partOffset(start, voiceRate));
            shift.push_back(at.back() - std::llround(double(start) * rate / voiceRate));
            QVERIFY(std::abs(shift.back()) <= AacTrackEncoder::kFrameSize / 2);
        }
        double energy = 0;
        for (const float v : b)
            energy += double(v) * v;
        const double rms = std::sqrt(energy / double(b.size()));
        QVERIFY(rms > 0.01); // there is speech to compare
        auto level = [](const std::vector<float>& x, std::int64_t from, std::int64_t count) {
            double e = 0;
            for (std::int64_t t = from; t < from + count; ++t)
                if (t >= 0 && t < std::int64_t(x.size()))
                    e += double(x[std::size_t(t)]) * x[std::size_t(t)];
            return std::sqrt(e / double(count));
        };
        // Where parts meet, the sound is the pause between sentences: near silence, and no click.
        double loudestJoin = 0;
        for (std::size_t i = 1; i < at.size(); ++i)
            loudestJoin = std::max(loudestJoin, level(a, at[i] - 2 * AacTrackEncoder::kFrameSize,
                                                      3 * AacTrackEncoder::kFrameSize));
        // Level against the reference, 2048 samples at a time (levels under 30 dB below the track's count as
        // that floor). The waveforms themselves are no measure: the encoder codes noisy bands as noise, which
        // the decoder makes up afresh, so two encodes of the same speech differ sample by sample.
        const std::int64_t window = 2 * AacTrackEncoder::kFrameSize;
        double worst = 0, total = 0;
        std::int64_t worstAt = 0, windows = 0;
        for (std::int64_t from = 0; from + window <= std::int64_t(a.size()); from += window, ++windows) {
            std::size_t part = 0;
            while (part + 1 < at.size() && from + window / 2 >= at[part + 1])
                ++part;
            const double floor = 0.03 * rms;
            const double e = std::abs(20 * std::log10((level(a, from, window) + floor) /
                                                      (level(b, from - shift[part], window) + floor)));
            total += e;
            if (e > worst)
                worst = e, worstAt = from;
        }
        const double mean = total / double(std::max<std::int64_t>(windows, 1));
        qInfo("sound in parts vs one piece: level difference per 2048 samples mean %.2f dB, worst %.2f dB at "
              "%.3f s; loudest join %.1f dB below the track",
              mean, worst, double(worstAt) / rate, 20 * std::log10(rms / std::max(loudestJoin, 1e-9)));
        QVERIFY2(mean < 1.0, "the joined sound drifts from the one-piece encode");
        QVERIFY2(worst < 6.0, "a stretch of the joined sound is far from the one-piece encode");
        QVERIFY2(loudestJoin < 0.03 * rms, "parts meet where the sound is not silent");
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_services = std::make_unique<EngineServices>();
    }

    void speechAndFaceRoundTrip() {
        Speech s = Speech::silence(16000, 0.25);
        s.samples[10] = -1234;
        s.words.push_back({"hello", 0.01, 0.2});
        const auto back = RenderCache::decodeSpeech(RenderCache::encode(s));
        QVERIFY(back);
        QCOMPARE(back->samples, s.samples);
        QCOMPARE(back->phones.size(), s.phones.size());
        QCOMPARE(back->words.front().end, 0.2);
        std::vector<std::uint8_t> damaged = RenderCache::encode(s);
        damaged.resize(damaged.size() - 3);
        QVERIFY(!RenderCache::decodeSpeech(damaged));
        QVERIFY(!EncodedSegment::parse(damaged));
        QVERIFY(!RenderCache::decodeFace(damaged));
    }

    void onlyTheEditedSentenceRendersAgain() {
        RenderPipeline pipeline(*m_services);
        const QString dir = m_dir.filePath(QStringLiteral("cache"));
        QVERIFY(QDir().mkpath(dir));

        std::vector<std::string> edited = kSentences;
        edited[4] = "The cache now keeps everything that was made before.";
        const RenderSpec coldSpec = spec(kSentences, QStringLiteral("cold.mp4"));
        const RenderSpec editSpec = spec(edited, QStringLiteral("edit.mp4"));

        RenderResult cold;
        {
            auto cache = openCache(dir);
            m_services->cache = cache.get();
            cold = pipeline.run(coldSpec);
            m_services->cache = nullptr;
        }
        QCOMPARE(cold.cache.segmentsRendered, 10);
        QCOMPARE(cold.cache.segmentsReused, 0);
        QCOMPARE(cold.cache.ttsMisses, 10);

        // A fresh cache object on the same file: what the next avatar-render process sees.
        auto cache = openCache(dir);
        m_services->cache = cache.get();
        const RenderResult edit = pipeline.run(editSpec);
        const Narration coldParts = pipeline.narrate(coldSpec, {});
        const Narration editParts = pipeline.narrate(editSpec, {});
        const RenderResult warm = pipeline.run(spec(edited, QStringLiteral("warm.mp4")));
        m_services->cache = nullptr;
        QCOMPARE(edit.cache.segmentsRendered, 1);
        QCOMPARE(edit.cache.segmentsReused, 9);
        QCOMPARE(edit.cache.ttsMisses, 1);
        QCOMPARE(edit.cache.ttsHits, 9);
        QCOMPARE(edit.cache.faceHits, 1);
        QCOMPARE(edit.cache.framesRendered, editParts.parts[4].frames);
        QCOMPARE(warm.cache.segmentsRendered, 0);
        QCOMPARE(warm.cache.framesRendered, 0LL);
        QVERIFY(editParts.parts[4].frames != coldParts.parts[4].frames); // the later sentences moved

        // Without a cache: one encoder for the whole video, the reference for "no glitches at the joins".
        const RenderResult whole = pipeline.run(spec(edited, QStringLiteral("whole.mp4")));
        QCOMPARE(whole.frames, edit.frames);

        const Decoded c = decodeAll(cold.output);
        const Decoded e = decodeAll(edit.output);
        const Decoded w = decodeAll(warm.output);
        const Decoded ref = decodeAll(whole.output);
        checkPlayable(cold, c);
        checkPlayable(edit, e);
        checkPlayable(warm, w);

        // Unchanged sentences, before and after the edit (those after it start at other frames now): the
        // same pictures, bit for bit, since their segments were copied.
        for (const std::size_t part : {std::size_t{1}, std::size_t{7}, std::size_t{9}}) {
            const NarrationPart& a = coldParts.parts[part];
            const NarrationPart& b = editParts.parts[part];
            QCOMPARE(a.frames, b.frames);
            for (long long f = 0; f < a.frames; ++f)
                QCOMPARE(meanAbsDiff(c.frames[std::size_t(a.firstFrame + f)],
                                     e.frames[std::size_t(b.firstFrame + f)]),
                         0.0);
        }
        // Fully warm: the same file's pictures again.
        for (std::size_t f = 0; f < e.frames.size(); ++f)
            QCOMPARE(meanAbsDiff(e.frames[f], w.frames[f]), 0.0);
        // Every frame of the joined video, joins included, matches the one-piece encode within codec noise.
        double worst = 0, sum = 0;
        std::size_t worstAt = 0;
        for (std::size_t f = 0; f < e.frames.size(); ++f) {
            const double d = meanAbsDiff(e.frames[f], ref.frames[f]);
            sum += d;
            if (d > worst)
                worst = d, worstAt = f;
        }
        qInfo("mean abs difference, joined vs one piece: worst %.3f at frame %zu, mean %.3f", worst, worstAt,
              sum / double(e.frames.size()));
        // Two encodes of the same pictures differ by about 1.5 levels on average here (CRF 20 at 320x240);
        // the worst frame is a segment's last (x264 ends a stream on a cheaper P frame). A frame out of
        // order, a wrong reference across a join or a lost frame would differ by tens of levels.
        QVERIFY(sum / double(e.frames.size()) < 2.5);
        QVERIFY(worst < 4.0);

        // The sound, encoded in parts: the edited sentence's part and the last (cut to the new end) are
        // encoded again, the other eight come from the cache, and the fully warm render encodes nothing.
        QCOMPARE(cold.cache.audioPartsEncoded, 10);
        QCOMPARE(cold.cache.audioPartsReused, 0);
        QCOMPARE(edit.cache.audioPartsEncoded, 2);
        QCOMPARE(edit.cache.audioPartsReused, 8);
        QCOMPARE(warm.cache.audioPartsEncoded, 0);
        QCOMPARE(warm.cache.audioPartsReused, 10);
        checkSeamlessSound(editParts, edit.fps.num(), edit.output, whole.output);
        int rate = 0, warmRate = 0;
        QVERIFY(MediaReader(edit.output).readAudioMono(&rate) ==
                MediaReader(warm.output).readAudioMono(&warmRate));
    }

    void soundPartsAtOtherRatesAndPauses() {
        // espeak-ng's 22050 Hz voice at 7 fps (48000 / 7 is no whole number of samples a frame) and at 60 fps
        // (800 samples a frame: a one-frame part can fall between two AAC frame points), with a pause before
        // the first sentence (a part of silence alone): the joined file is still playable with its sound as
        // long as its video, and a second render takes every part from the cache.
        RenderPipeline pipeline(*m_services);
        auto cache = attachCache(QStringLiteral("rates"));
        for (const int fps : {7, 60}) {
            RenderSpec s = spec({"Hello.", "A short one.", "And the end."}, QStringLiteral("rates.mp4"));
            s.text = "<break time=\"400ms\"/> " + s.text;
            s.voice = "espeak:en";
            s.fps = fps;
            const RenderResult first = pipeline.run(s);
            s.output = m_dir.filePath(QStringLiteral("rates2.mp4")).toStdString();
            const RenderResult second = pipeline.run(s);
            // A part's sound does not depend on the frame rate: at 60 fps a part that lasts exactly 1 s at
            // both rates (7 and 60 frames) comes from the 7 fps render.
            QCOMPARE(first.cache.audioPartsEncoded + first.cache.audioPartsReused, 4);
            if (fps == 7)
                QCOMPARE(first.cache.audioPartsEncoded, 4);
            QCOMPARE(second.cache.audioPartsReused, 4);
            QCOMPARE(second.cache.audioPartsEncoded, 0);
            checkPlayable(first, decodeAll(first.output));
            checkPlayable(second, decodeAll(second.output));
            int rate = 0, again = 0;
            QVERIFY(MediaReader(first.output).readAudioMono(&rate) ==
                    MediaReader(second.output).readAudioMono(&again));
        }
        m_services->cache = nullptr;
    }

    void longPauseIsCutIntoPartsDrawnOnce() {
        // 100 s of pauses after a sentence (issue #15: memory bounded by the frame, not the video): the
        // sentence keeps 30 s of them, the rest become parts of silence of at most 30 s; the track is held
        // once (the parts keep timelines only), and the two equal 30 s parts of silence are drawn once.
        RenderPipeline pipeline(*m_services);
        auto cache = attachCache(QStringLiteral("pauses"));
        RenderSpec s = spec({}, QStringLiteral("pauses.mp4"));
        s.text = "Hello there.";
        for (int i = 0; i < 10; ++i)
            s.text += " <break time=\"10s\"/>";
        s.text += " The end.";
        s.fps = 5;
        const Narration n = pipeline.narrate(s, {});
        QCOMPARE(n.parts.size(), std::size_t(5));
        const auto rate = static_cast<std::size_t>(n.speech.sampleRate);
        const std::size_t most = static_cast<std::size_t>(RenderPipeline::kMaxPartPause) * rate;
        std::size_t pauses = 0;
        for (std::size_t i = 0; i < n.parts.size(); ++i) {
            const NarrationPart& part = n.parts[i];
            QVERIFY(part.speech.samples.empty());
            QVERIFY(part.firstSample + part.sampleCount <= n.speech.samples.size());
            QCOMPARE(n.partSpeech(part).samples.size(), part.sampleCount);
            if (i >= 1 && i <= 3) { // parts of silence
                QVERIFY(part.sampleCount <= most);
                pauses += part.sampleCount;
                for (std::size_t k = part.firstSample; k < part.firstSample + part.sampleCount; ++k)
                    QCOMPARE(n.speech.samples[k], std::int16_t(0));
            }
        }
        QCOMPARE(n.parts[1].sampleCount, most);
        QCOMPARE(n.parts[2].sampleCount, most);
        // Every pause is as long as asked: 100 s in all, 30 s of it in the first sentence's part.
        QCOMPARE(pauses + most, 100 * rate);
        QVERIFY(n.parts[0].sampleCount > most);

        const RenderResult first = pipeline.run(s);
        m_services->cache = nullptr;
        QCOMPARE(first.frames, n.frames());
        QCOMPARE(first.cache.segmentsRendered, 4);
        QCOMPARE(first.cache.segmentsReused, 1);
        QCOMPARE(first.cache.framesRendered, n.frames() - n.parts[2].frames);
        checkPlayable(first, decodeAll(first.output));
    }

    void jobWithoutCacheLeavesItAlone() {
        // A job with useCache off (the studio's and the queue's per-job switch) neither reads nor writes the
        // cache that the engine has; the next job with it on fills it, and the one after reuses everything.
        RenderPipeline pipeline(*m_services);
        auto cache = attachCache(QStringLiteral("percache"));
        const std::vector<std::string> two(kSentences.begin(), kSentences.begin() + 2);
        RenderSpec off = spec(two, QStringLiteral("off.mp4"));
        off.useCache = false;
        const RenderResult a = pipeline.run(off);
        const RenderResult b = pipeline.run(off);
        const cache::CacheStats afterOff = cache->stats();
        const RenderResult c = pipeline.run(spec(two, QStringLiteral("on1.mp4")));
        const RenderResult d = pipeline.run(spec(two, QStringLiteral("on2.mp4")));
        m_services->cache = nullptr;
        for (const RenderResult* r : {&a, &b}) {
            QCOMPARE(r->cache.ttsHits + r->cache.ttsMisses + r->cache.faceHits + r->cache.faceMisses, 0);
            QCOMPARE(r->cache.segmentsReused + r->cache.segmentsRendered, 0);
            QCOMPARE(r->cache.audioPartsReused + r->cache.audioPartsEncoded, 0);
        }
        QCOMPARE(afterOff.l1.entries, std::uint64_t{0});
        QCOMPARE(afterOff.l2.entries, std::uint64_t{0});
        QCOMPARE(c.cache.segmentsRendered, 2);
        QCOMPARE(d.cache.segmentsReused, 2);
        QCOMPARE(d.cache.audioPartsReused, 2);
        QCOMPARE(d.cache.ttsHits, 2);
    }

    // The tier's model cache size keeps prepared portraits between jobs (EngineServices::scenes): the second
    // job on a portrait uses the Scene the first built (the very object), renders the same pixels, and counts
    // a face hit; another size is another Scene; a cache that lacks the landmarks does not use a kept Scene.
    void preparedPortraitIsKeptForTheNextJob() {
        EngineServices services;
        RenderPipeline pipeline(services);
        const std::vector<std::string> one(kSentences.begin(), kSentences.begin() + 1);
        auto cache = openCache(m_dir.filePath(QStringLiteral("prepared")));
        services.cache = cache.get();
        const RenderSpec first = spec(one, QStringLiteral("prepared1.mp4"));
        const RenderResult a = pipeline.run(first);
        QCOMPARE(a.cache.faceMisses, 1);
        QCOMPARE(services.scenes.size(), std::size_t{1});
        const std::shared_ptr<const Scene> kept = pipeline.preparedScene(first);
        QCOMPARE(pipeline.preparedScene(first).get(), kept.get());

        RenderSpec other = spec({"A different sentence on the same face."}, QStringLiteral("prepared2.mp4"));
        const RenderResult b = pipeline.run(other);
        QCOMPARE(b.cache.faceHits, 1);
        QCOMPARE(services.scenes.size(), std::size_t{1});
        // Drawn from the kept Scene, the first job's video comes out the same, frame for frame.
        const RenderResult again = pipeline.run(spec(one, QStringLiteral("prepared3.mp4")));
        QCOMPARE(again.cache.segmentsReused, 1);
        const Decoded d1 = decodeAll(first.output);
        const Decoded d3 = decodeAll(m_dir.filePath(QStringLiteral("prepared3.mp4")).toStdString());
        QCOMPARE(d3.frames.size(), d1.frames.size());
        QCOMPARE(meanAbsDiff(d3.frames.back(), d1.frames.back()), 0.0);

        other.width = 160;
        other.height = 120;
        pipeline.run(other);
        QCOMPARE(services.scenes.size(), std::size_t{2});
        QVERIFY(pipeline.preparedScene(other).get() != kept.get());

        // A fresh cache: the portrait is analysed again (a miss), whatever is kept.
        auto fresh = openCache(m_dir.filePath(QStringLiteral("prepared-fresh")));
        services.cache = fresh.get();
        const RenderResult c = pipeline.run(spec(one, QStringLiteral("prepared4.mp4")));
        QCOMPARE(c.cache.faceMisses, 1);
        QCOMPARE(c.cache.faceHits, 0);
        services.cache = nullptr;

        // The tier says how many are kept; the least recently used goes first.
        services.setTier(Tier::Quantum);
        QCOMPARE(services.scenes.capacity(), std::size_t(tierSettings(Tier::Quantum).modelCacheSize));
        services.setTier(Tier::Standard);
        PreparedScenes few(2);
        for (const char* key : {"a", "b", "c"})
            few.put(key, {kept, {}});
        QVERIFY(!few.find("a"));
        QVERIFY(few.find("b") && few.find("c"));
        few.setCapacity(1);
        QCOMPARE(few.size(), std::size_t{1});
        QVERIFY(few.find("c")); // the most recently used stays
    }

    void encoderHeadersAreLearntOncePerSettings() {
        // The digest in every segment key: remembered per settings, equal to what a fresh encoder says, and
        // different for settings whose streams cannot be joined.
        EncoderHeaderMemo memo;
        EncoderSettings s;
        s.width = 320;
        s.height = 240;
        const cache::Sha256::Digest first = memo.digest(s);
        QVERIFY(memo.digest(s) == first);
        const SegmentEncoder probe(s);
        cache::Sha256 sha;
        sha.update(probe.headers());
        sha.update(std::to_string(probe.reorderDepth()));
        QVERIFY(sha.finish() == first);
        EncoderSettings other = s;
        other.preset = "ultrafast"; // no B-frames, other SPS/PPS
        QVERIFY(memo.digest(other) != first);
        other = s;
        other.width = 640;
        QVERIFY(memo.digest(other) != first);
    }

    void fullDiskDegradesToMemory() {
        // L2 limited to a few pages, as a full disk: writes fail, the cache says so, the render goes on and a
        // second render still reuses the segments from memory.
        RenderPipeline pipeline(*m_services);
        auto cache = attachCache(QStringLiteral("full"), 8);
        const std::vector<std::string> three(kSentences.begin(), kSentences.begin() + 3);
        const RenderResult first = pipeline.run(spec(three, QStringLiteral("full1.mp4")));
        const RenderResult second = pipeline.run(spec(three, QStringLiteral("full2.mp4")));
        m_services->cache = nullptr;
        QVERIFY(cache->stats().l2Degraded || !cache->stats().l2Open);
        QCOMPARE(first.cache.segmentsRendered, 3);
        QCOMPARE(second.cache.segmentsReused, 3);
        checkPlayable(second, decodeAll(second.output));
    }
};

QTEST_GUILESS_MAIN(TstIncremental)
#include "tst_incremental.moc"
