#include <catch2/catch.hpp>

#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/srtp/srtp_session.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;
using namespace zaudit::gen;

namespace {

util::Endpoint ep(const char* address, std::uint16_t port) {
    return util::Endpoint{*util::IpAddress::parse(address), port};
}

DialogSpec dialog() {
    DialogSpec d;
    d.caller = SipParty{"alice", "Alice", ep("192.0.2.10", 5060), "a1b2c3d4e5", "ExamplePhone/2.1"};
    d.callee = SipParty{"bob", "", ep("198.51.100.20", 5062), "f6e5d4c3b2", "ExampleDesk/7.4"};
    d.call_id = "0123456789abcdef01234567@192.0.2.10";
    return d;
}

RequestSpec invite(std::string body = {}) {
    RequestSpec r;
    r.method = "INVITE";
    r.cseq = 1;
    r.branch = "z9hG4bK00112233aabbccdd";
    r.sdp = std::move(body);
    return r;
}

ByteVector counting_key() {
    ByteVector key(30);
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<std::uint8_t>(i);
    }
    return key;
}

}  // namespace

TEST_CASE("SipWriter counts the body in Content-Length and ends the headers with an empty line") {
    const std::string text = SipWriter::request("OPTIONS", "sip:bob@198.51.100.20")
                                 .header("Call-ID", "x@y")
                                 .body("application/sdp", "v=0\r\n")
                                 .text();
    // 5 bytes of body, written after CRLF CRLF, with its Content-Type
    CHECK(text ==
          "OPTIONS sip:bob@198.51.100.20 SIP/2.0\r\nCall-ID: x@y\r\nContent-Type: application/sdp\r\n"
          "Content-Length: 5\r\n\r\nv=0\r\n");
}

