// sip.cleartext-credentials over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

constexpr std::string_view k_rule = "sip.cleartext-credentials";

session::CredentialUse use(std::uint64_t frame, std::string method, std::string credentials,
                           std::optional<std::uint32_t> call = std::nullopt,
                           sip::CredentialsHeader header = sip::CredentialsHeader::authorization) {
    session::CredentialUse u;
    u.seen.frame = frame;
    u.seen.src = ep("192.0.2.10", 5060);
    u.seen.dst = ep("203.0.113.1", 5060);
    u.transport = "udp";
    u.method_text = std::move(method);
    u.method = sip::method_from_text(u.method_text);
    u.call_id = call ? "call-" + std::to_string(*call) : "reg-1";
    u.call = call;
    u.aor = "sip:alice@example.com";
    auto parsed = sip::parse_credentials(credentials, header);
    REQUIRE(parsed);
    u.credentials = std::move(*parsed);
    return u;
}

const std::string k_digest = R"(Digest username="alice", realm="example.com", nonce="n0nce", uri="sip:example.com", )"
                             R"(response="0123456789abcdef0123456789abcdef", cnonce="c0ffee", qop=auth, nc=00000001)";

session::Model model_with(std::vector<session::CredentialUse> uses) {
    session::Model model;
    model.credentials = std::move(uses);
    return model;
}

bool contains(const analysis::Finding& f, std::string_view text) {
    return f.evidence.dump().find(text) != std::string::npos || f.message.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("sip.cleartext-credentials: a REGISTER with digest credentials over UDP, with no call") {
    const auto findings = run_rule(k_rule, model_with({use(3, "REGISTER", k_digest)}));
    REQUIRE(findings.size() == 1);
    const auto& f = findings[0];
    CHECK(f.severity == analysis::Severity::low);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK_FALSE(f.call);
    CHECK(f.frames == std::vector<std::uint64_t>{3});
    CHECK(f.evidence["scheme"] == "Digest");
    CHECK(f.evidence["username"] == "alice");
    CHECK(f.evidence["realm"] == "example.com");
    CHECK(f.evidence["aor"] == "sip:alice@example.com");
    CHECK(f.evidence["methods"] == nlohmann::ordered_json{"REGISTER"});
    CHECK(f.evidence["headers"] == nlohmann::ordered_json{"Authorization"});
    CHECK(f.evidence["uri"] == "sip:example.com");
    CHECK(f.evidence["algorithm"] == "MD5");  // absent means MD5 (RFC 7616 section 3.4)
    CHECK(f.evidence["qop"] == "auth");
    CHECK(f.evidence["transport"] == "udp");
    CHECK(f.message.find("REGISTER") != std::string::npos);
}

TEST_CASE("sip.cleartext-credentials: the response, nonce and cnonce appear only with --reveal-keys") {
    const auto model = model_with({use(3, "REGISTER", k_digest)});
    const auto hidden = run_rule(k_rule, model);
    REQUIRE(hidden.size() == 1);
    for (const auto* secret : {"0123456789abcdef0123456789abcdef", "n0nce", "c0ffee"}) {
        INFO(secret);
        CHECK_FALSE(contains(hidden[0], secret));
    }
    CHECK_FALSE(hidden[0].evidence.contains("response"));
    analysis::Policy reveal;
    reveal.reveal_keys = true;
    const auto shown = run_rule(k_rule, model, reveal);
    REQUIRE(shown.size() == 1);
    CHECK(shown[0].evidence["response"] == "0123456789abcdef0123456789abcdef");
    CHECK(shown[0].evidence["nonce"] == "n0nce");
    CHECK(shown[0].evidence["cnonce"] == "c0ffee");
    CHECK(shown[0].evidence["nonce_count"] == "00000001");
}

TEST_CASE("sip.cleartext-credentials: one finding per call and user, every message's frame in it") {
    const auto findings =
        run_rule(k_rule, model_with({use(3, "REGISTER", k_digest), use(4, "REGISTER", k_digest),  // a retransmission
                                     use(8, "INVITE", k_digest, 1, sip::CredentialsHeader::proxy_authorization),
                                     use(9, "ACK", k_digest, 1, sip::CredentialsHeader::proxy_authorization),
                                     use(12, "INVITE", k_digest, 2, sip::CredentialsHeader::proxy_authorization)}));
    REQUIRE(findings.size() == 3);
    CHECK_FALSE(findings[0].call);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{3, 4});
    CHECK(findings[0].evidence["messages"] == 2);
    CHECK(findings[1].call == 1u);
    CHECK(findings[1].evidence["methods"] == nlohmann::ordered_json{"INVITE", "ACK"});
    CHECK(findings[1].evidence["headers"] == nlohmann::ordered_json{"Proxy-Authorization"});
    CHECK(findings[1].message.find("call 1") != std::string::npos);
    CHECK(findings[2].call == 2u);
}

TEST_CASE("sip.cleartext-credentials: Basic is medium, names the user and never the password") {
    // "alice:hunter2" in base64
    const auto findings = run_rule(k_rule, model_with({use(5, "REGISTER", "Basic YWxpY2U6aHVudGVyMg==")}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::medium);
    CHECK(findings[0].evidence["username"] == "alice");
    CHECK(findings[0].evidence["algorithm"].is_null());
    CHECK_FALSE(contains(findings[0], "hunter2"));
    CHECK_FALSE(contains(findings[0], "YWxpY2U6aHVudGVyMg"));
}

TEST_CASE("sip.cleartext-credentials: nothing for empty digest credentials, TLS, or no credentials at all") {
    // Some stacks (IMS) send a first REGISTER with an empty response: there is no hash to attack.
    const std::string empty = R"(Digest username="alice", realm="example.com", nonce="", uri="sip:x", response="")";
    CHECK(run_rule(k_rule, model_with({use(3, "REGISTER", empty)})).empty());
    auto over_tls = use(3, "REGISTER", k_digest);
    over_tls.transport = "tls";
    CHECK(run_rule(k_rule, model_with({over_tls})).empty());
    CHECK(run_rule(k_rule, model_with({})).empty());
    CHECK(run_rule(k_rule, model_of({call(1)})).empty());  // a call without credentials
}

TEST_CASE("sip.cleartext-credentials: in the catalogue after dtls.fingerprint-mismatch, with its texts") {
    const analysis::RuleInfo* rule = analysis::find_rule(k_rule);
    REQUIRE(rule != nullptr);
    CHECK(rule->severity == analysis::Severity::low);
    CHECK(rule->explanation.size() > 100);
    CHECK_FALSE(rule->remediation.empty());
    CHECK(rule->reference.find("RFC 3261") != std::string_view::npos);
    const analysis::RuleInfo* before = analysis::find_rule("dtls.fingerprint-mismatch");
    REQUIRE(before != nullptr);
    CHECK(rule == before + 1);
}
