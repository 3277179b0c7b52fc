#pragma once

#include <complex>
#include <vector>

namespace avatar {

// In-place radix-2 FFT; the size must be a power of two. Shared by the acoustic analysis and the aligner.
void fft(std::vector<std::complex<float>>& a);

} // namespace avatar
