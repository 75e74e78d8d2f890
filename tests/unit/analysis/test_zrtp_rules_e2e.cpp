// The ZRTP rules end to end: the generator's genuine handshakes and attack variants are written
// to a pcap, read back through the capture reader and the session tracker, and judged by the
// whole catalogue. Each variant must fire exactly its rules, the clean handshake none; the real
// linphone captures in tests/interop must fire no critical or high ZRTP finding.
#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "model_builder.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/gen/zrtp_handshake.hpp"
#include "zaudit/session/tracker.hpp"

using namespace zaudit;
using gen::ZrtpHandshakeOptions;

namespace {

const util::Endpoint k_initiator = test::ep("192.0.2.1", 5004);
const util::Endpoint k_responder = test::ep("192.0.2.2", 5006);
const util::Endpoint k_initiator_sip = test::ep("192.0.2.1", 5060);
const util::Endpoint k_responder_sip = test::ep("192.0.2.2", 5060);
constexpr std::int64_t k_start = 1'700'000'000'000'000;  // capture time, microseconds
constexpr std::int64_t k_step = 10'000;

gen::ZrtpEndpointConfig alice() {
    gen::ZrtpEndpointConfig c;
    c.zid = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac};
    c.client_id = "alice-phone";
    c.ssrc = 0x11111111;
    c.seed = 1;
    return c;
}

gen::ZrtpEndpointConfig bob() {
    gen::ZrtpEndpointConfig c;
    c.zid = {0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc};
    c.client_id = "bob-phone";
    c.ssrc = 0x22222222;
    c.seed = 2;
    return c;
}

gen::ZrtpHandshake generate(const ZrtpHandshakeOptions& options = {}, gen::ZrtpEndpointConfig i = alice(),
                            gen::ZrtpEndpointConfig r = bob()) {
    auto result = gen::ZrtpHandshakeGenerator{std::move(i), std::move(r), options}.run();
    if (!result) {
        FAIL(result.error().message);
    }
    return std::move(result).value();
}

/// An RTP packet (RFC 3550 section 5.1): version 2, PCMU, 160 bytes of payload.
std::vector<std::uint8_t> rtp_packet(std::uint16_t sequence, std::uint32_t ssrc) {
    std::vector<std::uint8_t> p{
        0x80, 0x00, static_cast<std::uint8_t>(sequence >> 8), static_cast<std::uint8_t>(sequence), 0, 0, 0, 0};
    const std::uint32_t timestamp = sequence * 160U;
    p[4] = static_cast<std::uint8_t>(timestamp >> 24);
    p[5] = static_cast<std::uint8_t>(timestamp >> 16);
    p[6] = static_cast<std::uint8_t>(timestamp >> 8);
    p[7] = static_cast<std::uint8_t>(timestamp);
    for (int shift = 24; shift >= 0; shift -= 8) {
        p.push_back(static_cast<std::uint8_t>(ssrc >> shift));
    }
    p.resize(12 + 160, 0xff);
    return p;
}

/// Builds one capture frame by frame.
struct Capture {
    gen::CaptureBuilder builder;
    std::int64_t now = k_start;
    std::uint16_t sequence = 1;

    void udp(const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload) {
        builder.add_udp(util::Timestamp{now}, src, dst, payload);
        now += k_step;
    }
    /// The stream's packets [from, to), each from the side that sent it.
    void zrtp(const gen::ZrtpStreamResult& stream, const util::Endpoint& i = k_initiator,
              const util::Endpoint& r = k_responder, std::size_t to = SIZE_MAX, std::size_t from = 0) {
        for (std::size_t n = from; n < std::min(to, stream.packets.size()); ++n) {
            const auto& p = stream.packets[n];
            udp(p.from_initiator ? i : r, p.from_initiator ? r : i, p.udp_payload);
        }
    }
    void rtp(std::size_t each_way, const util::Endpoint& i = k_initiator, const util::Endpoint& r = k_responder) {
        for (std::size_t n = 0; n < each_way; ++n) {
            udp(i, r, rtp_packet(sequence, 0x11111111));
            udp(r, i, rtp_packet(sequence, 0x22222222));
            ++sequence;
        }
    }
    /// An INVITE from the initiator's host and a 200 OK from the responder's, each with an SDP
    /// announcing its media endpoint and the a=zrtp-hash values given (none when empty).
    void sip_call(const std::string& offer_hash, const std::string& answer_hash) {
        udp(k_initiator_sip, k_responder_sip, util::as_bytes(sip_message(true, offer_hash)));
        udp(k_responder_sip, k_initiator_sip, util::as_bytes(sip_message(false, answer_hash)));
    }

