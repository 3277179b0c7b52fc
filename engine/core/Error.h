#pragma once

#include <stdexcept>
#include <string>

namespace avatar {

// What went wrong, so that callers (CLI exit codes, the job model, tests) can react without parsing text.
enum class ErrorCode {
    InvalidInput, // the user's input is unusable: empty text, bad size, unknown option value
    NotFound,     // a file or voice that was named does not exist
    Unreadable,   // a file exists but cannot be decoded
    NoFace,       // the portrait has no detectable face
    Io,           // the output cannot be written
    Codec,        // FFmpeg or a synthesiser failed
    Cancelled,    // the job's cancel flag was raised
    OutOfMemory,  // a memory pool's cap (the tier's fraction of the machine) was reached
    Internal,     // a bug: should never reach a user
};

// A stable lower-case name ("no-face", ...) for logs and JSON. Not called toString: Qt Test would find a
// toString() by argument lookup and free its result.
const char* errorCodeName(ErrorCode code);

// The one exception type the engine throws. Its message is written for the user: one sentence that names
// the offending input and what to do about it.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

} // namespace avatar
