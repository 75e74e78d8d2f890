// Each ZRTP scenario built in memory and read back with zaudit's own decoders (net, SIP, SDP,
// zrtp::parse_packet and the fragment assembler); the SRTP after each handshake is checked with
// srtp::SrtpVerifier under the keys the scenario's handshake derived, so a wrong key, SSRC or
// suite fails here. The ZRTP checks an auditor recomputes (zrtp::verify_handshake,
// zrtp::check_zrtp_hash) must fail exactly where a scenario attacks and nowhere else.
//
// Checked against tshark 4.0 on the written samples (`tshark -r samples/X.pcap -Y zrtp -T fields
// -e frame.number -e zrtp.type -e zrtp.checksum.status`): every ZRTP packet decodes, whole ones
// with their type, and the checksum status is "Good" (1) everywhere except frame 11 of
// zrtp-crc-corrupt (the first Commit: "Bad", 0). Packet counts: 10 clean-call, 12
// clear-before-secure, 12 crc-corrupt, 11 dh2k, 8 error, 21 fragmented, 13 goclear, 11 each of
// hash-chain-broken, hello-forged-h3, hello-tampered, mitm-dhpart2, sdp-hash-mismatch, 20
// multistream (11 audio, 9 video), 13 pbx-mitm (SASrelay, RelayACK), 12 retransmit-changed, 8
// stripped (Hellos only). tshark decodes ZRTP on the RTP ports the SDP announced; zrtp-no-sip
// needs `-d udp.port==40000,rtp -d udp.port==50000,rtp` or `--enable-heuristic rtp_udp` (then 11
// packets). bzrtp's fragments (0x11) pass tshark's CRC check but show no message type (it reads
// them with the 12-byte header). Independently of zaudit, SHA-256 (Python hashlib) of bytes
// 12..n-4 of each Hello's udp.payload was found among the SDP's a=zrtp-hash values in
// clean-call, hello-tampered, multistream (both m= lines) and stripped, and was missing for the
// caller in hello-forged-h3 and the callee in sdp-hash-mismatch, as the cases below expect.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <tuple>

#include "zaudit/capture/frame.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/srtp/srtp_session.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/zrtp/fragment.hpp"
#include "zaudit/zrtp/message.hpp"
#include "zaudit/zrtp/verify.hpp"

using namespace zaudit;

namespace {

constexpr std::uint64_t k_seed = 6189;  // zaudit-gen's default

util::Endpoint ep(const char* address, std::uint16_t port) {
    return util::Endpoint{*util::IpAddress::parse(address), port};
}

const util::Endpoint k_caller_audio = ep("192.0.2.10", 40000);
const util::Endpoint k_callee_audio = ep("198.51.100.20", 50000);
const util::Endpoint k_caller_video = ep("192.0.2.10", 40002);
const util::Endpoint k_callee_video = ep("198.51.100.20", 50002);

struct ZrtpSeen {
    std::uint64_t frame = 0;
    util::Endpoint src;
    std::uint32_t ssrc = 0;
    bool crc_valid = false;
    bool fragment = false;
    std::optional<zrtp::Message> message;  ///< whole packets, and the last fragment of a message
};

struct RtpSeen {
    std::uint64_t frame = 0;
    util::Endpoint src;
    std::vector<std::uint8_t> bytes;
};

struct Decoded {
    std::vector<sip::SipMessage> sip;
    std::vector<ZrtpSeen> zrtp;
    std::vector<RtpSeen> rtp;
};

Decoded decode(const gen::CaptureBuilder& capture) {
    Decoded out;
    net::Decoder decoder;
    zrtp::FragmentAssembler assembler;
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        const capture::Frame frame{++number,    g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()),
                                   g.link_type, 0};
        net::Packet p;
        REQUIRE(decoder.decode(frame, p) == net::DecodeStatus::ok);
        REQUIRE(p.transport == net::Transport::udp);
        if (sip::looks_like_sip(p.payload)) {
            auto parsed = sip::parse_message(p.payload);
            REQUIRE(parsed.ok());
            out.sip.push_back(std::move(parsed).value());
        } else if (zrtp::looks_like_zrtp(p.payload)) {
            zrtp::Packet packet = zrtp::parse_packet(p.payload);
            CHECK((packet.anomalies.empty() || !packet.crc_valid));  // a bad CRC is an anomaly too
            ZrtpSeen seen{p.frame,
                          p.src,
                          packet.header.ssrc,
                          packet.crc_valid,
                          packet.fragment.has_value(),
                          std::move(packet.message)};
            if (packet.fragment) {
                auto assembled = assembler.add(packet.header.ssrc, *packet.fragment);
                CHECK(assembled.anomalies.empty());
                seen.message = std::move(assembled.message);
            }
            out.zrtp.push_back(std::move(seen));
        } else {
            REQUIRE(!p.payload.empty());
            REQUIRE((p.payload[0] & 0xc0) == 0x80);  // RTP version 2: nothing else is sent
            out.rtp.push_back({p.frame, p.src, {p.payload.begin(), p.payload.end()}});
        }
    }
    CHECK(assembler.pending() == 0);
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

