// No include guard on purpose, as with <cassert> and NDEBUG: each inclusion defines the macros for the
// current value of AVATAR_PROFILING, so a translation unit (the profiler's own test) can switch them off
// part-way.
#include "ProfileZone.h"

#ifndef AVATAR_PROFILING
#define AVATAR_PROFILING 1 // CMake option AVATAR_PROFILING sets it to 0 or 1 for the engine and its users
#endif

#define AVATAR_PROFILE_CONCAT_IMPL(a, b) a##b
#define AVATAR_PROFILE_CONCAT(a, b) AVATAR_PROFILE_CONCAT_IMPL(a, b)
#define AVATAR_PROFILE_UNIQUE(prefix) AVATAR_PROFILE_CONCAT(prefix, __LINE__)

#undef AVATAR_ZONE
#undef AVATAR_ZONE_LEVEL
#undef AVATAR_COUNTER
#undef AVATAR_COUNTER_LEVEL
#undef AVATAR_PROFILE_JOB

#if AVATAR_PROFILING
// A zone from here to the end of the enclosing scope, recorded at every level ("render", "tts", ...).
#define AVATAR_ZONE(profiler, name)                                                                          \
    ::avatar::ProfileZone AVATAR_PROFILE_UNIQUE(avatarZone_)((profiler), (name))
// A zone recorded only at `level` and above, e.g. ProfilingLevel::Detailed for "render.frame".
#define AVATAR_ZONE_LEVEL(profiler, name, level)                                                             \
    ::avatar::ProfileZone AVATAR_PROFILE_UNIQUE(avatarZone_)((profiler), (name), (level))
#define AVATAR_COUNTER(profiler, name, value) (profiler).counter((name), (value))
#define AVATAR_COUNTER_LEVEL(profiler, name, value, level) (profiler).counter((name), (value), (level))
#define AVATAR_PROFILE_JOB(profiler, job)                                                                    \
    ::avatar::ProfileJobScope AVATAR_PROFILE_UNIQUE(avatarJob_)((profiler), (job))
#else
// Nothing is evaluated; sizeof keeps the arguments "used" so that no unused-variable warning appears.
#define AVATAR_ZONE(profiler, name) static_cast<void>(sizeof(profiler))
#define AVATAR_ZONE_LEVEL(profiler, name, level) static_cast<void>(sizeof(profiler))
#define AVATAR_COUNTER(profiler, name, value)                                                                \
    (static_cast<void>(sizeof(profiler)), static_cast<void>(sizeof(value)))
#define AVATAR_COUNTER_LEVEL(profiler, name, value, level)                                                   \
    (static_cast<void>(sizeof(profiler)), static_cast<void>(sizeof(value)))
#define AVATAR_PROFILE_JOB(profiler, job)                                                                    \
    (static_cast<void>(sizeof(profiler)), static_cast<void>(sizeof(job)))
#endif
