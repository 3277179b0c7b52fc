#pragma once

#include "core/FrameRate.h"
#include "lipsync/Viseme.h"
#include "tts/Speech.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::bench {

// How the align suite and tst_voice make our own synthetic speech sound like a recording (issue #13).
enum class Disguise { Clean, Noise, Reverb, PitchTempo, MusicBed };
const char* disguiseName(Disguise d);

// `samples` (mono, full scale 1) changed as a room and a microphone would: white noise at 20 dB SNR, a room's
// reverberation (RT60 0.5 s), a pitch and tempo change of +8 % (the timeline shrinks by `timeScale`, 1/1.08),
// or a music bed 15 dB under the voice. Deterministic for a seed.
std::vector<float> disguise(const std::vector<float>& samples, int rate, Disguise how, std::uint32_t seed,
                            double* timeScale);
// Linear-interpolation resampling (for making test files, not for listening).
std::vector<float> resampled(const std::vector<float>& samples, double fromRate, double toRate);
// 16-bit PCM WAV, the mono signal copied to every channel (with a small gain per channel).
void writeWav(const std::filesystem::path& path, const std::vector<float>& samples, int rate, int channels);
std::vector<float> toFloat(const std::vector<std::int16_t>& samples);
// Phones with every time multiplied by `scale`.
std::vector<Phone> scaled(std::vector<Phone> phones, double scale);

// One letter per video frame (the shape at the frame's middle): "XXBBCCDA...".
std::string shapesPerFrame(const VisemeTrack& track, FrameRate fps, double duration);
// The share of frames where both strings have the same shape (over the shorter).
double frameAgreement(const std::string& truth, const std::string& found);
// For each boundary between phones of the truth, the distance (ms) to the nearest boundary found.
std::vector<double> boundaryErrorsMs(const std::vector<Phone>& truth, const std::vector<Phone>& found);
double percentile(std::vector<double> values, double p);

} // namespace avatar::bench
