// Incremental re-render (issue #6): with a cache, a job is encoded in one closed-GOP segment per sentence and
// joined by remuxing. A ten-sentence script is rendered cold, then with one sentence edited (a fresh cache
// object on the same SQLite file, as a new process would see it): only that sentence is drawn again, the
// joined files decode frame by frame with continuous timestamps and audio in sync, the unchanged sentences'
// frames are identical, and the joined video matches a render without cache within codec noise.
#include "cache/Cache.h"
#include "media/EncodedSegment.h"
#include "media/MediaReader.h"
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

    // The checks every joined file must pass: frame count, timestamps, audio in sync.
    void checkPlayable(const RenderResult& r, const Decoded& d) {
        const MediaInfo info = MediaReader::probe(r.output);
        QCOMPARE(info.videoStreams, 1);
        QCOMPARE(info.audioStreams, 1);
        QCOMPARE(info.frameCount, r.frames);
        QCOMPARE(static_cast<long long>(d.frames.size()), r.frames);
        QVERIFY(std::abs(double(r.frames) - r.duration * r.fps) <= 1.0);
        for (std::size_t i = 1; i < d.pts.size(); ++i) {
            QVERIFY2(d.pts[i] > d.pts[i - 1], qPrintable(QStringLiteral("pts not increasing at %1").arg(i)));
            QVERIFY2(std::abs(d.pts[i] - d.pts[i - 1] - 1.0 / r.fps) < 1e-3,
                     qPrintable(QStringLiteral("pts gap at frame %1").arg(i)));
        }
        QVERIFY2(
            std::abs(info.videoDuration - info.audioDuration) <= 1.0 / r.fps + 1e-6,
            qPrintable(
                QStringLiteral("video %1 s, audio %2 s").arg(info.videoDuration).arg(info.audioDuration)));
        QVERIFY(std::abs(info.audioDuration - r.duration) < 0.05);
        QVERIFY(info.faststart);
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
    }

    void fullDiskDegradesToMemory() {
        // L2 limited to a few pages, as a full disk: writes fail, the cache says so, the render goes on and a
        // second render still reuses the segments from memory.
        RenderPipeline pipeline(*m_services);
        const QString dir = m_dir.filePath(QStringLiteral("full"));
        QVERIFY(QDir().mkpath(dir));
        auto cache = openCache(dir, 8);
        m_services->cache = cache.get();
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
