// A finding's fingerprint: the same weakness in another capture hashes the same; another
// weakness, party or fact does not.
#include <catch2/catch.hpp>

#include "zaudit/analysis/fingerprint.hpp"

using namespace zaudit;

namespace {

session::Model model_with_call(std::string from, std::string to, std::string call_id) {
    session::Model model;
    session::Call call;
    call.id = 1;
    call.from = std::move(from);
    call.to = std::move(to);
    call.call_id = std::move(call_id);
    model.calls.push_back(call);
    return model;
}

analysis::Finding exposed_key(std::string suite, std::string key_fingerprint, std::uint64_t frame) {
    analysis::Finding f;
    f.rule = "sdes.key-exposed";
    f.call = 1;
    f.frames = {frame};
    f.evidence = {{"suite", std::move(suite)},
                  {"key_fingerprint", std::move(key_fingerprint)},
                  {"media", "audio"},
                  {"carried_by", "INVITE"},
                  {"sent_by", "192.0.2.10:5060"}};
    return f;
}

}  // namespace

TEST_CASE("an address of record keeps scheme, user and host, in the case SIP compares them") {
    CHECK(analysis::address_of_record("sip:alice@example.com") == "sip:alice@example.com");
    CHECK(analysis::address_of_record("<SIP:Alice@Example.COM:5060;transport=udp>") == "sip:Alice@example.com");
    CHECK(analysis::address_of_record("\"Bob\" <sips:bob@[2001:db8::1]:5061>;tag=x") == "sips:bob@[2001:db8::1]");
    CHECK(analysis::address_of_record("sip:example.com;lr") == "sip:example.com");
}

TEST_CASE("a fingerprint leaves out what a new capture changes and keeps what makes the weakness") {
    const session::Model today = model_with_call("sip:alice@example.com", "sip:bob@example.com", "abc@1");
    const session::Model tomorrow = model_with_call("<sip:alice@EXAMPLE.com>", "sip:bob@example.com:5060", "xyz@2");
    const std::string fp = analysis::fingerprint(exposed_key("AES_CM_128_HMAC_SHA1_80", "1111", 1), today);
    CHECK(fp.size() == 64);
    // Another Call-ID, key, frame and spelling of the same addresses: the same weakness.
    CHECK(analysis::fingerprint(exposed_key("AES_CM_128_HMAC_SHA1_80", "2222", 900), tomorrow) == fp);
    // Another suite, another caller, another rule: another weakness.
    CHECK(analysis::fingerprint(exposed_key("AES_CM_128_HMAC_SHA1_32", "1111", 1), today) != fp);
    const session::Model carol = model_with_call("sip:carol@example.com", "sip:bob@example.com", "abc@1");
    CHECK(analysis::fingerprint(exposed_key("AES_CM_128_HMAC_SHA1_80", "1111", 1), carol) != fp);
    analysis::Finding other_rule = exposed_key("AES_CM_128_HMAC_SHA1_80", "1111", 1);
    other_rule.rule = "sdes.key-reuse";
    CHECK(analysis::fingerprint(other_rule, today) != fp);
}

TEST_CASE("without a call, a fingerprint names the parties by IP address, not by port") {
    const session::Model model;
    analysis::Finding f;
    f.rule = "rtp.unsignaled-stream";
    f.evidence = {{"src", "192.0.2.10:40000"}, {"dst", "[2001:db8::1]:50000"}, {"ssrc", "0x01020304"}};
    const std::string fp = analysis::fingerprint(f, model);
    f.evidence = {{"src", "192.0.2.10:41234"}, {"dst", "[2001:db8::1]:50002"}, {"ssrc", "0xdeadbeef"}};
    CHECK(analysis::fingerprint(f, model) == fp);
    f.evidence["src"] = "192.0.2.11:40000";
    CHECK(analysis::fingerprint(f, model) != fp);
}

TEST_CASE("a ZID conflict with the ledger is fingerprinted by the identity and the ledger entry it departs from") {
    const session::Model model;
    // As zrtp.zid-conflict writes it (against_ledger): no call, so no caller and callee.
    const auto conflict = [](std::string identity, std::string zid, std::string ledger_identity, std::string ledger_zid,
                             std::string seen_at) {
        analysis::Finding f;
        f.rule = "zrtp.zid-conflict";
        f.evidence = {{"kind", identity == ledger_identity ? "zid_changed_since_ledger" : "zid_moved_since_ledger"},
                      {"identity", std::move(identity)},
                      {"zid", std::move(zid)},
                      {"client_id", "client"},
                      {"seen_at", std::move(seen_at)},
                      {"ledger_identity", std::move(ledger_identity)},
                      {"ledger_zid", std::move(ledger_zid)},
                      {"ledger_first_seen", "2026-01-01T00:00:00.000000Z"}};
        return f;
    };
    const std::string alice_changed = analysis::fingerprint(
        conflict("sip:alice@example.com", "aaaa", "sip:alice@example.com", "0000", "2026-12-01T10:00:00.000000Z"),
        model);
    // The same departure seen again in tomorrow's capture, in another spelling of the address.
    CHECK(analysis::fingerprint(conflict("<sip:alice@EXAMPLE.com>", "aaaa", "sip:alice@example.com", "0000",
                                         "2026-12-02T09:00:00.000000Z"),
                                model) == alice_changed);
    // Another identity, another ledger entry, or the ZID moving to somebody else: each its own
    // finding, so that a baseline accepting one does not accept the others.
    CHECK(analysis::fingerprint(
              conflict("sip:bob@example.com", "bbbb", "sip:bob@example.com", "1111", "2026-12-01T10:00:00.000000Z"),
              model) != alice_changed);
    CHECK(analysis::fingerprint(
              conflict("sip:alice@example.com", "aaaa", "sip:alice@example.com", "2222", "2026-12-01T10:00:00.000000Z"),
              model) != alice_changed);
    const std::string moved = analysis::fingerprint(
        conflict("ip:192.0.2.66", "0000", "sip:alice@example.com", "0000", "2026-12-01T10:00:00.000000Z"), model);
    CHECK(moved != alice_changed);
    CHECK(analysis::fingerprint(
              conflict("ip:192.0.2.67", "0000", "sip:alice@example.com", "0000", "2026-12-01T10:00:00.000000Z"),
              model) != moved);
}
