#pragma once
/// \file The rule catalogue: one explicit table, no static self-registration.

#include <span>
#include <string_view>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::analysis {

/// Where a rule puts its findings; fills in the catalogue's text for each.
class FindingSink;

struct RuleInfo {
    std::string_view id;  ///< stable, DESIGN.md section 4
    Severity severity;    ///< default severity (a rule may raise it per finding, as documented)
    std::string_view title;
    std::string_view explanation;
    std::string_view remediation;
    std::string_view reference;  ///< RFC section or other source
    void (*check)(const session::Model&, const Policy&, FindingSink&);
};

class FindingSink {
public:
    FindingSink(const RuleInfo& rule, std::vector<Finding>& out) : m_rule{rule}, m_out{out} {}
    /// A new finding of this rule with its default severity; the caller fills in the rest.
    Finding& add(std::string message);
    [[nodiscard]] const RuleInfo& rule() const { return m_rule; }

private:
    const RuleInfo& m_rule;
    std::vector<Finding>& m_out;
};

/// Every rule, in catalogue order.
std::span<const RuleInfo> rule_catalogue();
const RuleInfo* find_rule(std::string_view id);

/// Runs every rule over the model. Findings come back sorted: severity (worst first), then
/// first frame, then rule id — the same input always gives the same order. Each is fingerprinted
/// and its evidence packed (pack_details): read it through evidence_of().
std::vector<Finding> run_rules(const session::Model& model, const Policy& policy);

}  // namespace zaudit::analysis
