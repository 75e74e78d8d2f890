// Captures whose snap length cut the packets (tcpdump -s 96, a mirror port that keeps headers
// only): the scenarios' genuine calls are tracked with their frames cut as such a capture keeps
// them (fewer bytes than the original length), and what the cut removed must read as unknown,
// never as a failure: no bad ZRTP CRC, no ZID from half a Hello, no SRTP packet that fails its
// key, no SDP read from half a body.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/capture/frame.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/zrtp/message.hpp"

using namespace zaudit;

namespace {

gen::CaptureBuilder scenario(std::string_view name) {
    const auto all = gen::scenarios();
    const auto it = std::find_if(all.begin(), all.end(), [&](const gen::Scenario& s) { return s.name == name; });
    REQUIRE(it != all.end());
    return it->build(1);
}

/// How many bytes of a frame the capture keeps, given the frame and its decoded packet; the
/// frame's size keeps it whole.
using SnapLength = std::function<std::size_t(const gen::GeneratedFrame&, const net::Packet&)>;

session::Model track_cut(const gen::CaptureBuilder& capture, const SnapLength& keep) {
    session::Tracker tracker{session::Limits{}, session::UserHints{}};
    net::Decoder decoder;
    net::Packet packet;
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        ++number;
        const auto original = static_cast<std::uint32_t>(g.bytes.size());
        capture::Frame whole{number, g.time, g.bytes, original, g.link_type, 0};
        const bool decoded = decoder.decode(whole, packet) == net::DecodeStatus::ok;
        const std::size_t kept = decoded ? std::min(keep(g, packet), g.bytes.size()) : g.bytes.size();
        tracker.on_frame(capture::Frame{number, g.time, util::Bytes{g.bytes}.first(kept), original, g.link_type, 0});
    }
    return std::move(tracker).finish({}, false);
}

bool fired(const std::vector<analysis::Finding>& findings, std::string_view rule) {
    return std::any_of(findings.begin(), findings.end(), [&](const analysis::Finding& f) { return f.rule == rule; });
}

bool has_anomaly(const session::Model& model, util::AnomalyCode code) {
    return model.decode.anomaly_count(code) > 0;
}

constexpr std::size_t k_udp_headers = 14 + 20 + 8;  // Ethernet, IPv4, UDP

}  // namespace

TEST_CASE("ZRTP packets a 96-byte snap length cut are incomplete messages, not bad CRCs or ZIDs") {
    const session::Model model = track_cut(scenario("zrtp-clean-call"), [](const auto&, const auto&) { return 96; });
    REQUIRE(model.handshakes.size() == 1);
    const session::ZrtpHandshake& handshake = model.handshakes.front();
    CHECK(std::none_of(handshake.events.begin(), handshake.events.end(),
                       [](const session::ZrtpEvent& e) { return e.kind == session::ZrtpEventKind::crc_invalid; }));
    const session::ZrtpMessageRecord* hello = handshake.find(zrtp::MessageType::hello);
    REQUIRE(hello != nullptr);           // seen, and named by its type block
    CHECK(hello->message.incomplete());  // cut inside its H3: no ZID, flags or MAC to believe
    CHECK(hello->message.hello() == nullptr);
    CHECK_FALSE(has_anomaly(model, util::AnomalyCode::zrtp_crc_mismatch));

    const auto findings = analysis::run_rules(model, analysis::Policy{});
    CHECK_FALSE(fired(findings, "zrtp.crc-invalid"));
    CHECK_FALSE(fired(findings, "zrtp.zid-conflict"));
    CHECK_FALSE(fired(findings, "zrtp.hash-chain-broken"));
    for (const auto& f : findings) {  // the SIP was cut too: streams without signalling, nothing worse
        INFO(f.rule << ": " << f.message);
        CHECK(f.severity <= analysis::Severity::low);
    }
}

