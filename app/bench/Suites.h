#pragma once

#include "pipeline/RenderSpec.h"

#include <cstddef>
#include <filesystem>
#include <string>

namespace avatar::bench {

// Each suite prints one JSON line on stdout and returns the exit code.
// engine: memory pool against malloc, profiler zone cost, batched against one-by-one, scaler reaction and
// the same script rendered at every tier.
int runEngineSuite(const RenderSpec& spec, const std::filesystem::path& dir);
// cache: L1 operations per second with several threads, hit ratios against a plain LRU of the same size on a
// creator trace and a Zipf trace with scans.
int runCacheSuite(const RenderSpec& spec, const std::filesystem::path& dir);
// faces: the LibTorch face models (one portrait; a batch of 16 crops against one call each).
int runFacesSuite(const RenderSpec& spec, const std::filesystem::path& dir);
// encoder: every x264 preset on the same rendered frames: encode speed, size and PSNR (the tier table).
int runEncoderSuite(const RenderSpec& spec, const std::filesystem::path& dir);
// realism: issue #12's figures (docs/QUALITY.md): the demo script rendered on several portraits, decoded and
// measured with face-api's networks (mouth interior against photographs, identity), plus the face mesh's
// stretching; with `sheets` set, contact sheets of the mouth shapes and of one word.
struct RealismOptions {
    std::filesystem::path sheets; // empty: no sheets
    int every = 3;                // face-api runs on every Nth decoded frame
    std::size_t portraits = 3;    // portraits rendered at the suite's size (all four go on the sheets)
};
int runRealismSuite(const RenderSpec& spec, const std::filesystem::path& dir, const RealismOptions& options);
// memory: peak RSS of a 4-minute and a 4-hour video of the same script shape (a sentence, then pauses), each
// rendered in a child process without a cache (issue #15: memory bounded by the frame, not by the video).
int runMemorySuite(const RenderSpec& spec, const std::filesystem::path& dir);
// batch: 100 CSV rows of a three-scene project, only the greeting naming the row, against one cold render:
// batch_per_video_ratio, videos per minute, resident memory after row 10 and row 100.
int runBatchSuite(const RenderSpec& spec, const std::filesystem::path& dir);
// align: recordings made from our own synthesisers and disguised (noise, reverb, pitch and tempo, music bed),
// loaded as a user's recording; the frames with the true mouth shape, phone boundary errors, closures on
// M/B/P and the speed (issue #13). Two paragraphs, each spoken in every case: "bench", dense in m, b and p,
// and "ordinary" prose; the figures of both together, then of each ("by_text").
struct AlignOptions {
    std::string texts;            // comma-separated texts to keep: bench, ordinary (empty or "all": both)
    std::string voices;           // comma-separated voice ids to keep (empty: all four)
    std::string disguises;        // comma-separated disguise names to keep (empty: all five)
    std::string methods;          // comma-separated section names to run (empty: all four)
    std::filesystem::path shapes; // non-empty: write each case's truth and found shapes per frame there
    // non-empty: only long recordings of these lengths (comma-separated minutes), aligned with their
    // transcript in chunks: wall and CPU time, chunks and the alignment's peak resident memory
    std::string longMinutes;
    // non-empty: the word search's decoder settings over the shipped ones, PocketSphinx's names and values
    // separated by spaces ("-lw 5 -wip 0.2"), for tuning them
    std::string wordSearch;
    // non-empty: the phone loop's decoder settings over the shipped ones, numeric ones only ("-lw 3 -beam
    // 1e-30")
    std::string phoneLoop;
};
int runAlignSuite(const RenderSpec& spec, const std::filesystem::path& dir, const AlignOptions& options);
// soak: 100 different jobs in one JobQueue (job database, cache with a small memory level that is full by job
// 10): resident memory and open file descriptors after every job, rss_growth and fd_growth from job 10 to
// 100.
int runSoakSuite(const RenderSpec& spec, const std::filesystem::path& dir);
// text: the script parser and the caption builder on a 100 KB script, best of five, and as ratios to
// splitting it at white space (issue #17).
int runTextSuite();
#ifdef AVATAR_BENCH_UI
// ui: the studio's main window offscreen while two jobs render; the GUI thread's latency-probe p95 and max.
int runUiSuite(int argc, char** argv, const RenderSpec& spec, const std::filesystem::path& dir);
// soak-studio: the soak's 100 jobs given to the studio's main window (offscreen) through its composer, one
// after the other: rss_growth and fd_growth from job 10 to 100 with the window's previews, player and
// profiler in use.
int runStudioSoakSuite(int argc, char** argv, const RenderSpec& spec, const std::filesystem::path& dir);
#endif

} // namespace avatar::bench
