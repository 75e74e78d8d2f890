// SARIF 2.1.0 (OASIS): one run, the catalogue as the driver's rules, one result per finding.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sections.hpp"
#include "zaudit/analysis/registry.hpp"
#include "zaudit/report/json_document.hpp"
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

/// A capture's path as a SARIF artifactLocation uri, which must be a URI reference (RFC 3986):
/// every byte but the unreserved ones and '/' percent-encoded, so that a space, '#', '?', '%', a
/// ':' (in a first segment it would read as a scheme) or a UTF-8 name stays part of the path.
std::string uri_reference(std::string_view path) {
    static constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string uri;
    uri.reserve(path.size());
    for (const char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved || c == '/') {
            uri.push_back(c);
        } else {
            uri.push_back('%');
            uri.push_back(k_hex[byte >> 4U]);
            uri.push_back(k_hex[byte & 0x0FU]);
        }
    }
    return uri.empty() ? std::string{"-"} : uri;
}

ordered_json physical_location(const std::string& uri) {
    return {{"artifactLocation", {{"uri", uri}}}};
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
    return ordered_json::array({{{"physicalLocation", physical_location(uri)}, {"logicalLocations", logical}}});
}

/// `uris` are the artifact uris of the audit's inputs; a merged finding is located in its first
/// frame's input, and the other inputs it has frames in are its related locations.
ordered_json sarif_result(const analysis::Finding& f, const std::vector<std::string>& uris,
                          const std::optional<BaselineUse>& baseline) {
    const std::size_t shown_in = f.frames_by_input.empty() ? 0 : f.frames_by_input.front().input - 1;
    ordered_json result = {{"ruleId", f.rule},
                           {"level", sarif_level(f.severity)},
                           {"message", {{"text", f.message}}},
                           {"locations", sarif_locations(f, shown_in < uris.size() ? uris[shown_in] : "-")}};
    ordered_json properties = {{"severity", analysis::to_string(f.severity)},
                               {"confidence", analysis::to_string(f.confidence)},
                               {"frames", f.frames}};
    if (!f.frames_by_input.empty()) {  // merged: the frames above are the merged capture's
        ordered_json located = ordered_json::array();
        std::map<std::uint32_t, std::vector<std::uint64_t>> related;  // other inputs: their own frame numbers
        for (const auto& where : f.frames_by_input) {
            located.push_back({{"input", where.input}, {"frame", where.frame}});
            if (where.input - 1 != shown_in && where.input - 1 < uris.size()) {
                related[where.input].push_back(where.frame);
            }
        }
        properties["frames_by_input"] = located;
        if (!related.empty()) {
            ordered_json locations = ordered_json::array();
            for (const auto& [input, frames] : related) {
                locations.push_back({{"id", input},
                                     {"physicalLocation", physical_location(uris[input - 1])},
                                     {"message", {{"text", frames_text(frames)}}}});
            }
            result["relatedLocations"] = locations;
        }
    }
    properties["evidence"] = analysis::evidence_of(f);
    if (f.count) {  // a finding about many things of one kind: how many, and the first few
        properties["count"] = *f.count;
        properties["examples"] = analysis::examples_of(f);
    }
    // The baseline's fingerprint: the same weakness in tomorrow's capture is the same alert.
    result["partialFingerprints"] = {{"zauditFingerprint/v1", f.fingerprint}};
    result["properties"] = properties;
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

/// The document is written as it is built, one result at a time (DocumentWriter), with the
/// bytes of its dump(2). Built whole, a large capture's results were held twice, as a JSON tree
/// (about 12 KB a result) and as its text.
void render_sarif(const AuditResult& result, std::ostream& out, unsigned int threads) {
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
    ordered_json artifacts = ordered_json::array();
    std::vector<std::vector<std::string>> uris_by_audit;  // an audit's inputs: one, or under --merge every input
    std::vector<std::pair<const analysis::Finding*, std::size_t>> results;  // each finding and its audit
    for (const auto& audit : result.audits) {
        std::vector<std::string>& uris = uris_by_audit.emplace_back();
        for (const auto& input : audit.model.inputs) {
            uris.push_back(uri_reference(input.path));
            artifacts.push_back({{"location", {{"uri", uris.back()}}}, {"hashes", {{"sha-256", input.sha256}}}});
        }
        for (const auto& f : audit.findings) {
            results.emplace_back(&f, uris_by_audit.size() - 1);
        }
    }

    // {"$schema": ..., "version": ..., "runs": [run]}: the run object sits two levels deep.
    out << "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
           "  \"runs\": [\n    ";
    DocumentWriter run{out, 2, threads};
    run.member("tool",
               {{"driver", {{"name", "zaudit"}, {"version", result.tool.version}, {"rules", std::move(rules)}}}});
    run.member("artifacts", std::move(artifacts));
    run.indexed_list("results", results.size(), [&](std::size_t i) {
        return sarif_result(*results[i].first, uris_by_audit[results[i].second], result.baseline);
    });
    if (result.narrowed) {
        // A code-scanning UI closes the alerts an upload lacks: a narrowed run gets a category
        // of its own (runAutomationDetails), so that it never closes the whole run's alerts, and
        // says what it left out.
        run.member("automationDetails", {{"id", narrowed_category(result.narrowed->narrowing)},
                                         {"description", {{"text", narrowing_text(*result.narrowed)}}}});
        run.member("properties", {{"narrowed", narrowing_to_json(*result.narrowed)}});
    }
    run.finish();
    out << "\n  ]\n}\n";
}

}  // namespace zaudit::report
