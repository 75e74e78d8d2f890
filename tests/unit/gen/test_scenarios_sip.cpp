// Each SIP scenario built in memory and read back with zaudit's own decoders; the counts were
// checked by hand against the scenario and against tshark 4.0 on the written samples:
// `tshark -r samples/X.pcap -Y sip` lists the messages and `tshark -q -z sip,stat` counts them.
#include <catch2/catch.hpp>

#include <map>
#include <tuple>

#include "zaudit/capture/frame.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/sip/stream_framer.hpp"
#include "zaudit/srtp/srtp_session.hpp"

using namespace zaudit;

namespace {

constexpr std::uint64_t k_seed = 6189;  // zaudit-gen's default

struct MediaPacket {
    std::uint64_t frame = 0;
    util::Endpoint src;
    util::Endpoint dst;
    std::vector<std::uint8_t> bytes;
};

struct SipSeen {
    std::uint64_t frame = 0;
    util::Endpoint src;
    sip::SipMessage message;
};

/// What a capture holds, as zaudit's decoders see it.
struct Decoded {
    std::size_t frames = 0;
    std::size_t fragments_pending = 0;
    std::size_t reassembled = 0;
    std::vector<SipSeen> sip;
    std::vector<MediaPacket> media;
    std::size_t tls_records = 0;
    std::size_t tcp_data_segments = 0;
    std::size_t tcp_retransmissions = 0;
    std::size_t tcp_segments_with_two_messages = 0;
};

struct Direction {
    std::optional<std::uint32_t> next_seq;
    sip::StreamFramer framer;
};

void on_tcp(const net::Packet& p, std::map<std::string, Direction>& directions, Decoded& out) {
    Direction& d = directions[p.src.to_string() + ">" + p.dst.to_string()];
    if ((p.tcp_flags & net::tcp_flag::syn) != 0) {
        d.next_seq = p.tcp_seq + 1;
        return;
    }
    if (p.payload.empty()) {
        return;
    }
    ++out.tcp_data_segments;
    if (d.next_seq && p.tcp_seq != *d.next_seq) {
        ++out.tcp_retransmissions;  // the scenarios only ever resend, never reorder
        return;
    }
    d.next_seq = p.tcp_seq + static_cast<std::uint32_t>(p.payload.size());
    if (sip::looks_like_tls_record(p.payload)) {
        ++out.tls_records;  // one record per segment in these scenarios
        return;
    }
    const auto fed = d.framer.feed(p.payload);
    if (fed.messages.size() == 2) {
        ++out.tcp_segments_with_two_messages;
    }
    for (const auto& framed : fed.messages) {
        auto parsed = sip::parse_message(framed.text);
        REQUIRE(parsed.ok());
        out.sip.push_back({p.frame, p.src, std::move(parsed).value()});
    }
}

Decoded decode(const gen::CaptureBuilder& capture) {
    Decoded out;
    net::Decoder decoder;
    std::map<std::string, Direction> directions;
    for (const auto& g : capture.frames()) {
        ++out.frames;
        const capture::Frame frame{out.frames,  g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()),
                                   g.link_type, 0};
        net::Packet p;
        const auto status = decoder.decode(frame, p);
        if (status == net::DecodeStatus::fragment_pending) {
            ++out.fragments_pending;
            continue;
        }
        REQUIRE(status == net::DecodeStatus::ok);
        out.reassembled += p.reassembled ? 1 : 0;
        if (p.transport == net::Transport::tcp) {
            on_tcp(p, directions, out);
        } else if (sip::looks_like_sip(p.payload)) {
            auto parsed = sip::parse_message(p.payload);
            REQUIRE(parsed.ok());
            out.sip.push_back({p.frame, p.src, std::move(parsed).value()});
        } else {
            REQUIRE(!p.payload.empty());
            REQUIRE((p.payload[0] & 0xc0) == 0x80);  // RTP version 2: nothing else is sent
            out.media.push_back({p.frame, p.src, p.dst, {p.payload.begin(), p.payload.end()}});
        }
    }
    return out;
}

gen::CaptureBuilder build(std::string_view name, std::uint64_t seed = k_seed) {
    for (const auto& s : gen::scenarios()) {
        if (s.name == name) {
            return s.build(seed);
        }
    }
    FAIL("no scenario " << name);
    return gen::CaptureBuilder{};
}

/// "INVITE", "100", "180", ... in capture order.
std::vector<std::string> summary(const Decoded& d) {
    std::vector<std::string> out;
    for (const auto& s : d.sip) {
        out.push_back(s.message.is_request ? s.message.method : std::to_string(s.message.status_code));
    }
    return out;
}

