#pragma once

#include "core/Image.h"

#include <memory>
#include <string>

struct AVFrame;

namespace avatar {

// Turns decoded video frames into RGB Images with swscale, honouring each frame's colour tags (untagged
// video is taken as BT.601, as the encoder writes it). The scaler is kept while the frames' size and format
// stay the same. Shared by MediaReader (files) and SegmentDecoder (segments in memory).
class RgbConverter {
public:
    // `source` names what is converted in error messages ("'clip.mp4'", "a video segment").
    explicit RgbConverter(std::string source);
    ~RgbConverter();
    RgbConverter(const RgbConverter&) = delete;
    RgbConverter& operator=(const RgbConverter&) = delete;

    // Throws Error(Unreadable) for a format swscale cannot convert, Error(Codec) when out of memory.
    void convert(const AVFrame* frame, Image& rgb);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
