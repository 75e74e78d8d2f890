#include "zaudit/analysis/registry.hpp"

#include "zaudit/analysis/fingerprint.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include "rules/rules.hpp"

namespace zaudit::analysis {

Finding& FindingSink::add(std::string message) {
    Finding& finding = m_out.emplace_back();
    finding.rule = m_rule.id;
    finding.severity = m_rule.severity;
    finding.title = m_rule.title;
    finding.message = std::move(message);
    finding.explanation = m_rule.explanation;
    finding.remediation = m_rule.remediation;
    return finding;
}

std::span<const RuleInfo> rule_catalogue() {
    return rules::catalogue();
}

const RuleInfo* find_rule(std::string_view id) {
    for (const RuleInfo& rule : rule_catalogue()) {
        if (rule.id == id) {
            return &rule;
        }
    }
    return nullptr;
}

std::vector<Finding> run_rules(const session::Model& model, const Policy& policy) {
    std::vector<Finding> findings;
    std::vector<Finding> batch;  // one rule's
    for (const RuleInfo& rule : rule_catalogue()) {
        FindingSink sink{rule, batch};
        rule.check(model, policy, sink);
        for (Finding& finding : batch) {
            std::sort(finding.frames.begin(), finding.frames.end());
            finding.frames.erase(std::unique(finding.frames.begin(), finding.frames.end()), finding.frames.end());
            finding.fingerprint = fingerprint(finding, model);
        }
        // An audit keeps its findings, two or three a call, until the report is written: packed
        // as each rule ends, and in a list grown to what it holds rather than doubled.
        pack_details(batch);
        findings.reserve(findings.size() + batch.size());
        std::move(batch.begin(), batch.end(), std::back_inserter(findings));
        batch = std::vector<Finding>{};
    }
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
        if (x.severity != y.severity) {
            return x.severity > y.severity;
        }
        const std::uint64_t fx = x.frames.empty() ? UINT64_MAX : x.frames.front();
        const std::uint64_t fy = y.frames.empty() ? UINT64_MAX : y.frames.front();
        if (fx != fy) {
            return fx < fy;
        }
        return x.rule < y.rule;
    });
    return findings;
}

}  // namespace zaudit::analysis