const std::vector<std::string> k_basic_call{"INVITE", "100", "180", "200", "ACK", "BYE", "200"};

sdp::MediaDescription media_of(const SipSeen& s) {
    REQUIRE(s.message.media_type() == "application/sdp");
    const auto session = sdp::parse(s.message.body);
    REQUIRE(session.anomalies.empty());
    REQUIRE(session.media.size() == 1);
    return session.media[0];
}

std::vector<MediaPacket> from(const Decoded& d, const util::Endpoint& src) {
    std::vector<MediaPacket> out;
    for (const auto& m : d.media) {
        if (m.src == src) {
            out.push_back(m);
        }
    }
    return out;
}

util::Endpoint ep(const char* address, std::uint16_t port) {
    return util::Endpoint{*util::IpAddress::parse(address), port};
}

/// Outcomes of all packets under the first a=crypto key of an SDP.
srtp::OutcomeCounts verify(const std::vector<MediaPacket>& packets, const sdp::CryptoAttribute& crypto) {
    REQUIRE(crypto.keys.size() == 1);
    auto verifier = srtp::SrtpVerifier::create(crypto.suite, crypto.keys[0].key_salt);
    REQUIRE(verifier.has_value());
    for (const auto& p : packets) {
        (void)verifier->unprotect(p.bytes);
    }
    return verifier->rtp_counts();
}

bool all_sizes(const std::vector<MediaPacket>& packets, std::size_t size) {
    return std::all_of(packets.begin(), packets.end(), [&](const MediaPacket& p) { return p.bytes.size() == size; });
}

void check_basic_call_ids(const Decoded& d) {
    for (const auto& s : d.sip) {
        CHECK(s.message.call_id == d.sip[0].message.call_id);
        CHECK(s.message.content_length == std::optional<std::size_t>{s.message.body.size()});
    }
}

const util::Endpoint k_alice_media = ep("192.0.2.10", 40000);
const util::Endpoint k_bob_media = ep("198.51.100.20", 50000);

}  // namespace

TEST_CASE("every SIP scenario is deterministic by seed") {
    for (const char* name : {"sip-plain-call", "sdes-call-tls", "b2bua-two-legs", "sip-over-tcp-split"}) {
        const auto a = build(name, 1);
        const auto b = build(name, 1);
        const auto c = build(name, 2);
        REQUIRE(a.frames().size() == b.frames().size());
        bool same = true;
        bool differs = a.frames().size() != c.frames().size();
        for (std::size_t i = 0; i < a.frames().size(); ++i) {
            same = same && a.frames()[i].bytes == b.frames()[i].bytes &&
                   a.frames()[i].time.micros == b.frames()[i].time.micros;
            differs = differs || i >= c.frames().size() || a.frames()[i].bytes != c.frames()[i].bytes;
        }
        CHECK(same);
        CHECK(differs);
    }
}

// tshark: 207 frames; sip,stat: 7 SIP messages (INVITE 1, ACK 1, BYE 1, 100 1, 180 1, 200 2).
TEST_CASE("sip-plain-call: a plain UDP call with 2 s of G.711 each way") {
    const Decoded d = decode(build("sip-plain-call"));
    CHECK(d.frames == 207);
    CHECK(summary(d) == k_basic_call);
    check_basic_call_ids(d);
    CHECK(media_of(d.sip[0]).profile == "RTP/AVP");
    CHECK(media_of(d.sip[3]).cryptos.empty());
    const auto forward = from(d, k_alice_media);
    const auto backward = from(d, k_bob_media);
    CHECK(forward.size() == 100);
    CHECK(backward.size() == 100);
    CHECK(all_sizes(d.media, 12 + 160));  // header and 20 ms of PCMU, no tag
    CHECK((forward[0].bytes[1] & 0x7f) == 0);
    CHECK((forward[0].bytes[1] & 0x80) == 0x80);  // the first packet is marked
    CHECK(std::equal(forward[0].bytes.begin() + 12, forward[0].bytes.end(), gen::g711_tone(0).begin()));
}

