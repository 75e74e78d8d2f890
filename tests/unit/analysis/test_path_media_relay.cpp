// path.media-relay and path.protection-changed over hand-built paths: the rules report what the
// session layer found (tests/unit/interop/test_relay_paths.cpp checks how it finds it on real
// relay captures).
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

session::PathNode node(std::vector<const char*> addresses, session::PathNode::Kind kind) {
    session::PathNode n;
    for (const char* address : addresses) {
        n.addresses.push_back(*util::IpAddress::parse(address));
    }
    n.kind = kind;
    return n;
}

session::MediaStream stream(std::uint32_t id, const char* src, const char* dst, std::uint64_t first_frame) {
    session::MediaStream m;
    m.id = id;
    m.src = ep(src, 30000);
    m.dst = ep(dst, 7078);
    m.first_frame = first_frame;
    m.call = 1;
    return m;
}

session::Call proxied_call(session::PathNode middle) {
    session::Call c = call();
    c.path = {node({"10.78.1.1"}, session::PathNode::Kind::ua), std::move(middle),
              node({"10.78.2.1"}, session::PathNode::Kind::ua)};
    return c;
}

}  // namespace

TEST_CASE("path.media-relay: a relay named by the SDP alone is info and inferred") {
    session::PathNode relay = node({"10.78.1.254"}, session::PathNode::Kind::media_relay);
    relay.anchored_in = {4};
    const auto findings = run_rule("path.media-relay", model_of({proxied_call(relay)}));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::info);
    CHECK(f.confidence == analysis::Confidence::inferred);
    CHECK(f.frames == std::vector<std::uint64_t>{4});
    CHECK(f.evidence["relay_addresses"] == nlohmann::ordered_json::array({"10.78.1.254"}));
    CHECK(f.evidence["forwarding"] == "unknown");
    CHECK(f.evidence["keeps_keys"] == false);
}

TEST_CASE("path.media-relay: medium when the keys reach the relay, verified with twin streams") {
    session::PathNode relay = node({"10.78.1.254", "10.78.2.254"}, session::PathNode::Kind::media_relay);
    relay.anchored_in = {3, 8};
    relay.keeps_keys = true;
    relay.forwarding = session::RelayForwarding::rewrites;
    relay.twin_streams = {{1, 2}};
    session::Model model = model_of({proxied_call(relay)});
    model.media = {stream(1, "10.78.1.1", "10.78.1.254", 13), stream(2, "10.78.2.254", "10.78.2.1", 14)};
    const auto findings = run_rule("path.media-relay", model);
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::medium);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.frames == std::vector<std::uint64_t>{3, 8, 13, 14});
    CHECK(f.evidence["forwarding"] == "rewrites");
    CHECK(f.evidence["twin_streams"] == nlohmann::ordered_json::array({{1, 2}}));
    CHECK(f.message.find("rewrites every packet") != std::string::npos);
}

TEST_CASE("path.media-relay: a proxy that only carried the SIP is no relay") {
    CHECK(run_rule("path.media-relay", model_of({proxied_call(node({"10.78.1.254"}, session::PathNode::Kind::proxy))}))
              .empty());
}

TEST_CASE("path.protection-changed: one finding naming both hops and the node between them") {
    session::Call c = proxied_call(node({"10.78.1.254", "10.78.2.254"}, session::PathNode::Kind::media_relay));
    session::CallLeg a;
    a.id = 1;
    a.a = ep("10.78.1.1", 5060);
    a.b = ep("10.78.1.254", 5060);
    a.media = {1};
    a.protection = session::Protection::sdes_srtp;
    session::CallLeg b = a;
    b.id = 2;
    b.a = ep("10.78.2.254", 5060);
    b.b = ep("10.78.2.1", 5060);
    b.media = {2};
    b.protection = session::Protection::none;
    c.legs = {a, b};
    session::Model model = model_of({c});
    model.media = {stream(1, "10.78.1.1", "10.78.1.254", 13), stream(2, "10.78.2.254", "10.78.2.1", 14)};
    SECTION("SRTP on the caller's hop, plain on the callee's") {
        const auto findings = run_rule("path.protection-changed", model);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].severity == analysis::Severity::high);
        CHECK(findings[0].evidence["node"] == "10.78.1.254/10.78.2.254");
        CHECK(findings[0].evidence["caller_side"]["protection"] == "sdes-srtp");
        CHECK(findings[0].evidence["callee_side"]["protection"] == "none");
        CHECK(findings[0].evidence["lost_towards"] == "callee");
        CHECK(findings[0].frames == std::vector<std::uint64_t>{13, 14});
    }
    SECTION("the same protection on both hops") {
        model.calls[0].legs[1].protection = session::Protection::sdes_srtp;
        CHECK(run_rule("path.protection-changed", model).empty());
    }
    SECTION("a hop without media says nothing") {
        model.calls[0].legs[1].media.clear();
        CHECK(run_rule("path.protection-changed", model).empty());
    }
}
