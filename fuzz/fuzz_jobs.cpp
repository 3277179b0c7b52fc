// The job database's row decoding (jobs/JobTypes): a row's spec and result columns are JSON read back with
// jobSpecFromJson and renderResultFromJson, and its state column with parseJobState, as JobDatabase::load
// does for a database that another version or a damaged disk may have written.
#include "FuzzInput.h"
#include "jobs/JobTypes.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string column = avatar::fuzz::text(data, size);
    avatar::fuzz::expectCleanFailure([&] {
        // A spec that was read is written and read again unchanged (the queue rewrites rows it loaded).
        const avatar::JobSpec spec = avatar::jobSpecFromJson(column);
        const std::string json = avatar::jobSpecToJson(spec);
        if (avatar::fuzz::expectSuccess(
                [&] { return avatar::jobSpecToJson(avatar::jobSpecFromJson(json)); }) != json)
            std::abort();
    });
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::RenderResult result = avatar::renderResultFromJson(column);
        const std::string json = avatar::renderResultToJson(result);
        if (avatar::fuzz::expectSuccess(
                [&] { return avatar::renderResultToJson(avatar::renderResultFromJson(json)); }) != json)
            std::abort();
    });
    (void)avatar::parseJobState(column);
    (void)avatar::parseJobPriority(column);
    return 0;
}