    static std::string sdp(const util::Endpoint& media, const std::string& zrtp_hash) {
        const std::string ip = media.address.to_string();
        std::string body = fmt::format(
            "v=0\r\no=- 1 1 IN IP4 {0}\r\ns=-\r\nc=IN IP4 {0}\r\nt=0 0\r\nm=audio {1} RTP/AVP 0\r\n"
            "a=rtpmap:0 PCMU/8000\r\n",
            ip, media.port);
        if (!zrtp_hash.empty()) {
            body += "a=zrtp-hash:" + zrtp_hash + "\r\n";
        }
        return body;
    }
    static std::string sip_message(bool invite, const std::string& zrtp_hash) {
        const std::string body = sdp(invite ? k_initiator : k_responder, zrtp_hash);
        const std::string start = invite ? "INVITE sip:bob@192.0.2.2 SIP/2.0" : "SIP/2.0 200 OK";
        return fmt::format(
            "{}\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\nMax-Forwards: 70\r\n"
            "From: <sip:alice@192.0.2.1>;tag=9fxced76sl\r\nTo: <sip:bob@192.0.2.2>{}\r\n"
            "Call-ID: 3848276298220188511@192.0.2.1\r\nCSeq: 1 INVITE\r\nContact: <sip:{}@{}>\r\n"
            "Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{}",
            start, invite ? "" : ";tag=8321234356", invite ? "alice" : "bob", invite ? "192.0.2.1" : "192.0.2.2",
            body.size(), body);
    }
};

/// The session model of a capture file, as the audit builds it.
session::Model model_of_file(const std::string& path) {
    auto reader = capture::Reader::open({capture::Source::file(path)});
    REQUIRE(reader);
    session::Tracker tracker;
    while (auto frame = reader->next()) {
        tracker.on_frame(*frame);
    }
    return std::move(tracker).finish(reader->inputs(), reader->partial());
}

/// The capture's session model, read back through the pipeline.
session::Model model_of(const Capture& capture) {
    test::TempDir dir;
    const std::string path = dir.file("zrtp.pcap");
    REQUIRE(capture.builder.write_pcap(path));
    return model_of_file(path);
}

/// Writes the capture, reads it back through the pipeline and returns every finding.
std::vector<analysis::Finding> audit(const Capture& capture) {
    return analysis::run_rules(model_of(capture), analysis::Policy{});
}

/// The ids of the ZRTP-related findings: zrtp.*, media.clear-before-secure and
/// call.security-downgraded.
std::multiset<std::string> zrtp_rules(const std::vector<analysis::Finding>& findings) {
    std::multiset<std::string> ids;
    for (const auto& f : findings) {
        if (f.rule.starts_with("zrtp.") || f.rule == "media.clear-before-secure" ||
            f.rule == "call.security-downgraded") {
            ids.emplace(f.rule);
        }
    }
    return ids;
}

std::multiset<std::string> run_variant(const ZrtpHandshakeOptions& options, gen::ZrtpEndpointConfig i = alice(),
                                       gen::ZrtpEndpointConfig r = bob()) {
    const auto h = generate(options, std::move(i), std::move(r));
    Capture capture;
    capture.zrtp(h.main);
    if (h.second) {  // multistream: the second stream on its own pair of ports
        capture.zrtp(*h.second, test::ep("192.0.2.1", 5008), test::ep("192.0.2.2", 5010));
    }
    return zrtp_rules(audit(capture));
}

