# AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer, part of ASan on Linux) variants of the engine
# suites (issue #15; tests/README.md "AddressSanitizer"). As for ThreadSanitizer.cmake: no second build tree.
# The subsystem libraries of AVATAR_ASAN_SUBSYSTEMS and those they use (every source but the CUDA backend) are
# compiled once more with the flags below as avatar_<folder>_asan (together avatar_engine_asan, as
# cmake/SanitizerCopy.cmake says), and engine suites are built from their
# own source against it as <suite>_asan (ctest label "asan"), with the normal suite's definitions, libraries
# and environment.
# Included from tests/CMakeLists.txt, after the normal suites are defined.
include(CheckCXXSourceCompiles)
include(CMakePushCheckState)

set(AVATAR_ASAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
set(_avatar_asan_usable OFF)
if(CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
    cmake_push_check_state(RESET)
    set(CMAKE_REQUIRED_FLAGS ${AVATAR_ASAN_FLAGS})
    set(CMAKE_REQUIRED_LINK_OPTIONS ${AVATAR_ASAN_FLAGS})
    set(CMAKE_REQUIRED_QUIET ON)
    check_cxx_source_compiles([[
#include <vector>
int main(int argc, char**) {
    std::vector<int> values(4, argc);
    return values[1] - argc;
}
]] AVATAR_ASAN_LINKS)
    cmake_pop_check_state()
    set(_avatar_asan_usable ${AVATAR_ASAN_LINKS})
endif()
# Off by default inside check-fresh-root.sh's root, as the tsan suites (ThreadSanitizer.cmake says why).
set(_avatar_asan_default ${_avatar_asan_usable})
if(DEFINED ENV{AVATAR_IN_FRESH_ROOT})
    set(_avatar_asan_default OFF)
endif()
option(AVATAR_ASAN_TESTS "Build ASan+UBSan variants of the engine suites (ctest label asan)" ${_avatar_asan_default})
# The engine subsystems compiled into avatar_engine_asan: all of them (engine/CMakeLists.txt's list). The
# face-api networks on LibTorch are not among them: they live in the plugin FaceNet opens with dlopen, which the
# asan suites load as the normal, uninstrumented build (tests/README.md).
# AVATAR_ASAN_WHOLE_ENGINE (on; CI runs it) adds the rest of the engine and its 17 suites, so that all 30 engine
# suites run under ASan. Off, only the first 13 (the subsystems below) are built: a quicker local tree.
option(AVATAR_ASAN_WHOLE_ENGINE "ASan suites of every engine subsystem (tests/README.md)" ON)
if(AVATAR_ASAN_WHOLE_ENGINE)
    set(AVATAR_ASAN_SUBSYSTEMS core assets tts lipsync face facenet render media voice pipeline captions memory
                               profile batch scale cache jobs project)
    # Libraries of app/bench that suites link (the benchmark drivers; avatar_align and avatar_realism for
    # tst_voice, tst_render_e2e, tst_mouth_metrics): copied too, against avatar_engine_asan, so that no suite
    # links both engines.
    set(AVATAR_ASAN_LIBRARIES avatar_bench_drivers avatar_align avatar_realism)
else()
    set(AVATAR_ASAN_SUBSYSTEMS core assets tts lipsync captions memory batch scale profile cache)
    set(AVATAR_ASAN_LIBRARIES avatar_bench_drivers)
endif()
if(AVATAR_ASAN_TESTS AND NOT _avatar_asan_usable)
    message(WARNING "AVATAR_ASAN_TESTS: ${CMAKE_CXX_COMPILER_ID} cannot link with -fsanitize=address,undefined "
                    "(libasan or libubsan missing?); the asan suites are not built")
    set(AVATAR_ASAN_TESTS OFF)
elseif(NOT AVATAR_ASAN_TESTS)
    message(STATUS "AddressSanitizer suites (label asan): off")
endif()

if(AVATAR_ASAN_TESTS)
    include(SanitizerCopy)
    # PUBLIC: the suites' own code is instrumented too. -O1 comes after the build type's -O3 and wins: readable
    # stacks at a third of -O0's cost. Third-party libraries (Qt, OpenCV, FFmpeg, SQLite, dlib, LibTorch in the
    # face-api plugin) stay uninstrumented; their allocations are still checked (ASan replaces malloc).
    add_library(avatar_asan_flags INTERFACE)
    target_compile_options(avatar_asan_flags INTERFACE ${AVATAR_ASAN_FLAGS} -g -O1)
    target_link_options(avatar_asan_flags INTERFACE ${AVATAR_ASAN_FLAGS})
    avatar_sanitizer_engine(SUFFIX _asan FLAGS avatar_asan_flags RENAMED AVATAR_ASAN_RENAMED
                            SUBSYSTEMS ${AVATAR_ASAN_SUBSYSTEMS} LIBRARIES ${AVATAR_ASAN_LIBRARIES})
    # The one file that includes dlib: its HOG face detector and landmark predictor are header templates, so
    # they are compiled here, instrumented. At -O1 their SIMD operators stay calls and one 512x512 face search
    # ran past Qt Test's 5-minute limit; -O3 (still instrumented) brings it back to a few seconds.
    if(TARGET avatar_face_asan)
        set_source_files_properties(${PROJECT_SOURCE_DIR}/engine/face/FaceAnalyzer.cpp
                                    TARGET_DIRECTORY avatar_face_asan PROPERTIES COMPILE_OPTIONS -O3)
    endif()
endif()

# avatar_add_asan_test(tst_cache): builds tests/tst_cache.cpp as tst_cache_asan, with tst_cache's definitions,
# include folders, libraries (the _asan engine instead) and test environment. Any report fails the test:
# -fno-sanitize-recover and halt_on_error end the process at the first one with a non-zero exit; leaks are
# reported at exit. tests/sanitizers/*.supp hold suppressions for third-party code only, each with its reason.
# FUNCTIONS f1 "f2:row" ...: run only these Qt Test functions (or data rows), for the slow end-to-end suites
# whose every case costs a render (tests/README.md says which and why); without it, the whole suite.
function(avatar_add_asan_test suite)
    cmake_parse_arguments(A "" "" "FUNCTIONS" ${ARGN})
    set(name ${suite}_asan)
    add_executable(${name})
    avatar_sanitizer_copy(${name} ${suite} SUFFIX _asan RENAME ${AVATAR_ASAN_RENAMED})
    get_target_property(deps ${suite} MANUALLY_ADDED_DEPENDENCIES)
    if(deps)
        add_dependencies(${name} ${deps})
    endif()
    add_test(NAME ${name} COMMAND ${name} ${A_FUNCTIONS})
    set(dir ${CMAKE_CURRENT_SOURCE_DIR}/sanitizers)
    set(asan halt_on_error=1 detect_leaks=1 strict_string_checks=1 detect_stack_use_after_return=1
             check_initialization_order=1 suppressions=${dir}/asan.supp)
    set(ubsan halt_on_error=1 print_stacktrace=1 suppressions=${dir}/ubsan.supp)
    set(lsan suppressions=${dir}/lsan.supp print_suppressions=0)
    list(JOIN asan ":" asan)
    list(JOIN ubsan ":" ubsan)
    list(JOIN lsan ":" lsan)
    get_test_property(${suite} ENVIRONMENT environment)
    get_test_property(${suite} TIMEOUT timeout)
    # Instrumented code runs 2-3x slower than -O3.
    math(EXPR timeout "${timeout} * 3")
    # Qt Test's own limit per test function (5 minutes) is raised by the same factor.
    set_tests_properties(${name} PROPERTIES LABELS asan TIMEOUT ${timeout} ENVIRONMENT
                         "${environment};ASAN_OPTIONS=${asan};UBSAN_OPTIONS=${ubsan};LSAN_OPTIONS=${lsan};QTEST_FUNCTION_TIMEOUT=900000")
endfunction()
