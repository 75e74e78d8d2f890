// Dialogs that never get a final response: closed by the timeout or the live-dialog cap and
// summarised, so that a flood costs counts, while its findings stay one per cause with a count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;

namespace {

const util::Endpoint k_callee{*util::IpAddress::parse("192.0.2.1"), 5060};
constexpr std::int64_t k_second = 1'000'000;

/// An INVITE from its own host and Call-ID, offering `key` (30 bytes: master key and salt).
std::string invite(std::uint32_t n, std::uint8_t key) {
    gen::SdpSpec sdp;
    sdp.address = util::IpAddress::v4(0x0a000000 + n);
    sdp.port = static_cast<std::uint16_t>(10000 + 2 * (n % 20000));
    sdp.savp = true;
    gen::SdpCrypto crypto;
    crypto.key_salt = gen::ByteVector(30, key);
    sdp.cryptos.push_back(std::move(crypto));
    const std::string host = sdp.address.to_string();
    return gen::SipWriter::request("INVITE", "sip:100@192.0.2.1")
        .header("Via", fmt::format("SIP/2.0/UDP {}:5060;branch=z9hG4bK{:08x}", host, n))
        .header("From", fmt::format("<sip:scan@{}>;tag={:08x}", host, n))
        .header("To", "<sip:100@192.0.2.1>")
        .header("Call-ID", fmt::format("flood-{}", n))
        .header("CSeq", "1 INVITE")
        .header("Contact", fmt::format("<sip:scan@{}>", host))
        .body("application/sdp", gen::build_sdp(sdp))
        .text();
}

util::Endpoint caller(std::uint32_t n) {
    return {util::IpAddress::v4(0x0a000000 + n), 5060};
}

using test::track;

std::vector<analysis::Finding> of_rule(const std::vector<analysis::Finding>& all, std::string_view rule) {
    std::vector<analysis::Finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const analysis::Finding& f) { return f.rule == rule; });
    return out;
}

}  // namespace

TEST_CASE("an INVITE that never got a final response is summarised after the dialog timeout, its key still counted") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, caller(1), k_callee, util::as_bytes(invite(1, 0x11)));
    // Anything much later moves capture time past the timeout.
    capture.add_udp(util::Timestamp{400 * k_second}, caller(2), k_callee, util::as_bytes(std::string(20, 'x')));
    const session::Model model = track(capture, session::Limits{});
    CHECK(model.calls.empty());
    CHECK(model.decode.dialogs.summarised == 1);
    CHECK(model.decode.dialogs.by_timeout == 1);
    CHECK(model.decode.dialogs.by_cap == 0);
    REQUIRE(model.summarised.key_examples.size() == 1);
    CHECK(model.summarised.key_examples[0].call_id == "flood-1");
    CHECK(model.summarised.key_examples[0].frame == 1);

    const auto exposed = of_rule(analysis::run_rules(model, analysis::Policy{}), "sdes.key-exposed");
    REQUIRE(exposed.size() == 1);
    CHECK(exposed[0].count == 1U);
    CHECK(exposed[0].frames == std::vector<std::uint64_t>{1});
    CHECK(analysis::examples_of(exposed[0])[0]["call_id"] == "flood-1");
}

TEST_CASE("an INVITE still waiting when the capture ends stays a call, judged whole") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, caller(1), k_callee, util::as_bytes(invite(1, 0x11)));
    capture.add_udp(util::Timestamp{100 * k_second}, caller(2), k_callee, util::as_bytes(std::string(20, 'x')));
    const session::Model model = track(capture, session::Limits{});  // 100 s < Timer C
    REQUIRE(model.calls.size() == 1);
    CHECK(model.decode.dialogs.summarised == 0);
}