const analysis::Finding& only(const std::vector<analysis::Finding>& findings, std::string_view rule) {
    const auto it = std::find_if(findings.begin(), findings.end(), [&](const auto& f) { return f.rule == rule; });
    REQUIRE(it != findings.end());
    return *it;
}

using Ids = std::multiset<std::string>;

}  // namespace

TEST_CASE("zrtp e2e: a clean handshake fires no ZRTP rule") {
    CHECK(run_variant({}).empty());
    // Not vacuous: the capture reads back as one completed handshake whose checks pass.
    const auto h = generate();
    Capture capture;
    capture.zrtp(h.main);
    test::TempDir dir;
    const std::string path = dir.file("clean.pcap");
    REQUIRE(capture.builder.write_pcap(path));
    const auto model = model_of_file(path);
    REQUIRE(model.handshakes.size() == 1);
    CHECK(model.handshakes[0].completed);
    std::size_t passed = 0;
    for (const auto& c : model.handshakes[0].checks) {
        INFO(zrtp::to_string(c.check.id));
        CHECK(c.check.outcome != zrtp::CheckOutcome::failed);
        passed += c.check.outcome == zrtp::CheckOutcome::passed ? 1 : 0;
    }
    CHECK(passed >= 8);  // Hello H3/MAC both sides, Commit H2/MAC, hvi, negotiation
}

TEST_CASE("zrtp e2e: variants that leave the handshake clean fire nothing") {
    ZrtpHandshakeOptions o;
    o.retransmit_hello = true;  // byte-identical retransmission
    CHECK(run_variant(o).empty());
    o = {};
    o.multistream = true;
    CHECK(run_variant(o).empty());
    o = {};
    o.max_fragment_size = 100;  // bzrtp-style fragments, reassembled
    CHECK(run_variant(o).empty());
}

TEST_CASE("zrtp e2e: each attack variant fires exactly its rule") {
    const auto with = [](void (*set)(ZrtpHandshakeOptions&)) {
        ZrtpHandshakeOptions o;
        set(o);
        return o;
    };
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.tamper_hello = true; })) == Ids{"zrtp.hello-tampered"});
    // SHA-256(H2) != H3 and the MAC fails: two failed checks of the same Hello.
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.forge_hello_h3 = true; })) ==
          Ids{"zrtp.hello-tampered", "zrtp.hello-tampered"});
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.substitute_dhpart2 = true; })) == Ids{"zrtp.hvi-mismatch"});
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.break_hash_chain = true; })) ==
          Ids{"zrtp.hash-chain-broken", "zrtp.hash-chain-broken"});
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.go_clear = true; })) == Ids{"zrtp.goclear"});
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.corrupt_crc = true; })) == Ids{"zrtp.crc-invalid"});
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.retransmit_hello_changed = true; })) ==
          Ids{"zrtp.retransmission-mismatch"});
    // Without the M flag the responder relays the SAS: still a PBX in the path.
    CHECK(run_variant(with([](ZrtpHandshakeOptions& o) { o.sas_relay = true; })) == Ids{"zrtp.trusted-mitm"});
}