/// The first message of that type from that endpoint with a good CRC, or nullptr.
const ZrtpSeen* first(const Decoded& d, zrtp::MessageType type, const util::Endpoint& src) {
    for (const auto& z : d.zrtp) {
        if (z.src == src && z.crc_valid && z.message && z.message->type == type) {
            return &z;
        }
    }
    return nullptr;
}

std::size_t count(const Decoded& d, zrtp::MessageType type, const util::Endpoint& src) {
    return static_cast<std::size_t>(std::count_if(d.zrtp.begin(), d.zrtp.end(), [&](const ZrtpSeen& z) {
        return z.src == src && z.message && z.message->type == type;
    }));
}

/// The a=zrtp-hash values of each m= line of an INVITE (caller) or its 200 OK (callee).
std::vector<std::string> sdp_zrtp_hashes(const Decoded& d, bool caller) {
    for (const auto& m : d.sip) {
        if ((caller && m.is_request && m.method == "INVITE") ||
            (!caller && !m.is_request && m.status_code == 200 && m.cseq && m.cseq->method == "INVITE")) {
            std::vector<std::string> out;
            for (const auto& media : sdp::parse(m.body).media) {
                REQUIRE(media.zrtp_hashes.size() == 1);
                out.push_back(media.zrtp_hashes[0].version + " " + media.zrtp_hashes[0].hash);
            }
            return out;
        }
    }
    return {};
}

/// Check name → outcome of zaudit's verifier over the handshake on one flow.
std::map<std::string, zrtp::CheckOutcome> verify(const Decoded& d, const util::Endpoint& initiator,
                                                 const util::Endpoint& responder) {
    const auto message = [](const ZrtpSeen* z) { return z != nullptr ? &*z->message : nullptr; };
    const zrtp::HandshakeMessages hs{message(first(d, zrtp::MessageType::hello, initiator)),
                                     message(first(d, zrtp::MessageType::hello, responder)),
                                     message(first(d, zrtp::MessageType::commit, initiator)),
                                     message(first(d, zrtp::MessageType::dhpart1, responder)),
                                     message(first(d, zrtp::MessageType::dhpart2, initiator))};
    std::map<std::string, zrtp::CheckOutcome> out;
    for (const auto& verified : zrtp::verify_handshake(hs)) {
        out[std::string{zrtp::to_string(verified.check.id)}] = verified.check.outcome;
    }
    return out;
}

/// The names that failed.
std::vector<std::string> failed(const std::map<std::string, zrtp::CheckOutcome>& checks) {
    std::vector<std::string> out;
    for (const auto& [name, outcome] : checks) {
        if (outcome == zrtp::CheckOutcome::failed) {
            out.push_back(name);
        }
    }
    return out;
}

std::string sha256_hex(util::Bytes b) {
    return util::to_hex(crypto::sha256(b));
}

/// RTP from `src` split by the flow's ZRTP: before Conf2ACK, under SRTP, after ClearACK.
struct MediaPhases {
    std::vector<const RtpSeen*> before, secure, after;
};

