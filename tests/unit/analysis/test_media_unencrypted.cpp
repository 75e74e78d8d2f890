// media.unencrypted and rtp.unsignaled-stream over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

session::MediaStream stream(std::uint32_t id, session::Protection protection, std::optional<std::uint32_t> call_id) {
    session::MediaStream s;
    s.id = id;
    s.flow = id;
    s.src = ep("192.0.2.10", 4000);
    s.dst = ep("198.51.100.20", 5000);
    s.ssrc = 0x00c0ffee;
    s.packets = 200;
    s.bytes = 32000;
    s.payload_types.set(0);
    s.first_frame = 10;
    s.last_frame = 400;
    s.protection = protection;
    s.call = call_id;
    return s;
}

session::FlowRecord flow(std::uint32_t id, demux::PayloadKind extra = demux::PayloadKind::unknown) {
    session::FlowRecord f;
    f.id = id;
    f.packets_by_kind[static_cast<std::size_t>(demux::PayloadKind::rtp)] = 200;
    if (extra != demux::PayloadKind::unknown) {
        f.packets_by_kind[static_cast<std::size_t>(extra)] = 8;
    }
    return f;
}

session::Model media_model(std::vector<session::MediaStream> streams, std::vector<session::FlowRecord> flows) {
    session::Model model;
    model.media.assign(streams.begin(), streams.end());
    model.flows.assign(flows.begin(), flows.end());
    return model;
}

}  // namespace

TEST_CASE("media.unencrypted: a stream whose call negotiated plain RTP") {
    session::MediaStream plain = stream(1, session::Protection::none, 1);
    plain.payload_looks_encrypted = false;
    plain.payload_entropy = 6.9;  // G.711 speech
    plain.sampled_bytes = 4096;
    const auto findings = run_rule("media.unencrypted", media_model({plain}, {flow(1)}));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::high);
    CHECK(f.confidence == analysis::Confidence::inferred);  // the payload is judged by a heuristic
    CHECK(f.call == 1U);
    CHECK(f.stream == 1U);
    CHECK(f.frames == std::vector<std::uint64_t>{10, 400});
    CHECK(f.evidence["ssrc"] == "0x00c0ffee");
    CHECK(f.evidence["src"] == "192.0.2.10:4000");
    CHECK(f.evidence["dst"] == "198.51.100.20:5000");
    CHECK(f.evidence["payload_types"] == nlohmann::ordered_json::array({0}));
    CHECK(f.evidence["signalled"] == true);
    CHECK(f.evidence["payload_check"] == "codec-like");
    CHECK(f.evidence["payload_entropy_bits"] == 6.9);
    CHECK_THAT(f.message, Catch::Contains("its SDP set up plain RTP"));
}

TEST_CASE("media.unencrypted: a stream whose SDP announced ZRTP that never completed says so") {
    session::MediaStream stripped = stream(1, session::Protection::none, 1);
    stripped.payload_looks_encrypted = false;
    stripped.zrtp_never_completed = true;  // as call binding marks it (tests/golden/zrtp-stripped.*)
    const auto findings = run_rule("media.unencrypted", media_model({stripped}, {flow(1)}));
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0].message,
               Catch::Contains("its SDP announced ZRTP (a=zrtp-hash), but no ZRTP handshake on its flow completed"));
}

TEST_CASE("media.unencrypted: an unsignalled stream whose payload reads like codec data") {
    // The session sets protection none for unsignalled streams with codec-like payload.
    session::MediaStream plain = stream(1, session::Protection::none, std::nullopt);
    plain.payload_looks_encrypted = false;
    const auto findings = run_rule("media.unencrypted", media_model({plain}, {flow(1)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["signalled"] == false);
    CHECK_FALSE(findings[0].call.has_value());
}

TEST_CASE("media.unencrypted: a ZRTP stream switched to clear by GoClear") {
    session::MediaStream cleared = stream(1, session::Protection::none, 1);
    cleared.payload_looks_encrypted = true;  // mostly SRTP before the GoClear
    cleared.cleared_at_frame = 300;
    const auto findings = run_rule("media.unencrypted", media_model({cleared}, {flow(1, demux::PayloadKind::zrtp)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{300, 400});
    CHECK_THAT(findings[0].message, Catch::Contains("GoClear"));
}

TEST_CASE("media.unencrypted: not for protected, empty, or possibly elsewhere-keyed streams") {
    using session::Protection;
    CHECK(run_rule("media.unencrypted", media_model({stream(1, Protection::sdes_srtp, 1)}, {flow(1)})).empty());
    CHECK(run_rule("media.unencrypted", media_model({stream(1, Protection::zrtp, 1)}, {flow(1)})).empty());
    CHECK(run_rule("media.unencrypted", media_model({stream(1, Protection::unknown, 1)}, {flow(1)})).empty());
    CHECK(
        run_rule("media.unencrypted", media_model({stream(1, Protection::unknown, std::nullopt)}, {flow(1)})).empty());
    session::MediaStream empty = stream(1, Protection::none, 1);
    empty.packets = 0;
    CHECK(run_rule("media.unencrypted", media_model({empty}, {flow(1)})).empty());
    // No SDP, and the payload reads like ciphertext: keys may come from SIP over TLS.
    session::MediaStream ciphertext = stream(1, Protection::none, std::nullopt);
    ciphertext.payload_looks_encrypted = true;
    CHECK(run_rule("media.unencrypted", media_model({ciphertext}, {flow(1)})).empty());
}

TEST_CASE("rtp.unsignaled-stream: a stream bound to no call") {
    const auto findings = run_rule("rtp.unsignaled-stream",
                                   media_model({stream(1, session::Protection::unknown, std::nullopt)}, {flow(1)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::low);
    CHECK(findings[0].confidence == analysis::Confidence::inferred);
    CHECK(findings[0].stream == 1U);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{10, 400});
    CHECK(findings[0].evidence["ssrc"] == "0x00c0ffee");
}

TEST_CASE("rtp.unsignaled-stream: not for streams bound to a call") {
    CHECK(run_rule("rtp.unsignaled-stream", media_model({stream(1, session::Protection::none, 1)}, {flow(1)})).empty());
}