TEST_CASE("zrtp e2e: a Hello edited under Commit contention, both copies captured, in either order") {
    for (const std::string_view name : {"zrtp-hello-edited-contention", "zrtp-hello-edited-contention-skewed"}) {
        INFO(name);
        const auto all = gen::scenarios();
        const auto it = std::find_if(all.begin(), all.end(), [&](const gen::Scenario& s) { return s.name == name; });
        REQUIRE(it != all.end());
        test::TempDir dir;
        const std::string path = dir.file("contention.pcap");
        REQUIRE(it->build(1).write_pcap(path));
        const auto model = model_of_file(path);
        const auto findings = analysis::run_rules(model, analysis::Policy{});
        CHECK(zrtp_rules(findings) == Ids{"zrtp.hello-tampered", "zrtp.handshake-incomplete"});
        REQUIRE(model.handshakes.size() == 1);
        const auto& h = model.handshakes[0];
        // Both endpoints sent a Commit, and each Commit's H2 checked its sender's Hello copies.
        CHECK(h.copies_of(zrtp::MessageType::commit, h.a).size() == 1);
        CHECK(h.copies_of(zrtp::MessageType::commit, h.b).size() == 1);
        const auto& f = only(findings, "zrtp.hello-tampered");
        auto evidence = analysis::evidence_of(f);
        const auto* edited = h.record_at(evidence["edited_frame"].get<std::uint64_t>());
        const auto* intact = h.record_at(evidence["intact_frame"].get<std::uint64_t>());
        REQUIRE(edited != nullptr);
        REQUIRE(intact != nullptr);
        const auto offers_aes3 = [](const session::ZrtpMessageRecord* r) {
            const auto& ciphers = r->message.hello()->ciphers;
            return std::find(ciphers.begin(), ciphers.end(), "AES3") != ciphers.end();
        };
        CHECK_FALSE(offers_aes3(edited));  // the box stripped AES3
        CHECK(offers_aes3(intact));
        CHECK((edited->frame < intact->frame) == (name == "zrtp-hello-edited-contention-skewed"));
        CHECK(evidence["told_apart_by"] == "hash_chain");
        std::set<std::string> failed;
        for (const auto& c : evidence["edited_checks"]) {
            if (c["outcome"] == "failed") {
                failed.insert(c["check"].get<std::string>());
            }
        }
        CHECK(failed.contains("hello_mac"));
        CHECK(failed.contains("zrtp_hash"));
        for (const auto& c : evidence["intact_checks"]) {
            CHECK(c["outcome"] == "passed");
        }
    }
}

TEST_CASE("zrtp e2e: the M flag, and SASrelay from the M-flagged side") {
    auto pbx = alice();
    pbx.mitm_flag = true;
    CHECK(run_variant({}, pbx) == Ids{"zrtp.trusted-mitm"});
    ZrtpHandshakeOptions o;
    o.sas_relay = true;
    CHECK(run_variant(o, pbx) == Ids{"zrtp.trusted-mitm", "zrtp.trusted-mitm"});
}

TEST_CASE("zrtp e2e: Error ends the handshake: zrtp.error (high for 0x61, medium for 0x40) and incomplete") {
    ZrtpHandshakeOptions o;
    o.error_code = 0x61;
    const auto h = generate(o);
    Capture capture;
    capture.zrtp(h.main);
    const auto findings = audit(capture);
    CHECK(zrtp_rules(findings) == Ids{"zrtp.error", "zrtp.handshake-incomplete"});
    const auto& error = only(findings, "zrtp.error");
    CHECK(error.severity == analysis::Severity::high);
    CHECK(analysis::evidence_of(error)["code"] == "0x61");
    CHECK(error.confidence == analysis::Confidence::inferred);
    // The Error is the 6th packet (frame 6), ErrorACK the 7th.
    CHECK(error.frames == std::vector<std::uint64_t>{6});
    const auto& incomplete = only(findings, "zrtp.handshake-incomplete");
    auto evidence = analysis::evidence_of(incomplete);
    CHECK(evidence["side_a"]["last_message"] == "ErrorACK");
    CHECK(evidence["side_b"]["last_message"] == "Error");

    o.error_code = 0x40;
    const auto medium = generate(o);
    Capture second;
    second.zrtp(medium.main);
    CHECK(only(audit(second), "zrtp.error").severity == analysis::Severity::medium);
}

TEST_CASE("zrtp e2e: DH2k completes but is below the floor, equal ZIDs conflict") {
    auto i = alice();
    auto r = bob();
    i.key_agreements = {"DH2k"};
    r.key_agreements = {"DH2k"};
    CHECK(run_variant({}, i, r) == Ids{"zrtp.weak-algorithms"});

    auto twin = bob();
    twin.zid = alice().zid;
    const auto ids = run_variant({}, alice(), twin);
    CHECK(ids.count("zrtp.zid-conflict") == 1);
    CHECK(std::all_of(ids.begin(), ids.end(), [](const auto& id) { return id == "zrtp.zid-conflict"; }));
}

