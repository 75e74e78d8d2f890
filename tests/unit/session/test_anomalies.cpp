// Malformed packets become anomalies in the model (code, frame, offset), never silent drops.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;
using util::AnomalyCode;

namespace {

const util::Endpoint k_alice{*util::IpAddress::parse("192.0.2.10"), 5060};
const util::Endpoint k_bob{*util::IpAddress::parse("198.51.100.20"), 5060};
const util::Endpoint k_alice_media{*util::IpAddress::parse("192.0.2.10"), 40000};
const util::Endpoint k_bob_media{*util::IpAddress::parse("198.51.100.20"), 50000};

using test::track;

std::uint64_t count(const session::Model& model, AnomalyCode code) {
    return model.decode.anomalies[static_cast<std::size_t>(code)];
}

std::vector<const util::Anomaly*> with_code(const session::Model& model, AnomalyCode code) {
    std::vector<const util::Anomaly*> out;
    for (const auto& a : model.anomalies) {
        if (a.code == code) {
            out.push_back(&a);
        }
    }
    return out;
}

/// An INVITE with one header line that has no colon, and an SDP whose c= line is garbage.
std::string bad_invite() {
    const std::string sdp =
        "v=0\r\no=a 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=garbage\r\nt=0 0\r\n"
        "m=audio 40000 RTP/AVP 0\r\n";
    return "INVITE sip:bob@198.51.100.20 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1\r\n"
           "From: <sip:alice@192.0.2.10>;tag=a1\r\nTo: <sip:bob@198.51.100.20>\r\n"
           "This header has no colon\r\n"
           "Call-ID: anomalies\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
           "Content-Length: " +
           std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
}

/// A HelloACK message (RFC 6189 section 5.3): preamble, 3 words, type block.
std::vector<std::uint8_t> hello_ack(std::size_t extra_body = 0) {
    std::vector<std::uint8_t> m{0x50, 0x5a, 0x00, static_cast<std::uint8_t>(3 + extra_body / 4)};
    for (const char c : std::string_view{"HelloACK"}) {
        m.push_back(static_cast<std::uint8_t>(c));
    }
    m.resize(m.size() + extra_body, 0);
    return m;
}

}  // namespace

