// The whole audit of one capture: reader, call tracker, rules, and the JSON and text reports,
// as `zaudit --format json` runs them (src/cli/audit.cpp), without the command line around it.

#include <cstddef>
#include <cstdint>
#include <sstream>

#include "fuzz_support.hpp"
#include "zaudit/analysis/registry.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/session/tracker.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    const fuzz::ScratchFile file{util::Bytes{data, size}, "pipeline"};
    auto reader = capture::Reader::open({capture::Source::file(file.path())}, capture::ReaderOptions{.hash = false});
    if (!reader) {
        return 0;
    }
    session::Tracker tracker;
    while (auto frame = reader->next()) {
        tracker.on_frame(*frame);
    }
    const bool partial = reader->partial();
    report::AuditResult result;
    result.tool.version = "fuzz";
    report::InputAudit& audit = result.audits.emplace_back();
    audit.model = std::move(tracker).finish(reader->inputs(), partial);
    audit.findings = analysis::run_rules(audit.model, analysis::Policy{});
    std::ostringstream out;
    report::render(report::Format::json, result, out);
    report::render(report::Format::text, result, out);
    return 0;
}