MediaPhases phases(const Decoded& d, const util::Endpoint& src, const util::Endpoint& responder) {
    const ZrtpSeen* conf2ack = first(d, zrtp::MessageType::conf2_ack, responder);
    const ZrtpSeen* clear_ack = first(d, zrtp::MessageType::clear_ack, responder);
    MediaPhases out;
    for (const auto& r : d.rtp) {
        if (r.src != src) {
            continue;
        }
        if (conf2ack == nullptr || r.frame < conf2ack->frame) {
            out.before.push_back(&r);
        } else if (clear_ack == nullptr || r.frame < clear_ack->frame) {
            out.secure.push_back(&r);
        } else {
            out.after.push_back(&r);
        }
    }
    return out;
}

/// Outcomes of packets under a key||salt and the suite the wire's Commit names.
srtp::OutcomeCounts srtp_outcomes(const std::vector<const RtpSeen*>& packets, const std::string& auth_tag,
                                  const gen::ZrtpBytes& key, const gen::ZrtpBytes& salt) {
    // RFC 6189 section 5.1.3-5.1.4: AES1 with HS80/HS32 is AES_CM_128_HMAC_SHA1_80/_32.
    const std::string suite = auth_tag == "HS80" ? "AES_CM_128_HMAC_SHA1_80" : "AES_CM_128_HMAC_SHA1_32";
    std::vector<std::uint8_t> key_salt = key;
    key_salt.insert(key_salt.end(), salt.begin(), salt.end());
    auto verifier = srtp::SrtpVerifier::create(suite, key_salt);
    REQUIRE(verifier.has_value());
    for (const auto* p : packets) {
        (void)verifier->unprotect(p->bytes);
    }
    return verifier->rtp_counts();
}

constexpr std::size_t k_clear_g711 = 12 + 160;

bool all_clear(const std::vector<const RtpSeen*>& packets) {
    return std::all_of(packets.begin(), packets.end(),
                       [](const RtpSeen* p) { return p->bytes.size() == k_clear_g711; });
}

/// What every completed scenario shares: CRCs, the handshake's messages on each flow, the SRTP
/// authenticating under the derived keys both ways with the SSRCs of the ZRTP packets.
void check_secure_stream(const Decoded& d, const gen::ZrtpStreamResult& secrets, const util::Endpoint& initiator,
                         const util::Endpoint& responder, std::size_t clear_before) {
    const bool multistream = secrets.dh_result.empty();  // Mult mode: no DHPart1/DHPart2 (4.4.3)
    for (const auto type : {zrtp::MessageType::hello, zrtp::MessageType::hello_ack, zrtp::MessageType::commit,
                            zrtp::MessageType::confirm2}) {
        INFO(zrtp::message_type_name(type));
        CHECK(first(d, type, initiator) != nullptr);
    }
    CHECK((first(d, zrtp::MessageType::dhpart2, initiator) != nullptr) == !multistream);
    for (const auto type : {zrtp::MessageType::hello, zrtp::MessageType::hello_ack, zrtp::MessageType::confirm1,
                            zrtp::MessageType::conf2_ack}) {
        INFO(zrtp::message_type_name(type));
        CHECK(first(d, type, responder) != nullptr);
    }
    CHECK((first(d, zrtp::MessageType::dhpart1, responder) != nullptr) == !multistream);
    const auto& commit = *first(d, zrtp::MessageType::commit, initiator)->message->commit();
    CHECK(commit.cipher == "AES1");
    for (const bool from_initiator : {true, false}) {
        INFO((from_initiator ? "initiator" : "responder"));
        const auto media = phases(d, from_initiator ? initiator : responder, responder);
        CHECK(media.before.size() == clear_before);
        CHECK(all_clear(media.before));
        REQUIRE(!media.secure.empty());
        const auto counts = srtp_outcomes(media.secure, commit.auth_tag,
                                          from_initiator ? secrets.keys.srtp_key_i : secrets.keys.srtp_key_r,
                                          from_initiator ? secrets.keys.srtp_salt_i : secrets.keys.srtp_salt_r);
        CHECK(counts.ok == media.secure.size());
        // The SRTP keeps the SSRC of its sender's ZRTP packets (RFC 6189 section 5).
        const auto* hello = first(d, zrtp::MessageType::hello, from_initiator ? initiator : responder);
        REQUIRE(hello != nullptr);
        const auto& rtp = media.secure.front()->bytes;
        const std::uint32_t ssrc =
            (std::uint32_t{rtp[8]} << 24) | (std::uint32_t{rtp[9]} << 16) | (std::uint32_t{rtp[10]} << 8) | rtp[11];
        CHECK(ssrc == hello->ssrc);
    }
}

