// SARIF 2.1.0 (OASIS): one run, the catalogue as the driver's rules, one result per finding.
#include "sections.hpp"
#include "zaudit/analysis/registry.hpp"
#include "zaudit/report/report.hpp"

namespace zaudit::report {
namespace {

using nlohmann::ordered_json;

/// SARIF has four levels; critical and high are both errors, as gitleaks and semgrep map them.
const char* sarif_level(analysis::Severity s) {
    switch (s) {
        case analysis::Severity::critical:
        case analysis::Severity::high: return "error";
        case analysis::Severity::medium: return "warning";
        case analysis::Severity::low:
        case analysis::Severity::info: return "note";
    }
    return "note";
}

/// Where a result is: the capture file (every result needs a location for code-scanning UIs),
/// and within it the call and the stream, as logical locations.
ordered_json sarif_locations(const analysis::Finding& f, const std::string& uri) {
    ordered_json logical = ordered_json::array();
    if (f.call) {
        logical.push_back({{"name", "call " + std::to_string(*f.call)}, {"kind", "object"}});
    }
    if (f.stream) {
        logical.push_back({{"name", "stream " + std::to_string(*f.stream)}, {"kind", "object"}});
    }
    if (logical.empty()) {
        logical.push_back({{"name", "capture"}, {"kind", "object"}});
    }
    return ordered_json::array(
        {{{"physicalLocation", {{"artifactLocation", {{"uri", uri.empty() ? std::string{"-"} : uri}}}}},
          {"logicalLocations", logical}}});
}

ordered_json sarif_result(const analysis::Finding& f, const std::string& uri,
                          const std::optional<BaselineUse>& baseline) {
    ordered_json result = {{"ruleId", f.rule},
                           {"level", sarif_level(f.severity)},
                           {"message", {{"text", f.message}}},
                           {"locations", sarif_locations(f, uri)},
                           // The baseline's fingerprint: the same weakness in tomorrow's capture is the same alert.
                           {"partialFingerprints", {{"zauditFingerprint/v1", f.fingerprint}}},
                           {"properties",
                            {{"severity", analysis::to_string(f.severity)},
                             {"confidence", analysis::to_string(f.confidence)},
                             {"frames", f.frames},
                             {"evidence", f.evidence}}}};
    if (baseline) {  // SARIF's own baseline vocabulary: code-scanning UIs hide suppressed results
        result["baselineState"] = f.accepted ? "unchanged" : "new";
        if (f.accepted) {
            result["suppressions"] = ordered_json::array(
                {{{"kind", "external"}, {"justification", "accepted in the baseline " + baseline->path}}});
        }
    }
    return result;
}

/// "zaudit-narrowed/calls=3,a84b@pc33;since=+90/": the run's category (everything before the
/// last '/'), one per narrowing, so that uploads narrowed differently do not replace each other.
std::string narrowed_category(const analysis::Narrowing& narrowing) {
    std::string id = "zaudit-narrowed/";
    std::string_view separator;
    if (narrowing.by_call()) {
        id += "calls=";
        for (std::size_t i = 0; i < narrowing.calls.size(); ++i) {
            id += (i == 0 ? "" : ",") + narrowing.calls[i].text;
        }
        separator = ";";
    }
    for (const auto& [word, bound] : {std::pair{"since=", &narrowing.since}, std::pair{"until=", &narrowing.until}}) {
        if (*bound) {
            id += std::string{separator} + word + (*bound)->text();
            separator = ";";
        }
    }
    return id + "/";
}

}  // namespace

void render_sarif(const AuditResult& result, std::ostream& out) {
    ordered_json rules = ordered_json::array();
    for (const auto& rule : analysis::rule_catalogue()) {
        rules.push_back(
            {{"id", rule.id},
             {"name", rule.id},
             {"shortDescription", {{"text", rule.title}}},
             {"fullDescription", {{"text", rule.explanation}}},
             {"help", {{"text", rule.remediation}, {"markdown", "**Fix:** " + markdown_escape(rule.remediation)}}},
             {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}},
             {"properties", {{"severity", analysis::to_string(rule.severity)}, {"reference", rule.reference}}}});
    }
    ordered_json results = ordered_json::array();
    ordered_json artifacts = ordered_json::array();
    for (const auto& audit : result.audits) {
        const auto& inputs = audit.model.inputs;
        for (const auto& input : inputs) {
            artifacts.push_back({{"location", {{"uri", input.path}}}, {"hashes", {{"sha-256", input.sha256}}}});
        }
        for (const auto& f : audit.findings) {
            // The capture that shows it: the audit's input, or under --merge its first frame's input.
            const std::size_t shown_in = f.frames_by_input.empty() ? 0 : f.frames_by_input.front().input - 1;
            results.push_back(sarif_result(f, shown_in < inputs.size() ? inputs[shown_in].path : "", result.baseline));
        }
    }
    ordered_json run{{"tool", {{"driver", {{"name", "zaudit"}, {"version", result.tool.version}, {"rules", rules}}}}},
                     {"artifacts", artifacts},
                     {"results", results}};
    if (result.narrowed) {
        // A code-scanning UI closes the alerts an upload lacks: a narrowed run gets a category
        // of its own (runAutomationDetails), so that it never closes the whole run's alerts, and
        // says what it left out.
        run["automationDetails"] = {{"id", narrowed_category(result.narrowed->narrowing)},
                                    {"description", {{"text", narrowing_text(*result.narrowed)}}}};
        run["properties"] = {{"narrowed", narrowing_to_json(*result.narrowed)}};
    }
    ordered_json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                     {"version", "2.1.0"},
                     {"runs", ordered_json::array({run})}};
    make_printable(doc);
    out << doc.dump(2) << '\n';
}

}  // namespace zaudit::report
