// The cost of the whole audit (tracker, rules, JSONL report) of each adversarial flood
// (zaudit/gen/flood.hpp) at 20,000 and at 40,000 datagrams, counted without a clock: heap
// allocations must grow linearly (a quadratic rule would quadruple them), and the peak of
// live heap bytes must not grow at all once the flood is past the limits, which are set low
// here so that 20,000 datagrams are already past them. bench/flood measures the same floods at
// 1,000,000 with seconds and peak RSS.
//
// Counting replaces the global operator new and delete, so this binary is built without the
// sanitizers (which replace them too) and runs apart from the other tests.
#include <catch2/catch.hpp>

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <ostream>
#include <streambuf>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/capture/frame.hpp"
#include "zaudit/demux/classify.hpp"
#include "zaudit/gen/flood.hpp"
#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/session/tracker.hpp"

namespace {

// The counters the replaced operators keep: process-wide by nature, like the heap they watch.
std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::int64_t> g_live_bytes{0};
std::atomic<std::int64_t> g_peak_bytes{0};

}  // namespace

void* operator new(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) {
        throw std::bad_alloc{};
    }
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto live = g_live_bytes.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p))) +
                      static_cast<std::int64_t>(malloc_usable_size(p));
    auto peak = g_peak_bytes.load(std::memory_order_relaxed);
    while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live)) {
    }
    return p;
}

void operator delete(void* p) noexcept {
    if (p != nullptr) {
        g_live_bytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)));
        std::free(p);
    }
}

void operator delete(void* p, std::size_t /*size*/) noexcept {
    operator delete(p);
}

using namespace zaudit;

namespace {

struct Cost {
    std::uint64_t allocations = 0;
    std::int64_t peak_bytes = 0;  ///< above what was live before the audit
};

/// Discards what is written: the report is rendered, not kept.
class NullBuffer : public std::streambuf {
protected:
    int_type overflow(int_type c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char* /*s*/, std::streamsize n) override { return n; }
};

session::Limits low_limits() {
    session::Limits limits;
    limits.max_live_dialogs = 1'000;
    limits.max_summarised_keys = 5'000;
    limits.max_live_flows = 2'000;
    limits.max_anomalies = 1'000;
    limits.max_messages_per_call = 1'000;
    limits.max_zrtp_records_per_flow = 100;
    return limits;
}

Cost audit_flood(gen::FloodKind kind, std::uint64_t count) {
    session::UserHints hints;
    hints.decode_as.push_back(*demux::parse_decode_as("udp:40002=rtp"));  // where ssrc-flood sends
    const std::int64_t live_before = g_live_bytes.load();
    g_peak_bytes.store(live_before);
    const std::uint64_t allocations_before = g_allocations.load();
    {
        session::Tracker tracker{low_limits(), std::move(hints)};
        gen::Framing framing;
        std::uint64_t frame_number = 0;
        std::uint32_t ip_id = 1;
        gen::generate_flood(
            kind, count,
            [&](const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload, std::int64_t time) {
                for (const auto& bytes : gen::build_ip_frames(framing, src.address, dst.address, 17,
                                                              gen::build_udp(src, dst, payload), ip_id++)) {
                    tracker.on_frame(capture::Frame{++frame_number, util::Timestamp{time}, bytes,
                                                    static_cast<std::uint32_t>(bytes.size()), framing.link_type, 0});
                }
            });
        report::AuditResult result;
        result.audits.push_back(report::InputAudit{std::move(tracker).finish({}, false), {}});
        result.audits.back().findings = analysis::run_rules(result.audits.back().model, analysis::Policy{});
        NullBuffer discard;
        std::ostream out{&discard};
        report::render(report::Format::jsonl, result, out);
    }
    return Cost{g_allocations.load() - allocations_before, g_peak_bytes.load() - live_before};
}

}  // namespace

TEST_CASE("each flood costs allocations linear in its size and a peak of live memory that does not grow") {
    for (const char* name : {"one-key", "distinct-keys", "random-udp", "ssrc-flood", "one-dialog", "zrtp-hellos"}) {
        const auto kind = gen::parse_flood_kind(name);
        REQUIRE(kind);
        const Cost small = audit_flood(*kind, 20'000);
        const Cost large = audit_flood(*kind, 40'000);
        INFO(name << ": " << small.allocations << " then " << large.allocations << " allocations, peak "
                  << small.peak_bytes << " then " << large.peak_bytes << " bytes");
        CHECK(large.allocations > small.allocations);
        CHECK(static_cast<double>(large.allocations) <= 2.3 * static_cast<double>(small.allocations));
        CHECK(static_cast<double>(large.peak_bytes) <= 1.25 * static_cast<double>(small.peak_bytes));
    }
}
