#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/mutations.hpp"
#include "zaudit/sdp/session.hpp"

using namespace zaudit::sdp;
using zaudit::util::AnomalyCode;

namespace {

/// (code, 1-based line) of each anomaly, the line found from its offset into `text`.
using Anomalies = std::vector<std::pair<AnomalyCode, std::size_t>>;
Anomalies anomalies_at(const SdpSession& s, std::string_view text) {
    Anomalies out;
    for (const auto& a : s.anomalies) {
        REQUIRE(a.offset <= text.size());
        const bool line_start = a.offset == 0 || text[a.offset - 1] == '\n';
        CHECK(line_start);
        const auto line = static_cast<std::size_t>(
                              std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(a.offset), '\n')) +
                          1;
        out.emplace_back(a.code, line);
    }
    return out;
}

// SDP bodies cut from SIP messages of the public sample captures listed in tests/data/README.md (bytes after the empty line).
std::string fixture(const std::string& name) {
    std::ifstream in(std::string{ZAUDIT_SOURCE_DIR} + "/tests/unit/sdp/fixtures/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// RFC 4566 section 5 (and RFC 8866 section 5) example.
const char* const k_rfc4566 =
    "v=0\r\n"
    "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\n"
    "s=SDP Seminar\r\n"
    "i=A Seminar on the session description protocol\r\n"
    "u=http://www.example.com/seminars/sdp.pdf\r\n"
    "e=j.doe@example.com (Jane Doe)\r\n"
    "c=IN IP4 224.2.17.12/127\r\n"
    "t=2873397496 2873404696\r\n"
    "a=recvonly\r\n"
    "m=audio 49170 RTP/AVP 0\r\n"
    "m=video 51372 RTP/AVP 99\r\n"
    "a=rtpmap:99 h263-1998/90000\r\n";

}  // namespace

TEST_CASE("RFC 4566 example") {
    const SdpSession s = parse(k_rfc4566);
    CHECK(s.anomalies.empty());
    CHECK(s.version == "0");
    REQUIRE(s.origin);
    CHECK(s.origin->username == "jdoe");
    CHECK(s.origin->session_id == "2890844526");
    CHECK(s.origin->session_version == "2890842807");
    CHECK(s.origin->net_type == "IN");
    CHECK(s.origin->addr_type == "IP4");
    CHECK(s.origin->address == "10.47.16.5");
    CHECK(s.session_name == "SDP Seminar");
    REQUIRE(s.connection);
    CHECK(s.connection->address == "224.2.17.12");
    CHECK(s.connection->text == "IN IP4 224.2.17.12/127");
    REQUIRE(s.connection->ip);
    CHECK(s.connection->ip->to_string() == "224.2.17.12");
    CHECK(s.direction == Direction::recvonly);
    REQUIRE(s.media.size() == 2);
    const auto& audio = s.media[0];
    CHECK(audio.media == "audio");
    CHECK(audio.port == 49170);
    CHECK(audio.port_count == 1);
    CHECK(audio.profile == "RTP/AVP");
    CHECK_FALSE(audio.profile_secure);
    CHECK(audio.formats == std::vector<std::string>{"0"});
    CHECK(audio.connection_inherited);
    REQUIRE(audio.connection);
    CHECK(audio.connection->address == "224.2.17.12");
    CHECK(audio.direction == Direction::recvonly);  // inherited from the session
    const auto& video = s.media[1];
    CHECK(video.line == 11);
    REQUIRE(video.rtpmap(99));
    CHECK(video.rtpmap(99)->encoding == "h263-1998");
    CHECK(video.rtpmap(99)->clock_rate == 90000u);
    CHECK(video.rtpmap(0) == nullptr);
}

TEST_CASE("WebRTC-style media: DTLS profile, fingerprint, setup, ICE, rtcp-mux, IPv6") {
    const SdpSession s = parse(
        "v=0\n"
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\n"
        "s=-\n"
        "t=0 0\n"
        "a=fingerprint:SHA-256 "
        "19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\n"
        "a=setup:actpass\n"
        "a=ice-ufrag:ETEn\n"
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\n"
        "c=IN IP6 2001:db8::1\n"
        "a=rtcp:9 IN IP4 0.0.0.0\n"
        "a=rtcp-mux\n"
        "a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\n"
        "a=candidate:2 1 udp 1686052607 198.51.100.1 54321 typ srflx raddr 192.0.2.1 rport 54321\n"
        "a=rtpmap:111 opus/48000/2\n"
        "a=sendonly\n"
        "m=video 9 UDP/TLS/RTP/SAVPF 96\n"
        "a=setup:passive\n"
        "a=fingerprint:sha-1 AA:BB\n");
    CHECK(s.anomalies.empty());
    REQUIRE(s.media.size() == 2);
    const auto& a = s.media[0];
    CHECK(a.profile_secure);
    CHECK(a.profile_dtls);
    CHECK(a.profile_feedback);
    REQUIRE(a.connection);
    CHECK_FALSE(a.connection_inherited);
    CHECK(a.connection->addr_type == "IP6");
    REQUIRE(a.connection->ip);
    CHECK_FALSE(a.connection->ip->is_v4());
    CHECK(a.connection->ip->to_string() == "2001:db8::1");
    REQUIRE(a.rtcp);
    CHECK(a.rtcp->port == 9);
    REQUIRE(a.rtcp->connection);
    CHECK(a.rtcp->connection->address == "0.0.0.0");
    CHECK(a.rtcp_mux);
    CHECK(a.candidates == 2);
    CHECK(a.ice_ufrag);
    REQUIRE(a.fingerprints.size() == 1);
    CHECK(a.fingerprints[0].hash_function == "sha-256");
    CHECK(a.fingerprints[0].value.substr(0, 8) == "19:E2:1C");
    CHECK(a.setup == "actpass");
    CHECK(a.direction == Direction::sendonly);
    CHECK(a.rtpmap(111)->parameters == "2");
    const auto& v = s.media[1];
    CHECK_FALSE(v.connection);  // no c= anywhere for it
    CHECK(v.setup == "passive");
    REQUIRE(v.fingerprints.size() == 1);
    CHECK(v.fingerprints[0].hash_function == "sha-1");
    CHECK(v.direction == Direction::sendrecv);
    CHECK_FALSE(v.direction_explicit);
    CHECK_FALSE(v.rtcp_mux);
    CHECK(v.candidates == 0);
}

TEST_CASE("profiles") {
    const SdpSession s = parse(
        "v=0\r\nm=audio 1 RTP/SAVP 0\r\nm=audio 2 RTP/AVPF 0\r\nm=audio 3 UDP/TLS/RTP/SAVP 0\r\n"
        "m=audio 4 TCP/DTLS/RTP/SAVPF 0\r\nm=application 5 UDP/DTLS/SCTP webrtc-datachannel\r\n"
        "m=audio 6/2 RTP/AVP 0\r\n");
    REQUIRE(s.media.size() == 6);
    CHECK(s.media[0].profile_secure);
    CHECK_FALSE(s.media[0].profile_dtls);
    CHECK_FALSE(s.media[0].profile_feedback);
    CHECK_FALSE(s.media[1].profile_secure);
    CHECK(s.media[1].profile_feedback);
    CHECK(s.media[2].profile_dtls);
    CHECK_FALSE(s.media[2].profile_feedback);
    CHECK(s.media[3].profile_dtls);
    CHECK(s.media[3].profile_secure);
    CHECK_FALSE(s.media[4].profile_secure);
    CHECK(s.media[4].formats == std::vector<std::string>{"webrtc-datachannel"});
    CHECK(s.media[5].port == 6);
    CHECK(s.media[5].port_count == 2);
}

TEST_CASE("a=zrtp-hash, possibly several, session-level inherited (RFC 6189 8.1)") {
    const SdpSession s = parse(
        "v=0\r\n"
        "a=zrtp-hash:1.10 fe30efd02423cb054e50efd0248742ac7a52c8f91bc2df881ae642c371ba46df\r\n"
        "m=audio 5004 RTP/AVP 0\r\n"
        "m=audio 5006 RTP/AVP 0\r\n"
        "a=zrtp-hash:1.10 1111111111111111111111111111111111111111111111111111111111111111\r\n"
        "a=zrtp-hash:1.20 2222222222222222222222222222222222222222222222222222222222222222\r\n");
    REQUIRE(s.zrtp_hashes.size() == 1);
    REQUIRE(s.media.size() == 2);
    REQUIRE(s.media[0].zrtp_hashes.size() == 1);
    CHECK(s.media[0].zrtp_hashes[0].version == "1.10");
    CHECK(s.media[0].zrtp_hashes[0].hash.substr(0, 8) == "fe30efd0");
    REQUIRE(s.media[1].zrtp_hashes.size() == 2);
    CHECK(s.media[1].zrtp_hashes[1].version == "1.20");
}

TEST_CASE("media direction attributes") {
    const SdpSession s = parse(
        "v=0\nm=audio 1 RTP/AVP 0\na=inactive\nm=audio 2 RTP/AVP 0\na=recvonly\n"
        "m=audio 3 RTP/AVP 0\na=sendrecv\n");
    CHECK(s.media[0].direction == Direction::inactive);
    CHECK(s.media[1].direction == Direction::recvonly);
    CHECK(s.media[2].direction == Direction::sendrecv);
    CHECK(s.media[2].direction_explicit);
    CHECK(to_string(Direction::inactive) == "inactive");
}

TEST_CASE("raw attributes are kept in order with line numbers") {
    const SdpSession s = parse("v=0\r\na=tool:x\r\nm=audio 1 RTP/AVP 0\r\na=ptime:20\r\na=rtcp-mux\r\n");
    REQUIRE(s.attributes.size() == 1);
    CHECK(s.attributes[0].name == "tool");
    CHECK(s.attributes[0].value == "x");
    REQUIRE(s.media[0].attributes.size() == 2);
    CHECK(s.media[0].attributes[0].name == "ptime");
    CHECK(s.media[0].attributes[0].line == 4);
    CHECK(s.media[0].attributes[1].name == "rtcp-mux");
    CHECK_FALSE(s.media[0].attributes[1].has_value);
}

TEST_CASE("malformed c= lines are skipped with an anomaly") {
    const std::string text = "v=0\r\nc=IN IP4\r\nm=audio 1 RTP/AVP 0\r\nc=garbage\r\nc=IN IP4 /127\r\n";
    const SdpSession s = parse(text);
    CHECK(anomalies_at(s, text) == Anomalies{{AnomalyCode::sdp_bad_connection, 2},
                                             {AnomalyCode::sdp_bad_connection, 4},
                                             {AnomalyCode::sdp_bad_connection, 5}});
    CHECK(s.anomalies[0].detail == "line 2: c= 'IN IP4' is not <nettype> <addrtype> <address>");
    CHECK_FALSE(s.connection);
    CHECK_FALSE(s.media[0].connection);
}

TEST_CASE("a hostname in c= is kept as text without an IpAddress") {
    const SdpSession s = parse("v=0\r\nc=IN IP4 media.example.com\r\n");
    REQUIRE(s.connection);
    CHECK(s.connection->address == "media.example.com");
    CHECK_FALSE(s.connection->ip);
}

TEST_CASE("m= with a non-numeric port skips that media section only") {
    const std::string text =
        "v=0\r\nm=audio abc RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\nm=audio 70000 RTP/AVP 0\r\n"
        "m=audio 5/0 RTP/AVP 0\r\nm=audio\r\nm=video 4000 RTP/AVP 31\r\na=sendonly\r\n";
    const SdpSession s = parse(text);
    REQUIRE(s.media.size() == 1);
    CHECK(s.media[0].port == 4000);
    CHECK(s.media[0].direction == Direction::sendonly);
    CHECK(anomalies_at(s, text) == Anomalies{{AnomalyCode::sdp_bad_media, 2},
                                             {AnomalyCode::sdp_bad_media, 4},
                                             {AnomalyCode::sdp_bad_media, 5},
                                             {AnomalyCode::sdp_bad_media, 6}});
}

TEST_CASE("malformed attribute values are anomalies") {
    const std::string text =
        "v=0\r\nm=audio 1 RTP/AVP 0\r\na=rtpmap:x PCMU/8000\r\na=rtpmap:0 PCMU\r\n"
        "a=rtpmap:200 X/1\r\na=rtcp:port\r\na=fingerprint:sha-256\r\na=zrtp-hash:1.10\r\n"
        "a=\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!\r\n";
    const SdpSession s = parse(text);
    CHECK(s.media[0].rtpmaps.empty());
    CHECK_FALSE(s.media[0].rtcp);
    CHECK(s.media[0].fingerprints.empty());
    CHECK(s.media[0].zrtp_hashes.empty());
    CHECK(s.media[0].cryptos.empty());
    REQUIRE(s.anomalies.size() == 8);
    CHECK(s.anomalies[0].code == AnomalyCode::sdp_bad_rtpmap);
    CHECK(s.anomalies[3].code == AnomalyCode::sdp_bad_rtcp);
    CHECK(s.anomalies[4].code == AnomalyCode::sdp_bad_fingerprint);
    CHECK(s.anomalies[5].code == AnomalyCode::sdp_bad_zrtp_hash);
    CHECK(s.anomalies[6].code == AnomalyCode::sdp_bad_attribute);
    // The a=crypto key-param is pointed at inside its line.
    CHECK(s.anomalies[7].code == AnomalyCode::sdp_bad_crypto_key);
    CHECK(s.anomalies[7].offset == text.find("inline:!!!"));
    CHECK(s.anomalies[7].detail.starts_with("line 10: a=crypto skipped: "));
}

TEST_CASE("lines that are not <type>=<value>, and unknown types") {
    const std::string text = "v=0\r\nthis is not sdp\r\nX=1\r\nq=unknown\r\n=\r\n\r\ns=ok\r\n";
    const SdpSession s = parse(text);
    CHECK(s.session_name == "ok");
    CHECK(anomalies_at(s, text) == Anomalies{{AnomalyCode::sdp_bad_line, 2},
                                             {AnomalyCode::sdp_bad_line, 3},
                                             {AnomalyCode::sdp_unknown_line_type, 4},
                                             {AnomalyCode::sdp_bad_line, 5}});
}

TEST_CASE("truncated or empty SDP does not crash") {
    CHECK(parse("").media.empty());
    CHECK(parse("v=").version.empty());
    const SdpSession s = parse("v=0\r\no=short\r\nm=aud");
    CHECK_FALSE(s.origin);
    REQUIRE(s.anomalies.size() == 2);
    CHECK(s.anomalies[0].code == AnomalyCode::sdp_bad_origin);
    CHECK(s.anomalies[1].code == AnomalyCode::sdp_bad_media);
}

// Facts below were read with tshark (sdp.media.port, sdp.media.format, sdp.mime.type,
// sdp.sample_rate, sdp.connection_info.address, sdp.media_attr).
TEST_CASE("sip-proxy.pcap frame 3 SDP") {
    const SdpSession s = parse(fixture("sip-proxy-f3.sdp"));
    CHECK(s.anomalies.empty());
    REQUIRE(s.media.size() == 1);
    CHECK(s.media[0].port == 6010);
    CHECK(s.media[0].formats == std::vector<std::string>{"8", "96"});
    CHECK(s.media[0].rtpmap(8)->encoding == "PCMA");
    CHECK(s.media[0].rtpmap(96)->encoding == "telephone-event");
    CHECK(s.media[0].connection->address == "10.33.6.101");
    CHECK(s.media[0].connection_inherited);
}

TEST_CASE("codec-negotiation.pcap: offer (frame 1) and re-offer (frame 308)") {
    const SdpSession offer = parse(fixture("codec-negotiation-f1.sdp"));
    REQUIRE(offer.media.size() == 1);
    CHECK(offer.media[0].port == 5084);
    CHECK(offer.media[0].formats == std::vector<std::string>{"0", "8", "9"});
    CHECK(offer.media[0].rtpmap(9)->encoding == "G722");
    CHECK(offer.media[0].rtpmap(9)->clock_rate == 8000u);
    const SdpSession reoffer = parse(fixture("codec-negotiation-f308.sdp"));  // LF-only line ends
    CHECK(reoffer.anomalies.empty());
    REQUIRE(reoffer.media.size() == 1);
    CHECK(reoffer.origin->session_version == "2");
    CHECK(reoffer.media[0].formats == std::vector<std::string>{"9", "0"});
    CHECK(reoffer.media[0].direction == Direction::sendrecv);
}

TEST_CASE("sip-488-codec-reject.pcapng frame 7: port 0, inactive, 0.0.0.0") {
    const SdpSession s = parse(fixture("codec-reject-f7.sdp"));
    REQUIRE(s.media.size() == 1);
    CHECK(s.media[0].port == 0);
    CHECK(s.media[0].direction == Direction::inactive);
    REQUIRE(s.media[0].connection);
    CHECK(s.media[0].connection->ip->is_unspecified());
    REQUIRE(s.attributes.size() == 1);
    CHECK(s.attributes[0].name == "rtcp-xr");
}

TEST_CASE("invite-opus-bye.pcap frame 1: opus/48000") {
    const SdpSession s = parse(fixture("opus-f1.sdp"));
    REQUIRE(s.media.size() == 1);
    CHECK(s.media[0].port == 5084);
    CHECK(s.media[0].rtpmap(96)->encoding == "opus");
    CHECK(s.media[0].rtpmap(96)->clock_rate == 48000u);
}

TEST_CASE("mutated SDP never crashes the parser") {
    const std::string base =
        "v=0\r\no=- 1 2 IN IP6 ::1\r\nc=IN IP4 1.2.3.4/1/2\r\nm=audio 5/2 RTP/SAVP 0 8\r\na=rtpmap:0 PCMU/8000/1\r\n"
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 KDR=1\r\n"
        "a=rtcp:9 IN IP4 0.0.0.0\r\na=zrtp-hash:1.10 ab\r\na=fingerprint:sha-1 AA\r\n";
    zaudit::test::for_each_mutation(base, "\r\n =:/|;^0a2", 777, 3000,
                                    [](const std::string& text) { (void)parse(text); });
    SUCCEED();
}

TEST_CASE("a description is read up to its bounds: further media sections and keys are skipped, said once each") {
    std::string text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
    const std::size_t sections = k_max_media_sections + 3;
    for (std::size_t i = 0; i < sections; ++i) {
        text += fmt::format("m=audio {} RTP/SAVP 0\r\n", 20000 + 2 * i);
        text += "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
        text += "a=rtpmap:0 PCMU/8000\r\n";
    }
    const SdpSession s = parse(text);
    REQUIRE(s.media.size() == k_max_media_sections);
    CHECK(s.media.back().port == 20000 + 2 * (k_max_media_sections - 1));
    std::size_t keys = 0;
    for (const auto& m : s.media) {
        keys += m.cryptos.size();
        CHECK(m.rtpmaps.size() == 1);  // a skipped section's lines go nowhere, not to the last one kept
    }
    CHECK(keys == k_max_cryptos);
    CHECK(s.media[k_max_cryptos - 1].cryptos.size() == 1);
    CHECK(s.media[k_max_cryptos].cryptos.empty());
    const auto count = [&](AnomalyCode code) {
        return std::count_if(s.anomalies.begin(), s.anomalies.end(), [&](const auto& a) { return a.code == code; });
    };
    CHECK(count(AnomalyCode::sdp_too_many_cryptos) == 1);
    CHECK(count(AnomalyCode::sdp_too_many_media) == 1);
    CHECK(s.anomalies.size() == 2);
}
