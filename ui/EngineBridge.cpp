#include "EngineBridge.h"

#include "ImageConvert.h"

#include <QMetaObject>
#include <QPointer>

#include <deque>
#include <mutex>

namespace avatar::ui {

// State shared with the listener, which may outlive the bridge for the length of one engine call: the
// bridge clears `target` under the mutex when it goes away.
struct EngineBridge::Shared {
    std::mutex mutex;
    EngineBridge* target = nullptr;
    std::deque<JobEvent> pending;
    bool flushPosted = false;
    qint64 received = 0;
};

namespace {

bool coalescable(JobEvent::Kind kind) {
    return kind == JobEvent::Kind::Progress || kind == JobEvent::Kind::Preview;
}

} // namespace

EngineBridge::EngineBridge(JobQueue& queue, QObject* parent)
    : QObject(parent), m_queue(queue), m_shared(std::make_shared<Shared>()) {
    m_shared->target = this;
    // For queued connections and QSignalSpy in the tests.
    qRegisterMetaType<JobRecord>();
    qRegisterMetaType<EngineMetrics>();
    qRegisterMetaType<JobId>();
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &EngineBridge::flush);
    m_sinceFlush.start();

    std::weak_ptr<Shared> weak = m_shared;
    m_queue.setListener([weak](const JobEvent& event) {
        const std::shared_ptr<Shared> shared = weak.lock();
        if (!shared)
            return;
        std::lock_guard lock(shared->mutex);
        if (!shared->target)
            return;
        ++shared->received;
        bool replaced = false;
        if (coalescable(event.kind)) {
            // Replace the latest waiting event of this job when it is of the same kind: anything else in
            // between (a state change) must keep its place, so only the newest entry for the job is looked
            // at.
            for (auto it = shared->pending.rbegin(); it != shared->pending.rend(); ++it) {
                if (it->id != event.id || it->kind == JobEvent::Kind::Metrics)
                    continue;
                if (it->kind == event.kind) {
                    *it = event;
                    replaced = true;
                }
                break;
            }
        }
        if (!replaced)
            shared->pending.push_back(event);
        if (!shared->flushPosted) {
            shared->flushPosted = true;
            QMetaObject::invokeMethod(shared->target, &EngineBridge::flush, Qt::QueuedConnection);
        }
    });
}

EngineBridge::~EngineBridge() {
    m_queue.setListener({});
    std::lock_guard lock(m_shared->mutex);
    m_shared->target = nullptr;
}

qint64 EngineBridge::eventsReceived() const {
    std::lock_guard lock(m_shared->mutex);
    return m_shared->received;
}

void EngineBridge::flush() {
    const qint64 since = m_sinceFlush.elapsed();
    if (since < kMinFlushIntervalMs) {
        if (!m_throttle.isActive())
            m_throttle.start(int(kMinFlushIntervalMs - since));
        return;
    }
    std::deque<JobEvent> events;
    {
        std::lock_guard lock(m_shared->mutex);
        events.swap(m_shared->pending);
        m_shared->flushPosted = false;
    }
    m_sinceFlush.restart();
    // A slot may destroy the bridge (the window closing); stop delivering then.
    const QPointer<EngineBridge> self(this);
    for (const JobEvent& event : events) {
        if (!self)
            return;
        deliver(event);
    }
}

void EngineBridge::deliver(const JobEvent& event) {
    ++m_delivered;
    switch (event.kind) {
    case JobEvent::Kind::Added:
        Q_EMIT jobAdded(event.record);
        break;
    case JobEvent::Kind::Changed:
    case JobEvent::Kind::Progress:
        Q_EMIT jobChanged(event.record);
        break;
    case JobEvent::Kind::Removed:
        Q_EMIT jobRemoved(event.id);
        break;
    case JobEvent::Kind::Moved:
        Q_EMIT jobMoved(event.record);
        break;
    case JobEvent::Kind::Preview:
        if (!event.preview.isNull())
            Q_EMIT previewFrame(event.id, toQImage(event.preview));
        break;
    case JobEvent::Kind::Metrics:
        Q_EMIT metricsSampled(event.metrics);
        break;
    case JobEvent::Kind::Log:
        Q_EMIT logLine(QString::fromStdString(event.message));
        break;
    }
}

} // namespace avatar::ui