TEST_CASE("a flood over the live-dialog cap keeps the cap's worth of dialogs and counts the rest") {
    session::Limits limits;
    limits.max_live_dialogs = 50;
    for (const std::uint32_t invites : {400U, 800U}) {
        gen::CaptureBuilder capture;
        for (std::uint32_t n = 1; n <= invites; ++n) {
            capture.add_udp(util::Timestamp{n * 1000}, caller(n), k_callee, util::as_bytes(invite(n, 0x22)));
        }
        const session::Model model = track(capture, limits);
        // What stays whole does not grow with the flood.
        CHECK(model.calls.size() == 50);
        CHECK(model.decode.dialogs.summarised == invites - 50);
        CHECK(model.decode.dialogs.by_cap == invites - 50);
        CHECK(model.summarised.keys.size() == 1);
        CHECK(model.summarised.key_examples.size() == analysis::max_examples);

        const auto findings = analysis::run_rules(model, analysis::Policy{});
        // One key in every INVITE: one reuse finding that counts them all.
        const auto reuse = of_rule(findings, "sdes.key-reuse");
        REQUIRE(reuse.size() == 1);
        CHECK(reuse[0].count == invites);
        CHECK(analysis::examples_of(reuse[0]).size() == analysis::max_examples);
        CHECK(analysis::evidence_of(reuse[0])["reuse"] == nlohmann::ordered_json::array({"two-calls"}));
        // The kept calls one finding each, the summarised ones one finding with their count.
        for (const char* rule : {"sdes.key-exposed", "sip.cleartext-signaling"}) {
            const auto per_rule = of_rule(findings, rule);
            REQUIRE(per_rule.size() == 51);
            const auto counted = std::find_if(per_rule.begin(), per_rule.end(),
                                              [](const analysis::Finding& f) { return f.count.has_value(); });
            REQUIRE(counted != per_rule.end());
            CHECK(counted->count == invites - 50);
            CHECK_FALSE(counted->call.has_value());
            CHECK(analysis::examples_of(*counted).size() == analysis::max_examples);
            CHECK(analysis::examples_of(*counted)[0]["call_id"] == "flood-1");  // the oldest went first
        }
    }
}

TEST_CASE("summarised dialogs with distinct keys are no reuse, and a key cap bounds what is remembered") {
    session::Limits limits;
    limits.max_live_dialogs = 10;
    limits.max_summarised_keys = 100;
    gen::CaptureBuilder capture;
    for (std::uint32_t n = 1; n <= 300; ++n) {
        capture.add_udp(util::Timestamp{n * 1000}, caller(n), k_callee,
                        util::as_bytes(invite(n, static_cast<std::uint8_t>(n % 251))));
    }
    const session::Model model = track(capture, limits);
    // Kept whole: the last 10 (keys 40..49). Summarised in order: INVITEs 1..100 fill the key
    // memory; 101..251 (keys 101..250 and 0) find it full; 252..290 repeat keys 1..39.
    CHECK(model.calls.size() == 10);
    CHECK(model.summarised.keys.size() == 100);
    CHECK(model.decode.dialogs.keys_untracked == 151);
    // Reused: keys 1..39 by two summarised dialogs, keys 40..49 by a summarised dialog and a
    // kept call. The other keys were offered once (or forgotten), and are not reported.
    const auto reuse = of_rule(analysis::run_rules(model, analysis::Policy{}), "sdes.key-reuse");
    CHECK(reuse.size() == 49);
    for (const auto& f : reuse) {
        CHECK(f.count == 2U);
    }
}

namespace {

/// The callee's 200 OK to invite(n, ...), without SDP: enough to make the call answered.
std::string ok_to_invite(std::uint32_t n) {
    const std::string host = util::IpAddress::v4(0x0a000000 + n).to_string();
    return gen::SipWriter::response(200, "OK")
        .header("Via", fmt::format("SIP/2.0/UDP {}:5060;branch=z9hG4bK{:08x}", host, n))
        .header("From", fmt::format("<sip:scan@{}>;tag={:08x}", host, n))
        .header("To", "<sip:100@192.0.2.1>;tag=callee")
        .header("Call-ID", fmt::format("flood-{}", n))
        .header("CSeq", "1 INVITE")
        .header("Contact", "<sip:100@192.0.2.1>")
        .text();
}

/// Where invite(n, ...) announced that its caller receives media.
util::Endpoint caller_media(std::uint32_t n) {
    return {util::IpAddress::v4(0x0a000000 + n), static_cast<std::uint16_t>(10000 + 2 * (n % 20000))};
}

}  // namespace