struct Built {
    Decoded decoded;
    gen::ZrtpHandshake secrets;
    std::map<std::string, zrtp::CheckOutcome> checks;
};

Built load(std::string_view name) {
    Built b{decode(build(name)), {}, {}};
    auto hs = gen::zrtp_scenario_handshake(name, k_seed);
    REQUIRE(hs.has_value());
    b.secrets = std::move(*hs);
    b.checks = verify(b.decoded, k_caller_audio, k_callee_audio);
    return b;
}

std::size_t bad_crcs(const Decoded& d) {
    return static_cast<std::size_t>(
        std::count_if(d.zrtp.begin(), d.zrtp.end(), [](const ZrtpSeen& z) { return !z.crc_valid; }));
}

/// a=zrtp-hash of each side against SHA-256 of the first Hello that side sent on the audio flow.
std::pair<bool, bool> sdp_hashes_match(const Decoded& d) {
    const auto caller = sdp_zrtp_hashes(d, true);
    const auto callee = sdp_zrtp_hashes(d, false);
    REQUIRE(!caller.empty());
    REQUIRE(!callee.empty());
    const auto* hello_i = first(d, zrtp::MessageType::hello, k_caller_audio);
    const auto* hello_r = first(d, zrtp::MessageType::hello, k_callee_audio);
    REQUIRE(hello_i != nullptr);
    REQUIRE(hello_r != nullptr);
    return {caller[0] == "1.10 " + sha256_hex(hello_i->message->bytes),
            callee[0] == "1.10 " + sha256_hex(hello_r->message->bytes)};
}

const std::vector<std::string> k_none;

}  // namespace

