// The session tracker over small generated captures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "zaudit/capture/frame.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/session/zid_ledger.hpp"

using namespace zaudit;

namespace {

const util::Endpoint k_client{*util::IpAddress::parse("192.0.2.30"), 45000};
const util::Endpoint k_server{*util::IpAddress::parse("192.0.2.40"), 5060};

std::string sip_request(const std::string& method, int cseq) {
    return method +
           " sip:bob@192.0.2.40 SIP/2.0\r\n"
           "Via: SIP/2.0/TCP 192.0.2.30:45000;branch=z9hG4bK" +
           std::to_string(cseq) +
           "\r\n"
           "From: <sip:alice@192.0.2.30>;tag=a1\r\nTo: <sip:bob@192.0.2.40>\r\n"
           "Call-ID: gap-test\r\nCSeq: " +
           std::to_string(cseq) + " " + method +
           "\r\n"
           "Content-Length: 0\r\n\r\n";
}

session::Model track(const gen::CaptureBuilder& capture,
                     std::optional<std::vector<session::LedgerEntry>> ledger = std::nullopt) {
    session::Tracker tracker;
    if (ledger) {
        tracker.use_ledger(std::move(*ledger));
    }
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        tracker.on_frame(
            capture::Frame{++number, g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()), g.link_type, 0});
    }
    return std::move(tracker).finish({}, false);
}

gen::CaptureBuilder scenario(std::string_view name) {
    const auto all = gen::scenarios();
    const auto it = std::find_if(all.begin(), all.end(), [&](const gen::Scenario& s) { return s.name == name; });
    REQUIRE(it != all.end());
    return it->build(1);
}

}  // namespace

TEST_CASE("a SIP message after a TCP segment the capture missed is still read, once the capture ends") {
    gen::CaptureBuilder capture;
    const std::string invite = sip_request("INVITE", 1);
    const std::string lost = sip_request("OPTIONS", 2);
    const std::string bye = sip_request("BYE", 3);
    const std::uint32_t isn = 1000;
    capture.add_tcp(util::Timestamp{1}, k_client, k_server, isn, 0, 0x02, {});
    capture.add_tcp(util::Timestamp{2}, k_client, k_server, isn + 1, 1, 0x18, util::as_bytes(invite));
    // the OPTIONS segment is not in the capture
    const auto bye_seq = static_cast<std::uint32_t>(isn + 1 + invite.size() + lost.size());
    capture.add_tcp(util::Timestamp{3}, k_client, k_server, bye_seq, 1, 0x18, util::as_bytes(bye));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);
    const auto& messages = model.calls[0].messages;
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].summary == "INVITE");
    CHECK(messages[1].summary == "BYE");
    REQUIRE(model.flows.size() == 1);
    CHECK(model.flows[0].tcp_gap_bytes == lost.size());  // counted once
}

TEST_CASE("a message cut by a hole does not swallow the next one") {
    gen::CaptureBuilder capture;
    const std::string invite = sip_request("INVITE", 1);
    const std::string options = sip_request("OPTIONS", 2);
    const std::string bye = sip_request("BYE", 3);
    const std::uint32_t isn = 5000;
    capture.add_tcp(util::Timestamp{1}, k_client, k_server, isn, 0, 0x02, {});
    capture.add_tcp(util::Timestamp{2}, k_client, k_server, isn + 1, 1, 0x18, util::as_bytes(invite));
    // the OPTIONS' first 40 bytes arrive, the rest is missing, then the BYE
    const auto options_seq = static_cast<std::uint32_t>(isn + 1 + invite.size());
    capture.add_tcp(util::Timestamp{3}, k_client, k_server, options_seq, 1, 0x18,
                    util::as_bytes(std::string_view{options}.substr(0, 40)));
    const auto bye_seq = static_cast<std::uint32_t>(options_seq + options.size());
    capture.add_tcp(util::Timestamp{4}, k_client, k_server, bye_seq, 1, 0x18, util::as_bytes(bye));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);
    const auto& messages = model.calls[0].messages;
    REQUIRE(messages.size() == 2);  // the cut OPTIONS is dropped, the BYE is read whole
    CHECK(messages[1].summary == "BYE");
    CHECK(model.flows.at(0).tcp_gap_bytes == options.size() - 40);
}

