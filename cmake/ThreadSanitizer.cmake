# ThreadSanitizer variants of the engine's concurrent suites (issue #5, tests/README.md "ThreadSanitizer").
# No second build tree: the libraries of the concurrent subsystems are compiled a second time, with
# -fsanitize=thread, as avatar_<folder>_tsan (together avatar_engine_tsan) inside the normal tree, and a few
# existing suites are built against them as <suite>_tsan (ctest label "tsan"). Included from tests/CMakeLists.txt.
include(CheckCXXSourceCompiles)
include(CMakePushCheckState)

# On by default where the compiler can build and link a threaded program with -fsanitize=thread.
set(_avatar_tsan_usable OFF)
if(CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
    cmake_push_check_state(RESET)
    set(CMAKE_REQUIRED_FLAGS -fsanitize=thread)
    set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=thread)
    set(CMAKE_REQUIRED_QUIET ON)
    check_cxx_source_compiles([[
#include <thread>
int main() {
    int value = 0;
    std::thread writer([&value] { value = 1; });
    writer.join();
    return value - 1;
}
]] AVATAR_TSAN_LINKS)
    cmake_pop_check_state()
    set(_avatar_tsan_usable ${AVATAR_TSAN_LINKS})
endif()
# Inside packaging/check-fresh-root.sh's bare root (AVATAR_IN_FRESH_ROOT) the sanitizer variants are off by
# default: that run proves the README's set-up, build and suites; the host's run of the same commit builds and
# runs the tsan and asan suites, and running them twice would only double CI's longest path.
set(_avatar_tsan_default ${_avatar_tsan_usable})
if(DEFINED ENV{AVATAR_IN_FRESH_ROOT})
    set(_avatar_tsan_default OFF)
endif()
option(AVATAR_TSAN_TESTS "Build ThreadSanitizer variants of the concurrent engine suites (ctest label tsan)"
       ${_avatar_tsan_default})
if(AVATAR_TSAN_TESTS AND NOT _avatar_tsan_usable)
    message(WARNING "AVATAR_TSAN_TESTS: ${CMAKE_CXX_COMPILER_ID} cannot link with -fsanitize=thread (libtsan "
                    "missing?); the tsan suites are not built")
    set(AVATAR_TSAN_TESTS OFF)
elseif(NOT AVATAR_TSAN_TESTS)
    message(STATUS "ThreadSanitizer suites (label tsan): off")
endif()

if(AVATAR_TSAN_TESTS)
    # Only the subsystems the tsan suites need: no media, face, render or CUDA code (the CUDA backend is left
    # out, so AVATAR_HAVE_CUDA is not defined here and the memory pools are host-only), and core, which they use.
    # They are copies of the subsystem libraries (cmake/SanitizerCopy.cmake); SQLite and the other libraries are
    # linked uninstrumented.
    set(AVATAR_TSAN_SUBSYSTEMS memory batch scale profile cache)
    include(SanitizerCopy)
    # PUBLIC: the suites' own threads are instrumented too. -O1 comes after the build type's -O3 and wins.
    # AVATAR_TSAN lets a suite shorten its stress loops (TSan runs them 5-15x slower).
    add_library(avatar_tsan_flags INTERFACE)
    target_compile_options(avatar_tsan_flags INTERFACE -fsanitize=thread -g -O1)
    target_link_options(avatar_tsan_flags INTERFACE -fsanitize=thread)
    target_compile_definitions(avatar_tsan_flags INTERFACE AVATAR_TSAN)
    # The subsystem libraries (and the ones they use) and the app libraries the suites link, copied.
    avatar_sanitizer_engine(SUFFIX _tsan FLAGS avatar_tsan_flags RENAMED AVATAR_TSAN_RENAMED
                            SUBSYSTEMS ${AVATAR_TSAN_SUBSYSTEMS} LIBRARIES avatar_bench_drivers)
endif()

# avatar_add_tsan_test(tst_memory): builds tests/tst_memory.cpp as tst_memory_tsan, with tst_memory's
# definitions, include folders and libraries (the _tsan engine instead). Any ThreadSanitizer report fails the
# test (halt_on_error: the process exits non-zero at the first one).
function(avatar_add_tsan_test suite)
    set(name ${suite}_tsan)
    add_executable(${name})
    avatar_sanitizer_copy(${name} ${suite} SUFFIX _tsan RENAME ${AVATAR_TSAN_RENAMED})
    add_test(NAME ${name} COMMAND ${name})
    set(options halt_on_error=1 second_deadlock_stack=1)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/tsan.supp)
        list(APPEND options suppressions=${CMAKE_CURRENT_SOURCE_DIR}/tsan.supp)
    endif()
    list(JOIN options ":" options)
    set_tests_properties(${name} PROPERTIES LABELS tsan TIMEOUT 600
                         ENVIRONMENT "TSAN_OPTIONS=${options};QT_QPA_PLATFORM=offscreen")
endfunction()