TEST_CASE("zrtp e2e: RTP before Conf2ACK is media.clear-before-secure, counted and timed") {
    const auto h = generate();
    Capture capture;
    capture.zrtp(h.main, k_initiator, k_responder, 4);  // Hello, HelloACK, Hello, HelloACK: frames 1-4
    capture.rtp(3);                                     // frames 5-10, the first at k_start + 40 ms
    const std::size_t rest = h.main.packets.size() - 4;
    for (std::size_t n = 4; n < h.main.packets.size(); ++n) {
        const auto& p = h.main.packets[n];
        capture.udp(p.from_initiator ? k_initiator : k_responder, p.from_initiator ? k_responder : k_initiator,
                    p.udp_payload);
    }
    capture.rtp(2);  // after Conf2ACK: not counted
    const auto findings = audit(capture);
    CHECK(zrtp_rules(findings) == Ids{"media.clear-before-secure"});
    const auto& f = only(findings, "media.clear-before-secure");
    auto evidence = analysis::evidence_of(f);
    CHECK(evidence["clear_packets"] == 6);
    CHECK(evidence["first_clear_frame"] == 5);
    const std::uint64_t conf2ack = 10 + rest;  // the last packet of the handshake
    CHECK(evidence["secure_frame"] == conf2ack);
    // From frame 5 to the Conf2ACK frame, 10 ms apart.
    CHECK(evidence["seconds_until_secure"].get<double>() == Approx(static_cast<double>(conf2ack - 5) * 0.01));
}

TEST_CASE("zrtp e2e: Hellos from both sides, then RTP and nothing else: stripped and incomplete") {
    const auto h = generate();
    Capture capture;
    capture.zrtp(h.main, k_initiator, k_responder, 4);
    capture.rtp(20);
    const auto findings = audit(capture);
    CHECK(zrtp_rules(findings) == Ids{"zrtp.stripped", "zrtp.handshake-incomplete"});
    const auto& f = only(findings, "zrtp.stripped");
    auto evidence = analysis::evidence_of(f);
    CHECK(evidence["hellos_from_both"] == true);
    CHECK(evidence["rtp_packets"] == 40);
    CHECK(evidence["first_rtp_frame"] == 5);
}

TEST_CASE("zrtp e2e: SDP a=zrtp-hash binds the genuine Hellos: clean call, then a tampered Hello") {
    const auto h = generate();
    Capture clean;
    clean.sip_call(h.zrtp_hash_attribute(gen::ZrtpSide::initiator), h.zrtp_hash_attribute(gen::ZrtpSide::responder));
    clean.zrtp(h.main);
    CHECK(zrtp_rules(audit(clean)).empty());

    ZrtpHandshakeOptions o;
    o.tamper_hello = true;
    const auto t = generate(o);
    Capture tampered;
    // The SDP carries the hash of the Hello the initiator made; the wire carries the altered one.
    tampered.sip_call(t.zrtp_hash_attribute(gen::ZrtpSide::initiator), t.zrtp_hash_attribute(gen::ZrtpSide::responder));
    tampered.zrtp(t.main);
    const auto findings = audit(tampered);
    CHECK(zrtp_rules(findings) == Ids{"zrtp.hello-tampered", "zrtp.zrtp-hash-mismatch"});
    const auto& f = only(findings, "zrtp.zrtp-hash-mismatch");
    CHECK(f.call == 1u);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 3});  // the INVITE's SDP and the Hello
    auto evidence = analysis::evidence_of(f);
    CHECK(evidence["expected"] != evidence["observed"]);
}

