// zrtp-mitm-vantage-{a,b,merged}: a box that terminates ZRTP, seen from both sides of it.
//
// The story: alice (192.0.2.10) calls bob (198.51.100.20) through 203.0.113.66, a SIP proxy
// (Via, Record-Route; the Call-ID passes through) that also anchors the media, as an SBC does:
// it rewrites each SDP's c=/m= to its own ports (30000 towards alice, 30002 towards bob). Unlike
// a media relay that forwards ZRTP, this box answers ZRTP itself: towards alice it plays bob,
// towards bob it plays alice, each time with a ZID, hash chain and DH key pair of its own, and
// it rewrites each SDP's a=zrtp-hash to the hash of the Hello it sends on that side. So each
// leg holds a complete, genuine handshake (hash chain, MACs, hvi, a=zrtp-hash all verify) and
// SRTP under that leg's keys: either capture alone looks clean. Only the two views together
// show that alice and bob never keyed with each other (their SAS would differ, if compared).
//
// -a is alice's wire (alice and the box), -b bob's wire (the box and bob), -merged both taps
// merged by time (one clock). The three files share every value: one call, seen three ways.
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "scenarios.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

constexpr std::int64_t k_ms = 1'000;
constexpr std::int64_t k_hop = 5 * k_ms;  // one network crossing between the box and a phone

ZrtpEndpointConfig endpoint(SeededBytes& random, std::string client_id, bool initiator) {
    ZrtpEndpointConfig c;
    const ByteVector zid = random.bytes(c.zid.size());
    std::copy(zid.begin(), zid.end(), c.zid.begin());
    c.client_id = std::move(client_id);
    c.ssrc = random.u32();
    c.seed = (std::uint64_t{random.u32()} << 32) | random.u32();
    if (initiator) {
        c.auth_tags = {"HS80", "HS32"};  // the initiator's first choice: 80-bit SRTP tags
    }
    return c;
}

/// One leg: its two media endpoints and the handshake run on it (the first side initiates).
struct Leg {
    util::Endpoint initiator;
    util::Endpoint responder;
    ZrtpEndpointConfig initiator_config;
    ZrtpEndpointConfig responder_config;
    ZrtpHandshake handshake;
};

Leg run_leg(util::Endpoint initiator, util::Endpoint responder, ZrtpEndpointConfig i, ZrtpEndpointConfig r) {
    auto run = ZrtpHandshakeGenerator{i, r}.run();
    if (!run) {
        throw std::logic_error{run.error().message};
    }
    return Leg{initiator, responder, std::move(i), std::move(r), std::move(*run)};
}

std::string sdp(SeededBytes& random, const util::Endpoint& media, const ZrtpBytes& hello) {
    SdpSpec spec;
    spec.session_id = random.u32();
    spec.session_version = spec.session_id;
    spec.address = media.address;
    spec.port = media.port;
    spec.zrtp_hash = "1.10 " + util::to_hex(crypto::sha256(hello));
    return build_sdp(spec);
}

std::shared_ptr<SrtpSender> srtp_sender(const ZrtpStreamResult& stream, bool initiator) {
    ByteVector key_salt = initiator ? stream.keys.srtp_key_i : stream.keys.srtp_key_r;
    const auto& salt = initiator ? stream.keys.srtp_salt_i : stream.keys.srtp_salt_r;
    key_salt.insert(key_salt.end(), salt.begin(), salt.end());
    // AES1 with HS80 (RFC 6189 section 7.1): what both legs negotiate.
    auto sender = SrtpSender::create("AES_CM_128_HMAC_SHA1_80", key_salt);
    if (!sender) {
        throw std::logic_error{sender.error().message};
    }
    return std::make_shared<SrtpSender>(std::move(*sender));
}

/// The leg's ZRTP packets from t (1 ms between a side's own packets, a crossing between turns),
/// then 0.5 s of SRTP each way under the leg's keys on the SSRCs ZRTP named. Returns the end.
std::int64_t run_media(CaptureBuilder& capture, SeededBytes& random, const Leg& leg, std::int64_t t) {
    const ZrtpStreamResult& stream = leg.handshake.main;
    if (!stream.completed || stream.algorithms.cipher != "AES1" || stream.algorithms.auth_tag != "HS80") {
        throw std::logic_error{"the vantage legs run AES1/HS80 to Conf2ACK"};
    }
    std::optional<bool> last_from_initiator;
    for (const ZrtpWirePacket& packet : stream.packets) {
        if (last_from_initiator) {
            t += *last_from_initiator == packet.from_initiator ? k_ms : k_hop;
        }
        last_from_initiator = packet.from_initiator;
        capture.add_udp(at(t), packet.from_initiator ? leg.initiator : leg.responder,
                        packet.from_initiator ? leg.responder : leg.initiator, packet.udp_payload);
    }
    MediaDirection forward = media_direction(random, leg.initiator, leg.responder, srtp_sender(stream, true));
    MediaDirection backward = media_direction(random, leg.responder, leg.initiator, srtp_sender(stream, false));
    forward.ssrc = leg.initiator_config.ssrc;  // ZRTP keys the stream its packets named (section 5)
    backward.ssrc = leg.responder_config.ssrc;
    return add_g711_media(capture, at(t + 15 * k_ms), 25, forward, backward).micros - k_start;
}

RequestSpec request(SeededBytes& random, std::string method, std::uint32_t cseq, bool in_dialog) {
    RequestSpec spec;
    spec.method = std::move(method);
    spec.cseq = cseq;
    spec.branch = sip_branch(random);
    spec.in_dialog = in_dialog;
    return spec;
}

