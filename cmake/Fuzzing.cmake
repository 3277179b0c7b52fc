# The libFuzzer targets of fuzz/ (issue #15; fuzz/README.md), built with Clang as an external project in
# <build>/fuzz (libFuzzer has no GCC counterpart, and this tree may be built with GCC), and run by ctest under
# label "fuzz": each target first replays its seed corpus (fuzz/corpus/<name>, crash regressions included),
# then fuzzes for AVATAR_FUZZ_SECONDS. Included from tests/CMakeLists.txt.
include(ExternalProject)

find_program(AVATAR_FUZZ_CXX NAMES clang++-14 clang++)
find_program(AVATAR_FUZZ_CC NAMES clang-14 clang)
# On by default where Clang links a fuzzer with both sanitizers (libclang-rt-14-dev).
set(_avatar_fuzz_usable OFF)
if(AVATAR_FUZZ_CXX AND AVATAR_FUZZ_CC)
    set(_probe ${CMAKE_CURRENT_BINARY_DIR}/fuzz-probe.cpp)
    file(WRITE ${_probe} "#include <cstddef>\n#include <cstdint>\nextern \"C\" int LLVMFuzzerTestOneInput("
                         "const std::uint8_t*, std::size_t) { return 0; }\n")
    execute_process(COMMAND ${AVATAR_FUZZ_CXX} -fsanitize=fuzzer,address,undefined ${_probe}
                            -o ${CMAKE_CURRENT_BINARY_DIR}/fuzz-probe
                    RESULT_VARIABLE _probe_result OUTPUT_QUIET ERROR_QUIET)
    if(_probe_result EQUAL 0)
        set(_avatar_fuzz_usable ON)
    endif()
    unset(_probe)
    unset(_probe_result)
endif()
option(AVATAR_FUZZ_TESTS "Build the libFuzzer targets (fuzz/) with clang++ and run them (ctest label fuzz)"
       ${_avatar_fuzz_usable})
set(AVATAR_FUZZ_SECONDS 15 CACHE STRING "Seconds each fuzz target runs under ctest after replaying its corpus")
if(AVATAR_FUZZ_TESTS AND NOT _avatar_fuzz_usable)
    message(WARNING "AVATAR_FUZZ_TESTS: clang++ with libFuzzer not found (install clang and libclang-rt-14-dev); "
                    "the fuzz targets are not built")
    set(AVATAR_FUZZ_TESTS OFF)
elseif(NOT AVATAR_FUZZ_TESTS)
    message(STATUS "libFuzzer targets (label fuzz): off")
endif()

if(AVATAR_FUZZ_TESTS)
    set(_fuzz_dir ${PROJECT_BINARY_DIR}/fuzz)
    # BUILD_ALWAYS: the inner build decides what is out of date (engine sources included). The compiler
    # launcher (ccache) and its environment carry over.
    ExternalProject_Add(avatar_fuzz
        SOURCE_DIR ${PROJECT_SOURCE_DIR}/fuzz
        BINARY_DIR ${_fuzz_dir}
        CMAKE_ARGS -DCMAKE_C_COMPILER=${AVATAR_FUZZ_CC} -DCMAKE_CXX_COMPILER=${AVATAR_FUZZ_CXX}
                   -DCMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER}
                   -DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}
                   -DAVATAR_WARNINGS_AS_ERRORS=${AVATAR_WARNINGS_AS_ERRORS}
        INSTALL_COMMAND ""
        BUILD_ALWAYS ON)
    foreach(target script image tfjs jobs captions project csv audio)
        # 2 GB, libFuzzer's default: ImageIO bounds a decode's memory from the header (pixel budget, TIFF strip
        # and tile sizes, sample formats), so no input within the budget comes near it (docs/RELIABILITY.md).
        set(args -max_total_time=${AVATAR_FUZZ_SECONDS} -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
                 -create_missing_dirs=1 -artifact_prefix=${_fuzz_dir}/crash-${target}-)
        # The dictionaries: script markup, JSON keys, CSV quoting.
        if(target STREQUAL "script" OR target STREQUAL "captions")
            list(APPEND args -dict=${PROJECT_SOURCE_DIR}/fuzz/dict/script.dict)
        elseif(target MATCHES "^(tfjs|jobs|project)$")
            list(APPEND args -dict=${PROJECT_SOURCE_DIR}/fuzz/dict/json.dict)
        elseif(target STREQUAL "csv")
            list(APPEND args -dict=${PROJECT_SOURCE_DIR}/fuzz/dict/csv.dict)
        endif()
        # New inputs go to the build tree's corpus; the repository's seeds are only read.
        add_test(NAME fuzz_${target} COMMAND ${_fuzz_dir}/fuzz_${target} ${args} ${_fuzz_dir}/corpus-${target}
                                             ${PROJECT_SOURCE_DIR}/fuzz/corpus/${target})
        set_tests_properties(fuzz_${target} PROPERTIES LABELS fuzz TIMEOUT 300)
    endforeach()
    unset(_fuzz_dir)
endif()
