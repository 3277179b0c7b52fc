// Image loading: ImageIO::decode, which ImageIO::load (the portrait, slides, backgrounds and logos of a
// render) hands the file's bytes to. Covers the header check and pixel budget, PngCheck, the JPEG decoder and
// OpenCV's readers for the other formats.
#include "FuzzInput.h"
#include "core/ImageIO.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::Image image = avatar::ImageIO::decode({data, size}, "fuzz input");
        // A decoded image is within the budget the header check promises.
        if (image.width() <= 0 || image.height() <= 0 || image.width() > avatar::ImageIO::kMaxSide ||
            image.height() > avatar::ImageIO::kMaxSide ||
            std::uint64_t(image.width()) * std::uint64_t(image.height()) > avatar::ImageIO::kMaxPixels)
            std::abort();
    });
    return 0;
}