TEST_CASE("zrtp scenarios are deterministic by seed") {
    for (const char* name : {"zrtp-clean-call", "zrtp-multistream", "zrtp-stripped"}) {
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

namespace {

using Outcome = zrtp::CheckOutcome;

/// These checks were made and passed (the rest of the list: failed or not applicable).
void check_passed(const std::map<std::string, Outcome>& checks, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        INFO(name);
        REQUIRE(checks.count(name) == 1);
        CHECK(checks.at(name) == Outcome::passed);
    }
}

std::vector<std::string> names(std::initializer_list<const char*> list) {
    return {list.begin(), list.end()};
}

}  // namespace

TEST_CASE("every zrtp sample is a small pcap of UDP only") {
    for (const auto& s : gen::scenarios()) {
        if (s.name.substr(0, 5) != "zrtp-") {
            continue;
        }
        INFO(s.name);
        const auto capture = s.build(k_seed);
        std::size_t bytes = 24;  // pcap file header, then 16 bytes per record
        for (const auto& f : capture.frames()) {
            bytes += 16 + f.bytes.size();
        }
        CHECK(bytes < 100'000);
        CHECK_FALSE(s.pcapng);
        const Decoded d = decode(capture);  // every frame UDP: SIP, ZRTP or RTP
        // A call's seven SIP messages; the merged vantage sample holds both wires' copies.
        CHECK(d.sip.size() == (s.name == "zrtp-no-sip" ? 0U : s.name == "zrtp-mitm-vantage-merged" ? 14U : 7U));
        CHECK(bad_crcs(d) == (s.name == "zrtp-crc-corrupt" ? 1U : 0U));
    }
}

TEST_CASE("zrtp-clean-call: the genuine handshake passes every check and keys the SRTP") {
    const Built b = load("zrtp-clean-call");
    const Decoded& d = b.decoded;
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
    CHECK(failed(b.checks) == k_none);
    check_passed(b.checks, {"hello_h3", "hello_mac", "responder_hello_h3", "responder_hello_mac", "commit_h2",
                            "commit_mac", "hvi"});
    CHECK(count(d, zrtp::MessageType::hello, k_caller_audio) == 1);
    CHECK(first(d, zrtp::MessageType::hello, k_caller_audio)->message->bytes == b.secrets.main.initiator_hello);
    CHECK(first(d, zrtp::MessageType::commit, k_caller_audio)->message->commit()->auth_tag == "HS80");
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
    CHECK(phases(d, k_caller_audio, k_callee_audio).secure.size() == 60);
}

TEST_CASE("zrtp-clear-before-secure: Hello sent three times, five clear RTP packets each way first") {
    const Built b = load("zrtp-clear-before-secure");
    const Decoded& d = b.decoded;
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
    CHECK(failed(b.checks) == k_none);
    CHECK(count(d, zrtp::MessageType::hello, k_caller_audio) == 3);
    for (const auto& z : d.zrtp) {
        if (z.src == k_caller_audio && z.message->type == zrtp::MessageType::hello) {
            CHECK(z.message->bytes == b.secrets.main.initiator_hello);  // retransmissions: the same message
        }
    }
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 5);
}

TEST_CASE("zrtp-hello-tampered: only the Hello MAC fails, the SDP hashes the Hello as sent") {
    const Built b = load("zrtp-hello-tampered");
    const Decoded& d = b.decoded;
    CHECK(failed(b.checks) == names({"hello_mac"}));
    CHECK(b.checks.at("hello_h3") == Outcome::passed);
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
    CHECK(first(d, zrtp::MessageType::hello, k_caller_audio)->message->bytes != b.secrets.main.initiator_hello);
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-hello-forged-h3: H3 and the MAC fail, the SDP names the genuine Hello") {
    const Built b = load("zrtp-hello-forged-h3");
    const Decoded& d = b.decoded;
    CHECK(failed(b.checks) == names({"hello_h3", "hello_mac"}));
    CHECK(sdp_hashes_match(d) == std::pair{false, true});
    CHECK(sdp_zrtp_hashes(d, true)[0] == "1.10 " + sha256_hex(b.secrets.main.initiator_hello));
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-mitm-dhpart2: only hvi fails, the SRTP is keyed by the attacker's leg") {
    const Built b = load("zrtp-mitm-dhpart2");
    CHECK(failed(b.checks) == names({"hvi"}));
    check_passed(b.checks, {"hello_mac", "responder_hello_mac", "commit_h2", "commit_mac"});
    CHECK(sdp_hashes_match(b.decoded) == std::pair{true, true});
    check_secure_stream(b.decoded, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-hash-chain-broken: SHA-256(H1) != H2 and the Commit MAC fails") {
    const Built b = load("zrtp-hash-chain-broken");
    CHECK(failed(b.checks) == names({"commit_h2", "commit_mac"}));
    check_passed(b.checks, {"hello_h3", "hello_mac", "hvi"});
    CHECK(sdp_hashes_match(b.decoded) == std::pair{true, true});
    check_secure_stream(b.decoded, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-sdp-hash-mismatch: the callee's a=zrtp-hash is of another Hello") {
    const Built b = load("zrtp-sdp-hash-mismatch");
    CHECK(failed(b.checks) == k_none);
    CHECK(sdp_hashes_match(b.decoded) == std::pair{true, false});
    const auto* hello = first(b.decoded, zrtp::MessageType::hello, k_callee_audio);
    CHECK(zrtp::check_zrtp_hash(*hello->message, sdp_zrtp_hashes(b.decoded, false)[0]).outcome == Outcome::failed);
    CHECK(zrtp::check_zrtp_hash(*hello->message, sdp_zrtp_hashes(b.decoded, true)[0]).outcome == Outcome::failed);
    check_secure_stream(b.decoded, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-goclear: SRTP, GoClear and ClearACK, then clear RTP on the same SSRCs") {
    const Built b = load("zrtp-goclear");
    const Decoded& d = b.decoded;
    CHECK(failed(b.checks) == k_none);
    REQUIRE(first(d, zrtp::MessageType::go_clear, k_caller_audio) != nullptr);
    REQUIRE(first(d, zrtp::MessageType::clear_ack, k_callee_audio) != nullptr);
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
    for (const auto& src : {k_caller_audio, k_callee_audio}) {
        const auto media = phases(d, src, k_callee_audio);
        CHECK(media.after.size() == 30);
        CHECK(all_clear(media.after));
        CHECK(media.after.front()->bytes[8] == media.secure.front()->bytes[8]);  // the same SSRC goes on
    }
}

TEST_CASE("zrtp-error: Error 0x62 answers the Commit, ErrorACK, no keys and no media") {
    const Built b = load("zrtp-error");
    const Decoded& d = b.decoded;
    const auto* error = first(d, zrtp::MessageType::error, k_callee_audio);
    REQUIRE(error != nullptr);
    CHECK(error->message->error()->code == 0x62);
    CHECK(first(d, zrtp::MessageType::error_ack, k_caller_audio) != nullptr);
    CHECK(first(d, zrtp::MessageType::dhpart1, k_callee_audio) == nullptr);
    CHECK(first(d, zrtp::MessageType::conf2_ack, k_callee_audio) == nullptr);
    CHECK(failed(b.checks) == k_none);
    CHECK(b.checks.at("hvi") == Outcome::not_verifiable);
    CHECK(d.rtp.empty());
    CHECK_FALSE(b.secrets.main.completed);
}

TEST_CASE("zrtp-stripped: both SDPs offer ZRTP, only the caller's Hellos show, plain RTP flows") {
    const Built b = load("zrtp-stripped");
    const Decoded& d = b.decoded;
    CHECK(sdp_zrtp_hashes(d, true)[0] == "1.10 " + sha256_hex(b.secrets.main.initiator_hello));
    CHECK(sdp_zrtp_hashes(d, false)[0] == "1.10 " + sha256_hex(b.secrets.main.responder_hello));
    CHECK(count(d, zrtp::MessageType::hello, k_caller_audio) == 8);
    CHECK(d.zrtp.size() == 8);  // nothing else, nothing from the callee
    for (const auto& src : {k_caller_audio, k_callee_audio}) {
        const auto media = phases(d, src, k_callee_audio);
        CHECK(media.before.size() == 60);
        CHECK(all_clear(media.before));
    }
}

TEST_CASE("zrtp-pbx-mitm: the callee's Hello has the M flag and it relays a SAS") {
    const Built b = load("zrtp-pbx-mitm");
    const Decoded& d = b.decoded;
    CHECK(failed(b.checks) == k_none);
    CHECK(first(d, zrtp::MessageType::hello, k_callee_audio)->message->hello()->mitm);
    CHECK_FALSE(first(d, zrtp::MessageType::hello, k_caller_audio)->message->hello()->mitm);
    CHECK(first(d, zrtp::MessageType::sas_relay, k_callee_audio) != nullptr);
    CHECK(first(d, zrtp::MessageType::relay_ack, k_caller_audio) != nullptr);
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-multistream: DH on audio, Mult on video, each m= line hashes its own Hello") {
    const Built b = load("zrtp-multistream");
    const Decoded& d = b.decoded;
    REQUIRE(b.secrets.second.has_value());
    CHECK(failed(b.checks) == k_none);
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
    const auto video_checks = verify(d, k_caller_video, k_callee_video);
    CHECK(failed(video_checks) == k_none);
    check_passed(video_checks, {"hello_h3", "hello_mac"});
    const auto* video_commit = first(d, zrtp::MessageType::commit, k_caller_video);
    CHECK(video_commit->message->commit()->mode == zrtp::CommitMode::multistream);
    check_secure_stream(d, *b.secrets.second, k_caller_video, k_callee_video, 0);
    const auto caller = sdp_zrtp_hashes(d, true);
    const auto callee = sdp_zrtp_hashes(d, false);
    REQUIRE(caller.size() == 2);
    REQUIRE(callee.size() == 2);
    CHECK(caller[1] == "1.10 " + sha256_hex(first(d, zrtp::MessageType::hello, k_caller_video)->message->bytes));
    CHECK(callee[1] == "1.10 " + sha256_hex(first(d, zrtp::MessageType::hello, k_callee_video)->message->bytes));
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
}

TEST_CASE("zrtp-crc-corrupt: one Commit with a bad CRC, then a good copy") {
    const Built b = load("zrtp-crc-corrupt");
    const Decoded& d = b.decoded;
    CHECK(bad_crcs(d) == 1);
    const auto bad = std::find_if(d.zrtp.begin(), d.zrtp.end(), [](const ZrtpSeen& z) { return !z.crc_valid; });
    CHECK(bad->message->type == zrtp::MessageType::commit);
    CHECK(count(d, zrtp::MessageType::commit, k_caller_audio) == 2);
    CHECK(bad->message->bytes == first(d, zrtp::MessageType::commit, k_caller_audio)->message->bytes);
    CHECK(failed(b.checks) == k_none);
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-retransmit-changed: the caller's second Hello differs from its first") {
    const Built b = load("zrtp-retransmit-changed");
    const Decoded& d = b.decoded;
    std::vector<std::vector<std::uint8_t>> hellos;
    for (const auto& z : d.zrtp) {
        if (z.src == k_caller_audio && z.message->type == zrtp::MessageType::hello) {
            hellos.push_back(z.message->bytes);
        }
    }
    REQUIRE(hellos.size() == 3);  // the early copy, the Hello, the changed one
    CHECK(hellos[0] == hellos[1]);
    CHECK(hellos[1] == b.secrets.main.initiator_hello);
    CHECK(hellos[2] != hellos[1]);
    CHECK(failed(b.checks) == k_none);
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-fragmented: large messages in bzrtp fragments reassemble into the genuine handshake") {
    const Built b = load("zrtp-fragmented");
    const Decoded& d = b.decoded;
    const auto fragments = std::count_if(d.zrtp.begin(), d.zrtp.end(), [](const ZrtpSeen& z) { return z.fragment; });
    CHECK(fragments > 4);
    for (const auto type : {zrtp::MessageType::dhpart1, zrtp::MessageType::hello}) {
        const auto* z = first(d, type, k_callee_audio);
        REQUIRE(z != nullptr);
        CHECK(z->fragment);  // reassembled from pieces
    }
    CHECK(failed(b.checks) == k_none);
    check_passed(b.checks, {"hello_h3", "hello_mac", "responder_hello_h3", "responder_hello_mac", "commit_h2",
                            "commit_mac", "hvi"});
    CHECK(sdp_hashes_match(d) == std::pair{true, true});
    check_secure_stream(d, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-dh2k: the handshake completes with DH2k") {
    const Built b = load("zrtp-dh2k");
    CHECK(first(b.decoded, zrtp::MessageType::commit, k_caller_audio)->message->commit()->key_agreement == "DH2k");
    CHECK(first(b.decoded, zrtp::MessageType::dhpart1, k_callee_audio)->message->dhpart()->pv.size() == 256);
    CHECK(failed(b.checks) == k_none);
    check_secure_stream(b.decoded, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-no-sip: a complete handshake and SRTP with no signalling") {
    const Built b = load("zrtp-no-sip");
    CHECK(b.decoded.sip.empty());
    CHECK(failed(b.checks) == k_none);
    check_secure_stream(b.decoded, b.secrets.main, k_caller_audio, k_callee_audio, 0);
}

TEST_CASE("zrtp-hello-edited-contention: two Commits, and the callee's Hello as sent and as edited") {
    for (const std::string_view name : {"zrtp-hello-edited-contention", "zrtp-hello-edited-contention-skewed"}) {
        INFO(name);
        const Decoded d = decode(build(name));
        std::vector<const ZrtpSeen*> callee_hellos;
        for (const auto& z : d.zrtp) {
            if (z.src == k_callee_audio && z.message->type == zrtp::MessageType::hello &&
                (callee_hellos.empty() || callee_hellos.front()->message->bytes != z.message->bytes)) {
                callee_hellos.push_back(&z);
            }
        }
        REQUIRE(callee_hellos.size() == 2);  // two distinct copies, one per tap
        const auto* caller_commit = first(d, zrtp::MessageType::commit, k_caller_audio);
        const auto* callee_commit = first(d, zrtp::MessageType::commit, k_callee_audio);
        REQUIRE(caller_commit != nullptr);
        REQUIRE(callee_commit != nullptr);  // contention: both endpoints commit
        const auto* caller_hello = first(d, zrtp::MessageType::hello, k_caller_audio);
        REQUIRE(caller_hello != nullptr);
        CHECK(zrtp::check_hello_mac(*caller_hello->message, *caller_commit->message).outcome ==
              zrtp::CheckOutcome::passed);
        const auto without_aes3 = [](const ZrtpSeen* hello) {
            const auto& ciphers = hello->message->hello()->ciphers;
            return std::find(ciphers.begin(), ciphers.end(), "AES3") == ciphers.end();
        };
        // The copy without AES3 fails the MAC under the H2 of the callee's Commit, the other passes;
        // both keep the callee's H3, so hello_h3 passes for both.
        std::size_t edited = 0;
        for (const auto* hello : callee_hellos) {
            const bool stripped = without_aes3(hello);
            edited += stripped ? 1 : 0;
            CHECK(zrtp::check_hello_mac(*hello->message, *callee_commit->message).outcome ==
                  (stripped ? zrtp::CheckOutcome::failed : zrtp::CheckOutcome::passed));
            CHECK(zrtp::check_hello_h3(*hello->message, *callee_commit->message).outcome == zrtp::CheckOutcome::passed);
        }
        CHECK(edited == 1);
        CHECK(without_aes3(callee_hellos.front()) == (name == "zrtp-hello-edited-contention-skewed"));
        CHECK(first(d, zrtp::MessageType::conf2_ack, k_callee_audio) == nullptr);  // the handshake stalls
    }
}

TEST_CASE("zrtp-mitm-vantage: each wire holds a complete handshake that verifies, with other identities per wire") {
    const util::Endpoint box_a = ep("203.0.113.66", 30000);
    const util::Endpoint box_b = ep("203.0.113.66", 30002);
    const Decoded a = decode(build("zrtp-mitm-vantage-a"));
    const Decoded b = decode(build("zrtp-mitm-vantage-b"));
    const Decoded merged = decode(build("zrtp-mitm-vantage-merged"));
    // Each leg alone: every check passes, and each SDP's a=zrtp-hash names the Hello sent on that wire.
    for (const auto& [d, initiator, responder] :
         {std::tuple{&a, k_caller_audio, box_a}, std::tuple{&b, box_b, k_callee_audio}}) {
        const auto checks = verify(*d, initiator, responder);
        CHECK(failed(checks) == k_none);
        check_passed(checks, {"hello_h3", "hello_mac", "responder_hello_h3", "responder_hello_mac", "commit_h2",
                              "commit_mac", "hvi"});
        CHECK(count(*d, zrtp::MessageType::conf2_ack, responder) == 1);
        const auto* hello_i = first(*d, zrtp::MessageType::hello, initiator);
        const auto* hello_r = first(*d, zrtp::MessageType::hello, responder);
        REQUIRE((hello_i != nullptr && hello_r != nullptr));
        CHECK(sdp_zrtp_hashes(*d, true) == std::vector<std::string>{"1.10 " + sha256_hex(hello_i->message->bytes)});
        CHECK(sdp_zrtp_hashes(*d, false) == std::vector<std::string>{"1.10 " + sha256_hex(hello_r->message->bytes)});
        CHECK(phases(*d, initiator, responder).secure.size() == 25);
    }
    // The box answers with identities of its own: no ZID is on both wires.
    const auto zid = [](const Decoded& d, const util::Endpoint& src) {
        return util::to_hex(first(d, zrtp::MessageType::hello, src)->message->hello()->zid);
    };
    const std::set<std::string> on_a{zid(a, k_caller_audio), zid(a, box_a)};
    const std::set<std::string> on_b{zid(b, box_b), zid(b, k_callee_audio)};
    CHECK(on_a.size() == 2);
    CHECK(on_b.size() == 2);
    for (const auto& z : on_a) {
        CHECK(on_b.count(z) == 0);
    }
    // One call: the same Call-ID on both wires; the merged capture is both wires, frame for frame.
    REQUIRE((!a.sip.empty() && !b.sip.empty()));
    CHECK(a.sip.front().call_id == b.sip.front().call_id);
    CHECK(merged.sip.size() == a.sip.size() + b.sip.size());
    CHECK(merged.zrtp.size() == a.zrtp.size() + b.zrtp.size());
    CHECK(merged.rtp.size() == a.rtp.size() + b.rtp.size());
}
