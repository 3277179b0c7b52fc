#include "Error.h"

namespace avatar {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidInput:
        return "invalid-input";
    case ErrorCode::NotFound:
        return "not-found";
    case ErrorCode::Unreadable:
        return "unreadable";
    case ErrorCode::NoFace:
        return "no-face";
    case ErrorCode::Io:
        return "io";
    case ErrorCode::Codec:
        return "codec";
    case ErrorCode::Cancelled:
        return "cancelled";
    case ErrorCode::OutOfMemory:
        return "out-of-memory";
    case ErrorCode::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace avatar
