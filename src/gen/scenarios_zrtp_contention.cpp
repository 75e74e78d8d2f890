// zrtp-hello-edited-contention: a box in the media path edits one endpoint's Hello while both
// endpoints send a Commit (RFC 6189 section 4.2, Commit contention, as every linphone call
// does), and the capture holds both sides of the box. Real stacks cannot be made to do this,
// so the scenario builds the messages itself with real hash chains, MACs, DH values and hvi.
//
// The story: alice (192.0.2.10:40000) and bob (198.51.100.20:50000) both offer AES3 and AES1.
// The box strips AES3 from bob's Hello on its way to alice (a cipher downgrade); it cannot
// recompute the Hello MAC (keyed by bob's H2, still secret), so it keeps bob's. Both endpoints
// send a Commit: alice's picks AES1 (what she saw), bob's AES3. Alice checks bob's Hello under
// the H2 of bob's Commit (section 9), the MAC fails, and she ignores bob from then on; the
// endpoint with the lower hvi yields (4.2) and, when that is bob, answers alice's Commit with a
// DHPart1 that she ignores as well. Nothing more happens: the handshake stalls, both sides
// retransmit (T2: 150 ms doubling), and alice hangs up. The SDP a=zrtp-hash of both endpoints
// is genuine: the box edits media only.
//
// Two taps, one on each side of the box (a transparent bridge: addresses unchanged), merged
// into one capture: every ZRTP packet is there twice, bob's Hello once as sent and once as
// edited. In zrtp-hello-edited-contention the taps' clocks agree, so the original comes first;
// in zrtp-hello-edited-contention-skewed the clock of alice's tap runs 40 ms behind, so the
// edited copy comes first.
#include <algorithm>
#include <stdexcept>

#include "scenarios.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/crypto/key_agreement.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/gen/zrtp_handshake.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

constexpr std::int64_t k_ms = 1'000;
constexpr std::int64_t k_crossing = 20 * k_ms;  // alice to bob, through the box
constexpr std::int64_t k_box = 2 * k_ms;        // from one tap to the other

/// One endpoint of the ZRTP stream: its hash chain (section 9), DH key pair, Hello and Commit.
struct Side {
    ZrtpEndpointConfig config;
    ZrtpHashChain chain;
    crypto::KeyPair pair;
    ZrtpBytes hello;
    std::uint16_t sequence = 0;
    bool from_alice = true;
};

Side make_side(SeededBytes& random, std::string client_id, bool from_alice) {
    Side s;
    const ByteVector zid = random.bytes(s.config.zid.size());
    std::copy(zid.begin(), zid.end(), s.config.zid.begin());
    s.config.client_id = std::move(client_id);
    s.config.ssrc = random.u32();
    s.config.ciphers = {"AES3", "AES1"};
    s.config.auth_tags = {"HS80", "HS32"};
    s.config.key_agreements = {"DH3k", "Mult"};
    const ByteVector h0 = random.bytes(32);
    std::copy(h0.begin(), h0.end(), s.chain.h0.begin());
    s.chain.h1 = crypto::sha256(s.chain.h0);
    s.chain.h2 = crypto::sha256(s.chain.h1);
    s.chain.h3 = crypto::sha256(s.chain.h2);
    const auto ka = crypto::KeyAgreementAlgorithm::dh3k;
    auto pair = crypto::key_pair_from_private(ka, random.bytes(crypto::private_key_size(ka)));
    if (!pair) {
        throw std::logic_error{"DH3k key pair"};
    }
    s.pair = std::move(*pair);
    s.hello = zrtp_hello_message(zrtp_hello_fields(s.config, s.chain.h3), s.chain.h2);
    s.sequence = static_cast<std::uint16_t>(1 + (random.u16() & 0x3FFF));
    s.from_alice = from_alice;
    return s;
}

ZrtpDhPartFields dhpart(SeededBytes& random, const Side& s, bool part2) {
    ZrtpDhPartFields f;
    f.part2 = part2;
    f.h1 = s.chain.h1;
    for (auto* id : {&f.rs1_id, &f.rs2_id, &f.auxsecret_id, &f.pbxsecret_id}) {
        const ByteVector bytes = random.bytes(id->size());  // no cached secrets (section 4.3.1)
        std::copy(bytes.begin(), bytes.end(), id->begin());
    }
    f.pv = s.pair.public_value;
    return f;
}

