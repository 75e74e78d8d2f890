#include <catch2/catch.hpp>

#include <algorithm>

#include "model_builder.hpp"
#include "zaudit/analysis/narrow.hpp"
#include "zaudit/analysis/verdict.hpp"

using namespace zaudit;
using test::ep;

namespace {

constexpr std::int64_t k_second = 1'000'000;

util::Timestamp at(double seconds) {
    return util::Timestamp{static_cast<std::int64_t>(seconds * static_cast<double>(k_second))};
}

/// A call of this id whose SIP runs between a.example's and b.example's 5060 from `start` to `end`.
session::Call timed_call(std::uint32_t id, double start, double end) {
    session::Call call = test::call(id);
    call.start = at(start);
    call.end = at(end);
    call.messages.front().time = at(start);
    call.media = {id};
    return call;
}

session::MediaStream stream(std::uint32_t id, std::optional<std::uint32_t> call, std::uint32_t flow, double first,
                            double last) {
    session::MediaStream s;
    s.id = id;
    s.call = call;
    s.flow = flow;
    s.src = ep("192.0.2.10", static_cast<std::uint16_t>(40000 + 2 * id));
    s.dst = ep("198.51.100.20", static_cast<std::uint16_t>(50000 + 2 * id));
    s.first_time = at(first);
    s.last_time = at(last);
    s.first_frame = 100 * id;
    s.last_frame = 100 * id + 50;
    return s;
}

session::FlowRecord flow(std::uint32_t id, util::Endpoint a, util::Endpoint b, double first, double last) {
    session::FlowRecord f;
    f.id = id;
    f.a = a;
    f.b = b;
    f.first_time = at(first);
    f.last_time = at(last);
    f.first_frame = 1000 * id;
    f.last_frame = 1000 * id + 1;
    return f;
}

analysis::Finding finding(std::string_view rule, std::optional<std::uint32_t> call, std::optional<std::uint32_t> stream,
                          std::vector<std::uint64_t> frames) {
    analysis::Finding f;
    f.rule = rule;
    f.severity = analysis::Severity::high;
    f.call = call;
    f.stream = stream;
    f.frames = std::move(frames);
    return f;
}

/// An input of 400 s from `first`: call 1 at 10-20 s, call 2 (ZRTP) at 100-200 s, call 3 at
/// 150-160 s, a stream bound to no call at 300-310 s, a REGISTER with credentials at 50 s; and a
/// finding of each kind.
struct Capture {
    session::Model model;
    std::vector<analysis::Finding> findings;
};

Capture capture(double first = 0) {
    Capture c;
    session::Model& m = c.model;
    capture::InputInfo input;
    input.path = "calls.pcap";
    input.first_time = at(first);
    input.last_time = at(first + 400);
    m.inputs.push_back(input);
    m.calls = {timed_call(1, first + 10, first + 20), timed_call(2, first + 100, first + 200),
               timed_call(3, first + 150, first + 160)};
    m.calls[2].call_id = "4711";  // a Call-ID of digits only
    m.media = {stream(1, 1, 2, first + 11, first + 19), stream(2, 2, 3, first + 101, first + 199),
               stream(3, 3, 5, first + 151, first + 159), stream(4, std::nullopt, 4, first + 300, first + 310)};
    session::ZrtpHandshake handshake;
    handshake.id = 1;
    handshake.call = 2;
    handshake.flow = 3;
    handshake.first_time = at(first + 101);
    handshake.last_time = at(first + 102);
    m.handshakes = {handshake};
    // The SIP of every call between the same two ports: one flow.
    m.flows = {flow(1, ep("192.0.2.10", 5060), ep("198.51.100.20", 5060), first, first + 200),
               flow(2, m.media[0].src, m.media[0].dst, first + 11, first + 19),
               flow(3, m.media[1].src, m.media[1].dst, first + 101, first + 199),
               flow(4, m.media[3].src, m.media[3].dst, first + 300, first + 310),
               flow(5, m.media[2].src, m.media[2].dst, first + 151, first + 159),
               flow(6, ep("192.0.2.99", 53), ep("192.0.2.10", 53000), first + 390, first + 391)};
    session::CredentialUse register_use;
    register_use.seen.frame = 5;
    register_use.seen.time = at(first + 50);
    m.credentials = {register_use};
    c.findings = {finding("sip.cleartext-signaling", 1, std::nullopt, {1}),
                  finding("media.unencrypted", 2, 2, {200}),
                  finding("rtp.unsignaled-stream", std::nullopt, 4, {400}),
                  finding("sip.cleartext-credentials", std::nullopt, std::nullopt, {5}),
                  finding("sip.cleartext-signaling", std::nullopt, std::nullopt, {7}),
                  finding("zrtp.error", std::nullopt, std::nullopt, {999})};
    c.findings[4].count = 12;  // about summarised dialogs all over the input
    return c;
}

analysis::Narrowing by_calls(std::string_view list) {
    analysis::Narrowing n;
    n.calls = *analysis::parse_call_selectors(list);
    return n;
}

analysis::Narrowing by_window(std::optional<std::string_view> since, std::optional<std::string_view> until) {
    analysis::Narrowing n;
    if (since) n.since = *analysis::parse_time_bound(*since);
    if (until) n.until = *analysis::parse_time_bound(*until);
    return n;
}

template <typename Items>
std::vector<std::uint32_t> ids(const Items& items) {
    std::vector<std::uint32_t> out;
    for (const auto& item : items) {
        out.push_back(item.id);
    }
    return out;
}

std::vector<std::string_view> rules(const std::vector<analysis::Finding>& findings) {
    std::vector<std::string_view> out;
    for (const analysis::Finding& f : findings) {
        out.push_back(f.rule);
    }
    return out;
}

analysis::NarrowedAudit narrowed(const analysis::Narrowing& narrowing, double first = 0) {
    Capture c = capture(first);
    return analysis::narrow(std::move(c.model), std::move(c.findings), narrowing);
}

}  // namespace

