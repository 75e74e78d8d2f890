// Baselines: findings accepted by fingerprint, read strictly.
#include <catch2/catch.hpp>

#include "zaudit/analysis/baseline.hpp"

using namespace zaudit;

namespace {

const std::string k_fp_a(64, 'a');
const std::string k_fp_b(64, 'b');

analysis::Finding finding(std::string_view rule, std::string fingerprint, std::string message) {
    analysis::Finding f;
    f.rule = rule;
    f.fingerprint = std::move(fingerprint);
    f.message = std::move(message);
    return f;
}

}  // namespace

TEST_CASE("a baseline written for findings accepts exactly those findings when read back") {
    const analysis::Finding exposed = finding("sdes.key-exposed", k_fp_a, "key sent in clear\nby alice");
    const analysis::Finding clear = finding("sip.cleartext-signaling", k_fp_b, "call 1 over udp");
    const std::string text = analysis::write_baseline({&clear, &exposed, &exposed});
    CHECK(text.rfind("# zaudit baseline 1\n", 0) == 0);
    CHECK(text.find("\n" + k_fp_a + " sdes.key-exposed key sent in clear by alice\n") != std::string::npos);
    const auto baseline = analysis::parse_baseline(text, "zaudit.baseline");
    REQUIRE(baseline);
    CHECK(baseline->fingerprints == std::set<std::string>{k_fp_a, k_fp_b});
    CHECK(baseline->sha256.size() == 64);

    std::vector<analysis::Finding> findings{finding("sdes.key-exposed", k_fp_a, "again"),
                                            finding("media.unencrypted", std::string(64, 'c'), "new")};
    CHECK(analysis::apply_baseline(*baseline, findings) == 1);
    CHECK(findings[0].accepted);
    CHECK_FALSE(findings[1].accepted);
}

TEST_CASE("a malformed baseline line is an error with the file, the line and the reason") {
    const auto short_fingerprint = analysis::parse_baseline("# c\n\nabc sdes.key-exposed\n", "b.txt");
    REQUIRE_FALSE(short_fingerprint);
    CHECK(short_fingerprint.error().message == "b.txt:3: not a fingerprint (64 lower-case hex digits): 'abc'");
    const auto capitals = analysis::parse_baseline(std::string(64, 'A') + " sdes.key-exposed\n", "b.txt");
    CHECK_FALSE(capitals);
    const auto unknown_rule = analysis::parse_baseline(k_fp_a + " zrtp.made-up note\n", "b.txt");
    REQUIRE_FALSE(unknown_rule);
    CHECK(unknown_rule.error().message == "b.txt:1: 'zrtp.made-up' is not a rule id of `zaudit rules`");
    const auto no_rule = analysis::parse_baseline(k_fp_a + "\n", "b.txt");
    CHECK_FALSE(no_rule);
    CHECK(analysis::parse_baseline("", "b.txt"));  // empty: accepts nothing
}