// tshark: 207 frames; sip,stat: 7 SIP messages, SDP with RTP/SAVP and one a=crypto each way.
TEST_CASE("sdes-call-udp: SRTP each way authenticates under that side's SDP key only") {
    const Decoded d = decode(build("sdes-call-udp"));
    CHECK(summary(d) == k_basic_call);
    check_basic_call_ids(d);
    const auto offer = media_of(d.sip[0]);
    const auto answer = media_of(d.sip[3]);
    CHECK(offer.profile == "RTP/SAVP");
    CHECK(answer.profile == "RTP/SAVP");
    REQUIRE(offer.cryptos.size() == 1);
    REQUIRE(answer.cryptos.size() == 1);
    CHECK(offer.cryptos[0].keys[0].key_salt != answer.cryptos[0].keys[0].key_salt);
    const auto forward = from(d, k_alice_media);
    const auto backward = from(d, k_bob_media);
    CHECK(all_sizes(d.media, 12 + 160 + 10));
    CHECK(verify(forward, offer.cryptos[0]).ok == 100);
    CHECK(verify(backward, answer.cryptos[0]).ok == 100);
    CHECK(verify(forward, answer.cryptos[0]).auth_fail == 100);
    CHECK(verify(backward, offer.cryptos[0]).auth_fail == 100);
}

// An independent RFC 3711 implementation (Python `cryptography`: AES-CM key derivation, HMAC-SHA1
// over packet||ROC, AES-CM decryption) agreed on samples/sdes-call-udp.pcap frames 6 and 7: both
// tags verify under their own SDP key, frame 7's fails under the offer's, and the plaintexts begin
// ff b9 ab a4 a0 a0 a4 aa / a1 a0 a2 a8 b0 ca 46 2f, a 440 Hz mu-law tone at samples 0 and 40 as
// Python computes it.
TEST_CASE("sdes-call-udp: the first packet each way decrypts to the mu-law tone") {
    const Decoded d = decode(build("sdes-call-udp"));
    const auto offer = media_of(d.sip[0]);
    const auto answer = media_of(d.sip[3]);
    const std::vector<std::uint8_t> forward_start{0xff, 0xb9, 0xab, 0xa4, 0xa0, 0xa0, 0xa4, 0xaa};
    const std::vector<std::uint8_t> backward_start{0xa1, 0xa0, 0xa2, 0xa8, 0xb0, 0xca, 0x46, 0x2f};
    for (const auto& [packet, crypto, start] :
         {std::tuple{from(d, k_alice_media)[0], offer.cryptos[0], forward_start},
          std::tuple{from(d, k_bob_media)[0], answer.cryptos[0], backward_start}}) {
        auto verifier = srtp::SrtpVerifier::create(crypto.suite, crypto.keys[0].key_salt);
        REQUIRE(verifier.has_value());
        REQUIRE(verifier->unprotect(packet.bytes) == srtp::Outcome::ok);
        REQUIRE(verifier->plaintext().size() == 12 + 160);
        CHECK(std::equal(start.begin(), start.end(), verifier->plaintext().begin() + 12));
    }
}

// tshark: 113 frames, 7 "TLSv1.2 Application Data" on tcp/5061; sip,stat: 0 SIP messages.
TEST_CASE("sdes-call-tls: the SIP is opaque TLS records, only SRTP is visible") {
    const Decoded d = decode(build("sdes-call-tls"));
    CHECK(d.frames == 113);  // 3 + 7 records + 3 closing + 100 SRTP
    CHECK(d.sip.empty());
    CHECK(d.tls_records == 7);
    CHECK(d.media.size() == 100);
    CHECK(all_sizes(d.media, 12 + 160 + 10));
    const auto forward = from(d, k_alice_media);
    REQUIRE(forward.size() == 50);
    CHECK_FALSE(std::equal(forward[0].bytes.begin() + 12, forward[0].bytes.begin() + 172, gen::g711_tone(0).begin()));
}

// tshark: 107 frames; sip,stat: 7 SIP messages.
TEST_CASE("srtp-declined: SAVP offer with a=crypto, AVP answer without, plain media") {
    const Decoded d = decode(build("srtp-declined"));
    CHECK(summary(d) == k_basic_call);
    const auto offer = media_of(d.sip[0]);
    const auto answer = media_of(d.sip[3]);
    CHECK(offer.profile_secure);
    CHECK(offer.cryptos.size() == 1);
    CHECK_FALSE(answer.profile_secure);
    CHECK(answer.cryptos.empty());
    CHECK(d.media.size() == 100);
    CHECK(all_sizes(d.media, 12 + 160));
}