/// The Commit `s` sends, choosing `cipher`, with hvi over its own DHPart2 and the peer's Hello
/// as it received it (section 4.4.1.1).
ZrtpBytes commit(const Side& s, const ZrtpBytes& dhpart2, const ZrtpBytes& peer_hello, std::string cipher) {
    ZrtpBytes data = dhpart2;
    data.insert(data.end(), peer_hello.begin(), peer_hello.end());
    const auto digest = crypto::sha256(data);
    ZrtpBytes hvi(digest.begin(), digest.end());
    const ZrtpCommitFields fields{s.chain.h2, s.config.zid, "S256", std::move(cipher), "HS80", "DH3k", "B32 ", hvi};
    return zrtp_commit_message(fields, s.chain.h1);
}

/// bob's Hello without AES3, its genuine MAC kept: the box does not know bob's H2.
ZrtpBytes strip_aes3(const Side& bob) {
    ZrtpHelloFields fields = zrtp_hello_fields(bob.config, bob.chain.h3);
    std::erase(fields.ciphers, "AES3");
    ZrtpBytes edited = zrtp_hello_message(fields, ZrtpBytes(32, 0));
    std::copy(bob.hello.end() - 8, bob.hello.end(), edited.end() - 8);
    return edited;
}

struct Taps {
    CaptureBuilder& capture;
    util::Endpoint alice;
    util::Endpoint bob;
    std::int64_t alice_tap_skew = 0;  ///< added to the times alice's tap writes

    /// One packet sent at t by `from`, captured by the sender's tap and, k_box later, by the
    /// other one; `edited` is what leaves the box when it differs from what entered it.
    void send(std::int64_t t, Side& from, util::Bytes message, util::Bytes edited = {}) {
        const ZrtpBytes packet = zrtp_packet(from.sequence, from.config.ssrc, message);
        const ZrtpBytes out = edited.empty() ? packet : zrtp_packet(from.sequence, from.config.ssrc, edited);
        ++from.sequence;
        const util::Endpoint& src = from.from_alice ? alice : bob;
        const util::Endpoint& dst = from.from_alice ? bob : alice;
        const std::int64_t at_alice = from.from_alice ? t : t + k_box;
        const std::int64_t at_bob = from.from_alice ? t + k_box : t;
        capture.add_udp(at(at_alice + alice_tap_skew), src, dst, from.from_alice ? util::Bytes{packet} : out);
        capture.add_udp(at(at_bob), src, dst, packet);
    }
};

struct SipCall {
    DialogSpec dialog;
    RequestSpec invite;
};

