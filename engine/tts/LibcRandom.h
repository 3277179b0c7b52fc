#pragma once

#include <mutex>

namespace avatar {

// Flite's clustergen voices (slt, awb, rms) draw their unvoiced excitation from the C library's rand(): one
// sequence for the whole process, so the same text came out as other samples depending on what had been
// synthesised (or had called rand()) before, and a recording made from it aligned differently
// (tst_render_e2e's astronaut/script B recorded row: 0.573-0.611 by the rows run before it). Held for one
// synthesis: the sequence restarts from a fixed seed, and no other synthesis draws from it meanwhile.
// espeak-ng calls rand() too, so it takes this lock as well (whatever its own library lock), though its
// output also drifts by a few samples from call to call for reasons of its own (state inside the library).
class LibcRandom {
public:
    static constexpr unsigned kSeed = 13;
    LibcRandom();
    LibcRandom(const LibcRandom&) = delete;
    LibcRandom& operator=(const LibcRandom&) = delete;

private:
    std::scoped_lock<std::mutex> m_lock;
};

} // namespace avatar
