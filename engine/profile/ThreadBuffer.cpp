#include "ThreadBuffer.h"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <sys/mman.h>

namespace avatar {

ThreadBuffer::ThreadBuffer(std::thread::id thread, std::uint64_t osThreadId, std::string threadName,
                           std::size_t maxEvents)
    : name(std::move(threadName)), m_thread(thread), m_osThreadId(osThreadId),
      m_maxChunks(std::max<std::size_t>(1, (maxEvents + kChunkEvents - 1) / kChunkEvents)),
      m_slots(std::make_unique<std::atomic<const Chunk*>[]>(m_maxChunks)) {
    for (std::size_t i = 0; i < m_maxChunks; ++i)
        m_slots[i].store(nullptr, std::memory_order_relaxed);
    m_chunks.reserve(m_maxChunks);
    // The first chunk is allocated and its pages mapped on registration, off the zones' path (one touch a
    // 4 KiB page; a single fault when the kernel gave a huge page).
    if (grow()) {
        auto* bytes = reinterpret_cast<volatile std::byte*>(m_chunks.back()->bytes);
        for (std::size_t at = 0; at < sizeof(Chunk); at += 4096)
            bytes[at] = std::byte{0};
    }
}

void ThreadBuffer::ChunkFree::operator()(Chunk* c) const noexcept {
    std::free(c);
}

bool ThreadBuffer::grow() {
    if (m_chunks.size() >= m_maxChunks)
        return false;
    // Aligned to its size and marked for a huge page: one page fault maps the whole chunk instead of 512. A
    // zone's own work is two clock readings and a 32-byte store (19 ns here), but with 4 KiB pages the faults
    // of fresh chunks added about 16 ns a zone (avatar-bench --suite engine, docs/PERFORMANCE.md). Where the
    // kernel gives no huge page the advice is ignored and the chunk works as before.
    static_assert(sizeof(Chunk) % (2u << 20) == 0);
    void* memory = std::aligned_alloc(sizeof(Chunk), sizeof(Chunk));
    if (!memory)
        return false;
#ifdef MADV_HUGEPAGE
    ::madvise(memory, sizeof(Chunk), MADV_HUGEPAGE);
#endif
    m_chunks.emplace_back(static_cast<Chunk*>(memory));
    m_tail = m_chunks.back()->events();
    m_used = 0;
    // Published before any event in it: the count's release store orders this one for readers.
    m_slots[m_chunks.size() - 1].store(m_chunks.back().get(), std::memory_order_release);
    return true;
}

} // namespace avatar
