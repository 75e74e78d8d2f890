// zaudit.toml (--config): parsed, and when it parses, applied to a policy and to findings of
// the rules it names.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/cli/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    const auto config = cli::parse_config(std::string_view{reinterpret_cast<const char*>(data), size}, "fuzz.toml");
    if (!config) {
        return 0;
    }
    analysis::Policy policy;
    cli::apply_to_policy(*config, policy);
    std::vector<analysis::Finding> findings;
    for (const analysis::RuleInfo& rule : analysis::rule_catalogue()) {
        findings.emplace_back().rule = rule.id;
    }
    cli::apply_to_findings(*config, findings);
    return 0;
}
