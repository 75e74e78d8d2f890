// What the tracker keeps under traffic built to hurt: random datagrams are not RTP until a run
// of one SSRC says so, a flow's SSRCs and the live flows are capped, and what a cap drops is
// counted.
#include <catch2/catch.hpp>

#include <random>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;

namespace {

using test::track;

std::uint64_t anomalies(const session::Model& model, util::AnomalyCode code) {
    return model.decode.anomalies[static_cast<std::size_t>(code)];
}

util::Endpoint host(std::uint32_t n, std::uint16_t port) {
    return {util::IpAddress::v4(0x0a000000 + n), port};
}

}  // namespace

TEST_CASE("random datagrams that start like RTP are not taken for RTP streams") {
    gen::CaptureBuilder capture;
    std::mt19937 random{7};
    for (std::uint32_t n = 0; n < 500; ++n) {
        gen::ByteVector payload(60 + random() % 100);
        for (auto& byte : payload) {
            byte = static_cast<std::uint8_t>(random());
        }
        payload[0] = 0x80;  // version 2
        payload[1] = 0x00;  // payload type 0 (PCMU), not RTCP's 64-95 (RFC 5761 section 4)
        capture.add_udp(util::Timestamp{n * 1000}, host(n, 20000), host(n + 1000, 30000), payload);
    }
    const session::Model model = track(capture);
    CHECK(model.media.empty());
    CHECK(anomalies(model, util::AnomalyCode::rtp_unconfirmed) == 500);
}