TEST_CASE("an answered call without SIP or media for the call timeout is summarised, while media keeps it whole") {
    const util::Endpoint media_source{*util::IpAddress::parse("192.0.2.1"), 20000};
    const auto answered_call = [&](bool with_media) {
        gen::CaptureBuilder capture;
        capture.add_udp(util::Timestamp{0}, caller(1), k_callee, util::as_bytes(invite(1, 0x33)));
        capture.add_udp(util::Timestamp{k_second}, k_callee, caller(1), util::as_bytes(ok_to_invite(1)));
        // Ninety minutes of capture time: media to the caller every 50 s, or unrelated traffic.
        for (std::int64_t t = 50; t <= 5400; t += 50) {
            const util::Endpoint to = with_media ? caller_media(1) : util::Endpoint{caller(2).address, 9};
            capture.add_udp(util::Timestamp{t * k_second}, media_source, to, util::as_bytes(std::string(20, 'x')));
        }
        session::Limits limits;
        limits.call_idle_micros = 3600 * k_second;
        return track(capture, limits);
    };

    SECTION("idle") {
        const session::Model model = answered_call(false);
        CHECK(model.calls.empty());
        CHECK(model.decode.dialogs.summarised == 1);
        CHECK(model.decode.dialogs.idle_calls == 1);
        CHECK(model.decode.dialogs.by_timeout == 0);
        REQUIRE(model.summarised.key_examples.size() == 1);
        CHECK(model.summarised.key_examples[0].call_id == "flood-1");
    }
    SECTION("with media") {
        const session::Model model = answered_call(true);
        REQUIRE(model.calls.size() == 1);
        CHECK(model.decode.dialogs.summarised == 0);
    }
}

// A flow looks its call up again only when an SDP names one of its ends: media that began before
// the SDP announcing it (early media, or a capture started mid-negotiation) must still find it.
TEST_CASE("media that began before its call's SDP keeps the call whole once the SDP names it") {
    const util::Endpoint media_source{*util::IpAddress::parse("192.0.2.1"), 20000};
    gen::CaptureBuilder capture;
    // Other calls' SDP before, naming other ends: the flow need not look again for them.
    for (std::uint32_t other = 2; other <= 4; ++other) {
        capture.add_udp(util::Timestamp{other * 100'000}, caller(other), k_callee,
                        util::as_bytes(invite(other, static_cast<std::uint8_t>(0x50 + other))));
    }
    // Ninety minutes of media to the caller, a packet a second (so that its flow never idles
    // out and is looked up afresh), from before the INVITE that announces where it goes.
    for (std::int64_t t = 1; t <= 5400; ++t) {
        capture.add_udp(util::Timestamp{t * k_second}, media_source, caller_media(1),
                        util::as_bytes(std::string(20, 'x')));
        if (t == 3) {
            capture.add_udp(util::Timestamp{t * k_second + k_second / 2}, caller(1), k_callee,
                            util::as_bytes(invite(1, 0x55)));
            capture.add_udp(util::Timestamp{t * k_second + k_second * 3 / 4}, k_callee, caller(1),
                            util::as_bytes(ok_to_invite(1)));
        }
    }
    session::Limits limits;
    limits.call_idle_micros = 3600 * k_second;
    const session::Model model = track(capture, limits);
    const auto call = std::find_if(model.calls.begin(), model.calls.end(),
                                   [](const session::Call& c) { return c.call_id == "flood-1"; });
    CHECK(call != model.calls.end());
    CHECK(model.decode.dialogs.idle_calls == 0);
}

TEST_CASE("a call ended by BYE is judged whole however long the capture runs on") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, caller(1), k_callee, util::as_bytes(invite(1, 0x44)));
    capture.add_udp(util::Timestamp{k_second}, k_callee, caller(1), util::as_bytes(ok_to_invite(1)));
    const std::string bye = gen::SipWriter::request("BYE", "sip:100@192.0.2.1")
                                .header("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKbye")
                                .header("From", "<sip:scan@10.0.0.1>;tag=00000001")
                                .header("To", "<sip:100@192.0.2.1>;tag=callee")
                                .header("Call-ID", "flood-1")
                                .header("CSeq", "2 BYE")
                                .text();
    capture.add_udp(util::Timestamp{2 * k_second}, caller(1), k_callee, util::as_bytes(bye));
    capture.add_udp(util::Timestamp{8000 * k_second}, caller(2), k_callee, util::as_bytes(std::string(20, 'x')));
    session::Limits limits;
    limits.call_idle_micros = 3600 * k_second;
    const session::Model model = track(capture, limits);
    REQUIRE(model.calls.size() == 1);
    CHECK(model.calls[0].ended_by == session::CallEnd::bye);
    CHECK(model.decode.dialogs.summarised == 0);
}