// tshark: 211 frames; sip,stat: 11 SIP messages (INVITE 2, ACK 2, BYE 1, 100 2, 180 1, 200 3).
TEST_CASE("reinvite-drops-crypto: SRTP until the CSeq 2 re-INVITE, plain after it") {
    const Decoded d = decode(build("reinvite-drops-crypto"));
    CHECK(summary(d) ==
          std::vector<std::string>{"INVITE", "100", "180", "200", "ACK", "INVITE", "100", "200", "ACK", "BYE", "200"});
    check_basic_call_ids(d);
    const auto reoffer = d.sip[5].message;
    CHECK(reoffer.cseq->number == 2);
    CHECK_FALSE(reoffer.to->tag.empty());
    CHECK(media_of(d.sip[5]).cryptos.empty());
    CHECK(media_of(d.sip[7]).cryptos.empty());
    CHECK(sdp::parse(reoffer.body).origin->session_version !=
          sdp::parse(d.sip[0].message.body).origin->session_version);
    const auto offer = media_of(d.sip[0]);
    const auto forward = from(d, k_alice_media);
    REQUIRE(forward.size() == 100);
    const std::vector<MediaPacket> secure(forward.begin(), forward.begin() + 50);
    const std::vector<MediaPacket> clear(forward.begin() + 50, forward.end());
    CHECK(verify(secure, offer.cryptos[0]).ok == 50);
    CHECK(all_sizes(clear, 12 + 160));
    CHECK(secure.back().frame < d.sip[5].frame);
    CHECK(clear.front().frame > d.sip[8].frame);
    CHECK(std::equal(clear[0].bytes.begin() + 8, clear[0].bytes.begin() + 12, secure[0].bytes.begin() + 8));  // SSRC
}

// tshark: 214 frames; sip,stat: 14 SIP messages (INVITE 2, ACK 2, BYE 2, 100 2, 180 2, 200 4).
TEST_CASE("b2bua-two-legs: two Call-IDs, SDES on leg 1, plain on leg 2, media at the B2BUA") {
    const Decoded d = decode(build("b2bua-two-legs"));
    CHECK(d.sip.size() == 14);
    std::map<std::string, std::vector<const SipSeen*>> legs;
    for (const auto& s : d.sip) {
        legs[s.message.call_id].push_back(&s);
    }
    REQUIRE(legs.size() == 2);
    const auto& leg1 = legs[d.sip[0].message.call_id];
    const auto& leg2 = legs[d.sip[2].message.call_id];
    CHECK(leg1.size() == 7);
    CHECK(leg2.size() == 7);
    const auto offer1 = media_of(*leg1[0]);
    const auto answer1 = media_of(*leg1[3]);
    CHECK(answer1.connection->address == "203.0.113.5");
    REQUIRE(offer1.cryptos.size() == 1);
    REQUIRE(answer1.cryptos.size() == 1);
    CHECK(media_of(*leg2[0]).cryptos.empty());
    CHECK(media_of(*leg2[0]).connection->address == "203.0.113.5");
    CHECK(media_of(*leg2[3]).cryptos.empty());
    CHECK(verify(from(d, k_alice_media), offer1.cryptos[0]).ok == 50);
    CHECK(verify(from(d, ep("203.0.113.5", 30000)), answer1.cryptos[0]).ok == 50);
    CHECK(all_sizes(from(d, ep("203.0.113.5", 30002)), 12 + 160));
    CHECK(all_sizes(from(d, k_bob_media), 12 + 160));
    CHECK(from(d, k_bob_media).size() == 50);
    for (std::size_t i = 1; i < d.media.size(); ++i) {
        CHECK(d.media[i - 1].frame < d.media[i].frame);
    }
}

// tshark: 107 frames; sip,stat: 7 SIP messages.
TEST_CASE("sdes-key-reuse: both directions use one key||salt") {
    const Decoded d = decode(build("sdes-key-reuse"));
    const auto offer = media_of(d.sip[0]);
    const auto answer = media_of(d.sip[3]);
    CHECK(offer.cryptos[0].keys[0].key_salt == answer.cryptos[0].keys[0].key_salt);
    CHECK(verify(from(d, k_alice_media), offer.cryptos[0]).ok == 50);
    CHECK(verify(from(d, k_bob_media), offer.cryptos[0]).ok == 50);
}

