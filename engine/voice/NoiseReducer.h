#pragma once

#include <vector>

namespace avatar {

// A front end for the word search on a recording with a broadband hiss (issue #13, without a transcript): a
// Wiener gain per frequency against the recording's own noise floor (the mean spectrum of its quietest
// frames), smoothed from frame to frame (decision-directed, so that what is left does not chirp), taking at
// most 6 dB out of any bin. Only for recordings whose floor is high and flat: on a clean one there is
// nothing to take out, and a music bed's or a room's echo's floor is the sound itself (avatar-bench --suite
// align: removing it cost such recordings 3 to 10 points of frames).
class NoiseReducer {
public:
    static constexpr double kWantedBelowDb = 30.0; // snrDb under this,
    static constexpr double kHissFlatness = 0.7;   // and floorFlatness over this: a hiss

    // The speech's level over the noise floor's, in dB: the mean energy of the loudest half of the 10 ms
    // frames against that of the quietest tenth.
    static double snrDb(const std::vector<float>& samples, int rate);

    // How flat the noise floor's spectrum is from 100 Hz to 7 kHz (its geometric mean over its arithmetic
    // mean, 0 to 1, over the quietest tenth of the frames that are not digital silence): above 0.9 for a
    // white hiss, under 0.5 for a music bed, a room's echo of the speech or a clean voice's breath.
    static double floorFlatness(const std::vector<float>& samples, int rate);

    // Whether `samples` have a hiss to take out (both figures above).
    static bool wanted(const std::vector<float>& samples, int rate);

    // `samples` (mono, `rate` Hz) with the noise floor's spectrum taken out; the same length.
    static std::vector<float> reduced(const std::vector<float>& samples, int rate);
};

} // namespace avatar
