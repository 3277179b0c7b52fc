#pragma once

#include <string>
#include <vector>

namespace avatar::cli {

// `avatar-render faces IMAGE... [--backend torch|dlib] [--tiny] [--min-score S] [--json] [--known-db FILE
// [--add NAME]] [--cache-dir DIR | --no-cache]` (args without "faces"): finds and describes the faces of
// each image (torch: batched through a Batcher, cached by file content), names them from a known-faces
// library, or adds them to it. Returns the exit code: 0 success, 1 an image or a
// model failed, 2 a command-line mistake.
int runFacesCommand(const std::vector<std::string>& args);

std::string facesUsage();

} // namespace avatar::cli