TEST_CASE("model accessors: ids count from 1, anything else is nullptr") {
    const session::Model model = track(scenario("zrtp-clean-call"));
    REQUIRE(model.calls.size() == 1);
    REQUIRE(model.media.size() >= 2);
    REQUIRE(model.handshakes.size() == 1);
    CHECK(model.call(0) == nullptr);
    CHECK(model.call(1) == &model.calls[0]);
    CHECK(model.call(2) == nullptr);
    for (const session::MediaStream& stream : model.media) {
        CHECK(model.stream(stream.id) == &stream);
    }
    CHECK(model.stream(0) == nullptr);
    CHECK(model.stream(static_cast<std::uint32_t>(model.media.size() + 1)) == nullptr);
    CHECK(model.handshake(1) == &model.handshakes[0]);
    CHECK(model.handshake(2) == nullptr);
    for (const std::uint32_t id : model.calls[0].media) {  // what the call holds are stream ids
        REQUIRE(model.stream(id) != nullptr);
        CHECK(model.stream(id)->call == std::optional<std::uint32_t>{1});
    }
}

TEST_CASE("the ledger given to the tracker is in the model finish() returns") {
    const session::LedgerEntry known{"a1a2a3a4a5a6a7a8a9aaabac", "sip:carol@example.com", "x", "2024-01-01T00:00:00Z"};
    const session::Model with = track(scenario("zrtp-clean-call"), std::vector{known});
    CHECK(with.ledger_used);
    REQUIRE(with.ledger.size() == 1);
    CHECK(with.ledger[0].identity == "sip:carol@example.com");
    const session::Model without = track(scenario("zrtp-clean-call"));
    CHECK_FALSE(without.ledger_used);
    CHECK(without.ledger.empty());
}

TEST_CASE("updated_ledger keeps what was loaded and adds each new (ZID, identity) once") {
    const session::Model first = track(scenario("zrtp-clean-call"));
    const auto seen = session::observed_zids(first);
    REQUIRE(seen.size() == 2);  // caller and callee
    // Loaded: the caller as seen earlier by another client, and someone this capture does not show.
    session::LedgerEntry earlier = seen[0];
    earlier.client_id = "older client";
    earlier.first_seen = "2020-01-01T00:00:00Z";
    const session::LedgerEntry other{"0102030405060708090a0b0c", "ip:192.0.2.99", "", "2021-01-01T00:00:00Z"};
    const session::Model model = track(scenario("zrtp-clean-call"), std::vector{earlier, other});
    const auto updated = session::updated_ledger(model);
    REQUIRE(updated.size() == 3);
    CHECK(updated[0].first_seen == "2020-01-01T00:00:00Z");  // the loaded entry wins over the new sighting
    CHECK(updated[0].client_id == "older client");
    CHECK(updated[1].zid == other.zid);
    CHECK(updated[2].zid == seen[1].zid);
    CHECK(updated[2].identity == seen[1].identity);
    CHECK(session::updated_ledger(first).size() == 2);  // no ledger loaded: what the capture showed
}

