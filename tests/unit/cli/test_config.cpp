// zaudit.toml: policy as code, read strictly and named in every report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/cli/config.hpp"

using namespace zaudit;

namespace {

const std::string k_relay = test::source_path("samples/relay-sdes-to-plain.pcap");
const std::string k_zrtp = test::source_path("samples/zrtp-clean-call.pcap");

}  // namespace

TEST_CASE("a config sets the policy, switches rules off and re-grades others") {
    const auto config = cli::parse_config(R"([policy]
require = ["zrtp", "dtls-srtp"]
weak_key_agreements = ["DH2k", "EC25"]
baseline = "accepted.baseline"

[severity]
"sip.cleartext-signaling" = "medium"

[rules]
off = ["path.media-relay"]
)",
                                          "/etc/zaudit/zaudit.toml");
    REQUIRE(config);
    CHECK(config->required == std::vector<analysis::RequiredProtection>{analysis::RequiredProtection::zrtp,
                                                                        analysis::RequiredProtection::dtls_srtp});
    CHECK(config->baseline == "/etc/zaudit/accepted.baseline");  // beside the config, not the working directory
    CHECK(config->sha256.size() == 64);
    analysis::Policy policy;
    cli::apply_to_policy(*config, policy);
    CHECK(policy.weak_key_agreements == std::vector<std::string>{"DH2k", "EC25"});

    std::vector<analysis::Finding> findings(3);
    findings[0].rule = "path.media-relay";
    findings[1].rule = "sip.cleartext-signaling";
    findings[1].severity = analysis::Severity::low;
    findings[2].rule = "media.unencrypted";
    findings[2].severity = analysis::Severity::high;
    cli::apply_to_findings(*config, findings);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].rule == "media.unencrypted");
    CHECK(findings[1].rule == "sip.cleartext-signaling");
    CHECK(findings[1].severity == analysis::Severity::medium);
}

TEST_CASE("a bad config is an error with its file, line, column and reason") {
    const auto error_of = [](const std::string& text) {
        const auto config = cli::parse_config(text, "zaudit.toml");
        REQUIRE_FALSE(config);
        return config.error().message;
    };
    // toml++ writes the character it saw escaped; printable() doubles that backslash.
    CHECK(error_of("[policy\n") == "zaudit.toml:1:8: Error while parsing table header: expected ']', saw '\\\\n'");
    CHECK(error_of("[policy]\nrequire = [\"srtp\"]\n") ==
          "zaudit.toml:2:12: unknown protection 'srtp' (zrtp, dtls-srtp, sdes-tls, sdes)");
    CHECK(error_of("[policy]\nrequire = \"zrtp\"\n") == "zaudit.toml:2:11: require must be an array of strings");
    CHECK(error_of("[policy]\nrequired = [\"zrtp\"]\n") ==
          "zaudit.toml:2:1: unknown key 'required' in [policy] (require, weak_key_agreements, baseline)");
    CHECK(error_of("[polcy]\n") ==
          "zaudit.toml:1:2: unknown 'polcy' (the tables are [policy], [severity] and [rules])");
    CHECK(error_of("[rules]\noff = [\"zrtp.made-up\"]\n") ==
          "zaudit.toml:2:8: 'zrtp.made-up' is not a rule id of `zaudit rules`");
    CHECK(error_of("[severity]\n\"media.unencrypted\" = \"severe\"\n") ==
          "zaudit.toml:2:23: a severity is one of info, low, medium, high, critical");
    CHECK(cli::parse_config("", "zaudit.toml"));  // empty: nothing changed, still named in the report
}

TEST_CASE("a policy that requires ZRTP flags the SDES call, passes the ZRTP call, and the report names the config") {
    test::TempDir dir;
    const std::string path = dir.write(
        "zaudit.toml",
        util::as_bytes(std::string{"[policy]\nrequire = [\"zrtp\"]\n[rules]\noff = [\"path.media-relay\"]\n"}));
    const auto relay = test::run_cli({"--config", path, "--format", "json", k_relay});
    CHECK(relay.exit_code == cli::k_exit_findings);
    const auto doc = nlohmann::json::parse(relay.out);
    CHECK(doc["config"]["path"] == path);
    CHECK(doc["config"]["sha256"].get<std::string>().size() == 64);
    CHECK(doc["config"]["rules_off"] == nlohmann::json::array({"path.media-relay"}));
    CHECK(doc["config"]["required"] == nlohmann::json::array({"zrtp"}));
    bool policy_finding = false;
    for (const auto& f : doc["findings"]) {
        CHECK(f["rule"] != "path.media-relay");
        if (f["rule"] == "policy.protection-required") {
            policy_finding = true;
            CHECK(f["severity"] == "high");
            CHECK(f["evidence"]["achieved"] == "plain");
        }
    }
    CHECK(policy_finding);
    const auto zrtp = nlohmann::json::parse(test::run_cli({"--config", path, "--format", "json", k_zrtp}).out);
    for (const auto& f : zrtp["findings"]) {
        CHECK(f["rule"] != "policy.protection-required");
    }
    // Without the config: no policy, no policy finding, and "config": null.
    const auto plain = nlohmann::json::parse(test::run_cli({"--format", "json", k_relay}).out);
    CHECK(plain["config"].is_null());
}