namespace {

/// The callee's final failure to invite(n, ...).
std::string failure_to_invite(std::uint32_t n, int status, std::string_view reason) {
    const std::string host = util::IpAddress::v4(0x0a000000 + n).to_string();
    return gen::SipWriter::response(status, reason)
        .header("Via", fmt::format("SIP/2.0/UDP {}:5060;branch=z9hG4bK{:08x}", host, n))
        .header("From", fmt::format("<sip:scan@{}>;tag={:08x}", host, n))
        .header("To", "<sip:100@192.0.2.1>;tag=callee")
        .header("Call-ID", fmt::format("flood-{}", n))
        .header("CSeq", "1 INVITE")
        .text();
}

}  // namespace

TEST_CASE("a scanner answered 404 keeps the failed-call cap's worth of calls whole and counts the rest") {
    session::Limits limits;
    limits.max_failed_calls = 50;
    gen::CaptureBuilder capture;
    for (std::uint32_t n = 1; n <= 400; ++n) {
        capture.add_udp(util::Timestamp{n * 1000}, caller(n), k_callee, util::as_bytes(invite(n, 0x55)));
        capture.add_udp(util::Timestamp{n * 1000 + 500}, k_callee, caller(n),
                        util::as_bytes(failure_to_invite(n, 404, "Not Found")));
    }
    const session::Model model = track(capture, limits);
    CHECK(model.calls.size() == 50);
    CHECK(model.calls.front().call_id == "flood-351");  // the oldest went first
    CHECK(model.decode.dialogs.failed_calls == 350);
    CHECK(model.decode.dialogs.summarised == 350);
    CHECK(model.decode.dialogs.by_cap == 0);  // nothing partial: every finding is still counted
    const auto findings = analysis::run_rules(model, analysis::Policy{});
    const auto reuse = of_rule(findings, "sdes.key-reuse");
    REQUIRE(reuse.size() == 1);
    CHECK(reuse[0].count == 400U);
}

TEST_CASE("a call whose INVITE a retry answered is no longer failed and stays whole past the cap") {
    session::Limits limits;
    limits.max_failed_calls = 1;
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, caller(1), k_callee, util::as_bytes(invite(1, 0x66)));
    capture.add_udp(util::Timestamp{1000}, k_callee, caller(1),
                    util::as_bytes(failure_to_invite(1, 401, "Unauthorized")));
    capture.add_udp(util::Timestamp{2000}, k_callee, caller(1), util::as_bytes(ok_to_invite(1)));
    for (std::uint32_t n = 2; n <= 5; ++n) {  // later failures push it out of the failed queue
        capture.add_udp(util::Timestamp{n * 10000}, caller(n), k_callee, util::as_bytes(invite(n, 0x66)));
        capture.add_udp(util::Timestamp{n * 10000 + 500}, k_callee, caller(n),
                        util::as_bytes(failure_to_invite(n, 486, "Busy Here")));
    }
    const session::Model model = track(capture, limits);
    REQUIRE(model.calls.size() == 2);
    CHECK(model.calls[0].call_id == "flood-1");
    CHECK(model.calls[0].outcome->status == 200);
    CHECK(model.calls[1].call_id == "flood-5");
    CHECK(model.decode.dialogs.failed_calls == 3);
}

namespace {

/// A re-INVITE of invite(1, ...)'s dialog with CSeq `cseq`, offering SDES-SRTP or plain RTP.
std::string reinvite(std::uint32_t cseq, bool secure) {
    gen::SdpSpec sdp;
    sdp.address = util::IpAddress::v4(0x0a000001);
    sdp.port = 10002;
    sdp.savp = secure;
    if (secure) {
        gen::SdpCrypto crypto;
        crypto.key_salt = gen::ByteVector(30, static_cast<std::uint8_t>(cseq));
        sdp.cryptos.push_back(std::move(crypto));
    }
    return gen::SipWriter::request("INVITE", "sip:100@192.0.2.1")
        .header("Via", fmt::format("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKre{}", cseq))
        .header("From", "<sip:scan@10.0.0.1>;tag=00000001")
        .header("To", "<sip:100@192.0.2.1>;tag=callee")
        .header("Call-ID", "flood-1")
        .header("CSeq", fmt::format("{} INVITE", cseq))
        .header("Contact", "<sip:scan@10.0.0.1>")
        .body("application/sdp", gen::build_sdp(sdp))
        .text();
}

/// A call that re-offers SDES three times, then offers plain RTP and hangs up: seven messages.
gen::CaptureBuilder reoffering_call() {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, caller(1), k_callee, util::as_bytes(invite(1, 0x44)));
    capture.add_udp(util::Timestamp{k_second}, k_callee, caller(1), util::as_bytes(ok_to_invite(1)));
    for (std::uint32_t cseq = 2; cseq <= 4; ++cseq) {
        capture.add_udp(util::Timestamp{cseq * k_second}, caller(1), k_callee, util::as_bytes(reinvite(cseq, true)));
    }
    capture.add_udp(util::Timestamp{5 * k_second}, caller(1), k_callee, util::as_bytes(reinvite(5, false)));
    const std::string bye = gen::SipWriter::request("BYE", "sip:100@192.0.2.1")
                                .header("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKbye")
                                .header("From", "<sip:scan@10.0.0.1>;tag=00000001")
                                .header("To", "<sip:100@192.0.2.1>;tag=callee")
                                .header("Call-ID", "flood-1")
                                .header("CSeq", "6 BYE")
                                .text();
    capture.add_udp(util::Timestamp{6 * k_second}, caller(1), k_callee, util::as_bytes(bye));
    return capture;
}

}  // namespace

