#include "core/CancelToken.h"
#include "core/Error.h"
#include "core/ThreadPool.h"

#include <QtTest>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <set>

using namespace avatar;

namespace {

// Lets tasks wait until `count` of them run at the same time: proof of real parallelism without sleeps.
class Rendezvous {
public:
    explicit Rendezvous(int count, std::chrono::milliseconds patience = std::chrono::seconds(10))
        : m_count(count), m_patience(patience) {}
    bool arriveAndWait() {
        std::unique_lock lock(m_mutex);
        ++m_arrived;
        m_cv.notify_all();
        return m_cv.wait_for(lock, m_patience, [&] { return m_arrived >= m_count; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_count;
    std::chrono::milliseconds m_patience;
    int m_arrived = 0;
};

class Gate {
public:
    void open() {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_cv.notify_all();
    }
    void wait() {
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, std::chrono::seconds(10), [&] { return m_open; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open = false;
};

} // namespace

class TstThreadPool : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void childTokens() {
        // A child sees its parent's cancellation; cancelling the child leaves the parent (the job) alone.
        CancelToken job;
        CancelToken speech = job.child();
        QVERIFY(!speech.isCancelled());
        speech.cancel();
        QVERIFY(speech.isCancelled());
        QVERIFY(!job.isCancelled());
        CancelToken other = job.child();
        job.cancel();
        QVERIFY(other.isCancelled());
        bool threw = false;
        try {
            other.throwIfCancelled();
        } catch (const Error& e) {
            threw = e.code() == ErrorCode::Cancelled;
        }
        QVERIFY(threw);
    }

    void returnsResults() {
        ThreadPool pool(2, "calc");
        std::vector<std::future<int>> results;
        for (int i = 0; i < 100; ++i)
            results.push_back(pool.submit([i] { return i * i; }));
        long sum = 0;
        for (auto& r : results)
            sum += r.get();
        QCOMPARE(sum, 328350L);
    }

    void namesItsThreads() {
        ThreadPool pool(3, "render");
        Rendezvous all(3);
        std::mutex m;
        std::set<std::string> names;
        std::vector<std::future<bool>> f;
        for (int i = 0; i < 3; ++i)
            f.push_back(pool.submit([&] {
                char name[16] = {};
                pthread_getname_np(pthread_self(), name, sizeof name);
                {
                    std::lock_guard lock(m);
                    names.insert(name);
                }
                return all.arriveAndWait();
            }));
        for (auto& x : f)
            QVERIFY(x.get());
        QCOMPARE(names.size(), std::size_t(3));
        for (const auto& n : names)
            QVERIFY2(n.rfind("render-", 0) == 0, n.c_str());
    }

    void growsAndShrinks() {
        ThreadPool pool(1, "resize");
        QCOMPARE(pool.size(), std::size_t(1));
        pool.resize(4);
        QCOMPARE(pool.size(), std::size_t(4));
        // Four tasks must be able to run at once now.
        Rendezvous four(4);
        std::vector<std::future<bool>> f;
        for (int i = 0; i < 4; ++i)
            f.push_back(pool.submit([&] { return four.arriveAndWait(); }));
        for (auto& x : f)
            QVERIFY(x.get());

        pool.resize(2);
        QCOMPARE(pool.size(), std::size_t(2));
        // Two can meet, three never can: the third task only starts once one of the first two gave up.
        Rendezvous three(3, std::chrono::milliseconds(300));
        std::vector<std::future<bool>> h;
        for (int i = 0; i < 3; ++i)
            h.push_back(pool.submit([&] { return three.arriveAndWait(); }));
        int met = 0;
        for (auto& x : h)
            met += x.get() ? 1 : 0;
        QVERIFY2(met < 3, "three tasks ran at once in a pool shrunk to two");
        // Never more than two at once after the shrink.
        std::atomic<int> running{0}, peak{0};
        std::vector<std::future<void>> g;
        for (int i = 0; i < 40; ++i)
            g.push_back(pool.submit([&] {
                const int now = ++running;
                int p = peak.load();
                while (now > p && !peak.compare_exchange_weak(p, now)) {
                }
                volatile double x = 0;
                for (int k = 0; k < 200000; ++k)
                    x = x + k;
                --running;
            }));
        for (auto& x : g)
            x.get();
        QVERIFY(peak.load() <= 2);
        QVERIFY(peak.load() >= 1);
    }

    void clearPendingBreaksPromises() {
        ThreadPool pool(1, "busy");
        Gate gate;
        auto blocker = pool.submit([&] { gate.wait(); });
        std::vector<std::future<int>> queued;
        for (int i = 0; i < 10; ++i)
            queued.push_back(pool.submit([] { return 1; }));
        // The blocker may not have started yet, in which case it is dropped too.
        const std::size_t dropped = pool.clearPending();
        QVERIFY(dropped == 10 || dropped == 11);
        gate.open();
        for (auto& q : queued) {
            bool broken = false;
            try {
                q.get();
            } catch (const std::future_error& e) {
                broken = e.code() == std::future_errc::broken_promise;
            }
            QVERIFY(broken);
        }
        QCOMPARE(pool.pendingTasks(), std::size_t(0));
    }

    void exceptionsReachTheCaller() {
        ThreadPool pool(2);
        auto f = pool.submit([]() -> int { throw Error(ErrorCode::Codec, "boom"); });
        bool caught = false;
        try {
            f.get();
        } catch (const Error& e) {
            caught = e.code() == ErrorCode::Codec && std::string(e.what()) == "boom";
        }
        QVERIFY(caught);
    }

    void cooperativeCancellation() {
        ThreadPool pool(2, "cancel");
        CancelToken token;
        std::atomic<int> steps{0};
        Gate started;
        auto f = pool.submit([&, token] {
            for (int i = 0; i < 1000000; ++i) {
                if (i == 10)
                    started.open();
                token.throwIfCancelled();
                ++steps;
                std::this_thread::yield();
            }
        });
        started.wait();
        token.cancel();
        bool cancelled = false;
        try {
            f.get();
        } catch (const Error& e) {
            cancelled = e.code() == ErrorCode::Cancelled;
        }
        QVERIFY(cancelled);
        QVERIFY(steps.load() < 1000000);
    }
};

QTEST_GUILESS_MAIN(TstThreadPool)
#include "tst_threadpool.moc"