TEST_CASE("zrtp e2e: both SDPs carry a=zrtp-hash, RTP flows, not one ZRTP packet: stripped") {
    const auto h = generate();
    Capture capture;
    capture.sip_call(h.zrtp_hash_attribute(gen::ZrtpSide::initiator), h.zrtp_hash_attribute(gen::ZrtpSide::responder));
    capture.rtp(10);
    const auto findings = audit(capture);
    CHECK(zrtp_rules(findings) == Ids{"zrtp.stripped"});
    const auto& f = only(findings, "zrtp.stripped");
    CHECK(f.call == 1u);
    auto evidence = analysis::evidence_of(f);
    CHECK(evidence["rtp_packets"] == 20);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 2, 3, 4});

    Capture one_sided;  // the answer has no a=zrtp-hash: the peer does not do ZRTP
    one_sided.sip_call(h.zrtp_hash_attribute(gen::ZrtpSide::initiator), "");
    one_sided.rtp(10);
    CHECK(zrtp_rules(audit(one_sided)).empty());
}

TEST_CASE("zrtp e2e: an Error in a call, then plain RTP: call.security-downgraded from ZRTP") {
    ZrtpHandshakeOptions o;
    o.error_code = 0x30;
    const auto h = generate(o);
    Capture capture;
    capture.sip_call(h.zrtp_hash_attribute(gen::ZrtpSide::initiator), h.zrtp_hash_attribute(gen::ZrtpSide::responder));
    capture.zrtp(h.main);
    capture.rtp(10);
    const auto findings = audit(capture);
    CHECK(zrtp_rules(findings) ==
          Ids{"zrtp.error", "zrtp.handshake-incomplete", "zrtp.stripped", "call.security-downgraded"});
    const auto& f = only(findings, "call.security-downgraded");
    auto evidence = analysis::evidence_of(f);
    CHECK(evidence["from"] == "zrtp");
    CHECK(evidence["to"] == "none");
    CHECK(evidence["handshake_errors"] == 1);
}

TEST_CASE("zrtp e2e: real linphone captures fire no critical or high ZRTP finding") {
    // RTP packets before Conf2ACK and the time between, counted with tshark
    // (udp.port==7078, first payload byte 0x80 before the Conf2ACK frame).
    struct Expected {
        const char* file;
        std::vector<std::uint64_t> clear_packets;  ///< per handshake, in order
    };
    for (const Expected& e : std::vector<Expected>{{"zrtp-linphone.pcap", {9}},
                                                   {"zrtp-linphone-cached.pcap", {8, 7}},
                                                   {"zrtp-linphone-dh3k.pcap", {8}},
                                                   {"zrtp-linphone-ipv6.pcap", {8}},
                                                   {"zrtp-linphone-mtu576.pcap", {7}},
                                                   {"zrtp-linphone-x255.pcap", {7}}}) {
        INFO(e.file);
        const auto model = model_of_file(test::source_path("tests/interop/") + e.file);
        const auto findings = analysis::run_rules(model, analysis::Policy{});
        std::vector<std::uint64_t> clear;
        for (const auto& f : findings) {
            INFO(f.rule << ": " << f.message);
            if (f.rule.starts_with("zrtp.") || f.rule == "call.security-downgraded") {
                CHECK(f.severity < analysis::Severity::high);
            }
            if (f.rule == "media.clear-before-secure") {
                clear.push_back(analysis::evidence_of(f)["clear_packets"].get<std::uint64_t>());
            }
        }
        CHECK(clear == e.clear_packets);
    }
}

TEST_CASE("zrtp e2e: zrtp-linphone.pcap clear media lasted from frame 12 to the Conf2ACK in frame 35") {
    const auto model = model_of_file(test::source_path("tests/interop/zrtp-linphone.pcap"));
    const auto findings = test::run_rule("media.clear-before-secure", model);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{12, 35});
    // tshark: frame 12 at 1795763178.578674, frame 35 at 1795763178.665156.
    CHECK(analysis::evidence_of(findings[0])["seconds_until_secure"].get<double>() == Approx(0.086482).margin(1e-6));
}