TEST_CASE("an RTP stream nobody announced is confirmed by its run and keeps its first packets") {
    gen::CaptureBuilder capture;
    const auto tone = gen::g711_tone(0);
    for (std::uint16_t i = 0; i < 50; ++i) {
        capture.add_udp(util::Timestamp{i * 20'000}, host(1, 20000), host(2, 30000),
                        gen::build_rtp(0, static_cast<std::uint16_t>(1000 + i), 160U * i, 0x1234, tone));
    }
    const session::Model model = track(capture);
    REQUIRE(model.media.size() == 1);
    CHECK(model.media[0].first_frame == 1);  // the packets on probation were replayed
    CHECK(model.media[0].packets == 50);
    CHECK(anomalies(model, util::AnomalyCode::rtp_unconfirmed) == 0);
}

TEST_CASE("a flow with more SSRCs than the cap follows the cap's worth and counts the rest") {
    session::Limits limits;
    limits.max_streams_per_flow = 16;
    session::UserHints hints;
    hints.decode_as.push_back(demux::DecodeAs{30000, demux::PayloadKind::rtp});  // RTP expected on the port
    gen::CaptureBuilder capture;
    const auto tone = gen::g711_tone(0);
    for (std::uint32_t i = 0; i < 1000; ++i) {
        capture.add_udp(util::Timestamp{i * 100}, host(1, 20000), host(2, 30000),
                        gen::build_rtp(0, static_cast<std::uint16_t>(i), 160U * i, 0x10000 + i, tone));
    }
    const session::Model model = track(capture, limits, hints);
    CHECK(model.media.size() == 16);
    CHECK(anomalies(model, util::AnomalyCode::rtp_too_many_ssrcs) == 1);
}

TEST_CASE("beyond the live-flow cap the flows idle longest close, and those without media are counted") {
    session::Limits limits;
    limits.max_live_flows = 100;
    gen::CaptureBuilder capture;
    for (std::uint32_t n = 0; n < 1000; ++n) {
        capture.add_udp(util::Timestamp{n * 1000}, host(n, 20001), host(n + 5000, 30001),
                        util::as_bytes(std::string_view{"not a protocol zaudit reads"}));
    }
    const session::Model model = track(capture, limits);
    CHECK(model.flows.size() <= 100);
    CHECK(anomalies(model, util::AnomalyCode::flow_cap_reached) > 0);
}

namespace {

const util::Endpoint k_phone{*util::IpAddress::parse("192.0.2.10"), 5060};
const util::Endpoint k_pbx{*util::IpAddress::parse("203.0.113.1"), 5060};

/// A SIP message of dialog `call_id` over UDP, with `sdp` as its body when not empty.
std::string sip_text(const std::string& start_line, const std::string& call_id, const std::string& cseq,
                     const std::string& to_tag, const std::string& sdp = "") {
    return start_line + "\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK" + call_id + cseq.substr(0, 1) +
           "\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>" +
           (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\nCall-ID: " + call_id + "\r\nCSeq: " + cseq +
           (sdp.empty() ? "" : "\r\nContent-Type: application/sdp") +
           "\r\nContent-Length: " + std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
}

std::string audio_sdp(const std::string& address, std::uint16_t port) {
    return "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio " +
           std::to_string(port) + " RTP/AVP 0\r\n";
}

/// Sets up call `call_id` at `at` seconds (INVITE, 200, ACK) and hangs it up 10 s later (BYE, 200).
void call(gen::CaptureBuilder& capture, std::int64_t at, const std::string& call_id, bool hang_up,
          const std::string& offer = "", const std::string& answer = "") {
    const auto add = [&](std::int64_t micros, const std::string& message) {
        const bool request = message.rfind("SIP/2.0", 0) != 0;
        capture.add_udp(util::Timestamp{micros}, request ? k_phone : k_pbx, request ? k_pbx : k_phone,
                        util::as_bytes(message));
    };
    const std::int64_t t = at * 1'000'000;
    add(t, sip_text("INVITE sip:bob@example.com SIP/2.0", call_id, "1 INVITE", "", offer));
    add(t + 10'000, sip_text("SIP/2.0 200 OK", call_id, "1 INVITE", "b1", answer));
    add(t + 20'000, sip_text("ACK sip:bob@example.com SIP/2.0", call_id, "1 ACK", "b1"));
    if (hang_up) {
        add(t + 10'000'000, sip_text("BYE sip:bob@example.com SIP/2.0", call_id, "2 BYE", "b1"));
        add(t + 10'010'000, sip_text("SIP/2.0 200 OK", call_id, "2 BYE", "b1"));
    }
}

/// Some packet elsewhere at `at` seconds: the tracker looks for flows to close as time passes.
void tick(gen::CaptureBuilder& capture, std::int64_t at) {
    capture.add_udp(util::Timestamp{at * 1'000'000}, host(900, 40000), host(901, 40000),
                    util::as_bytes(std::string_view{"elsewhere"}));
}

std::vector<const session::FlowRecord*> flows_between(const session::Model& model, const util::Endpoint& x,
                                                      const util::Endpoint& y) {
    std::vector<const session::FlowRecord*> out;
    for (const auto& flow : model.flows) {
        if ((flow.a == x && flow.b == y) || (flow.a == y && flow.b == x)) {
            out.push_back(&flow);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("a UDP flow of one call's SIP closes once quiet 32 s after its BYE, not sooner") {
    gen::CaptureBuilder capture;
    call(capture, 1, "one-call", true);                           // BYE at 11 s
    tick(capture, 35);                                            // 24 s after the BYE: still open
    capture.add_udp(util::Timestamp{40'000'000}, k_pbx, k_phone,  // a late retransmitted 200 (BYE)
                    util::as_bytes(sip_text("SIP/2.0 200 OK", "one-call", "2 BYE", "b1")));
    tick(capture, 100);  // 60 s after that: closed
    capture.add_udp(util::Timestamp{110'000'000}, k_phone, k_pbx,
                    util::as_bytes(sip_text("OPTIONS sip:bob@example.com SIP/2.0", "keepalive", "1 OPTIONS", "")));
    const session::Model model = track(capture);
    const auto flows = flows_between(model, k_phone, k_pbx);
    REQUIRE(flows.size() == 2);  // the call's flow, closed; a new one for the later OPTIONS
    CHECK(flows[0]->evicted_idle);
    CHECK(flows[0]->packets_ab + flows[0]->packets_ba == 6);  // the late 200 kept it open
    CHECK(flows[1]->packets_ab + flows[1]->packets_ba == 1);
    REQUIRE(model.calls.size() == 1);
    CHECK(model.calls[0].ended_by == session::CallEnd::bye);
}

TEST_CASE("a UDP flow of several dialogs stays open after one of them ends: another may be a long call") {
    gen::CaptureBuilder capture;
    call(capture, 1, "short-call", true);
    call(capture, 2, "long-call", false);  // silent after its ACK, as a call is for hours
    tick(capture, 100);
    capture.add_udp(util::Timestamp{200'000'000}, k_phone, k_pbx,
                    util::as_bytes(sip_text("BYE sip:bob@example.com SIP/2.0", "long-call", "2 BYE", "b1")));
    const session::Model model = track(capture);
    const auto flows = flows_between(model, k_phone, k_pbx);
    REQUIRE(flows.size() == 1);
    CHECK_FALSE(flows[0]->evicted_idle);
    CHECK(flows[0]->packets_ab + flows[0]->packets_ba == 9);
}

TEST_CASE("a flow to a call's media address that carried no RTP closes once quiet after the BYE") {
    const util::Endpoint phone_media{k_phone.address, 4000};
    const util::Endpoint pbx_media{k_pbx.address, 5000};
    // Datagrams zaudit cannot read (an encryption it does not know): measured, not streams.
    const std::vector<std::uint8_t> opaque(120, 0x5a);
    gen::CaptureBuilder capture;
    call(capture, 1, "opaque-call", true, audio_sdp("192.0.2.10", 4000), audio_sdp("203.0.113.1", 5000));
    for (std::int64_t s = 2; s <= 10; s += 4) {
        capture.add_udp(util::Timestamp{s * 1'000'000}, phone_media, pbx_media, opaque);
    }
    tick(capture, 30);
    capture.add_udp(util::Timestamp{40'000'000}, phone_media, pbx_media, opaque);  // long after: a flow of its own
    const session::Model model = track(capture);
    const auto flows = flows_between(model, phone_media, pbx_media);
    REQUIRE(flows.size() == 2);
    CHECK(flows[0]->evicted_idle);
    REQUIRE(flows[0]->opaque);
    CHECK(flows[0]->opaque->total() == 3);
    CHECK(model.media.empty());
    // The call's SIP flow waits longer (32 s after the BYE at 11 s): still open at 40 s.
    const auto signalling = flows_between(model, k_phone, k_pbx);
    REQUIRE(signalling.size() == 1);
    CHECK_FALSE(signalling[0]->evicted_idle);
}

TEST_CASE("an RTCP flow beside a call's RTP closes once quiet after the BYE") {
    // Compound RTCP (RFC 3550 section 6.1): a receiver report with no report block and an SDES
    // with a CNAME, on the ports above the RTP ones the SDP announced (section 11).
    const std::vector<std::uint8_t> rtcp{0x80, 0xc9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78,  // RR
                                         0x81, 0xca, 0x00, 0x03, 0x12, 0x34, 0x56, 0x78,  // SDES
                                         0x01, 0x04, 'a',  'b',  'c',  'd',  0x00, 0x00};
    const util::Endpoint phone_rtcp{k_phone.address, 4001};
    const util::Endpoint pbx_rtcp{k_pbx.address, 5001};
    const util::Endpoint stray_a{k_phone.address, 7001};  // RTCP beside no announced RTP
    const util::Endpoint stray_b{k_pbx.address, 6001};
    gen::CaptureBuilder capture;
    call(capture, 1, "rtcp-call", true, audio_sdp("192.0.2.10", 4000), audio_sdp("203.0.113.1", 5000));
    for (std::int64_t s = 2; s <= 10; s += 4) {
        capture.add_udp(util::Timestamp{s * 1'000'000}, phone_rtcp, pbx_rtcp, rtcp);
        capture.add_udp(util::Timestamp{s * 1'000'000 + 1}, stray_a, stray_b, rtcp);
    }
    tick(capture, 30);
    capture.add_udp(util::Timestamp{40'000'000}, phone_rtcp, pbx_rtcp, rtcp);  // long after: a flow of its own
    capture.add_udp(util::Timestamp{40'000'001}, stray_a, stray_b, rtcp);
    const session::Model model = track(capture);
    const auto flows = flows_between(model, phone_rtcp, pbx_rtcp);
    REQUIRE(flows.size() == 2);
    CHECK(flows[0]->evicted_idle);
    CHECK(flows[0]->packets_by_kind[static_cast<std::size_t>(demux::PayloadKind::rtcp)] == 3);
    // The SDP names neither end of this one: it waits for the idle timeout.
    const auto unannounced = flows_between(model, stray_a, stray_b);
    REQUIRE(unannounced.size() == 1);
    CHECK(unannounced[0]->packets_ab == 4);
}

TEST_CASE("a flow flooded with distinct ZRTP Hellos keeps the cap's worth and counts the rest") {
    session::Limits limits;
    limits.max_zrtp_records_per_flow = 10;
    gen::CaptureBuilder capture;
    for (std::uint32_t i = 0; i < 50; ++i) {
        gen::ZrtpHelloFields hello;
        hello.client_id = "flood";
        hello.h3.fill(static_cast<std::uint8_t>(i));  // each Hello its own: a variant of the first
        const gen::ZrtpBytes h2(32, static_cast<std::uint8_t>(i));
        capture.add_udp(util::Timestamp{i * 1000}, host(1, 40000), host(2, 40002),
                        gen::zrtp_packet(static_cast<std::uint16_t>(i), 0x2000, gen::zrtp_hello_message(hello, h2)));
    }
    const session::Model model = track(capture, limits);
    REQUIRE(model.handshakes.size() == 1);
    const session::ZrtpHandshake& handshake = model.handshakes[0];
    // One record for the handshake itself, then Hello events and copies up to the cap.
    CHECK(handshake.messages.size() + handshake.variants.size() + handshake.events.size() <= 9);
    CHECK_FALSE(handshake.variants.empty());
    CHECK(anomalies(model, util::AnomalyCode::zrtp_too_many_messages) == 1);
    CHECK(model.decode.limited());

    const session::Model whole = track(capture);
    CHECK(whole.handshakes[0].variants.size() == 49);
    CHECK_FALSE(whole.decode.limited());
}

TEST_CASE("a ZRTP packet that passes the flow's limit by more than one record still has it said") {
    session::Limits limits;
    limits.max_zrtp_records_per_flow = 4;  // the handshake, then two records an Error: 1, 3, 5
    gen::CaptureBuilder capture;
    for (std::uint32_t i = 0; i < 10; ++i) {
        capture.add_udp(util::Timestamp{i * 1000}, host(1, 40000), host(2, 40002),
                        gen::zrtp_packet(static_cast<std::uint16_t>(i), 0x2000, gen::zrtp_error_message(0x10 + i)));
    }
    const session::Model model = track(capture, limits);
    CHECK(anomalies(model, util::AnomalyCode::zrtp_too_many_messages) == 1);
    CHECK(model.decode.limited());
}

namespace {

/// A DTLS 1.2 ClientHello in one epoch-0 record (RFC 6347 section 4.2.2), no extensions: each
/// `random_byte` a new random, so a new association.
gen::ByteVector client_hello(std::uint8_t random_byte) {
    gen::ByteVector body = {0xfe, 0xfd};  // DTLS 1.2
    body.insert(body.end(), 32, random_byte);
    body.insert(body.end(), {0, 0, 0, 2, 0xc0, 0x2b, 1, 0});  // no session id, no cookie, a suite, null compression
    const auto length = static_cast<std::uint8_t>(body.size());
    gen::ByteVector record = {
        22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, random_byte, 0, static_cast<std::uint8_t>(12 + length)};
    record.insert(record.end(), {1, 0, 0, length, 0, 0, 0, 0, 0, 0, 0, length});  // client_hello, seq 0, whole
    record.insert(record.end(), body.begin(), body.end());
    return record;
}

}  // namespace

TEST_CASE("a flow flooded with ClientHellos of fresh randoms begins the cap's worth of DTLS handshakes") {
    gen::CaptureBuilder capture;
    const std::uint32_t hellos = session::k_max_dtls_handshakes_per_flow + 10;
    for (std::uint32_t i = 0; i < hellos; ++i) {
        capture.add_udp(util::Timestamp{std::int64_t{i} * 1000}, host(1, 50000), host(2, 50002),
                        client_hello(static_cast<std::uint8_t>(i)));
    }
    const session::Model model = track(capture);
    REQUIRE(model.dtls_handshakes.size() == session::k_max_dtls_handshakes_per_flow);
    CHECK(model.dtls_handshakes[0].client_hello_frame == 1u);
    CHECK(model.dtls_handshakes[1].client_hello_frame == 2u);
    CHECK(model.dtls_handshakes.back().client_hello_frame == session::k_max_dtls_handshakes_per_flow);
    CHECK(anomalies(model, util::AnomalyCode::dtls_too_many_handshakes) == 1);
    CHECK(model.decode.limited());

    // Each ClientHello twice: the second time (a retransmission, the same random) begins nothing.
    gen::CaptureBuilder few;
    for (std::uint8_t i = 0; i < 3; ++i) {
        const std::int64_t at = std::int64_t{i} * 1000;
        few.add_udp(util::Timestamp{at}, host(1, 50000), host(2, 50002), client_hello(i));
        few.add_udp(util::Timestamp{at + 500}, host(1, 50000), host(2, 50002), client_hello(i));
    }
    const session::Model three = track(few);
    REQUIRE(three.dtls_handshakes.size() == 3);
    for (const session::DtlsHandshake& handshake : three.dtls_handshakes) {
        CHECK(handshake.retransmitted_fragments == 1);
    }
    CHECK_FALSE(three.decode.limited());
}
