#include "ThreadBuffer.h"

#include <algorithm>

namespace avatar {

ThreadBuffer::ThreadBuffer(std::thread::id thread, std::uint64_t osThreadId, std::string threadName,
                           std::size_t maxEvents)
    : name(std::move(threadName)), m_thread(thread), m_osThreadId(osThreadId),
      m_maxChunks(std::max<std::size_t>(1, (maxEvents + kChunkEvents - 1) / kChunkEvents)),
      m_slots(std::make_unique<std::atomic<const Chunk*>[]>(m_maxChunks)) {
    for (std::size_t i = 0; i < m_maxChunks; ++i)
        m_slots[i].store(nullptr, std::memory_order_relaxed);
    m_chunks.reserve(m_maxChunks);
    grow(); // the first chunk is allocated on registration, off the zones' path
}

bool ThreadBuffer::grow() {
    if (m_chunks.size() >= m_maxChunks)
        return false;
    m_chunks.push_back(std::make_unique<Chunk>());
    m_tail = m_chunks.back()->events.data();
    m_used = 0;
    // Published before any event in it: the count's release store orders this one for readers.
    m_slots[m_chunks.size() - 1].store(m_chunks.back().get(), std::memory_order_release);
    return true;
}

} // namespace avatar