TEST_CASE("narrowing by call number keeps the call, what is bound to it and the findings about it") {
    const auto n = narrowed(by_calls("2"));
    CHECK(ids(n.model.calls) == std::vector<std::uint32_t>{2});
    CHECK(ids(n.model.media) == std::vector<std::uint32_t>{2});
    CHECK(ids(n.model.handshakes) == std::vector<std::uint32_t>{1});
    // Its media's flow and the flow its SIP went over (shared with the other calls).
    CHECK(ids(n.model.flows) == std::vector<std::uint32_t>{1, 3});
    // Findings about no call (the REGISTER, the counted one, the stream without a call) go.
    CHECK(rules(n.findings) == std::vector<std::string_view>{"media.unencrypted"});
    CHECK(n.matched == std::vector<bool>{true});
    CHECK(n.counts.calls.kept == 1);
    CHECK(n.counts.calls.total == 3);
    CHECK(n.counts.media.total == 4);
    CHECK(n.counts.flows.kept == 2);
    CHECK(n.counts.findings.kept == 1);
    CHECK(n.counts.findings.total == 6);
    // The input stays whole: it was read whole.
    CHECK(n.model.inputs.size() == 1);
}

TEST_CASE("a narrowed model finds its calls and streams by the ids reports show") {
    const auto n = narrowed(by_calls("2,4711"));
    REQUIRE(n.model.call(2) != nullptr);
    CHECK(n.model.call(2)->call_id == "call-2");
    CHECK(n.model.call(1) == nullptr);
    CHECK(n.model.stream(2) != nullptr);
    CHECK(n.model.stream(2)->id == 2);
    CHECK(n.model.stream(1) == nullptr);
    CHECK(n.model.handshake(1) != nullptr);
}

TEST_CASE("verdicts of a narrowed model still count the findings about each call") {
    const auto n = narrowed(by_calls("2"));
    const auto verdicts = analysis::call_verdicts(n.model, n.findings);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].call == 2);
    CHECK(verdicts[0].findings == 1);
    REQUIRE(verdicts[0].worst);
    CHECK(n.findings[*verdicts[0].worst].rule == "media.unencrypted");
}

TEST_CASE("narrowing names calls by Call-ID exactly and by number, and says which items named none") {
    const auto n = narrowed(by_calls("call-1,9,CALL-3"));
    CHECK(ids(n.model.calls) == std::vector<std::uint32_t>{1});
    CHECK(n.matched == std::vector<bool>{true, false, false});
    // An item of digits is a number: the Call-ID "4711" is call 3, named by its number.
    CHECK(narrowed(by_calls("4711")).matched == std::vector<bool>{false});
    CHECK(ids(narrowed(by_calls("3")).model.calls) == std::vector<std::uint32_t>{3});
}

TEST_CASE("a time window keeps whole the calls it meets, and what lies in it") {
    const auto n = narrowed(by_window("1970-01-01T00:02:30Z", "1970-01-01T00:05:05Z"));  // 150 s to 305 s
    // Call 2 (100-200 s) began before the window and is kept whole, with its stream; call 1 ended before.
    CHECK(ids(n.model.calls) == std::vector<std::uint32_t>{2, 3});
    CHECK(ids(n.model.media) == std::vector<std::uint32_t>{2, 3, 4});
    CHECK(ids(n.model.flows) == std::vector<std::uint32_t>{1, 3, 4, 5});
    // The REGISTER at 50 s is out, the counted finding speaks for the whole input, frame 999's time is unknown.
    CHECK(rules(n.findings) == std::vector<std::string_view>{"media.unencrypted", "rtp.unsignaled-stream"});
    CHECK(n.window_meets_capture);
}