/// Both legs, each into its own capture (leg A: alice's wire, leg B: bob's wire).
struct Wires {
    CaptureBuilder a;
    CaptureBuilder b;
};

Wires build_wires(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "zrtp-mitm-vantage");
    const util::Endpoint box_sip = ep("203.0.113.66", 5060);
    // Leg A: alice initiates towards the box posing as bob; leg B: the box, posing as alice,
    // initiates towards bob. Client ids copied from the phones: ZRTP does not authenticate them.
    Leg leg_a = run_leg(ep("192.0.2.10", 40000), ep("203.0.113.66", 30000), endpoint(random, "ExamplePhone 2.1", true),
                        endpoint(random, "ExampleDesk 7.4", false));
    Leg leg_b = run_leg(ep("203.0.113.66", 30002), ep("198.51.100.20", 50000),
                        endpoint(random, "ExamplePhone 2.1", true), endpoint(random, "ExampleDesk 7.4", false));
    Wires wires;
    SipParty caller{"alice", "Alice", ep("192.0.2.10", 5060), sip_tag(random), "ExamplePhone/2.1"};
    SipParty callee{"bob", "Bob", ep("198.51.100.20", 5060), sip_tag(random), "ExampleDesk/7.4"};
    const DialogSpec dialog{caller, callee, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    SignalingLink hop1{wires.a, random, caller.signaling, box_sip, SipTransport::udp};
    SignalingLink hop2{wires.b, random, box_sip, callee.signaling, SipTransport::udp};
    const std::string record_route = "<sip:203.0.113.66;lr>";
    const auto via = [&] { return fmt::format("SIP/2.0/UDP 203.0.113.66:5060;branch={}", sip_branch(random)); };

    RequestSpec invite1 = request(random, "INVITE", 1, false);
    invite1.sdp = sdp(random, leg_a.initiator, leg_a.handshake.main.initiator_hello);
    RequestSpec invite2 = invite1;  // as the box forwards it: its Via, its media, its Hello's hash
    invite2.sdp = sdp(random, leg_b.initiator, leg_b.handshake.main.initiator_hello);
    invite2.proxy_vias = {via()};
    invite2.record_routes = {record_route};
    RequestSpec invite1_back = invite1;  // responses reach alice with the box's Record-Route
    invite1_back.record_routes = {record_route};
    hop1.send(at(0), true, build_request(dialog, invite1));
    hop1.send(at(3 * k_ms), false, build_response(dialog, invite1, 100, "Trying"));
    hop2.send(at(5 * k_ms), true, build_request(dialog, invite2));
    hop2.send(at(9 * k_ms), false, build_response(dialog, invite2, 100, "Trying"));
    hop2.send(at(45 * k_ms), false, build_response(dialog, invite2, 180, "Ringing"));
    hop1.send(at(46 * k_ms), false, build_response(dialog, invite1_back, 180, "Ringing"));
    hop2.send(
        at(900 * k_ms), false,
        build_response(dialog, invite2, 200, "OK", sdp(random, leg_b.responder, leg_b.handshake.main.responder_hello)));
    hop1.send(at(901 * k_ms), false,
              build_response(dialog, invite1_back, 200, "OK",
                             sdp(random, leg_a.responder, leg_a.handshake.main.responder_hello)));
    // In-dialog requests go through the box (Route on leg A, its Via on leg B).
    const auto through_box = [&](std::string method, std::uint32_t cseq, std::int64_t when) {
        RequestSpec first = request(random, std::move(method), cseq, true);
        first.routes = {record_route};
        RequestSpec second = first;
        second.routes.clear();
        second.proxy_vias = {via()};
        hop1.send(at(when), true, build_request(dialog, first));
        hop2.send(at(when + k_ms), true, build_request(dialog, second));
        return std::pair{first, second};
    };
    through_box("ACK", 1, 910 * k_ms);
    const std::int64_t end_a = run_media(wires.a, random, leg_a, 925 * k_ms);
    const std::int64_t end_b = run_media(wires.b, random, leg_b, 931 * k_ms);
    const std::int64_t bye_at = std::max(end_a, end_b) + 20 * k_ms;
    const auto [bye1, bye2] = through_box("BYE", 2, bye_at);
    hop2.send(at(bye_at + 5 * k_ms), false, build_response(dialog, bye2, 200, "OK"));
    hop1.send(at(bye_at + 6 * k_ms), false, build_response(dialog, bye1, 200, "OK"));
    return wires;
}

enum class View : std::uint8_t { a, b, merged };

CaptureBuilder build(std::uint64_t seed, View view) {
    Wires wires = build_wires(seed);
    CaptureBuilder out;
    if (view != View::b) {
        out.frames() = std::move(wires.a.frames());
    }
    if (view != View::a) {
        auto& frames = wires.b.frames();
        out.frames().insert(out.frames().end(), frames.begin(), frames.end());
    }
    // Frames were added leg by leg and stream by stream: back in time order (stable, so equal
    // times keep leg A first), as mergecap merges two taps.
    std::stable_sort(out.frames().begin(), out.frames().end(),
                     [](const GeneratedFrame& x, const GeneratedFrame& y) { return x.time.micros < y.time.micros; });
    return out;
}

}  // namespace

CaptureBuilder zrtp_mitm_vantage_a(std::uint64_t seed) {
    return build(seed, View::a);
}

CaptureBuilder zrtp_mitm_vantage_b(std::uint64_t seed) {
    return build(seed, View::b);
}

CaptureBuilder zrtp_mitm_vantage_merged(std::uint64_t seed) {
    return build(seed, View::merged);
}

}  // namespace zaudit::gen::scenario_builders