RequestSpec request(SeededBytes& random, std::string method, std::uint32_t cseq, bool in_dialog) {
    RequestSpec spec;
    spec.method = std::move(method);
    spec.cseq = cseq;
    spec.branch = sip_branch(random);
    spec.in_dialog = in_dialog;
    return spec;
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

CaptureBuilder build(std::string_view name, std::uint64_t seed, std::int64_t alice_tap_skew) {
    SeededBytes random = SeededBytes::for_scenario(seed, name);
    Side alice = make_side(random, "ExamplePhone 2.1", true);
    Side bob = make_side(random, "ExampleDesk 7.4", false);
    CaptureBuilder capture;
    Taps taps{capture, ep("192.0.2.10", 40000), ep("198.51.100.20", 50000), alice_tap_skew};

    // SIP over UDP, seen by alice's tap only (the box bridges media, not signalling).
    SipParty caller{"alice", "Alice", ep("192.0.2.10", 5060), sip_tag(random), "ExamplePhone/2.1"};
    SipParty callee{"bob", "Bob", ep("198.51.100.20", 5060), sip_tag(random), "ExampleDesk/7.4"};
    SipCall call{DialogSpec{caller, callee, sip_call_id(random, "192.0.2.10"), SipTransport::udp}, {}};
    SignalingLink link{capture, random, caller.signaling, callee.signaling, SipTransport::udp};
    call.invite = request(random, "INVITE", 1, false);
    call.invite.sdp = sdp(random, taps.alice, alice.hello);
    link.send(at(0), true, build_request(call.dialog, call.invite));
    link.send(at(4 * k_ms), false, build_response(call.dialog, call.invite, 100, "Trying"));
    link.send(at(40 * k_ms), false, build_response(call.dialog, call.invite, 180, "Ringing"));
    link.send(at(900 * k_ms), false,
              build_response(call.dialog, call.invite, 200, "OK", sdp(random, taps.bob, bob.hello)));
    link.send(at(908 * k_ms), true, build_request(call.dialog, request(random, "ACK", 1, true)));

    // Hellos and HelloACKs both ways; bob's Hello edited by the box.
    const ZrtpBytes edited = strip_aes3(bob);
    const std::int64_t t0 = 923 * k_ms;
    taps.send(t0, alice, alice.hello);
    taps.send(t0 + 3 * k_ms, bob, bob.hello, edited);
    taps.send(t0 + 3 * k_ms + k_crossing, alice, zrtp_ack_message("HelloACK"));
    taps.send(t0 + k_crossing, bob, zrtp_ack_message("HelloACK"));

    // Commit contention: each Commit's hvi covers the peer's Hello as its sender received it.
    const ZrtpBytes alice_dhpart2 = zrtp_dhpart_message(dhpart(random, alice, true), alice.chain.h0);
    const ZrtpBytes bob_dhpart2 = zrtp_dhpart_message(dhpart(random, bob, true), bob.chain.h0);
    const ZrtpBytes alice_commit = commit(alice, alice_dhpart2, edited, "AES1");
    const ZrtpBytes bob_commit = commit(bob, bob_dhpart2, alice.hello, "AES3");
    const std::int64_t t_commit = t0 + 3 * k_ms + 2 * k_crossing;
    taps.send(t_commit, alice, alice_commit);
    taps.send(t_commit + 1 * k_ms, bob, bob_commit);
    // The lower hvi yields (section 4.2): bob answers alice's Commit with DHPart1 when his is
    // lower; alice never answers, having found bob's Hello MAC wrong under his Commit's H2.
    const util::Bytes alice_hvi = util::Bytes{alice_commit}.subspan(12 + 32 + 12 + 20, 32);
    const util::Bytes bob_hvi = util::Bytes{bob_commit}.subspan(12 + 32 + 12 + 20, 32);
    const bool bob_yields =
        std::lexicographical_compare(bob_hvi.begin(), bob_hvi.end(), alice_hvi.begin(), alice_hvi.end());
    ZrtpBytes bob_next = bob_commit;
    if (bob_yields) {
        bob_next = zrtp_dhpart_message(dhpart(random, bob, false), bob.chain.h0);
        taps.send(t_commit + 1 * k_ms + k_crossing, bob, bob_next);
    }
    std::int64_t backoff = 150 * k_ms;
    std::int64_t t = t_commit;
    for (int n = 0; n < 4; ++n) {
        t += backoff;
        taps.send(t, alice, alice_commit);
        taps.send(t + k_crossing + 1 * k_ms, bob, bob_next);
        backoff *= 2;
    }
    const std::int64_t end = t + 500 * k_ms;
    const RequestSpec bye = request(random, "BYE", 2, true);
    link.send(at(end), true, build_request(call.dialog, bye));
    link.send(at(end + 6 * k_ms), false, build_response(call.dialog, bye, 200, "OK"));
    std::stable_sort(capture.frames().begin(), capture.frames().end(),
                     [](const GeneratedFrame& x, const GeneratedFrame& y) { return x.time.micros < y.time.micros; });
    return capture;
}

}  // namespace

CaptureBuilder zrtp_hello_edited_contention(std::uint64_t seed) {
    return build("zrtp-hello-edited-contention", seed, 0);
}

CaptureBuilder zrtp_hello_edited_contention_skewed(std::uint64_t seed) {
    return build("zrtp-hello-edited-contention-skewed", seed, -40 * k_ms);
}

}  // namespace zaudit::gen::scenario_builders