// tshark: 107 frames; sip,stat: 7 SIP messages.
TEST_CASE("weak-suite: the answer takes the 32-bit tag offered beside the 80-bit one") {
    const Decoded d = decode(build("weak-suite"));
    const auto offer = media_of(d.sip[0]);
    const auto answer = media_of(d.sip[3]);
    REQUIRE(offer.cryptos.size() == 2);
    CHECK(offer.cryptos[0].suite == "AES_CM_128_HMAC_SHA1_80");
    CHECK(offer.cryptos[1].suite == "AES_CM_128_HMAC_SHA1_32");
    REQUIRE(answer.cryptos.size() == 1);
    CHECK(answer.cryptos[0].tag == 2);
    CHECK(answer.cryptos[0].suite == "AES_CM_128_HMAC_SHA1_32");
    CHECK(all_sizes(d.media, 12 + 160 + 4));
    CHECK(verify(from(d, k_alice_media), offer.cryptos[1]).ok == 50);
    CHECK(verify(from(d, k_bob_media), answer.cryptos[0]).ok == 50);
}

// tshark: 107 frames; sip,stat: 7 SIP messages.
TEST_CASE("null-cipher: NULL_HMAC_SHA1_80 answered, the payload travels clear with a tag") {
    const Decoded d = decode(build("null-cipher"));
    const auto answer = media_of(d.sip[3]);
    REQUIRE(answer.cryptos.size() == 1);
    CHECK(answer.cryptos[0].suite == "NULL_HMAC_SHA1_80");
    const auto backward = from(d, k_bob_media);
    CHECK(all_sizes(backward, 12 + 160 + 10));
    CHECK(verify(backward, answer.cryptos[0]).ok == 50);
    CHECK(std::equal(backward[0].bytes.begin() + 12, backward[0].bytes.begin() + 172, gen::g711_tone(40).begin()));
}

// tshark: 114 frames; sip,stat: 14 SIP messages (each message once per hop).
TEST_CASE("proxy-strips-crypto: one INVITE at two hops, a=crypto gone at the second") {
    const Decoded d = decode(build("proxy-strips-crypto"));
    CHECK(d.sip.size() == 14);
    check_basic_call_ids(d);
    const auto& hop1 = d.sip[0].message;
    const auto& hop2 = d.sip[2].message;
    CHECK(hop1.method == "INVITE");
    CHECK(hop2.method == "INVITE");
    CHECK(hop1.vias.size() == 1);
    REQUIRE(hop2.vias.size() == 2);
    CHECK(hop2.vias[0].host == "203.0.113.1");
    CHECK(hop2.vias[1].branch == hop1.vias[0].branch);
    CHECK(hop2.header("Max-Forwards")->value == "69");
    CHECK(media_of(d.sip[0]).cryptos.size() == 1);
    CHECK(media_of(d.sip[2]).cryptos.empty());
    CHECK_FALSE(media_of(d.sip[2]).profile_secure);
    CHECK(d.media.size() == 100);
    CHECK(all_sizes(d.media, 12 + 160));
}

// tshark: 15 frames; "TCP Spurious Retransmission" on frame 8; sip,stat: 7 SIP messages, frame 9
// shows "Status: 180 Ringing | Status: 200 OK (INVITE)".
TEST_CASE("sip-over-tcp-split: TCP framing across and within segments, one retransmission") {
    const Decoded d = decode(build("sip-over-tcp-split"));
    CHECK(d.frames == 15);
    CHECK(summary(d) == k_basic_call);
    check_basic_call_ids(d);
    CHECK(d.sip[0].frame == 6);               // the INVITE completes in its third segment (frames 4, 5, 6)
    CHECK(d.sip[2].frame == d.sip[3].frame);  // 180 and 200 in one segment
    CHECK(d.tcp_segments_with_two_messages == 1);
    CHECK(d.tcp_retransmissions == 1);
    CHECK(d.tcp_data_segments == 3 + 1 + 1 + 1 + 1 + 1 + 1);  // INVITE x3, 100, resend, 180+200, ACK, BYE, 200
    CHECK(d.sip[0].message.vias[0].transport == "TCP");
    CHECK(d.media.empty());
}

// tshark: 109 frames, frames 1 and 5 "IPv6 fragment"; sip,stat: 7 SIP messages.
TEST_CASE("sip-fragmented-ipv6: INVITE and 200 OK arrive in two IPv6 fragments each") {
    const Decoded d = decode(build("sip-fragmented-ipv6"));
    CHECK(d.frames == 109);
    CHECK(summary(d) == k_basic_call);
    CHECK(d.fragments_pending == 2);
    CHECK(d.reassembled == 2);
    CHECK(d.sip[0].frame == 2);
    CHECK(d.sip[3].frame == 6);
    CHECK(media_of(d.sip[0]).connection->addr_type == "IP6");
    CHECK(d.media.size() == 100);
}
