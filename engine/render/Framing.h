#pragma once

#include <optional>
#include <string_view>

namespace avatar {

// How the portrait is placed in the output frame. AsIs shows the whole picture, fitted inside the frame with
// a blurred fill in the bars. Head and Shoulders crop around the face like a camera operator frames a
// presenter: Head is a close-up (the face fills about half the frame's height), Shoulders a news presenter's
// medium close-up (head, shoulders and the top of the chest).
enum class Framing { AsIs, Head, Shoulders };

// "as-is", "head", "shoulders": the CLI's and the job database's spelling.
constexpr const char* framingName(Framing framing) {
    switch (framing) {
    case Framing::AsIs:
        return "as-is";
    case Framing::Head:
        return "head";
    case Framing::Shoulders:
        return "shoulders";
    }
    return "as-is";
}

constexpr std::optional<Framing> parseFraming(std::string_view name) {
    for (const Framing f : {Framing::AsIs, Framing::Head, Framing::Shoulders})
        if (name == framingName(f))
            return f;
    return std::nullopt;
}

} // namespace avatar
