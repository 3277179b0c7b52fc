#include "LibcRandom.h"

#include <cstdlib>

namespace avatar {

namespace {

// One per process, as rand()'s state is.
std::mutex& randomMutex() {
    static std::mutex mutex;
    return mutex;
}

} // namespace

LibcRandom::LibcRandom() : m_lock(randomMutex()) {
    std::srand(kSeed);
}

} // namespace avatar
