#include "AtomicFile.h"

#include "core/Error.h"

#include <atomic>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace avatar {

namespace {
std::atomic<unsigned> g_tempCounter{0};
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(g_tempCounter.fetch_add(1));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temp, ignored);
            throw Error(ErrorCode::Io,
                        "Cannot write " + path.string() + ": check that the folder exists and is writable.");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw Error(ErrorCode::Io, "Cannot write " + path.string() + ": " + ec.message() + ".");
    }
}

} // namespace avatar
