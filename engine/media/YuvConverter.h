#pragma once

#include "core/Image.h"
#include "media/FfmpegPtr.h"

#include <cstdint>
#include <vector>

namespace avatar {

// Converts areas of RGB24 images into a persistent YUV 4:2:0 picture (BT.601, limited range), leaving the
// rest of the picture as it was. This is what makes dirty rects cheap: only the changed part of a frame is
// converted. One swscale context and its buffers are kept per area size, so the steady state allocates
// nothing.
class YuvConverter {
public:
    YuvConverter(int frameWidth, int frameHeight);

    // `area` must have even coordinates (chroma samples cover 2x2 luma blocks) and lie inside both the image
    // and `picture`, a YUV420P frame of the size given to the constructor.
    void convert(const Image& rgb, const Rect& area, AVFrame* picture);
    // A video's next frame into `picture`, which holds the previous one: the first frame whole, later ones
    // only within `dirty` (widened to even coordinates), the rest of `picture` being unchanged.
    void convertChanged(const Image& rgb, const Rect& dirty, bool firstFrame, AVFrame* picture);

private:
    // Everything needed to convert one area size.
    struct Scaler {
        int width = 0;
        int height = 0;
        ffmpeg::SwsContextPtr context;
        std::vector<std::uint8_t> rgb; // padded copy of the area's RGB rows
        int rgbStride = 0;
        ffmpeg::FramePtr yuv; // the converted area, for areas smaller than the frame
    };

    Scaler& scalerFor(int width, int height);

    int m_frameWidth;
    int m_frameHeight;
    std::vector<Scaler> m_scalers;
};

} // namespace avatar