TEST_CASE("ZRTP packets cut inside their CRC keep whole messages, and the hash chain is still verified") {
    // Two bytes short: the message is all there, the CRC is not.
    const session::Model model = track_cut(scenario("zrtp-clean-call"), [](const auto& g, const net::Packet& p) {
        return p.transport == net::Transport::udp && zrtp::looks_like_zrtp(p.payload) ? g.bytes.size() - 2
                                                                                      : g.bytes.size();
    });
    REQUIRE(model.handshakes.size() == 1);
    const session::ZrtpHandshake& handshake = model.handshakes.front();
    const session::ZrtpMessageRecord* hello = handshake.find(zrtp::MessageType::hello);
    REQUIRE(hello != nullptr);
    CHECK_FALSE(hello->message.incomplete());
    CHECK(hello->message.hello() != nullptr);
    CHECK(handshake.events.empty());
    // The two bytes of CRC left are not "bytes after the message".
    CHECK_FALSE(has_anomaly(model, util::AnomalyCode::zrtp_trailing_bytes));
    CHECK_FALSE(has_anomaly(model, util::AnomalyCode::zrtp_crc_mismatch));
    const auto passed =
        std::count_if(handshake.checks.begin(), handshake.checks.end(), [](const session::ZrtpCheck& c) {
            return c.check.id == zrtp::CheckId::hello_h3 && c.check.outcome == zrtp::CheckOutcome::passed;
        });
    CHECK(passed >= 1);
    const auto findings = analysis::run_rules(model, analysis::Policy{});
    CHECK_FALSE(fired(findings, "zrtp.crc-invalid"));
}

TEST_CASE("SRTP packets cut before their authentication tag are not tried against the call's key") {
    // The SIP whole (the keys are known), every media packet cut 40 bytes into its payload.
    const session::Model model = track_cut(scenario("sdes-call-udp"), [](const auto& g, const net::Packet& p) {
        const bool media = p.transport == net::Transport::udp && p.src.port != 5060 && p.dst.port != 5060;
        return media ? k_udp_headers + 12 + 40 : g.bytes.size();
    });
    REQUIRE(model.media.size() == 2);
    for (const session::MediaStream& stream : model.media) {
        INFO("stream " << stream.id);
        CHECK(stream.packets > 0);
        for (const session::SrtpKeyCheck& check : stream.srtp_checks) {
            CHECK(check.auth_failed == 0);
            CHECK(check.checked == 0);
            CHECK(check.settled != session::SrtpKeyCheck::Settled::wrong);
        }
    }
    const auto findings = analysis::run_rules(model, analysis::Policy{});
    CHECK_FALSE(fired(findings, "srtp.auth-failure"));
    CHECK(fired(findings, "sdes.key-exposed"));  // the keys were in the clear all the same
}

TEST_CASE("an SDP body the capture cut is not read as the call's offer or answer") {
    // SIP messages with a body lose its last 30 bytes; the headers stay whole.
    const session::Model model = track_cut(scenario("sdes-call-udp"), [](const auto& g, const net::Packet& p) {
        const std::string_view text{reinterpret_cast<const char*>(p.payload.data()), p.payload.size()};
        const bool sip_with_sdp =
            p.transport == net::Transport::udp && text.find("\r\n\r\nv=0") != std::string_view::npos;
        return sip_with_sdp ? g.bytes.size() - 30 : g.bytes.size();
    });
    REQUIRE(model.calls.size() == 1);
    const session::Call& call = model.calls.front();
    CHECK(call.messages.size() >= 4);  // INVITE, 200, ACK, BYE...: the dialog is followed
    CHECK(call.sdps.empty());
    CHECK(has_anomaly(model, util::AnomalyCode::sip_body_truncated));
    const auto findings = analysis::run_rules(model, analysis::Policy{});
    for (const auto& f : findings) {
        INFO(f.rule << ": " << f.message);
        CHECK(f.rule.rfind("sdp.", 0) != 0);
        CHECK(f.rule != "sdes.key-exposed");  // no key was read
    }
}
