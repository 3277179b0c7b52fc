// The TensorFlow.js weights manifest (facenet/TfjsWeights): the JSON manifest and its one .bin shard, written
// to a private folder and loaded as FaceNet loads models/face-api. The input is the manifest, then
// "@@SHARD@@", then the shard's bytes.
#include "FuzzInput.h"
#include "facenet/TfjsWeights.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input = avatar::fuzz::text(data, size);
    const auto [manifest, shard] = avatar::fuzz::split(input, "@@SHARD@@");
    const std::filesystem::path folder = avatar::fuzz::scratchFolder();
    avatar::fuzz::writeFile(folder / "model-weights_manifest.json", manifest);
    avatar::fuzz::writeFile(folder / "model.bin", shard);
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::TfjsWeights weights = avatar::TfjsWeights::load(folder / "model-weights_manifest.json");
        for (const std::string& name : weights.names()) {
            // Every entry holds product(shape) values: the networks index them by shape.
            const avatar::TfjsWeights::Entry& entry = weights.at(name);
            std::size_t count = 1;
            for (const std::int64_t extent : entry.shape) {
                if (extent < 0)
                    std::abort();
                count *= static_cast<std::size_t>(extent);
            }
            if (count != entry.values.size())
                std::abort();
        }
    });
    return 0;
}
