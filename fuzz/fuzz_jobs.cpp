// The job database's row decoding (jobs/JobTypes): a row's spec and result columns are JSON read back with
// jobSpecFromJson and renderResultFromJson, and its state column with parseJobState, as JobDatabase::load
// does for a database that another version or a damaged disk may have written.
#include "FuzzInput.h"
#include "jobs/JobTypes.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// What the program wrote must read back to the same text. On a difference both texts go to the log before
// the abort, so that a crash seen only in a CI log (its artifact gone with the machine) can still be traced.
void roundTripMustHold(const std::string& written, const std::string& rewritten) {
    if (written == rewritten)
        return;
    std::fprintf(stderr, "fuzz: a round trip changed the JSON\n  first:  %s\n  second: %s\n", written.c_str(),
                 rewritten.c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string column = avatar::fuzz::text(data, size);
    avatar::fuzz::expectCleanFailure([&] {
        // A spec that was read is written and read again unchanged (the queue rewrites rows it loaded).
        const avatar::JobSpec spec = avatar::jobSpecFromJson(column);
        const std::string json = avatar::jobSpecToJson(spec);
        roundTripMustHold(json, avatar::fuzz::expectSuccess(
                                    [&] { return avatar::jobSpecToJson(avatar::jobSpecFromJson(json)); }));
    });
    avatar::fuzz::expectCleanFailure([&] {
        const avatar::RenderResult result = avatar::renderResultFromJson(column);
        const std::string json = avatar::renderResultToJson(result);
        roundTripMustHold(json, avatar::fuzz::expectSuccess([&] {
                              return avatar::renderResultToJson(avatar::renderResultFromJson(json));
                          }));
    });
    (void)avatar::parseJobState(column);
    (void)avatar::parseJobPriority(column);
    return 0;
}