TEST_CASE("a dialog past the message cap keeps the cap's worth, counts the rest, and still ends with its BYE") {
    const gen::CaptureBuilder capture = reoffering_call();

    const session::Model whole = track(capture);
    REQUIRE(whole.calls.size() == 1);
    CHECK(whole.calls[0].messages.size() == 7);
    CHECK_FALSE(whole.decode.dialogs.limited());
    // Under the cap, the plain re-offer is judged: it dropped the key the earlier ones had.
    CHECK(of_rule(analysis::run_rules(whole, {}), "sdp.security-stripped").size() == 1);

    session::Limits limits;
    limits.max_messages_per_call = 5;
    const session::Model capped = track(capture, limits);
    REQUIRE(capped.calls.size() == 1);
    const session::Call& call = capped.calls[0];
    CHECK(call.messages.size() == 5);
    CHECK(call.sdps.size() == 4);                   // the INVITE's and three re-offers: the plain one was not read
    CHECK(call.ended_by == session::CallEnd::bye);  // the BYE past the cap still ended the call
    CHECK(capped.decode.dialogs.messages_not_kept == 2);
    CHECK(capped.decode.anomaly_count(util::AnomalyCode::sip_too_many_messages) == 1);
    CHECK(capped.decode.dialogs.limited());  // the reports say partial
    CHECK(of_rule(analysis::run_rules(capped, {}), "sdp.security-stripped").empty());
}

TEST_CASE("a REGISTER scan keeps the credential cap's worth of requests and counts the rest") {
    gen::CaptureBuilder capture;
    for (std::uint32_t n = 0; n < 20; ++n) {
        const std::string user = fmt::format("{}", 100 + n);  // each request another extension
        const std::string text =
            gen::SipWriter::request("REGISTER", "sip:192.0.2.1")
                .header("Via", fmt::format("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKreg{}", n))
                .header("From", fmt::format("<sip:{}@192.0.2.1>;tag=r{}", user, n))
                .header("To", fmt::format("<sip:{}@192.0.2.1>", user))
                .header("Call-ID", fmt::format("register-{}", n))
                .header("CSeq", "1 REGISTER")
                .header("Authorization", fmt::format("Digest username=\"{}\", realm=\"pbx\", nonce=\"n{}\", "
                                                     "uri=\"sip:192.0.2.1\", response=\"{:032x}\"",
                                                     user, n, n))
                .text();
        capture.add_udp(util::Timestamp{n * 1000}, caller(9), k_callee, util::as_bytes(text));
    }
    const session::Model whole = track(capture);
    CHECK(whole.credentials.size() == 20);
    CHECK(of_rule(analysis::run_rules(whole, {}), "sip.cleartext-credentials").size() == 20);  // one per user
    CHECK_FALSE(whole.decode.limited());

    session::Limits limits;
    limits.max_credential_uses = 5;
    const session::Model capped = track(capture, limits);
    CHECK(capped.credentials.size() == 5);
    CHECK(capped.decode.anomaly_count(util::AnomalyCode::sip_too_many_credentials) == 15);
    CHECK(capped.decode.limited());
    CHECK(of_rule(analysis::run_rules(capped, {}), "sip.cleartext-credentials").size() == 5);
}
