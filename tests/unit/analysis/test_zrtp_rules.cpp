// ZRTP rules over hand-built session models: each rule's positive and negative cases, and that
// a not_verifiable check never becomes a finding.
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model_builder.hpp"
#include "zaudit/session/zid_ledger.hpp"

using namespace zaudit;
using session::ZrtpHandshake;
using zrtp::CheckOutcome;
using zrtp::MessageType;

namespace {

const util::Endpoint k_alice = test::ep("192.0.2.10", 7078);
const util::Endpoint k_bob = test::ep("198.51.100.20", 7078);

zrtp::Zid zid_of(std::uint8_t fill) {
    zrtp::Zid zid{};
    zid.fill(fill);
    return zid;
}

zrtp::Message hello_message(zrtp::Zid zid, std::string client_id = "alice", bool mitm = false) {
    zrtp::Message message;
    message.type = MessageType::hello;
    zrtp::Hello hello;
    hello.version = "1.10";
    hello.client_id = std::move(client_id);
    hello.zid = zid;
    hello.mitm = mitm;
    message.body = hello;
    return message;
}

zrtp::Message commit_message(std::string key_agreement, zrtp::Zid zid = zid_of(0xaa)) {
    zrtp::Message message;
    message.type = MessageType::commit;
    zrtp::Commit commit;
    commit.zid = zid;
    commit.hash = "S256";
    commit.cipher = "AES1";
    commit.auth_tag = "HS32";
    commit.key_agreement = std::move(key_agreement);
    commit.sas = "B32 ";
    message.body = commit;
    return message;
}

zrtp::Message bare(MessageType type) {
    zrtp::Message message;
    message.type = type;
    return message;
}

session::ZrtpMessageRecord record(std::uint64_t frame, const util::Endpoint& src, zrtp::Message message) {
    session::ZrtpMessageRecord r;
    r.frame = frame;
    r.time = util::Timestamp{static_cast<std::int64_t>(frame) * 10'000};
    r.src = src;
    r.dst = src == k_alice ? k_bob : k_alice;
    r.message = std::move(message);
    return r;
}

/// A handshake between alice (initiator) and bob on flow 1: Hellos with ZIDs 0xaa/0xbb, and when
/// `complete`, a DH3k Commit and a Conf2ACK at frame 20.
ZrtpHandshake handshake(std::uint32_t id = 1, bool complete = true) {
    ZrtpHandshake h;
    h.id = id;
    h.flow = id;
    h.a = k_alice;
    h.b = k_bob;
    h.first_frame = 2;
    h.first_time = util::Timestamp{20'000};
    h.messages.push_back(record(2, k_alice, hello_message(zid_of(0xaa), "alice")));
    h.messages.push_back(record(3, k_bob, hello_message(zid_of(0xbb), "bob")));
    h.initiator = k_alice;
    h.responder = k_bob;
    if (complete) {
        h.messages.push_back(record(6, k_alice, commit_message("DH3k")));
        h.messages.push_back(record(20, k_bob, bare(MessageType::conf2_ack)));
        h.completed = true;
        h.secure_frame = 20;
        h.secure_time = util::Timestamp{200'000};
    }
    h.last_frame = complete ? 20 : 3;
    return h;
}

session::ZrtpCheck check(zrtp::CheckId id, CheckOutcome outcome, std::vector<std::uint64_t> frames = {2, 6}) {
    return {zrtp::Check{id, outcome, "00112233aabbccdd", "ffeeddcc44332211", "test"}, std::move(frames)};
}

session::ZrtpEvent event(std::uint64_t frame, session::ZrtpEventKind kind, std::uint32_t code = 0,
                         const util::Endpoint& src = k_bob) {
    return {frame, util::Timestamp{static_cast<std::int64_t>(frame) * 10'000}, src, kind, "", code, std::nullopt};
}

session::Model model_with(std::vector<ZrtpHandshake> handshakes, std::vector<session::Call> calls = {}) {
    session::Model model = test::model_of(std::move(calls));
    model.handshakes.assign(handshakes.begin(), handshakes.end());
    return model;
}

session::MediaStream stream(std::uint32_t id, std::uint32_t flow, std::uint64_t first_frame, std::uint64_t packets,
                            session::Protection protection = session::Protection::none) {
    session::MediaStream s;
    s.id = id;
    s.flow = flow;
    s.src = k_alice;
    s.dst = k_bob;
    s.packets = packets;
    s.first_frame = first_frame;
    s.last_frame = first_frame + packets * 2;
    s.first_time = util::Timestamp{static_cast<std::int64_t>(first_frame) * 10'000};
    s.protection = protection;
    return s;
}

/// A call whose offer (alice) and answer (bob) carry a=zrtp-hash when asked to.
session::Call zrtp_call(bool offer_zrtp, bool answer_zrtp) {
    session::Call c = test::call(1);
    auto offer = test::audio(k_alice, "RTP/AVP");
    auto answer = test::audio(k_bob, "RTP/AVP");
    if (offer_zrtp) {
        offer.zrtp_hashes = {"1.10 " + std::string(64, 'a')};
    }
    if (answer_zrtp) {
        answer.zrtp_hashes = {"1.10 " + std::string(64, 'b')};
    }
    test::exchange(c,
                   test::sdp_snapshot(1, test::ep("192.0.2.10", 5060), test::ep("198.51.100.20", 5060), "INVITE", 1,
                                      true, {offer}),
                   test::sdp_snapshot(4, test::ep("198.51.100.20", 5060), test::ep("192.0.2.10", 5060), "200 INVITE", 1,
                                      false, {answer}));
    return c;
}

}  // namespace

TEST_CASE("zrtp rules: catalogue ids, severities and DESIGN.md order") {
    const std::vector<std::pair<std::string_view, analysis::Severity>> expected{
        {"zrtp.handshake-incomplete", analysis::Severity::medium},
        {"zrtp.stripped", analysis::Severity::high},
        {"media.clear-before-secure", analysis::Severity::low},
        {"zrtp.goclear", analysis::Severity::high},
        {"zrtp.error", analysis::Severity::medium},
        {"zrtp.retransmission-mismatch", analysis::Severity::high},
        {"zrtp.crc-invalid", analysis::Severity::medium},
        {"zrtp.hello-tampered", analysis::Severity::critical},
        {"zrtp.hash-chain-broken", analysis::Severity::critical},
        {"zrtp.hvi-mismatch", analysis::Severity::critical},
        {"zrtp.public-value-invalid", analysis::Severity::critical},  // an extension of DESIGN.md section 4
        {"zrtp.zrtp-hash-mismatch", analysis::Severity::critical},
        {"zrtp.algorithm-downgrade", analysis::Severity::high},
        {"zrtp.weak-algorithms", analysis::Severity::low},
        {"zrtp.trusted-mitm", analysis::Severity::medium},
        {"zrtp.zid-conflict", analysis::Severity::high},
        {"call.security-downgraded", analysis::Severity::high},
    };
    std::vector<std::size_t> positions;
    const auto catalogue = analysis::rule_catalogue();
    for (const auto& [id, severity] : expected) {
        INFO(id);
        const analysis::RuleInfo* rule = analysis::find_rule(id);
        REQUIRE(rule != nullptr);
        CHECK(rule->severity == severity);
        CHECK(rule->explanation.size() > 100);
        CHECK_FALSE(rule->remediation.empty());
        if (id != "call.security-downgraded") {  // its reference is the SDP side's (RFC 3264)
            CHECK(rule->reference.find("RFC 6189") != std::string_view::npos);
        }
        positions.push_back(static_cast<std::size_t>(rule - catalogue.data()));
    }
    CHECK(std::is_sorted(positions.begin(), positions.end()));
}

TEST_CASE("zrtp rules: an empty model and a clean completed handshake give no ZRTP finding") {
    for (const auto& model : {session::Model{}, model_with({handshake()})}) {
        for (const auto& rule : analysis::rule_catalogue()) {
            if (rule.id.starts_with("zrtp.") || rule.id == "media.clear-before-secure") {
                INFO(rule.id);
                CHECK(test::run_rule(rule.id, model).empty());
            }
        }
    }
}

TEST_CASE("zrtp rules: a failed check becomes a verified finding of its rule, with frames and values") {
    using zrtp::CheckId;
    const std::vector<std::pair<CheckId, std::string_view>> cases{
        {CheckId::hello_mac, "zrtp.hello-tampered"},
        {CheckId::hello_h3, "zrtp.hello-tampered"},
        {CheckId::responder_hello_mac, "zrtp.hello-tampered"},
        {CheckId::responder_hello_h3, "zrtp.hello-tampered"},
        {CheckId::commit_h2, "zrtp.hash-chain-broken"},
        {CheckId::commit_mac, "zrtp.hash-chain-broken"},
        {CheckId::hvi, "zrtp.hvi-mismatch"},
        {CheckId::zrtp_hash, "zrtp.zrtp-hash-mismatch"},
        {CheckId::negotiation_hash, "zrtp.algorithm-downgrade"},
        {CheckId::negotiation_cipher, "zrtp.algorithm-downgrade"},
        {CheckId::negotiation_auth_tag, "zrtp.algorithm-downgrade"},
        {CheckId::negotiation_key_agreement, "zrtp.algorithm-downgrade"},
        {CheckId::negotiation_sas, "zrtp.algorithm-downgrade"},
        {CheckId::key_agreement_choice, "zrtp.algorithm-downgrade"},
        {CheckId::dhpart1_public_value, "zrtp.public-value-invalid"},
        {CheckId::dhpart2_public_value, "zrtp.public-value-invalid"},
    };
    const std::set<std::string_view> check_rules{"zrtp.hello-tampered",      "zrtp.hash-chain-broken",
                                                 "zrtp.hvi-mismatch",        "zrtp.zrtp-hash-mismatch",
                                                 "zrtp.algorithm-downgrade", "zrtp.public-value-invalid"};
    for (const auto& [id, rule] : cases) {
        const std::string name{zrtp::to_string(id)};
        INFO(name);
        ZrtpHandshake h = handshake();
        h.call = 7;
        h.checks.push_back(check(id, CheckOutcome::failed, {2, 6}));
        const auto model = model_with({h});
        for (const auto other : check_rules) {
            const auto findings = test::run_rule(other, model);
            if (other != rule) {
                CHECK(findings.empty());
                continue;
            }
            REQUIRE(findings.size() == 1);
            const auto& f = findings.front();
            CHECK(f.confidence == analysis::Confidence::verified);
            CHECK(f.frames == std::vector<std::uint64_t>{2, 6});
            CHECK(f.call == 7u);
            CHECK(f.evidence["check"] == name);
            CHECK(f.evidence["expected"] == "00112233aabbccdd");
            CHECK(f.evidence["observed"] == "ffeeddcc44332211");
            CHECK(f.evidence["handshake"] == 1);
            CHECK(f.evidence["endpoint_a"] == "192.0.2.10:7078");
            CHECK(f.evidence["initiator"] == "192.0.2.10:7078");
        }
    }
}

TEST_CASE("zrtp rules: passed and not_verifiable checks give no finding") {
    ZrtpHandshake h = handshake();
    for (std::size_t i = 0; i < static_cast<std::size_t>(zrtp::CheckId::count_); ++i) {
        h.checks.push_back(check(static_cast<zrtp::CheckId>(i), CheckOutcome::not_verifiable));
        h.checks.push_back(check(static_cast<zrtp::CheckId>(i), CheckOutcome::passed));
    }
    const auto model = model_with({h});
    for (const auto& rule : analysis::rule_catalogue()) {
        INFO(rule.id);
        CHECK(test::run_rule(rule.id, model).empty());
    }
}

TEST_CASE("zrtp.weak-algorithms: DH2k is low, SIKE is high, DH3k and unfinished handshakes are not reported") {
    const auto with_ka = [](const std::string& ka, bool complete = true) {
        ZrtpHandshake h = handshake(1, true);
        h.messages[2] = record(6, k_alice, commit_message(ka));
        h.completed = complete;
        return model_with({h});
    };
    auto findings = test::run_rule("zrtp.weak-algorithms", with_ka("DH2k"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::low);
    CHECK(findings[0].evidence["key_agreement"] == "DH2k");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{6, 20});

    findings = test::run_rule("zrtp.weak-algorithms", with_ka("SIK2"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::high);

    CHECK(test::run_rule("zrtp.weak-algorithms", with_ka("DH3k")).empty());
    CHECK(test::run_rule("zrtp.weak-algorithms", with_ka("DH2k", false)).empty());

    analysis::Policy policy;
    policy.weak_key_agreements = {"EC25"};
    CHECK(test::run_rule("zrtp.weak-algorithms", with_ka("DH2k"), policy).empty());
    CHECK(test::run_rule("zrtp.weak-algorithms", with_ka("EC25"), policy).size() == 1);
    policy.weak_key_agreements.clear();  // broken ones stay broken whatever the policy
    CHECK(test::run_rule("zrtp.weak-algorithms", with_ka("SIK1"), policy).size() == 1);
}

TEST_CASE("zrtp.retransmission-mismatch: one finding per conflict, with both frames") {
    ZrtpHandshake h = handshake();
    CHECK(test::run_rule("zrtp.retransmission-mismatch", model_with({h})).empty());
    h.conflicts.push_back({MessageType::hello, k_alice, 2, 9, 40});
    const auto findings = test::run_rule("zrtp.retransmission-mismatch", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{2, 9});
    CHECK(findings[0].evidence["message"] == "Hello");
    CHECK(findings[0].evidence["sender"] == "192.0.2.10:7078");
    CHECK(findings[0].evidence["first_difference"] == 40);
}

/// The handshake with a second copy of alice's Hello (frame 9, a variant) and its checks: the MAC
/// under the H2 of alice's Commit (frame 6) for the copy in frame 2 and the one in frame 9.
ZrtpHandshake two_hellos(CheckOutcome first, CheckOutcome other) {
    ZrtpHandshake h = handshake();
    h.variants.push_back(record(9, k_alice, hello_message(zid_of(0xaa), "alice-edited")));
    h.conflicts.push_back({MessageType::hello, k_alice, 2, 9, 40});
    h.checks.push_back(check(zrtp::CheckId::hello_mac, first, {2, 6}));
    h.checks.push_back(check(zrtp::CheckId::hello_mac, other, {6, 9}));
    return h;
}

TEST_CASE("zrtp.hello-tampered: two Hello copies, one failing its MAC, name the edited and the intact frame") {
    for (const bool edited_first : {true, false}) {
        INFO("edited copy first: " << edited_first);
        const ZrtpHandshake h = edited_first ? two_hellos(CheckOutcome::failed, CheckOutcome::passed)
                                             : two_hellos(CheckOutcome::passed, CheckOutcome::failed);
        const auto findings = test::run_rule("zrtp.hello-tampered", model_with({h}));
        REQUIRE(findings.size() == 1);  // the pair, not also the failed check on its own
        CHECK(findings[0].frames == std::vector<std::uint64_t>{2, 9});
        CHECK(findings[0].evidence["edited_frame"] == (edited_first ? 2 : 9));
        CHECK(findings[0].evidence["intact_frame"] == (edited_first ? 9 : 2));
        CHECK(findings[0].evidence["told_apart_by"] == "hash_chain");
        CHECK(findings[0].evidence["edited_checks"].at(0)["outcome"] == "failed");
        CHECK(findings[0].evidence["intact_checks"].at(0)["outcome"] == "passed");
        // The pair is explained: no retransmission mismatch beside it.
        CHECK(test::run_rule("zrtp.retransmission-mismatch", model_with({h})).empty());
    }
}

TEST_CASE("zrtp.hello-tampered: copies the hash chain cannot tell apart stay a retransmission mismatch") {
    // Both pass: whoever made them knew H2 before the Commit revealed it, the endpoint itself.
    ZrtpHandshake both_pass = two_hellos(CheckOutcome::passed, CheckOutcome::passed);
    both_pass.checks.push_back(check(zrtp::CheckId::zrtp_hash, CheckOutcome::failed, {1, 9}));
    CHECK(test::run_rule("zrtp.hello-tampered", model_with({both_pass})).empty());
    CHECK(test::run_rule("zrtp.retransmission-mismatch", model_with({both_pass})).size() == 1);
    CHECK(test::run_rule("zrtp.zrtp-hash-mismatch", model_with({both_pass})).size() == 1);
    // Both fail: each failed check is its own finding, and the copies still differ.
    const ZrtpHandshake both_fail = two_hellos(CheckOutcome::failed, CheckOutcome::failed);
    CHECK(test::run_rule("zrtp.hello-tampered", model_with({both_fail})).size() == 2);
    CHECK(test::run_rule("zrtp.retransmission-mismatch", model_with({both_fail})).size() == 1);
}

TEST_CASE("zrtp.hello-tampered: with no Commit or DHPart1 of the sender, a=zrtp-hash tells the copies apart") {
    ZrtpHandshake h = handshake(1, false);
    h.variants.push_back(record(9, k_alice, hello_message(zid_of(0xaa), "alice-edited")));
    h.conflicts.push_back({MessageType::hello, k_alice, 2, 9, 40});
    h.checks.push_back(check(zrtp::CheckId::zrtp_hash, CheckOutcome::passed, {1, 2}));
    h.checks.push_back(check(zrtp::CheckId::zrtp_hash, CheckOutcome::failed, {1, 9}));
    const auto findings = test::run_rule("zrtp.hello-tampered", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["edited_frame"] == 9);
    CHECK(findings[0].evidence["told_apart_by"] == "zrtp_hash");
    CHECK(test::run_rule("zrtp.zrtp-hash-mismatch", model_with({h})).empty());
    CHECK(test::run_rule("zrtp.retransmission-mismatch", model_with({h})).empty());
}

TEST_CASE("zrtp.crc-invalid: one finding per handshake with every bad frame") {
    ZrtpHandshake h = handshake();
    session::ZrtpEvent truncated = event(4, session::ZrtpEventKind::anomaly);
    truncated.anomaly = util::AnomalyCode::zrtp_message_truncated;
    h.events.push_back(truncated);
    CHECK(test::run_rule("zrtp.crc-invalid", model_with({h})).empty());
    h.events.push_back(event(5, session::ZrtpEventKind::crc_invalid));
    h.events.push_back(event(8, session::ZrtpEventKind::crc_invalid));
    h.events.push_back(event(11, session::ZrtpEventKind::crc_invalid));
    const auto findings = test::run_rule("zrtp.crc-invalid", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{5, 8, 11});
    CHECK(findings[0].evidence["packets"] == 3);
}

TEST_CASE("zrtp.goclear: GoClear with ClearACK is verified, a lone GoClear inferred") {
    ZrtpHandshake h = handshake();
    CHECK(test::run_rule("zrtp.goclear", model_with({h})).empty());
    h.events.push_back(event(30, session::ZrtpEventKind::go_clear, 0, k_alice));
    auto findings = test::run_rule("zrtp.goclear", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].confidence == analysis::Confidence::inferred);
    h.events.push_back(event(31, session::ZrtpEventKind::clear_ack, 0, k_bob));
    findings = test::run_rule("zrtp.goclear", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].confidence == analysis::Confidence::verified);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{30, 31});
    CHECK(findings[0].evidence["go_clear_sender"] == "192.0.2.10:7078");
    CHECK(findings[0].evidence["clear_ack_frame"] == 31);
}

TEST_CASE("zrtp.error: one finding per distinct code, attack codes are high, never verified") {
    ZrtpHandshake h = handshake(1, false);
    CHECK(test::run_rule("zrtp.error", model_with({h})).empty());
    h.events.push_back(event(7, session::ZrtpEventKind::error, 0x61));
    h.events.push_back(event(9, session::ZrtpEventKind::error, 0x61));
    h.events.push_back(event(12, session::ZrtpEventKind::error, 0x40));
    const auto findings = test::run_rule("zrtp.error", model_with({h}));
    REQUIRE(findings.size() == 2);
    const auto& dh = findings[0].evidence["code"] == "0x61" ? findings[0] : findings[1];
    const auto& other = findings[0].evidence["code"] == "0x61" ? findings[1] : findings[0];
    CHECK(dh.severity == analysis::Severity::high);
    CHECK(dh.frames == std::vector<std::uint64_t>{7, 9});
    CHECK(dh.evidence["name"] == "DH Error: bad pvi or pvr ( == 1, 0, or p-1)");
    CHECK(dh.confidence == analysis::Confidence::inferred);
    CHECK(other.severity == analysis::Severity::medium);
    CHECK(other.evidence["code"] == "0x40");
    CHECK(other.evidence["name"] == "Hello components mismatch");
    for (const std::uint32_t code : {0x62U, 0x63U, 0x70U, 0x90U}) {
        ZrtpHandshake e = handshake(1, false);
        e.events.push_back(event(7, session::ZrtpEventKind::error, code));
        const auto f = test::run_rule("zrtp.error", model_with({e}));
        REQUIRE(f.size() == 1);
        CHECK(f[0].severity == analysis::Severity::high);
    }
}

TEST_CASE("zrtp.trusted-mitm: a Hello with the M flag, or a SASrelay") {
    ZrtpHandshake h = handshake();
    CHECK(test::run_rule("zrtp.trusted-mitm", model_with({h})).empty());
    h.messages[1] = record(3, k_bob, hello_message(zid_of(0xbb), "pbx", true));
    auto findings = test::run_rule("zrtp.trusted-mitm", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{3});
    CHECK(findings[0].evidence["indicator"] == "hello_m_flag");
    CHECK(findings[0].evidence["sender"] == "198.51.100.20:7078");

    ZrtpHandshake relay = handshake();
    relay.events.push_back(event(25, session::ZrtpEventKind::sas_relay));
    findings = test::run_rule("zrtp.trusted-mitm", model_with({relay}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["indicator"] == "sas_relay");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{25});
}

TEST_CASE("zrtp.zid-conflict: equal ZIDs in one handshake") {
    ZrtpHandshake h = handshake();
    h.messages[1] = record(3, k_bob, hello_message(zid_of(0xaa), "bob"));
    const auto findings = test::run_rule("zrtp.zid-conflict", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["kind"] == "equal_zids_in_handshake");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{2, 3});
}

TEST_CASE("zrtp.zid-conflict: one ZID from two endpoints with other addresses and clients") {
    ZrtpHandshake first = handshake(1);
    ZrtpHandshake second = handshake(2);
    // Handshake 2: a third party (carol, other address, other client) uses alice's ZID.
    const util::Endpoint carol = test::ep("203.0.113.5", 9000);
    second.messages[0] = record(42, carol, hello_message(zid_of(0xaa), "carol"));
    second.messages[2] = record(46, carol, commit_message("DH3k", zid_of(0xaa)));
    second.a = carol;
    second.initiator = carol;
    auto findings = test::run_rule("zrtp.zid-conflict", model_with({first, second}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["kind"] == "zid_used_by_two_endpoints");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{2, 42});

    // Same client software from another address (a phone that moved networks): not a conflict.
    second.messages[0] = record(42, carol, hello_message(zid_of(0xaa), "alice"));
    CHECK(test::run_rule("zrtp.zid-conflict", model_with({first, second})).empty());
    // Another client at the same address (two handshakes of one host): not a conflict either.
    const util::Endpoint alice_other_port = test::ep("192.0.2.10", 9000);
    second.messages[0] = record(42, alice_other_port, hello_message(zid_of(0xaa), "carol"));
    CHECK(test::run_rule("zrtp.zid-conflict", model_with({first, second})).empty());
}

TEST_CASE("zrtp.zid-conflict: one endpoint changing ZID within a call, not across calls") {
    ZrtpHandshake first = handshake(1);
    ZrtpHandshake second = handshake(2);
    second.messages[0] = record(42, k_alice, hello_message(zid_of(0xcc), "alice"));
    second.messages[2] = record(46, k_alice, commit_message("DH3k", zid_of(0xcc)));
    first.call = 1;
    second.call = 1;
    auto findings = test::run_rule("zrtp.zid-conflict", model_with({first, second}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["kind"] == "zid_changed_within_call");
    CHECK(findings[0].evidence["first"]["zid"] == std::string(24, 'a'));
    CHECK(findings[0].evidence["second"]["zid"] == std::string(24, 'c'));
    second.call = 2;
    CHECK(test::run_rule("zrtp.zid-conflict", model_with({first, second})).empty());
}

namespace {

/// The ZID conflicts of every pair of Hellos in the model, in pair order, as the rule reported
/// them before it compared only within groups that can pair: kind and the two frames.
std::vector<std::pair<std::string, std::vector<std::uint64_t>>> zid_conflicts_of_every_pair(
    const session::Model& model) {
    struct Use {
        const ZrtpHandshake* handshake;
        const session::ZrtpMessageRecord* record;
        const zrtp::Hello* hello;
    };
    std::vector<Use> uses;
    for (const ZrtpHandshake& h : model.handshakes) {
        for (const auto& r : h.messages) {
            if (const zrtp::Hello* hello = r.message.hello()) {
                uses.push_back({&h, &r, hello});
            }
        }
    }
    std::vector<std::pair<std::string, std::vector<std::uint64_t>>> out;
    const auto each_pair = [&](auto&& visit) {
        for (std::size_t i = 0; i < uses.size(); ++i) {
            for (std::size_t j = i + 1; j < uses.size(); ++j) {
                visit(uses[i], uses[j]);
            }
        }
    };
    each_pair([&](const Use& x, const Use& y) {
        if (x.handshake == y.handshake && x.record->src != y.record->src && x.hello->zid == y.hello->zid) {
            out.push_back({"equal_zids_in_handshake", {x.record->frame, y.record->frame}});
        }
    });
    std::set<zrtp::Zid> reported;
    each_pair([&](const Use& x, const Use& y) {
        if (x.handshake != y.handshake && x.hello->zid == y.hello->zid &&
            x.record->src.address != y.record->src.address && x.hello->client_id != y.hello->client_id &&
            reported.insert(x.hello->zid).second) {
            out.push_back({"zid_used_by_two_endpoints", {x.record->frame, y.record->frame}});
        }
    });
    each_pair([&](const Use& x, const Use& y) {
        if (x.handshake != y.handshake && x.handshake->call && x.handshake->call == y.handshake->call &&
            x.record->src == y.record->src && x.hello->zid != y.hello->zid) {
            out.push_back({"zid_changed_within_call", {x.record->frame, y.record->frame}});
        }
    });
    return out;
}

}  // namespace

TEST_CASE("zrtp.zid-conflict: grouped comparisons find the pairs of every pair, in the same order") {
    // Small pools of ZIDs, addresses, ports, clients and calls, so that every kind of pair, and
    // retransmitted Hellos within and across handshakes, turn up many times.
    const std::vector<util::Endpoint> endpoints = {test::ep("192.0.2.10", 7078), test::ep("192.0.2.10", 9000),
                                                   test::ep("203.0.113.5", 7078), test::ep("203.0.113.5", 9000),
                                                   test::ep("198.51.100.20", 7078)};
    const std::vector<std::string> clients = {"alice", "carol", "bob"};
    std::size_t kinds_seen = 0;
    for (unsigned seed = 1; seed <= 200; ++seed) {
        std::mt19937 random{seed};
        const auto pick = [&random](std::size_t n) { return static_cast<std::size_t>(random() % n); };
        std::vector<ZrtpHandshake> handshakes;
        std::uint64_t frame = 1;
        for (std::uint32_t id = 1; id <= 2 + pick(14); ++id) {
            ZrtpHandshake h;
            h.id = id;
            h.flow = id;
            if (pick(3) != 0) {
                h.call = static_cast<std::uint32_t>(1 + pick(3));
            }
            for (std::size_t m = 1 + pick(4); m > 0; --m) {
                const util::Endpoint& src = endpoints[pick(endpoints.size())];
                h.messages.push_back(
                    record(frame++, src, hello_message(zid_of(static_cast<std::uint8_t>(pick(3))), clients[pick(3)])));
            }
            handshakes.push_back(std::move(h));
        }
        const session::Model model = model_with(handshakes);
        const auto expected = zid_conflicts_of_every_pair(model);
        std::vector<std::pair<std::string, std::vector<std::uint64_t>>> found;
        for (const auto& f : test::run_rule("zrtp.zid-conflict", model)) {
            found.emplace_back(f.evidence["kind"].get<std::string>(), f.frames);
        }
        INFO("seed " << seed);
        REQUIRE(found == expected);
        std::set<std::string> kinds;
        for (const auto& [kind, frames] : expected) {
            kinds.insert(kind);
        }
        kinds_seen += kinds.size();
    }
    CHECK(kinds_seen > 300);  // the models do exercise all three kinds, not only empty lists
}

TEST_CASE("zrtp.zid-conflict: against a ledger, looked up by identity and ZID as by a scan of it") {
    // Hellos without calls: their identities are "ip:" and the address.
    const std::vector<util::Endpoint> endpoints = {test::ep("192.0.2.10", 7078), test::ep("203.0.113.5", 9000),
                                                   test::ep("198.51.100.20", 7078)};
    std::size_t reported = 0;
    for (unsigned seed = 1; seed <= 200; ++seed) {
        std::mt19937 random{seed};
        const auto pick = [&random](std::size_t n) { return static_cast<std::size_t>(random() % n); };
        const auto zid = [&] { return zid_of(static_cast<std::uint8_t>(pick(4))); };
        const auto endpoint = [&]() -> const util::Endpoint& { return endpoints[pick(endpoints.size())]; };
        ZrtpHandshake h = handshake(1, false);
        h.messages.clear();
        for (std::uint64_t frame = 1; frame <= 1 + pick(6); ++frame) {
            h.messages.push_back(record(frame, endpoint(), hello_message(zid(), "client")));
        }
        session::Model model = model_with({h});
        model.ledger_used = true;
        for (std::size_t n = pick(8); n > 0; --n) {
            model.ledger.push_back({util::to_hex(zid()), "ip:" + endpoint().address.to_string(), "client",
                                    fmt::format("2026-01-0{}T00:00:00Z", 1 + n), pick(3) == 0});
        }
        // What a scan of the ledger for each ZID seen reports: kind, identity and ZID seen, and
        // the ledger's entry it conflicts with.
        std::vector<std::vector<std::string>> expected;
        for (const session::LedgerEntry& seen : session::observed_zids(model)) {
            const session::LedgerEntry* other_zid = nullptr;
            const session::LedgerEntry* other_identity = nullptr;
            bool known = false;
            for (const session::LedgerEntry& entry : model.ledger) {
                if (entry.pending) {
                    continue;
                }
                known = known || (entry.zid == seen.zid && entry.identity == seen.identity);
                if (other_zid == nullptr && entry.identity == seen.identity && entry.zid != seen.zid) {
                    other_zid = &entry;
                }
                if (other_identity == nullptr && entry.zid == seen.zid && entry.identity != seen.identity) {
                    other_identity = &entry;
                }
            }
            if (known || (other_zid == nullptr && other_identity == nullptr)) {
                continue;
            }
            const session::LedgerEntry& before = other_zid != nullptr ? *other_zid : *other_identity;
            expected.push_back({other_zid != nullptr ? "zid_changed_since_ledger" : "zid_moved_since_ledger",
                                seen.identity, seen.zid, before.identity, before.zid, before.first_seen});
        }
        std::vector<std::vector<std::string>> found;
        for (const auto& f : test::run_rule("zrtp.zid-conflict", model)) {
            const std::string kind = f.evidence["kind"].get<std::string>();
            if (kind.ends_with("_since_ledger")) {
                found.push_back({kind, f.evidence["identity"].get<std::string>(), f.evidence["zid"].get<std::string>(),
                                 f.evidence["ledger_identity"].get<std::string>(),
                                 f.evidence["ledger_zid"].get<std::string>(),
                                 f.evidence["ledger_first_seen"].get<std::string>()});
            }
        }
        INFO("seed " << seed);
        REQUIRE(found == expected);
        reported += found.size();
    }
    CHECK(reported > 100);  // conflicts of both kinds do occur in these models
}

TEST_CASE("zrtp.zid-conflict: a Commit whose ZID is not its sender's Hello ZID") {
    ZrtpHandshake h = handshake();
    h.messages[2] = record(6, k_alice, commit_message("DH3k", zid_of(0xdd)));
    const auto findings = test::run_rule("zrtp.zid-conflict", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["kind"] == "commit_zid_differs_from_hello");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{2, 6});
}

TEST_CASE("zrtp.handshake-incomplete: Hellos without Conf2ACK, evidence per side and its SDP") {
    ZrtpHandshake h = handshake(1, false);
    h.messages.pop_back();  // only alice's Hello: bob never answered
    h.call = 1;
    const auto model = model_with({h}, {zrtp_call(true, false)});
    const auto findings = test::run_rule("zrtp.handshake-incomplete", model);
    REQUIRE(findings.size() == 1);
    const auto& e = findings[0].evidence;
    CHECK(e["side_a"]["last_message"] == "Hello");
    CHECK(e["side_a"]["sdp_offered_zrtp"] == true);
    CHECK(e["side_b"]["last_message"].is_null());
    CHECK(e["side_b"]["sent_hello"] == false);
    CHECK(e["side_b"]["sdp_offered_zrtp"] == false);
    CHECK(findings[0].frames.front() == 2);

    CHECK(test::run_rule("zrtp.handshake-incomplete", model_with({handshake()})).empty());
    ZrtpHandshake no_hello = handshake(1, false);
    no_hello.messages.clear();
    no_hello.events.push_back(event(2, session::ZrtpEventKind::crc_invalid));
    CHECK(test::run_rule("zrtp.handshake-incomplete", model_with({no_hello})).empty());
}

TEST_CASE("zrtp.stripped: Hellos from both sides, RTP, no completed handshake") {
    ZrtpHandshake h = handshake(1, false);
    CHECK(test::run_rule("zrtp.stripped", model_with({h})).empty());  // no media
    h.rtp_packets = 50;
    h.clear_rtp_before_secure = 50;
    h.first_clear_rtp_frame = 4;
    auto findings = test::run_rule("zrtp.stripped", model_with({h}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["hellos_from_both"] == true);
    CHECK(findings[0].evidence["rtp_packets"] == 50);
    CHECK(findings[0].evidence["first_rtp_frame"] == 4);

    // One side's Hello only, no SDP: the peer may not speak ZRTP.
    ZrtpHandshake one = h;
    one.messages.pop_back();
    CHECK(test::run_rule("zrtp.stripped", model_with({one})).empty());
    // ... but when both SDPs carried a=zrtp-hash it was stripped.
    one.call = 1;
    findings = test::run_rule("zrtp.stripped", model_with({one}, {zrtp_call(true, true)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["sdp_offer_answer_zrtp_hash"] == std::vector<std::uint64_t>{1, 4});
    CHECK(test::run_rule("zrtp.stripped", model_with({one}, {zrtp_call(true, false)})).empty());

    // A later handshake on the same flow completed: ZRTP was not blocked.
    ZrtpHandshake retry = handshake(2);
    retry.flow = h.flow;
    CHECK(test::run_rule("zrtp.stripped", model_with({h, retry})).empty());
}

TEST_CASE("zrtp.stripped: offer and answer with a=zrtp-hash, media, and no ZRTP packet at all") {
    session::Model model = model_with({}, {zrtp_call(true, true)});
    model.media.push_back(stream(1, 3, 10, 200));
    model.media.back().call = 1;
    model.calls[0].media = {1};
    auto findings = test::run_rule("zrtp.stripped", model);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].call == 1u);
    CHECK(findings[0].evidence["zrtp_packets"] == 0);
    CHECK(findings[0].evidence["rtp_packets"] == 200);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{1, 4, 10});

    // The answer dropped a=zrtp-hash: not this rule (the SDP rules see that).
    session::Model declined = model;
    declined.calls[0] = zrtp_call(true, false);
    CHECK(test::run_rule("zrtp.stripped", declined).empty());
    // A completed handshake on the media flow: not stripped.
    ZrtpHandshake h = handshake(1);
    h.flow = 3;
    h.call = 1;
    model.calls[0].handshakes = {1};
    model.handshakes = {h};
    CHECK(test::run_rule("zrtp.stripped", model).empty());
}

TEST_CASE("media.clear-before-secure: count, first frame and time until Conf2ACK") {
    ZrtpHandshake h = handshake();
    h.clear_rtp_before_secure = 5;
    h.first_clear_rtp_frame = 4;
    session::Model model = model_with({h});
    model.media.push_back(stream(1, h.flow, 4, 500));  // first packet at 40 ms, Conf2ACK at 200 ms
    const auto findings = test::run_rule("media.clear-before-secure", model);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::low);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{4, 20});
    CHECK(findings[0].evidence["clear_packets"] == 5);
    CHECK(findings[0].evidence["first_clear_frame"] == 4);
    CHECK(findings[0].evidence["seconds_until_secure"].get<double>() == Approx(0.16));
    CHECK(findings[0].stream == 1u);

    ZrtpHandshake incomplete = h;
    incomplete.completed = false;
    CHECK(test::run_rule("media.clear-before-secure", model_with({incomplete})).empty());
    ZrtpHandshake none = handshake();
    CHECK(test::run_rule("media.clear-before-secure", model_with({none})).empty());
}

TEST_CASE("call.security-downgraded (ZRTP side): GoClear in a call") {
    ZrtpHandshake h = handshake();
    h.events.push_back(event(30, session::ZrtpEventKind::go_clear, 0, k_alice));
    // Not bound to a call: zrtp.goclear says it, a downgrade "within a call" needs the call.
    CHECK(test::run_rule("call.security-downgraded", model_with({h})).empty());
    h.call = 1;
    const auto findings = test::run_rule("call.security-downgraded", model_with({h}, {zrtp_call(true, true)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["from"] == "zrtp");
    CHECK(findings[0].evidence["to"] == "none");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{20, 30});
}

TEST_CASE("call.security-downgraded (ZRTP side): an unfinished handshake followed by plain media") {
    ZrtpHandshake h = handshake(1, false);
    h.call = 1;
    session::Model model = model_with({h}, {zrtp_call(true, true)});
    CHECK(test::run_rule("call.security-downgraded", model).empty());  // no media after it
    model.media.push_back(stream(1, h.flow, 5, 300, session::Protection::none));
    model.media.back().call = 1;
    auto findings = test::run_rule("call.security-downgraded", model);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["to"] == "none");
    CHECK(findings[0].stream == 1u);

    // The same stream keyed by a completed handshake: no downgrade.
    model.handshakes[0] = handshake(1, true);
    model.handshakes[0].call = 1;
    model.media[0].protection = session::Protection::zrtp;
    CHECK(test::run_rule("call.security-downgraded", model).empty());
}