TEST_CASE("learn files each observed ZID as a scan of the ledger for it would") {
    // Small pools of ZIDs and identities, so that new, known, pending and conflicting pairs mix.
    const auto conflicts = [](const session::LedgerEntry& a, const session::LedgerEntry& b) {
        return (a.identity == b.identity) != (a.zid == b.zid);
    };
    const auto as_tuple = [](const session::LedgerEntry& e) {
        return std::tuple{e.zid, e.identity, e.client_id, e.first_seen, e.pending};
    };
    std::size_t pending = 0;
    for (unsigned seed = 1; seed <= 200; ++seed) {
        std::mt19937 random{seed};
        const auto entry = [&random](bool may_be_pending) {
            return session::LedgerEntry{"zid" + std::to_string(random() % 3), "id" + std::to_string(random() % 3),
                                        "client", std::to_string(random() % 100), may_be_pending && random() % 3 == 0};
        };
        std::vector<session::LedgerEntry> ledger;
        for (auto n = random() % 6; n > 0; --n) {
            ledger.push_back(entry(true));
        }
        std::vector<session::LedgerEntry> observed;
        for (auto n = random() % 8; n > 0; --n) {
            observed.push_back(entry(false));
        }
        std::vector<session::LedgerEntry> expected = ledger;
        for (session::LedgerEntry seen : observed) {
            if (std::none_of(expected.begin(), expected.end(), [&](const session::LedgerEntry& e) {
                    return e.zid == seen.zid && e.identity == seen.identity;
                })) {
                seen.pending = std::any_of(expected.begin(), expected.end(), [&](const session::LedgerEntry& e) {
                    return !e.pending && conflicts(e, seen);
                });
                expected.push_back(seen);
            }
        }
        const std::vector<session::LedgerEntry> learned = session::learn(ledger, observed);
        INFO("seed " << seed);
        REQUIRE(learned.size() == expected.size());
        for (std::size_t i = 0; i < learned.size(); ++i) {
            CHECK(as_tuple(learned[i]) == as_tuple(expected[i]));
        }
        pending += static_cast<std::size_t>(std::count_if(learned.begin() + static_cast<std::ptrdiff_t>(ledger.size()),
                                                          learned.end(), [](const auto& e) { return e.pending; }));
    }
    CHECK(pending > 50);  // new conflicting pairs do turn up, not only new or known ones
}

TEST_CASE("an m= line keeps the a=rtpmap of its formats, and only of those it lists") {
    const std::string sdp =
        "v=0\r\no=- 1 1 IN IP4 192.0.2.30\r\ns=-\r\nc=IN IP4 192.0.2.30\r\nt=0 0\r\n"
        "m=audio 4000 RTP/AVP 0 10 34 96 77\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:98 speex/16000\r\n";
    const std::string invite =
        "INVITE sip:bob@192.0.2.40 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 192.0.2.30:45000;branch=z9hG4bK1\r\n"
        "From: <sip:alice@192.0.2.30>;tag=a1\r\nTo: <sip:bob@192.0.2.40>\r\n"
        "Call-ID: codecs\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
        "Content-Length: " +
        std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{1}, k_client, k_server, util::as_bytes(invite));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);
    REQUIRE(model.calls[0].sdps.size() == 1);
    REQUIRE(model.calls[0].sdps[0].media.size() == 1);
    // Static types (0, 10, 34) are named from RFC 3551 when a stream carries them; 77 has no name.
    const auto& rtpmaps = model.calls[0].sdps[0].media[0].rtpmaps;
    REQUIRE(rtpmaps.size() == 1);
    CHECK(rtpmaps[0].payload_type == 96);
    CHECK(rtpmaps[0].encoding == "opus");
    CHECK(rtpmaps[0].clock_rate == 48000);
}

