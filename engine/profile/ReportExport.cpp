// ProfileReport::exportReport: the format from the extension, written atomically.
#include "ProfileReport.h"
#include "core/AtomicFile.h"
#include "core/Error.h"

#include <algorithm>
#include <cctype>

namespace avatar {

void ProfileReport::exportReport(const std::filesystem::path& path) const {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string bytes;
    if (ext == ".json")
        bytes = toChromeTrace();
    else if (ext == ".html" || ext == ".htm")
        bytes = toHtml();
    else if (ext == ".csv")
        bytes = toCsv();
    else if (ext == ".pdf")
        bytes = toPdf();
    else
        throw Error(ErrorCode::InvalidInput,
                    "Cannot export a profile report as \"" + path.filename().string() +
                        "\": use a .json (Chrome trace), .html, .csv or .pdf file name.");
    AtomicFile::write(path, bytes);
}

} // namespace avatar
