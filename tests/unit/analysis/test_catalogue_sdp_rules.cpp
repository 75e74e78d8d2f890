// The SDP/SDES rules in the registry: ids, severities and order of DESIGN.md section 4.
#include "model_builder.hpp"

using namespace zaudit;

TEST_CASE("catalogue: SDP/SDES rules have their DESIGN.md ids, severities and texts") {
    const std::vector<std::pair<std::string_view, analysis::Severity>> expected{
        {"sdes.key-exposed", analysis::Severity::critical},  {"sdp.srtp-declined", analysis::Severity::high},
        {"sdes.key-reuse", analysis::Severity::high},        {"sdp.weak-crypto-suite", analysis::Severity::medium},
        {"sdp.security-stripped", analysis::Severity::high}, {"media.unencrypted", analysis::Severity::high},
        {"media.null-cipher", analysis::Severity::high},     {"media.unauthenticated", analysis::Severity::medium},
        {"rtp.unsignaled-stream", analysis::Severity::low},  {"call.security-downgraded", analysis::Severity::high},
        {"path.media-relay", analysis::Severity::info},
    };
    std::vector<std::size_t> positions;
    const auto catalogue = analysis::rule_catalogue();
    for (const auto& [id, severity] : expected) {
        INFO(id);
        const analysis::RuleInfo* rule = analysis::find_rule(id);
        REQUIRE(rule != nullptr);
        CHECK(rule->severity == severity);
        CHECK_FALSE(rule->title.empty());
        CHECK(rule->explanation.size() > 100);
        CHECK_FALSE(rule->remediation.empty());
        CHECK(rule->reference.find("RFC") != std::string_view::npos);
        positions.push_back(static_cast<std::size_t>(rule - catalogue.data()));
    }
    CHECK(std::is_sorted(positions.begin(), positions.end()));
}

TEST_CASE("catalogue: an empty model gives no SDP/SDES finding") {
    const session::Model model;
    for (const auto id : {"sdes.key-exposed", "sdp.srtp-declined", "sdes.key-reuse", "sdp.weak-crypto-suite",
                          "sdp.security-stripped", "media.unencrypted", "media.null-cipher", "media.unauthenticated",
                          "rtp.unsignaled-stream", "call.security-downgraded", "path.media-relay"}) {
        INFO(id);
        CHECK(test::run_rule(id, model).empty());
    }
}