TEST_CASE("a time window places a finding about no call by the time of its frame") {
    const auto n = narrowed(by_window(std::nullopt, "1970-01-01T00:01:00Z"));  // before 60 s
    CHECK(ids(n.model.calls) == std::vector<std::uint32_t>{1});
    CHECK(rules(n.findings) == std::vector<std::string_view>{"sip.cleartext-signaling", "sip.cleartext-credentials"});
    CHECK(n.model.credentials.size() == 1);
}

TEST_CASE("the window's end is excluded and its start included") {
    CHECK(ids(narrowed(by_window(std::nullopt, "1970-01-01T00:00:10Z")).model.calls).empty());  // call 1 starts at 10 s
    CHECK(ids(narrowed(by_window("1970-01-01T00:00:20Z", "1970-01-01T00:00:21Z")).model.calls) ==
          std::vector<std::uint32_t>{1});  // call 1 ends at 20 s
}

TEST_CASE("seconds after the first packet count from the audit's own first packet") {
    const double first = 1'772'359'200;  // 2026-03-01T10:00:00Z
    const auto n = narrowed(by_window("+90", "+150.5"), first);
    CHECK(ids(n.model.calls) == std::vector<std::uint32_t>{2, 3});
    CHECK(n.window_meets_capture);
    CHECK(ids(narrowed(by_window("+0", "+10"), first).model.calls).empty());
}

TEST_CASE("a window beside the capture, or empty, meets nothing and says so") {
    const auto after = narrowed(by_window("1970-01-01T00:10:00Z", std::nullopt));  // the input ends at 400 s
    CHECK_FALSE(after.window_meets_capture);
    CHECK(after.model.calls.empty());
    CHECK(after.findings.empty());
    CHECK_FALSE(narrowed(by_window("+300", "1970-01-01T00:01:00Z")).window_meets_capture);  // 300 s to 60 s
    CHECK(narrowed(by_window("+399", std::nullopt)).window_meets_capture);
    // An audit without a packet has no window to meet.
    session::Model empty;
    CHECK_FALSE(analysis::narrow(std::move(empty), {}, by_window("+0", std::nullopt)).window_meets_capture);
}

TEST_CASE("calls and a window together keep the named calls that meet the window") {
    analysis::Narrowing n = by_calls("1,2");
    n.since = *analysis::parse_time_bound("+50");
    const auto out = narrowed(n);
    CHECK(ids(out.model.calls) == std::vector<std::uint32_t>{2});
    CHECK(out.matched == std::vector<bool>{true, true});  // call 1 exists; the window left it out
    // Named calls only: the stream without a call in the window stays out.
    CHECK(ids(out.model.media) == std::vector<std::uint32_t>{2});
}

TEST_CASE("without a narrowing everything is kept and counted") {
    const auto n = narrowed(analysis::Narrowing{});
    CHECK(n.model.calls.size() == 3);
    CHECK(n.findings.size() == 6);
    CHECK(n.counts.findings.kept == 6);
    CHECK(n.counts.flows.kept == n.counts.flows.total);
}

TEST_CASE("the items of --calls are numbers and Call-IDs, comma-separated") {
    const auto selectors = analysis::parse_call_selectors("3,a84b4c76e66710@pc33.example.com");
    REQUIRE(selectors);
    REQUIRE(selectors->size() == 2);
    CHECK((*selectors)[0].number == 3U);
    CHECK((*selectors)[1].text == "a84b4c76e66710@pc33.example.com");
    CHECK_FALSE((*selectors)[1].number);
    for (const char* bad : {"", ",", "3,", ",3", "3,,4", "0", "99999999999"}) {
        INFO(bad);
        CHECK_FALSE(analysis::parse_call_selectors(bad));
    }
}

TEST_CASE("the bounds of --since and --until are RFC 3339 with a zone, or seconds after the first packet") {
    const auto absolute = analysis::parse_time_bound("2026-03-01T11:00:00.25+01:00");
    REQUIRE(absolute);
    CHECK_FALSE(absolute->from_first_packet);
    CHECK(absolute->text() == "2026-03-01T10:00:00.250000Z");
    const auto relative = analysis::parse_time_bound("+1.5");
    REQUIRE(relative);
    CHECK(relative->from_first_packet);
    CHECK(relative->micros == 1'500'000);
    CHECK(relative->text() == "+1.5");
    CHECK(analysis::parse_time_bound("+90")->text() == "+90");
    CHECK(analysis::parse_time_bound("+0.000001")->text() == "+0.000001");
    CHECK(relative->at(util::Timestamp{10 * k_second}) == util::Timestamp{11'500'000});
    for (const char* bad : {"", "+", "+.5", "+5.", "+1.0000001", "+-3", "+1e3", "90", "2026-03-01T10:00:00",
                            "2026-03-01", "yesterday", "+12345678901"}) {
        INFO(bad);
        CHECK_FALSE(analysis::parse_time_bound(bad));
    }
}
