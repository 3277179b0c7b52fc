#include "media/Mp4Boxes.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <string_view>

namespace avatar {

namespace {

std::uint64_t bigEndian(const unsigned char* bytes, int count) {
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i)
        value = (value << 8) | bytes[i];
    return value;
}

} // namespace

bool mp4MoovBeforeMdat(const std::filesystem::path& path) {
    std::error_code error;
    const std::uintmax_t fileSize = std::filesystem::file_size(path, error);
    if (error)
        return false;
    std::ifstream file(path, std::ios::binary);
    std::uint64_t offset = 0;
    while (file && offset + 8 <= fileSize) {
        std::array<unsigned char, 16> header = {};
        file.seekg(static_cast<std::streamoff>(offset));
        if (!file.read(reinterpret_cast<char*>(header.data()), 8))
            return false;
        // A box is a 32-bit size (1: a 64-bit size follows the type; 0: up to the end of the file) and a
        // four-character type.
        std::uint64_t size = bigEndian(header.data(), 4);
        const std::string_view type(reinterpret_cast<const char*>(header.data() + 4), 4);
        std::uint64_t headerSize = 8;
        if (size == 1) {
            if (!file.read(reinterpret_cast<char*>(header.data() + 8), 8))
                return false;
            size = bigEndian(header.data() + 8, 8);
            headerSize = 16;
        } else if (size == 0) {
            size = fileSize - offset;
        }
        if (type == "moov")
            return true;
        if (type == "mdat")
            return false;
        if (size < headerSize)
            return false; // corrupt: it would never advance
        offset += size;
    }
    return false;
}

} // namespace avatar
