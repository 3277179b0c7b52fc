# ThreadSanitizer variants of the engine's concurrent suites (issue #5, tests/README.md "ThreadSanitizer").
# No second build tree: the concurrent subsystems are compiled a second time, with -fsanitize=thread, into
# avatar_engine_tsan inside the normal tree, and a few existing suites are built against it as <suite>_tsan
# (ctest label "tsan"). Included from tests/CMakeLists.txt.
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
option(AVATAR_TSAN_TESTS "Build ThreadSanitizer variants of the concurrent engine suites (ctest label tsan)"
       ${_avatar_tsan_usable})
if(AVATAR_TSAN_TESTS AND NOT _avatar_tsan_usable)
    message(WARNING "AVATAR_TSAN_TESTS: ${CMAKE_CXX_COMPILER_ID} cannot link with -fsanitize=thread (libtsan "
                    "missing?); the tsan suites are not built")
    set(AVATAR_TSAN_TESTS OFF)
elseif(NOT AVATAR_TSAN_TESTS)
    message(STATUS "ThreadSanitizer suites (label tsan): off")
endif()

if(AVATAR_TSAN_TESTS)
    # Only what the tsan suites need: no media, face, render or CUDA code (the CUDA backend is left out, so
    # AVATAR_HAVE_CUDA is not defined here and the memory pools are host-only). SQLite is linked uninstrumented.
    set(_e ${PROJECT_SOURCE_DIR}/engine)
    add_library(avatar_engine_tsan STATIC
        ${_e}/core/Error.cpp ${_e}/core/Json.cpp ${_e}/core/JsonValue.cpp ${_e}/core/PrivateFiles.cpp ${_e}/core/ThreadPool.cpp
        ${_e}/core/Tier.cpp ${_e}/core/AtomicFile.cpp ${_e}/core/ResilienceCounters.cpp ${_e}/core/RetryPolicy.cpp ${_e}/core/SqliteDatabase.cpp
        ${_e}/memory/BackendFactory.cpp ${_e}/memory/BlockPool.cpp ${_e}/memory/FrameBufferPool.cpp
        ${_e}/memory/HostBackend.cpp ${_e}/memory/MemoryBench.cpp ${_e}/memory/MemoryManager.cpp
        ${_e}/memory/MemoryStats.cpp ${_e}/memory/PoolBuffer.cpp ${_e}/memory/Workload.cpp
        ${_e}/batch/AdaptiveDelay.cpp ${_e}/batch/BatchMetrics.cpp
        ${_e}/scale/ProcReaders.cpp ${_e}/scale/Scaler.cpp ${_e}/scale/ScalerBench.cpp
        ${_e}/scale/SystemMetricsSource.cpp
        ${_e}/profile/Baseline.cpp ${_e}/profile/Bottleneck.cpp
        ${_e}/profile/ChromeTrace.cpp ${_e}/profile/CriticalPath.cpp ${_e}/profile/CsvReport.cpp
        ${_e}/profile/HtmlReport.cpp ${_e}/profile/LatencyHistogram.cpp
        ${_e}/profile/PdfReport.cpp ${_e}/profile/PdfWriter.cpp ${_e}/profile/ProfileClock.cpp
        ${_e}/profile/ProfileData.cpp ${_e}/profile/Profiler.cpp ${_e}/profile/ProfilerBench.cpp
        ${_e}/profile/ProfileReport.cpp ${_e}/profile/Recommendations.cpp ${_e}/profile/ReportExport.cpp
        ${_e}/profile/ReportFormat.cpp ${_e}/profile/StageColors.cpp ${_e}/profile/ThreadBuffer.cpp
        ${_e}/cache/AccessClassifier.cpp ${_e}/cache/AdaptiveTtl.cpp ${_e}/cache/Cache.cpp
        ${_e}/cache/CacheBench.cpp ${_e}/cache/CacheKey.cpp ${_e}/cache/CountMinSketch.cpp
        ${_e}/cache/GhostList.cpp ${_e}/cache/Hashing.cpp ${_e}/cache/IsolationForest.cpp ${_e}/cache/KMeans.cpp
        ${_e}/cache/LruCache.cpp ${_e}/cache/MemoryCache.cpp ${_e}/cache/ScanDetector.cpp ${_e}/cache/Sha256.cpp
        ${_e}/cache/SqliteStore.cpp ${_e}/cache/TinyLfuShard.cpp ${_e}/cache/SharedStore.cpp)
    target_include_directories(avatar_engine_tsan PUBLIC ${_e})
    # PUBLIC: the suites' own threads are instrumented too. -O1 comes after the build type's -O3 and wins.
    # AVATAR_TSAN lets a suite shorten its stress loops (TSan runs them 5-15x slower).
    target_compile_options(avatar_engine_tsan PUBLIC -fsanitize=thread -g -O1)
    target_link_options(avatar_engine_tsan PUBLIC -fsanitize=thread)
    target_compile_definitions(avatar_engine_tsan PUBLIC AVATAR_TSAN AVATAR_PROFILING=$<BOOL:${AVATAR_PROFILING}>)
    target_link_libraries(avatar_engine_tsan PUBLIC avatar_config Threads::Threads
                          PRIVATE PkgConfig::SQLITE3 OpenSSL::Crypto nlohmann_json::nlohmann_json PkgConfig::CAIRO
                                  ${CMAKE_DL_LIBS})
    unset(_e)
endif()

# avatar_add_tsan_test(tst_memory): builds tests/tst_memory.cpp against avatar_engine_tsan as tst_memory_tsan.
# Any ThreadSanitizer report fails the test (halt_on_error: the process exits non-zero at the first one).
function(avatar_add_tsan_test suite)
    set(name ${suite}_tsan)
    add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/${suite}.cpp)
    target_link_libraries(${name} PRIVATE avatar_engine_tsan Qt6::Core Qt6::Test)
    add_test(NAME ${name} COMMAND ${name})
    set(options halt_on_error=1 second_deadlock_stack=1)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/tsan.supp)
        list(APPEND options suppressions=${CMAKE_CURRENT_SOURCE_DIR}/tsan.supp)
    endif()
    list(JOIN options ":" options)
    set_tests_properties(${name} PROPERTIES LABELS tsan TIMEOUT 600
                         ENVIRONMENT "TSAN_OPTIONS=${options};QT_QPA_PLATFORM=offscreen")
endfunction()