TEST_CASE("zaudit.toml in the working directory applies by default, and a bad one is exit 2") {
    test::TempDir dir;
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(std::filesystem::path{dir.file("zaudit.toml")}.parent_path());
    dir.write("zaudit.toml", util::as_bytes(std::string{"[severity]\n\"sip.cleartext-signaling\" = \"critical\"\n"}));
    const auto found = test::run_cli({"--format", "json", k_zrtp});
    dir.write("zaudit.toml", util::as_bytes(std::string{"[severity]\n\"sip.cleartext-signaling\" = 3\n"}));
    const auto bad = test::run_cli({k_zrtp});
    const auto none = test::run_cli({"--config", "/dev/null", "--format", "json", k_zrtp});
    std::filesystem::current_path(previous);

    const auto doc = nlohmann::json::parse(found.out);
    CHECK(doc["config"]["path"] == "zaudit.toml");
    CHECK(found.exit_code == cli::k_exit_findings);  // cleartext signalling re-graded to critical
    CHECK(bad.exit_code == cli::k_exit_usage);
    CHECK(bad.out.empty());
    CHECK_THAT(bad.err, Catch::Contains("zaudit.toml:2:29: a severity is one of"));
    CHECK(nlohmann::json::parse(none.out)["config"]["path"] == "/dev/null");
}

TEST_CASE(
    "policy and baseline in zaudit.toml: a weakness baselined from one real call passes in another capture, "
    "a new one fails") {
    // Two captures of real linphone-cli calls over ZRTP, made on different runs (tests/interop):
    // other Call-IDs, tags, SSRCs, ZRTP nonces and frames, the same two low weaknesses
    // (cleartext SIP, RTP before Conf2ACK). A baseline written from the first must accept the
    // second's findings, both calls of it, by fingerprint.
    test::TempDir dir;
    const std::string first = test::source_path("tests/interop/zrtp-linphone.pcap");
    const std::string second = test::source_path("tests/interop/zrtp-linphone-cached.pcap");
    const auto written = test::run_cli({"baseline", first});
    REQUIRE(written.exit_code == cli::k_exit_clean);
    dir.write("zaudit.baseline", util::as_bytes(written.out));
    const std::string config = dir.write(
        "zaudit.toml", util::as_bytes(std::string{"[policy]\nrequire = [\"zrtp\"]\nbaseline = \"zaudit.baseline\"\n"}));

    const auto fingerprints_of = [](const std::string& capture) {
        std::set<std::pair<std::string, std::string>> pairs;
        const auto doc =
            nlohmann::json::parse(test::run_cli({"--format", "json", "--config", "/dev/null", capture}).out);
        for (const auto& f : doc["findings"]) {
            pairs.emplace(f["rule"], f["fingerprint"]);
        }
        return pairs;
    };
    const auto in_first = fingerprints_of(first);
    REQUIRE(in_first.size() == 2);
    CHECK(fingerprints_of(second) == in_first);

    // The gate at low: without the baseline both captures fail; with it, the second passes.
    CHECK(test::run_cli({"--config", "/dev/null", "--fail-on", "low", second}).exit_code == cli::k_exit_findings);
    const auto gated = test::run_cli({"--config", config, "--fail-on", "low", "--format", "json", second});
    CHECK(gated.exit_code == cli::k_exit_clean);
    const auto doc = nlohmann::json::parse(gated.out);
    REQUIRE(doc["findings"].size() == 4);  // two calls, two weaknesses each
    for (const auto& f : doc["findings"]) {
        CHECK(f["accepted"] == true);
    }
    CHECK(doc["baseline"]["accepted"] == 4);

    // A new weakness under the same config fails the gate: SDES keys in clear SIP breach the
    // policy (ZRTP required) and are in no baseline.
    const auto sdes = test::run_cli(
        {"--config", config, "--fail-on", "low", "--format", "json", test::source_path("samples/sdes-call-udp.pcap")});
    CHECK(sdes.exit_code == cli::k_exit_findings);
    const auto sdes_doc = nlohmann::json::parse(sdes.out);
    std::set<std::string> new_rules;
    for (const auto& f : sdes_doc["findings"]) {
        if (f["accepted"] == false) {
            new_rules.insert(f["rule"].get<std::string>());
        }
    }
    CHECK(new_rules.count("policy.protection-required") == 1);
    CHECK(new_rules.count("sdes.key-exposed") == 1);
}