TEST_CASE("anomalies: a malformed SIP header and SDP line give their codes with frame and offset") {
    gen::CaptureBuilder capture;
    const std::string invite = bad_invite();
    capture.add_udp(util::Timestamp{1'000}, k_alice, k_bob, util::as_bytes(invite));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);  // the message is still used

    const auto header = with_code(model, AnomalyCode::sip_bad_header_line);
    REQUIRE(header.size() == 1);
    CHECK(header[0]->frame == 1);
    CHECK(header[0]->offset == invite.find("This header"));  // offsets count from the UDP payload
    CHECK(header[0]->detail == "line 5: header line without a colon");

    const auto sdp = with_code(model, AnomalyCode::sdp_bad_connection);
    REQUIRE(sdp.size() == 1);
    CHECK(sdp[0]->frame == 1);
    CHECK(sdp[0]->offset == invite.find("c=garbage"));
    CHECK(count(model, AnomalyCode::sip_bad_header_line) == 1);
    CHECK(count(model, AnomalyCode::sdp_bad_connection) == 1);
    CHECK(model.anomalies.size() == 2);
}

TEST_CASE("anomalies: SIP over TCP counts offsets in the direction's byte stream") {
    gen::CaptureBuilder capture;
    const std::string invite = bad_invite();
    const std::string junk = "this is not SIP\r\n";
    capture.add_tcp(util::Timestamp{1}, k_alice, k_bob, 100, 0, 0x02, {});
    capture.add_tcp(util::Timestamp{2}, k_alice, k_bob, 101, 1, 0x18, util::as_bytes(invite));
    capture.add_tcp(util::Timestamp{3}, k_alice, k_bob, static_cast<std::uint32_t>(101 + invite.size()), 1, 0x18,
                    util::as_bytes(junk + invite));
    const session::Model model = track(capture);
    const auto header = with_code(model, AnomalyCode::sip_bad_header_line);
    REQUIRE(header.size() == 2);
    CHECK(header[0]->frame == 2);
    CHECK(header[0]->offset == invite.find("This header"));
    CHECK(header[1]->frame == 3);
    CHECK(header[1]->offset == invite.size() + junk.size() + invite.find("This header"));
    const auto framing = with_code(model, AnomalyCode::sip_stream_not_sip);
    REQUIRE(framing.size() == 1);
    CHECK(framing[0]->frame == 3);
    CHECK(framing[0]->offset == invite.size());
}

TEST_CASE("anomalies: an RTP packet whose header does not parse is an anomaly, not a silent drop") {
    gen::CaptureBuilder capture;
    // V=2 with CC=15: fifteen CSRC words announced, none present.
    std::vector<std::uint8_t> bad{0x8f, 0x00, 0x00, 0x01, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44};
    std::vector<std::uint8_t> good{0x80, 0x00, 0x00, 0x02, 0, 0, 0, 2, 0x11, 0x22, 0x33, 0x44, 0xff, 0xff};
    capture.add_udp(util::Timestamp{1}, k_alice_media, k_bob_media, good);
    capture.add_udp(util::Timestamp{2}, k_alice_media, k_bob_media, bad);
    // Where RTP is expected (here by --decode-as; SDP does the same), the bad header is malformed RTP.
    session::UserHints hints;
    hints.decode_as.push_back(demux::DecodeAs{k_bob_media.port, demux::PayloadKind::rtp});
    const session::Model model = track(capture, {}, hints);
    CHECK(model.media.size() == 1);
    REQUIRE(model.anomalies.size() == 1);
    CHECK(model.anomalies[0].code == AnomalyCode::rtp_truncated_csrc);
    CHECK(model.anomalies[0].frame == 2);
    CHECK(model.anomalies[0].offset == 12);
    CHECK(count(model, AnomalyCode::rtp_truncated_csrc) == 1);

    // On a flow nobody announced, one good packet is no run (not taken for RTP, and said so),
    // and a header that does not parse says the bytes are no RTP at all: opaque, not malformed.
    const session::Model unannounced = track(capture);
    CHECK(unannounced.media.empty());
    REQUIRE(unannounced.anomalies.size() == 1);
    CHECK(unannounced.anomalies[0].code == AnomalyCode::rtp_unconfirmed);
    CHECK(count(unannounced, AnomalyCode::rtp_truncated_csrc) == 0);
    REQUIRE(unannounced.flows.size() == 1);
    CHECK(unannounced.flows[0].kinds() == std::vector<demux::PayloadKind>{demux::PayloadKind::unknown});
    REQUIRE(unannounced.flows[0].opaque);
    CHECK(unannounced.flows[0].opaque->total() == 2);
}

TEST_CASE("anomalies: a bad ZRTP CRC is logged exactly once in the handshake and once in the model") {
    gen::CaptureBuilder capture;
    auto packet = gen::zrtp_packet(1, 0x01020304, hello_ack());
    packet.back() ^= 0x01;  // the CRC's last byte
    capture.add_udp(util::Timestamp{1}, k_alice_media, k_bob_media, packet);
    const session::Model model = track(capture);
    REQUIRE(model.handshakes.size() == 1);
    const auto& events = model.handshakes[0].events;
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == session::ZrtpEventKind::crc_invalid);
    CHECK(events[0].frame == 1);
    CHECK(session::event_label(events[0]) == "crc_invalid");
    REQUIRE(model.anomalies.size() == 1);
    CHECK(model.anomalies[0].code == AnomalyCode::zrtp_crc_mismatch);
    CHECK(model.anomalies[0].frame == 1);
    CHECK(model.anomalies[0].offset == packet.size() - 4);
    CHECK(count(model, AnomalyCode::zrtp_crc_mismatch) == 1);
}

TEST_CASE("anomalies: a malformed ZRTP message with a good CRC is an anomaly event of its handshake") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{1}, k_alice_media, k_bob_media, gen::zrtp_packet(1, 0x01020304, hello_ack(4)));
    const session::Model model = track(capture);
    REQUIRE(model.handshakes.size() == 1);
    const auto& events = model.handshakes[0].events;
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == session::ZrtpEventKind::anomaly);
    CHECK(events[0].anomaly == AnomalyCode::zrtp_unexpected_length);
    CHECK(session::event_label(events[0]) == "anomaly:zrtp.unexpected_length");
    REQUIRE(model.anomalies.size() == 1);
    CHECK(model.anomalies[0].code == AnomalyCode::zrtp_unexpected_length);
    CHECK(model.anomalies[0].frame == 1);
    CHECK(model.anomalies[0].offset == 12 + 12);  // packet header, then the message header: the body
}

TEST_CASE("anomalies: every one is counted, the model keeps the first Limits::max_anomalies") {
    gen::CaptureBuilder capture;
    const std::vector<std::uint8_t> bad{0x8f, 0x00, 0x00, 0x01, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44};
    for (int i = 0; i < 5; ++i) {
        capture.add_udp(util::Timestamp{i + 1}, k_alice_media, k_bob_media, bad);
    }
    session::Limits limits;
    limits.max_anomalies = 2;
    session::UserHints hints;  // RTP expected on the port: the bad headers are malformed RTP
    hints.decode_as.push_back(demux::DecodeAs{k_bob_media.port, demux::PayloadKind::rtp});
    const session::Model model = track(capture, limits, hints);
    REQUIRE(model.anomalies.size() == 2);
    CHECK(model.anomalies[0].frame == 1);
    CHECK(model.anomalies[1].frame == 2);
    CHECK(count(model, AnomalyCode::rtp_truncated_csrc) == 5);
}

TEST_CASE("zrtp event kinds: one distinct stable name each, and back") {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < static_cast<std::size_t>(session::ZrtpEventKind::count_); ++i) {
        const auto kind = static_cast<session::ZrtpEventKind>(i);
        CHECK(names.insert(session::to_string(kind)).second);
        CHECK(session::zrtp_event_kind_from_string(session::to_string(kind)) == kind);
    }
    CHECK(session::to_string(session::ZrtpEventKind::go_clear) == "go_clear");
    CHECK(session::to_string(session::ZrtpEventKind::clear_ack) == "clear_ack");
    CHECK(session::to_string(session::ZrtpEventKind::crc_invalid) == "crc_invalid");
    CHECK(session::to_string(session::ZrtpEventKind::error) == "error");
    CHECK(session::to_string(session::ZrtpEventKind::sas_relay) == "sas_relay");
}