TEST_CASE("SipWriter without a body writes Content-Length 0 and no Content-Type") {
    const std::string text = SipWriter::response(100, "Trying").header("CSeq", "1 INVITE").text();
    CHECK(text == "SIP/2.0 100 Trying\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("an INVITE parses with zaudit's SIP parser, with every header a stack writes") {
    const std::string body = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\n";
    const auto parsed = sip::parse_message(build_request(dialog(), invite(body)));
    REQUIRE(parsed.ok());
    const sip::SipMessage& m = parsed.value();
    CHECK(m.anomalies.empty());
    CHECK(m.is_request);
    CHECK(m.method == "INVITE");
    CHECK(m.request_uri == "sip:bob@198.51.100.20:5062");  // not 5060: the port is written
    REQUIRE(m.vias.size() == 1);
    CHECK(m.vias[0].transport == "UDP");
    CHECK(m.vias[0].host == "192.0.2.10");
    CHECK(m.vias[0].branch == "z9hG4bK00112233aabbccdd");
    CHECK(m.vias[0].has_rport);
    REQUIRE(m.header("Max-Forwards") != nullptr);
    CHECK(m.header("Max-Forwards")->value == "70");
    REQUIRE(m.from.has_value());
    CHECK(m.from->display_name == "Alice");
    CHECK(m.from->tag == "a1b2c3d4e5");
    REQUIRE(m.to.has_value());
    CHECK(m.to->tag.empty());  // out of dialog: no remote tag yet
    CHECK(m.call_id == "0123456789abcdef01234567@192.0.2.10");
    REQUIRE(m.cseq.has_value());
    CHECK(m.cseq->number == 1);
    CHECK(m.cseq->method == "INVITE");
    REQUIRE(m.contacts.size() == 1);
    CHECK(m.contacts[0].uri == "sip:alice@192.0.2.10:5060");
    CHECK(m.user_agent == "ExamplePhone/2.1");
    CHECK(m.media_type() == "application/sdp");
    CHECK(m.content_length == std::optional<std::size_t>{body.size()});
    CHECK(m.body == body);
    CHECK_FALSE(m.body_truncated);
}

TEST_CASE("responses copy Via, From, Call-ID and CSeq, the UAS tags To in all but 100 Trying") {
    const DialogSpec d = dialog();
    const auto trying = sip::parse_message(build_response(d, invite(), 100, "Trying"));
    const auto ok = sip::parse_message(build_response(d, invite(), 200, "OK", "v=0\r\n"));
    REQUIRE(trying.ok());
    REQUIRE(ok.ok());
    CHECK(trying->status_code == 100);
    CHECK(trying->to->tag.empty());
    CHECK(trying->contacts.empty());
    CHECK(ok->status_code == 200);
    CHECK(ok->to->tag == "f6e5d4c3b2");
    CHECK(ok->from->tag == "a1b2c3d4e5");
    CHECK(ok->vias.size() == 1);
    CHECK(ok->vias[0].branch == "z9hG4bK00112233aabbccdd");
    CHECK(ok->call_id == d.call_id);
    CHECK(ok->cseq->method == "INVITE");
    REQUIRE(ok->contacts.size() == 1);
    CHECK(ok->contacts[0].uri == "sip:bob@198.51.100.20:5062");
    CHECK(ok->server == "ExampleDesk/7.4");
    CHECK(ok->content_length == std::optional<std::size_t>{5});
}

TEST_CASE("a request forwarded by a proxy carries two Vias and one Max-Forwards less") {
    RequestSpec r = invite();
    r.proxy_vias = {"SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKproxy0001"};
    r.record_routes = {"<sip:203.0.113.1;lr>"};
    const auto m = sip::parse_message(build_request(dialog(), r));
    REQUIRE(m.ok());
    REQUIRE(m->vias.size() == 2);
    CHECK(m->vias[0].host == "203.0.113.1");
    CHECK(m->vias[1].host == "192.0.2.10");
    CHECK(m->header("Max-Forwards")->value == "69");
    REQUIRE(m->record_routes.size() == 1);
    CHECK(m->record_routes[0].uri == "sip:203.0.113.1;lr");
}

TEST_CASE("in-dialog requests from the callee swap From and To and go to the caller's Contact") {
    RequestSpec bye;
    bye.method = "BYE";
    bye.cseq = 7;
    bye.branch = "z9hG4bKbye";
    bye.from_callee = true;
    bye.in_dialog = true;
    DialogSpec d = dialog();
    d.transport = SipTransport::tcp;
    const auto m = sip::parse_message(build_request(d, bye));
    REQUIRE(m.ok());
    CHECK(m->request_uri == "sip:alice@192.0.2.10:5060;transport=tcp");
    CHECK(m->from->tag == "f6e5d4c3b2");
    CHECK(m->to->tag == "a1b2c3d4e5");
    CHECK(m->vias[0].transport == "TCP");
    CHECK(m->vias[0].port == std::optional<std::uint16_t>{5062});
    CHECK(m->content_length == std::optional<std::size_t>{0});
}

TEST_CASE("IPv6 hosts are bracketed in URIs and Vias") {
    DialogSpec d = dialog();
    d.caller.signaling = ep("2001:db8::10", 5060);
    const auto m = sip::parse_message(build_request(d, invite()));
    REQUIRE(m.ok());
    CHECK(m->from->uri == "sip:alice@[2001:db8::10]");
    CHECK(m->vias[0].host == "2001:db8::10");  // the parser drops the brackets
}

TEST_CASE("identifiers follow RFC 3261 and depend only on the seed") {
    SeededBytes one{42};
    SeededBytes same{42};
    SeededBytes other{43};
    const std::string branch = sip_branch(one);
    CHECK(branch.size() == 7 + 16);
    CHECK(branch.rfind("z9hG4bK", 0) == 0);
    CHECK(branch == sip_branch(same));
    CHECK(branch != sip_branch(other));
    CHECK(sip_tag(one).size() == 10);
    const std::string call_id = sip_call_id(one, "192.0.2.10");
    CHECK(call_id.size() == 24 + 1 + 10);
    CHECK(call_id.substr(24) == "@192.0.2.10");
}

TEST_CASE("crypto_value writes the RFC 4568 inline key as base64 of key||salt") {
    // base64 of bytes 0x00..0x1d, computed with Python's base64.b64encode(bytes(range(30)))
    const SdpCrypto c{3, "AES_CM_128_HMAC_SHA1_32", counting_key(), "UNENCRYPTED_SRTP"};
    CHECK(crypto_value(c) ==
          "3 AES_CM_128_HMAC_SHA1_32 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd UNENCRYPTED_SRTP");
}

TEST_CASE("an SDES offer parses with zaudit's SDP parser") {
    SdpSpec spec;
    spec.session_id = 123;
    spec.session_version = 124;
    spec.address = *util::IpAddress::parse("192.0.2.10");
    spec.port = 40000;
    spec.savp = true;
    spec.cryptos = {SdpCrypto{1, "AES_CM_128_HMAC_SHA1_80", counting_key(), {}},
                    SdpCrypto{2, "AES_CM_128_HMAC_SHA1_32", ByteVector(30, 0xab), {}}};
    spec.zrtp_hash = "1.10 " + std::string(64, 'a');
    spec.fingerprint = "sha-256 AB:CD";
    spec.setup = "actpass";
    const sdp::SdpSession s = sdp::parse(build_sdp(spec));
    CHECK(s.anomalies.empty());
    CHECK(s.version == "0");
    REQUIRE(s.origin.has_value());
    CHECK(s.origin->session_id == "123");
    CHECK(s.origin->session_version == "124");
    REQUIRE(s.media.size() == 1);
    const sdp::MediaDescription& m = s.media[0];
    CHECK(m.port == 40000);
    CHECK(m.profile == "RTP/SAVP");
    CHECK(m.profile_secure);
    CHECK(m.formats == std::vector<std::string>{"0", "8", "101"});
    CHECK(m.rtpmaps.size() == 3);
    REQUIRE(m.connection.has_value());
    CHECK(m.connection->address == "192.0.2.10");
    REQUIRE(m.cryptos.size() == 2);
    CHECK(m.cryptos[0].suite == "AES_CM_128_HMAC_SHA1_80");
    REQUIRE(m.cryptos[0].keys.size() == 1);
    CHECK(m.cryptos[0].keys[0].key_salt == counting_key());
    CHECK(m.cryptos[1].tag == 2);
    CHECK(m.cryptos[1].keys[0].key_salt == ByteVector(30, 0xab));
    REQUIRE(m.zrtp_hashes.size() == 1);
    CHECK(m.zrtp_hashes[0].version == "1.10");
    REQUIRE(m.fingerprints.size() == 1);
    CHECK(m.fingerprints[0].hash_function == "sha-256");
    CHECK(m.setup == "actpass");
    CHECK(m.direction == sdp::Direction::sendrecv);
    CHECK(m.direction_explicit);
}

TEST_CASE("a plain IPv6 answer has RTP/AVP, IP6 and no security attributes") {
    SdpSpec spec;
    spec.address = *util::IpAddress::parse("2001:db8::20");
    spec.port = 50000;
    const sdp::SdpSession s = sdp::parse(build_sdp(spec));
    CHECK(s.anomalies.empty());
    REQUIRE(s.media.size() == 1);
    CHECK(s.media[0].profile == "RTP/AVP");
    CHECK_FALSE(s.media[0].profile_secure);
    CHECK(s.media[0].connection->addr_type == "IP6");
    CHECK(s.media[0].cryptos.empty());
    CHECK(s.media[0].zrtp_hashes.empty());
    CHECK(s.media[0].fingerprints.empty());
}

TEST_CASE("SrtpSender output authenticates with zaudit's SrtpVerifier under the same key only") {
    const std::string suite = GENERATE(std::string{"AES_CM_128_HMAC_SHA1_80"}, std::string{"AES_CM_128_HMAC_SHA1_32"},
                                       std::string{"NULL_HMAC_SHA1_80"});
    const ByteVector key = counting_key();
    auto sender = SrtpSender::create(suite, key);
    REQUIRE(sender.has_value());
    const ByteVector rtp = build_rtp(0, 1000, 160, 0x11223344, g711_tone(0));
    const auto srtp = sender->protect(rtp);
    REQUIRE(srtp.has_value());
    const std::size_t tag = suite == "AES_CM_128_HMAC_SHA1_32" ? 4 : 10;  // RFC 3711 / RFC 4568 6.2
    CHECK(srtp->size() == rtp.size() + tag);
    CHECK(std::equal(rtp.begin(), rtp.begin() + 12, srtp->begin()));  // the header stays clear
    const bool payload_clear = std::equal(rtp.begin() + 12, rtp.end(), srtp->begin() + 12);
    CHECK(payload_clear == (suite == "NULL_HMAC_SHA1_80"));

    auto right = srtp::SrtpVerifier::create(suite, key);
    INFO((right.has_value() ? std::string{} : right.error().message));
    REQUIRE(right.has_value());
    CHECK(right->unprotect(*srtp) == srtp::Outcome::ok);
    CHECK(std::equal(right->plaintext().begin(), right->plaintext().end(), rtp.begin(), rtp.end()));

    ByteVector other_key = key;
    other_key[0] ^= 1;
    auto wrong = srtp::SrtpVerifier::create(suite, other_key);
    REQUIRE(wrong.has_value());
    CHECK(wrong->unprotect(*srtp) == srtp::Outcome::auth_fail);
}

TEST_CASE("UNENCRYPTED_SRTP leaves the payload clear but authenticated") {
    const ByteVector key = counting_key();
    auto sender = SrtpSender::create("AES_CM_128_HMAC_SHA1_80", key, true);
    REQUIRE(sender.has_value());
    const ByteVector rtp = build_rtp(0, 1, 0, 7, g711_tone(0));
    const auto srtp = sender->protect(rtp);
    REQUIRE(srtp.has_value());
    CHECK(std::equal(rtp.begin(), rtp.end(), srtp->begin()));
    srtp::SessionParams params;
    params.unencrypted_srtp = true;
    auto verifier = srtp::SrtpVerifier::create("AES_CM_128_HMAC_SHA1_80", key, params);
    REQUIRE(verifier.has_value());
    CHECK(verifier->unprotect(*srtp) == srtp::Outcome::ok);
}

TEST_CASE("SrtpSender refuses unknown suites and wrong key lengths") {
    CHECK_FALSE(SrtpSender::create("F8_128_HMAC_SHA1_80", counting_key()).has_value());
    CHECK_FALSE(SrtpSender::create("AES_CM_128_HMAC_SHA1_80", ByteVector(29, 1)).has_value());
    CHECK_FALSE(SrtpSender::create("AES_CM_128_HMAC_SHA1_80", ByteVector(46, 1)).has_value());
}

TEST_CASE("a TCP link opens with a handshake and cuts long messages at 1460 bytes") {
    CaptureBuilder capture;
    SeededBytes random{1};
    SignalingLink link{capture, random, ep("192.0.2.10", 49000), ep("198.51.100.20", 5060), SipTransport::tcp};
    link.send(util::Timestamp{1'000'000}, true, std::string(3000, 'x'));
    // SYN, SYN-ACK, ACK, then 1460 + 1460 + 80 bytes: 54-byte Ethernet/IPv4/TCP headers each
    REQUIRE(capture.frames().size() == 6);
    CHECK(capture.frames()[3].bytes.size() == 54 + 1460);
    CHECK(capture.frames()[4].bytes.size() == 54 + 1460);
    CHECK(capture.frames()[5].bytes.size() == 54 + 80);
    CHECK(capture.frames()[0].bytes[54 - 20 + 13] == 0x02);  // TCP flags byte: SYN
    link.close(util::Timestamp{2'000'000});
    CHECK(capture.frames().size() == 9);
}

TEST_CASE("a TLS link writes application-data records 24 bytes longer than the message") {
    CaptureBuilder capture;
    SeededBytes random{1};
    SignalingLink link{capture, random, ep("192.0.2.10", 49000), ep("198.51.100.20", 5061), SipTransport::tls};
    const std::string message = "BYE sip:bob@198.51.100.20 SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    link.send(util::Timestamp{1'000'000}, false, message);
    REQUIRE(capture.frames().size() == 4);
    const ByteVector& frame = capture.frames()[3].bytes;
    REQUIRE(frame.size() == 54 + 5 + message.size() + 24);
    CHECK(frame[54] == 23);  // application_data
    CHECK(frame[55] == 3);
    CHECK(frame[56] == 3);
    CHECK(((frame[57] << 8) | frame[58]) == static_cast<int>(message.size() + 24));
    CHECK_FALSE(sip::looks_like_sip(util::Bytes{frame}.subspan(54)));
    CHECK(sip::looks_like_tls_record(util::Bytes{frame}.subspan(54)));
}

TEST_CASE("a UDP link writes one datagram per message, no handshake") {
    CaptureBuilder capture;
    SeededBytes random{1};
    SignalingLink link{capture, random, ep("192.0.2.10", 5060), ep("198.51.100.20", 5060), SipTransport::udp};
    link.send(util::Timestamp{1}, true, "OPTIONS sip:x SIP/2.0\r\n\r\n");
    link.close(util::Timestamp{2});
    REQUIRE(capture.frames().size() == 1);
    CHECK(capture.frames()[0].bytes.size() == 14 + 20 + 8 + 25);
}
