#pragma once

#include "jobs/EngineMetrics.h"
#include "jobs/JobQueue.h"

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace avatar::ui {

// Turns the JobQueue's listener calls (made on engine threads) into signals on the GUI thread. The engine
// thread only appends to a locked list and, when the list was empty, posts one queued flush; it never waits
// for the GUI. Progress and preview events of the same job are coalesced while they wait (only the latest
// counts), and flushes are at least kMinFlushIntervalMs apart, so a fast render cannot flood the event loop.
// Every signal below is emitted on the GUI thread, in the order the engine reported the events.
class EngineBridge : public QObject {
    Q_OBJECT
public:
    static constexpr int kMinFlushIntervalMs = 100;

    explicit EngineBridge(JobQueue& queue, QObject* parent = nullptr);
    ~EngineBridge() override; // detaches from the queue; late engine calls are dropped

    JobQueue& queue() const { return m_queue; }
    // Events received and signals emitted so far (tests check that coalescing happened).
    qint64 eventsReceived() const;
    qint64 eventsDelivered() const { return m_delivered; }

Q_SIGNALS:
    void jobAdded(const avatar::JobRecord& record);
    void jobChanged(const avatar::JobRecord& record); // state, progress, ETA or elapsed changed
    void jobRemoved(avatar::JobId id);
    void jobMoved(const avatar::JobRecord& record);
    void previewFrame(avatar::JobId id, const QImage& frame);
    void metricsSampled(const avatar::EngineMetrics& metrics);
    void logLine(const QString& line);

private:
    struct Shared;
    void flush();
    void deliver(const JobEvent& event);

    JobQueue& m_queue;
    std::shared_ptr<Shared> m_shared;
    QTimer m_throttle;
    QElapsedTimer m_sinceFlush;
    qint64 m_delivered = 0;
};

} // namespace avatar::ui