TEST_CASE("an SDP retransmitted on its hop is one snapshot, the same SDP on another hop or in a new body another") {
    const auto invite_with = [](const std::string& sdp) {
        return "INVITE sip:bob@192.0.2.40 SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 192.0.2.30:45000;branch=z9hG4bK1\r\n"
               "From: <sip:alice@192.0.2.30>;tag=a1\r\nTo: <sip:bob@192.0.2.40>\r\n"
               "Call-ID: retransmitted-sdp\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
               "Content-Length: " +
               std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
    };
    const std::string sdp =
        "v=0\r\no=- 1 1 IN IP4 192.0.2.30\r\ns=-\r\nc=IN IP4 192.0.2.30\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    const std::string edited = sdp + "a=sendonly\r\n";
    const util::Endpoint proxy{*util::IpAddress::parse("192.0.2.35"), 5060};
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{1'000}, k_client, k_server, util::as_bytes(invite_with(sdp)));
    capture.add_udp(util::Timestamp{501'000}, k_client, k_server, util::as_bytes(invite_with(sdp)));  // T1 later
    capture.add_udp(util::Timestamp{502'000}, proxy, k_server, util::as_bytes(invite_with(sdp)));
    capture.add_udp(util::Timestamp{503'000}, k_client, k_server, util::as_bytes(invite_with(edited)));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);
    const auto& sdps = model.calls[0].sdps;
    REQUIRE(sdps.size() == 3);
    CHECK(sdps[0].frame == 1);
    CHECK(sdps[1].frame == 3);
    CHECK(sdps[1].sender == proxy);
    CHECK(sdps[2].frame == 4);
    CHECK(sdps[2].media.at(0).direction == zaudit::sdp::Direction::sendonly);
}

namespace {

const util::Endpoint k_phone{*util::IpAddress::parse("192.0.2.10"), 5060};
const util::Endpoint k_pbx{*util::IpAddress::parse("203.0.113.1"), 5060};

/// One SIP message of the dialog "outcome-test" over UDP; `to_tag` empty for an initial INVITE.
std::string sip_message(const std::string& start_line, const std::string& cseq, const std::string& to_tag = "") {
    return start_line +
           "\r\n"
           "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1\r\n"
           "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>" +
           (to_tag.empty() ? "" : ";tag=" + to_tag) +
           "\r\n"
           "Call-ID: outcome-test\r\nCSeq: " +
           cseq + "\r\nContent-Length: 0\r\n\r\n";
}

/// Each message `step` ms after the previous one: requests from the phone, responses from the PBX.
session::Model dialog(const std::vector<std::string>& messages) {
    gen::CaptureBuilder capture;
    std::int64_t at = 1'000'000;
    for (const auto& m : messages) {
        const bool request = m.rfind("SIP/2.0", 0) != 0;
        capture.add_udp(util::Timestamp{at}, request ? k_phone : k_pbx, request ? k_pbx : k_phone, util::as_bytes(m));
        at += 10'000;
    }
    return track(capture);
}

}  // namespace

TEST_CASE("calls: a failed INVITE shows its final response and ends by it") {
    const auto model =
        dialog({sip_message("INVITE sip:bob@example.com SIP/2.0", "1 INVITE"),
                sip_message("SIP/2.0 100 Trying", "1 INVITE"), sip_message("SIP/2.0 486 Busy Here", "1 INVITE", "b1"),
                sip_message("ACK sip:bob@example.com SIP/2.0", "1 ACK", "b1")});
    REQUIRE(model.calls.size() == 1);
    const auto& call = model.calls[0];
    REQUIRE(call.outcome);
    CHECK(call.outcome->status == 486);
    CHECK(call.outcome->reason == "Busy Here");
    CHECK(call.outcome->frame == 3);
    CHECK(call.ended_by == session::CallEnd::failure);
}

TEST_CASE("calls: after a 407 challenge the retried INVITE's answer is the outcome") {
    const auto model = dialog({sip_message("INVITE sip:bob@example.com SIP/2.0", "1 INVITE"),
                               sip_message("SIP/2.0 407 Proxy Authentication Required", "1 INVITE", "p1"),
                               sip_message("ACK sip:bob@example.com SIP/2.0", "1 ACK", "p1"),
                               sip_message("INVITE sip:bob@example.com SIP/2.0", "2 INVITE"),
                               sip_message("SIP/2.0 200 OK", "2 INVITE", "b1"),
                               sip_message("SIP/2.0 200 OK", "2 INVITE", "b1")});  // retransmitted
    const auto& call = model.calls.at(0);
    REQUIRE(call.outcome);
    CHECK(call.outcome->status == 200);
    CHECK(call.outcome->frame == 5);                 // the first copy
    CHECK(call.ended_by == session::CallEnd::none);  // no BYE: still up, not "error 407"
}

TEST_CASE("calls: a failed re-INVITE does not undo an established call, and BYE ends it") {
    const auto model = dialog({sip_message("INVITE sip:bob@example.com SIP/2.0", "1 INVITE"),
                               sip_message("SIP/2.0 200 OK", "1 INVITE", "b1"),
                               sip_message("INVITE sip:bob@example.com SIP/2.0", "2 INVITE", "b1"),
                               sip_message("SIP/2.0 491 Request Pending", "2 INVITE", "b1"),
                               sip_message("BYE sip:bob@example.com SIP/2.0", "3 BYE", "b1")});
    const auto& call = model.calls.at(0);
    REQUIRE(call.outcome);
    CHECK(call.outcome->status == 200);
    CHECK(call.ended_by == session::CallEnd::bye);
}

TEST_CASE("calls: CANCEL then 487 is a cancelled call with outcome 487") {
    const auto model = dialog({sip_message("INVITE sip:bob@example.com SIP/2.0", "1 INVITE"),
                               sip_message("SIP/2.0 180 Ringing", "1 INVITE", "b1"),
                               sip_message("CANCEL sip:bob@example.com SIP/2.0", "1 CANCEL"),
                               sip_message("SIP/2.0 200 OK", "1 CANCEL", "b1"),
                               sip_message("SIP/2.0 487 Request Terminated", "1 INVITE", "b1")});
    const auto& call = model.calls.at(0);
    REQUIRE(call.outcome);
    CHECK(call.outcome->status == 487);  // the 200 answers the CANCEL, not the INVITE
    CHECK(call.ended_by == session::CallEnd::cancel);
}

TEST_CASE("calls: no final response seen leaves no outcome and the call up") {
    const auto model = dialog({sip_message("INVITE sip:bob@example.com SIP/2.0", "1 INVITE"),
                               sip_message("SIP/2.0 180 Ringing", "1 INVITE", "b1")});
    const auto& call = model.calls.at(0);
    CHECK_FALSE(call.outcome);
    CHECK(call.ended_by == session::CallEnd::none);
    CHECK(call.end.micros - call.start.micros == 10'000);
}

TEST_CASE(
    "calls: a call without BYE lasts until its last media packet, and REGISTER is no call but its "
    "credentials are kept") {
    const session::Model model = track(scenario("sip-digest-register-calls"));
    REQUIRE(model.calls.size() == 2);  // the REGISTER transaction is not a call
    const auto& refused = model.calls[0];
    REQUIRE(refused.outcome);
    CHECK(refused.outcome->status == 488);
    CHECK(refused.outcome->reason == "Not Acceptable Here");
    CHECK(refused.ended_by == session::CallEnd::failure);
    const auto& answered = model.calls[1];
    REQUIRE(answered.outcome);
    CHECK(answered.outcome->status == 200);
    CHECK(answered.ended_by == session::CallEnd::none);
    REQUIRE(answered.media.size() == 2);
    util::Timestamp last_media;
    for (const auto id : answered.media) {
        last_media = std::max(last_media, model.stream(id)->last_time);
    }
    CHECK(answered.end == last_media);
    CHECK(answered.end.micros - answered.start.micros > 8'000'000);  // 8 s of media after the ACK
    REQUIRE(model.credentials.size() == 3);
    CHECK(model.credentials[0].method_text == "REGISTER");
    CHECK_FALSE(model.credentials[0].call);
    CHECK(model.credentials[0].aor == "sip:alice@sip.example.com");
    CHECK(model.credentials[0].credentials.header == sip::CredentialsHeader::authorization);
    CHECK(model.credentials[1].call == 1u);
    CHECK(model.credentials[1].credentials.header == sip::CredentialsHeader::proxy_authorization);
    CHECK(model.credentials[2].call == 2u);
    CHECK(model.credentials[2].credentials.value("nc") == "00000002");
}
