// analysis::compare over hand-built models: which side is which, what counts as a difference,
// which finding a difference gives, and the clock offset.
#include <algorithm>

#include "model_builder.hpp"
#include "zaudit/analysis/compare.hpp"

using namespace zaudit;
using session::ZrtpHandshake;
using zrtp::MessageType;

namespace {

const util::Endpoint k_caller = test::ep("192.0.2.10", 40000);
const util::Endpoint k_callee = test::ep("198.51.100.20", 50000);
const util::Endpoint k_relay_a = test::ep("203.0.113.5", 30000);  // the relay's ports as each wire sees it
const util::Endpoint k_relay_b = test::ep("203.0.113.5", 30002);

zrtp::Message hello(std::uint8_t fill, bool mitm = false) {
    zrtp::Message m;
    m.type = MessageType::hello;
    zrtp::Hello h;
    h.zid.fill(fill);
    h.h3.fill(static_cast<std::uint8_t>(fill + 1));
    h.mitm = mitm;
    m.body = h;
    m.bytes.assign(88, fill);
    return m;
}

zrtp::Message dhpart(MessageType type, std::uint8_t fill) {
    zrtp::Message m;
    m.type = type;
    zrtp::DhPart d;
    d.h1.fill(fill);
    d.pv.assign(384, fill);
    m.body = d;
    m.bytes.assign(468, fill);
    return m;
}

session::ZrtpMessageRecord record(std::int64_t ms, const util::Endpoint& src, std::uint16_t seq, zrtp::Message m) {
    session::ZrtpMessageRecord r;
    r.frame = static_cast<std::uint64_t>(ms);
    r.time = util::Timestamp{ms * 1000};
    r.src = src;
    r.ssrc = src == k_caller ? 0x1111 : 0x2222;
    r.sequence = seq;
    r.message = std::move(m);
    return r;
}

struct Leg {
    util::Endpoint caller_side;
    util::Endpoint callee_side;
    std::uint8_t caller_zid = 0xaa;
    std::uint8_t callee_zid = 0xbb;
    std::int64_t clock_ms = 0;  ///< this capture's clock minus the true time
    bool callee_dhpart = true;
    bool callee_mitm = false;
    std::vector<session::SdesKey> caller_keys;
};

Leg make_leg(util::Endpoint caller_side, util::Endpoint callee_side, std::uint8_t caller_zid = 0xaa,
             std::uint8_t callee_zid = 0xbb, std::int64_t clock_ms = 0) {
    Leg leg;
    leg.caller_side = caller_side;
    leg.callee_side = callee_side;
    leg.caller_zid = caller_zid;
    leg.callee_zid = callee_zid;
    leg.clock_ms = clock_ms;
    return leg;
}

/// One call with one handshake, its Hellos and DHParts; the caller's SDP announces the caller
/// side, the callee's the callee side (the handshake lists the callee side first, as a capture
/// whose first ZRTP packet came from the callee would).
session::Model model(const Leg& leg) {
    session::Call c = test::call(1);
    c.call_id = "shared@192.0.2.10";
    c.handshakes = {1};
    c.messages.front().time = util::Timestamp{leg.clock_ms * 1000};
    test::exchange(c,
                   test::sdp_snapshot(2, test::ep("192.0.2.10", 5060), test::ep("198.51.100.20", 5060), "INVITE", 1,
                                      true, {test::audio(leg.caller_side, "RTP/AVP", leg.caller_keys)}),
                   test::sdp_snapshot(3, test::ep("198.51.100.20", 5060), test::ep("192.0.2.10", 5060), "200 INVITE", 1,
                                      false, {test::audio(leg.callee_side, "RTP/AVP")}));
    ZrtpHandshake h;
    h.id = 1;
    h.call = 1;
    h.a = leg.callee_side;
    h.b = leg.caller_side;
    h.first_time = util::Timestamp{(100 + leg.clock_ms) * 1000};
    const std::int64_t t = 100 + leg.clock_ms;
    h.messages.push_back(record(t, leg.callee_side, 1, hello(leg.callee_zid, leg.callee_mitm)));
    h.messages.push_back(record(t + 1, leg.caller_side, 1, hello(leg.caller_zid)));
    h.messages.push_back(record(t + 2, leg.caller_side, 2, dhpart(MessageType::dhpart2, leg.caller_zid)));
    if (leg.callee_dhpart) {
        h.messages.push_back(record(t + 3, leg.callee_side, 2, dhpart(MessageType::dhpart1, leg.callee_zid)));
    }
    // The record's SSRC follows the side, so that packets pair across wires.
    for (auto& r : h.messages) {
        r.ssrc = r.src == leg.caller_side ? 0x1111 : 0x2222;
    }
    session::Model m = test::model_of({c});
    m.handshakes.push_back(h);
    return m;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("compare: the same handshake at a relay's two sides is identical, sides found from the SDP") {
    const auto a = model(make_leg(k_caller, k_relay_a));
    const auto b = model(make_leg(k_relay_b, k_callee, 0xaa, 0xbb, 2500));
    const auto c = analysis::compare(a, b, {});
    REQUIRE(c.calls.size() == 1);
    const auto& call = c.calls.front();
    CHECK(call.different.empty());
    CHECK(call.one_sided.empty());
    for (const char* field : {"zrtp.caller.zid", "zrtp.caller.h3", "zrtp.caller.hello_hash", "zrtp.caller.h1",
                              "zrtp.caller.pv", "zrtp.callee.zid", "zrtp.callee.pv"}) {
        INFO(field);
        CHECK(contains(call.same, field));
    }
    REQUIRE(call.a);
    CHECK(call.a->values.front() == std::pair<std::string, std::string>{"zrtp.caller.zid", std::string(24, 'a')});
    CHECK(c.findings.empty());
    REQUIRE(c.clock_offset_s);
    CHECK(*c.clock_offset_s == Approx(2.5));
    CHECK(c.clock_offset_basis == "packets");
    CHECK(c.clock_offset_samples == 4);
}

TEST_CASE("compare: other ZIDs and DH values at the two points are path.vantage-divergence, critical") {
    const auto a = model(make_leg(k_caller, k_relay_a, 0xaa, 0xcc));
    const auto b = model(make_leg(k_relay_b, k_callee, 0xdd, 0xbb));
    const auto c = analysis::compare(a, b, {});
    const auto& call = c.calls.front();
    std::vector<std::string> different;
    for (const auto& d : call.different) {
        different.push_back(d.field);
    }
    CHECK(different == std::vector<std::string>{"zrtp.caller.zid", "zrtp.caller.h3", "zrtp.caller.hello_hash",
                                                "zrtp.caller.h1", "zrtp.caller.pv", "zrtp.callee.zid", "zrtp.callee.h3",
                                                "zrtp.callee.hello_hash", "zrtp.callee.h1", "zrtp.callee.pv"});
    CHECK(call.different.front().a == std::string(24, 'a'));
    CHECK(call.different.front().b == std::string(24, 'd'));
    REQUIRE(c.findings.size() == 1);
    const auto& f = c.findings.front();
    CHECK(f.rule == "path.vantage-divergence");
    CHECK(f.severity == analysis::Severity::critical);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.evidence["call_id"] == "shared@192.0.2.10");
    CHECK(f.evidence["differences"].size() == 10);
    CHECK_FALSE(f.frames_by_input.empty());
    CHECK(f.frames_by_input.front().input == 1);
    CHECK(f.frames_by_input.back().input == 2);
    // No packet is the same at both points: the offset comes from the SIP messages.
    CHECK(c.clock_offset_basis == "sip");
}

TEST_CASE("compare: a node that declares itself (Hello M flag) is zrtp.trusted-mitm, medium, not a divergence") {
    Leg leg_b = make_leg(k_relay_b, k_callee, 0xdd, 0xbb);
    leg_b.callee_mitm = true;
    const auto c = analysis::compare(model(make_leg(k_caller, k_relay_a, 0xaa, 0xcc)), model(leg_b), {});
    REQUIRE(c.findings.size() == 1);
    CHECK(c.findings.front().rule == "zrtp.trusted-mitm");
    CHECK(c.findings.front().severity == analysis::Severity::medium);
    CHECK(c.calls.front().declared_mitm);
}

TEST_CASE("compare: a message only one capture holds is one-sided, not a difference") {
    Leg leg_b = make_leg(k_relay_b, k_callee);
    leg_b.callee_dhpart = false;  // that capture missed the DHPart1
    const auto c = analysis::compare(model(make_leg(k_caller, k_relay_a)), model(leg_b), {});
    const auto& call = c.calls.front();
    CHECK(call.different.empty());
    CHECK(call.one_sided == std::vector<std::string>{"zrtp.callee.h1", "zrtp.callee.pv"});
    CHECK(c.findings.empty());
}

TEST_CASE("compare: other SDES keys at the two points are listed by fingerprint and reported as a relay, medium") {
    Leg leg_a = make_leg(k_caller, k_relay_a);
    leg_a.caller_keys = {test::sdes(1, "AES_CM_128_HMAC_SHA1_80", 0x11)};
    Leg leg_b = make_leg(k_relay_b, k_callee);
    leg_b.caller_keys = {test::sdes(1, "AES_CM_128_HMAC_SHA1_80", 0x22)};
    const auto c = analysis::compare(model(leg_a), model(leg_b), {});
    const auto& call = c.calls.front();
    REQUIRE(call.different.size() == 1);
    CHECK(call.different.front().field == "sdp.caller.sdes_keys");
    CHECK(*call.different.front().a == "1 AES_CM_128_HMAC_SHA1_80 key " + leg_a.caller_keys.front().fingerprint);
    REQUIRE(c.findings.size() == 1);  // an SDES difference alone is not a ZRTP-terminating node
    CHECK(c.findings.front().rule == "path.media-relay");
    CHECK(c.findings.front().severity == analysis::Severity::medium);
    // A relay that passes the offered key on and adds suites of its own (rtpengine does): the
    // attribute differs, but the key is the same at both points, so no finding.
    leg_b.caller_keys = {leg_a.caller_keys.front(), test::sdes(2, "AES_256_CM_HMAC_SHA1_80", 0x33)};
    const auto passed_on = analysis::compare(model(leg_a), model(leg_b), {});
    CHECK(passed_on.calls.front().different.size() == 1);
    CHECK(passed_on.findings.empty());
    // A key missing from one wire's SDP that both captured differs too; --reveal-keys shows the key.
    leg_b.caller_keys.clear();
    analysis::Policy reveal;
    reveal.reveal_keys = true;
    const auto stripped = analysis::compare(model(leg_a), model(leg_b), reveal);
    REQUIRE(stripped.calls.front().different.size() == 1);
    CHECK(*stripped.calls.front().different.front().a ==
          "1 AES_CM_128_HMAC_SHA1_80 inline:" + util::to_base64(leg_a.caller_keys.front().key_salt));
    CHECK_FALSE(stripped.calls.front().different.front().b);
}

TEST_CASE("compare: an identity attribute only one wire's SDP has is a difference, not a divergence") {
    auto a = model(make_leg(k_caller, k_relay_a));
    auto b = model(make_leg(k_relay_b, k_callee));
    // A relay offering DTLS-SRTP beside the forwarded SDES (rtpengine adds a=fingerprint).
    b.calls.front().sdps.front().media.front().fingerprints = {"sha-256 AB:CD"};
    auto c = analysis::compare(a, b, {});
    REQUIRE(c.calls.front().different.size() == 1);
    CHECK(c.calls.front().different.front().field == "sdp.caller.dtls_fingerprint");
    CHECK(c.findings.empty());
    // Both have one, and they differ: DTLS is terminated between the points.
    a.calls.front().sdps.front().media.front().fingerprints = {"sha-256 12:34"};
    c = analysis::compare(a, b, {});
    REQUIRE(c.findings.size() == 1);
    CHECK(c.findings.front().rule == "path.vantage-divergence");
}

TEST_CASE("compare: a call in one capture only is listed, not compared") {
    auto b = model(make_leg(k_relay_b, k_callee));
    b.calls.front().call_id = "other@198.51.100.20";
    const auto c = analysis::compare(model(make_leg(k_caller, k_relay_a)), b, {});
    REQUIRE(c.calls.size() == 2);
    CHECK((c.calls[0].a && !c.calls[0].b));
    CHECK((!c.calls[1].a && c.calls[1].b));
    CHECK(c.calls[1].call_id == "other@198.51.100.20");
    CHECK(c.findings.empty());
}

TEST_CASE("path.vantage-divergence is in the catalogue as critical, and one capture alone never gives it") {
    const analysis::RuleInfo* rule = analysis::find_rule("path.vantage-divergence");
    REQUIRE(rule != nullptr);
    CHECK(rule->severity == analysis::Severity::critical);
    CHECK(rule->explanation.size() > 100);
    CHECK(rule->reference.find("RFC 6189") != std::string_view::npos);
    CHECK(test::run_rule("path.vantage-divergence", model(make_leg(k_caller, k_relay_a))).empty());
    CHECK(analysis::is_identity_field("zrtp2.callee.pv"));
    CHECK(analysis::is_identity_field("sdp.caller.dtls_fingerprint"));
    CHECK_FALSE(analysis::is_identity_field("sdp.caller.sdes_keys"));
}