namespace {

std::vector<session::Protection> protections(const session::MediaStream& stream) {
    std::vector<session::Protection> out;
    for (const session::ProtectionPeriod& period : stream.protection_timeline) {
        out.push_back(period.protection);
    }
    return out;
}

}  // namespace

TEST_CASE("zrtp e2e: a Hello injected after Conf2ACK starts a handshake of its own, and the media stays keyed") {
    // A ZRTP packet's CRC is no MAC: anyone on the path can send a Hello with valid CRC. One that
    // differs from the initiator's own, after the handshake completed, is a new handshake on the
    // flow; it never completes, and must not make the media the first one keyed look clear.
    const auto h = generate();
    Capture capture;
    capture.sip_call(h.zrtp_hash_attribute(gen::ZrtpSide::initiator), h.zrtp_hash_attribute(gen::ZrtpSide::responder));
    capture.zrtp(h.main);
    capture.rtp(5);
    const auto hello = std::find_if(h.main.packets.begin(), h.main.packets.end(),
                                    [](const auto& p) { return p.from_initiator && p.message_type == "Hello"; });
    REQUIRE(hello != h.main.packets.end());
    gen::ZrtpBytes forged = hello->udp_payload;
    forged[12 + 4 + 8 + 4] ^= 0x20;  // the first letter of the client identifier (RFC 6189 section 5.2)
    gen::zrtp_refresh_crc(forged);
    capture.udp(k_initiator, k_responder, forged);
    capture.rtp(5);

    const session::Model model = model_of(capture);
    REQUIRE(model.handshakes.size() == 2);
    CHECK(model.handshakes[0].completed);
    CHECK_FALSE(model.handshakes[1].completed);
    REQUIRE(model.media.size() == 2);
    for (const session::MediaStream& stream : model.media) {
        CHECK(protections(stream) == std::vector{session::Protection::zrtp});
        CHECK_FALSE(stream.zrtp_never_completed);
    }
    const auto findings = analysis::run_rules(model, analysis::Policy{});
    CHECK(std::none_of(findings.begin(), findings.end(), [](const auto& f) { return f.rule == "media.unencrypted"; }));
    // The forged Hello itself is reported: it does not hash to the SDP's a=zrtp-hash.
    CHECK(zrtp_rules(findings).count("zrtp.zrtp-hash-mismatch") == 1);
}

TEST_CASE("zrtp e2e: GoClear, then a new handshake: the media is clear between ClearACK and the new Conf2ACK") {
    ZrtpHandshakeOptions o;
    o.go_clear = true;
    const auto first = generate(o);
    // The second session's endpoints draw new hash chains: their Hellos differ from the first ones.
    gen::ZrtpEndpointConfig i = alice();
    gen::ZrtpEndpointConfig r = bob();
    i.seed = 3;
    r.seed = 4;
    const auto second = generate({}, i, r);
    Capture capture;
    const auto go_clear = std::find_if(first.main.packets.begin(), first.main.packets.end(),
                                       [](const auto& p) { return p.message_type == "GoClear"; });
    REQUIRE(go_clear != first.main.packets.end());
    const auto secure_part = static_cast<std::size_t>(go_clear - first.main.packets.begin());
    capture.zrtp(first.main, k_initiator, k_responder, secure_part);
    capture.rtp(5);
    capture.zrtp(first.main, k_initiator, k_responder, SIZE_MAX, secure_part);  // GoClear and ClearACK
    capture.rtp(5);
    capture.zrtp(second.main);
    capture.rtp(5);

    const session::Model model = model_of(capture);
    REQUIRE(model.handshakes.size() == 2);
    CHECK(model.handshakes[0].completed);
    CHECK(model.handshakes[1].completed);
    REQUIRE(model.media.size() == 2);
    using session::Protection;
    for (const session::MediaStream& stream : model.media) {
        CHECK(protections(stream) == std::vector{Protection::zrtp, Protection::none, Protection::zrtp});
        REQUIRE(stream.protection_timeline.size() == 3);
        CHECK(stream.protection_timeline[2].from_frame == model.handshakes[1].secure_frame);
    }
}
