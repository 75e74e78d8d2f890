// The audit as CommonMark (with GitHub's pipe tables), for tickets and CI step summaries: the
// verdict table, the counts, the findings grouped by rule. Every string from a capture goes
// through markdown_captured; the catalogue's prose through markdown_escape.
#include <fmt/format.h>

#include <cctype>

#include "sections.hpp"
#include "zaudit/analysis/verdict.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::report {
namespace {

void render_inputs(const AuditResult& result, std::ostream& out) {
    out << "| input | format | packets | first | last | sha256 |\n|---|---|---:|---|---|---|\n";
    for (const InputAudit& audit : result.audits) {
        for (const capture::InputInfo& input : audit.model.inputs) {
            if (input.error) {
                out << fmt::format("| {} | not read: {} | | | | |\n", markdown_captured(input.path),
                                   markdown_captured(*input.error));
                continue;
            }
            out << fmt::format("| {} | {} {} | {} | {} | {} | `{}` |\n", markdown_captured(input.path), input.format,
                               input.link_type, input.packets,
                               input.first_time ? util::to_rfc3339(*input.first_time) : "",
                               input.last_time ? util::to_rfc3339(*input.last_time) : "", input.sha256);
        }
    }
    if (result.config) {
        const std::string changes =
            config_changes_text(*result.config, [](const std::string& rule) { return fmt::format("`{}`", rule); });
        out << fmt::format("\nConfig {} (sha256 `{}`){}{}.\n", markdown_captured(result.config->path),
                           result.config->sha256, changes.empty() ? "" : ": ", changes);
    }
    if (result.baseline) {
        out << fmt::format("\nBaseline {} (sha256 `{}`): {}, {} accepted.\n", markdown_captured(result.baseline->path),
                           result.baseline->sha256, counted(result.baseline->fingerprints, "fingerprint"),
                           counted(result.baseline->accepted, "finding"));
    }
    if (result.narrowed) {
        out << fmt::format("\n**Narrowed** to {}: {}. Not a report of the whole capture.\n",
                           narrowing_terms(result.narrowed->narrowing, markdown_captured),
                           narrowing_counts_text(result.narrowed->counts));
    }
    for (const InputAudit& audit : result.audits) {
        if (audit.model.partial || audit.model.decode.limited()) {
            out << "\n**Partial:** an input stopped early, the capture cut packets short, or a limit was reached; the "
                   "report covers what was read.\n";
            break;
        }
    }
}

void render_verdicts(const InputAudit& audit, std::ostream& out) {
    const std::vector<analysis::CallVerdict> verdicts = analysis::call_verdicts(audit.model, audit.findings);
    if (verdicts.empty()) {
        return;
    }
    out << "\n### Verdict\n\n| call | from | to | start | media | protection | worst finding |\n"
           "|---:|---|---|---|---|---|---|\n";
    for (const analysis::CallVerdict& verdict : verdicts) {
        const session::Call* call = audit.model.call(verdict.call);
        if (call == nullptr) {
            continue;
        }
        const std::string_view media = media_path_word(verdict);
        std::string worst = "none";
        if (verdict.worst) {
            const analysis::Finding& f = audit.findings[*verdict.worst];
            worst = fmt::format("{} `{}`", util::to_upper(analysis::to_string(f.severity)), f.rule);
        }
        out << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", call->id, markdown_captured(call->from),
                           markdown_captured(call->to), util::to_rfc3339(call->start), media,
                           markdown_escape(verdict_text(verdict, *call)), worst);
    }
}

void render_findings(const InputAudit& audit, std::ostream& out, const RenderOptions& options) {
    const FindingCounts counts = count_findings(audit.findings);
    if (counts.total == 0) {
        out << "\n### Findings: none\n";
        return;
    }
    out << fmt::format("\n### Findings ({}): {}\n\n| rule | severity | findings |\n|---|---|---:|\n", counts.total,
                       severity_counts_text(counts.by_severity));
    const std::vector<FindingGroup> groups = group_by_rule(audit.findings);
    for (const FindingGroup& group : groups) {
        out << fmt::format("| `{}` | {} | {} |\n", group.rule, analysis::to_string(group.severity),
                           group.members.size());
    }
    for (const FindingGroup& group : groups) {
        const analysis::Finding& first = audit.findings[group.members.front()];
        out << fmt::format("\n#### {} `{}`: {} ({})\n\n", util::to_upper(analysis::to_string(group.severity)),
                           group.rule, markdown_escape(first.title), group.members.size());
        out << markdown_escape(first.explanation) << "\n\n**Fix:** " << markdown_escape(first.remediation) << "\n\n";
        const std::size_t shown =
            options.verbose ? group.members.size() : std::min(group.members.size(), occurrences_shown);
        for (std::size_t i = 0; i < shown; ++i) {
            const analysis::Finding& f = audit.findings[group.members[i]];
            out << "- " << markdown_captured(f.message);
            if (!f.frames.empty()) {
                out << " (" << frames_text(f.frames) << ")";
            }
            out << fmt::format(" [{}]{}\n", analysis::to_string(f.confidence),
                               f.accepted ? " **accepted by the baseline**" : "");
        }
        if (shown < group.members.size()) {
            out << fmt::format("- and {} more (`--verbose` lists every one)\n", group.members.size() - shown);
        }
    }
}

}  // namespace

std::string markdown_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\n') {
            out += ' ';
            continue;
        }
        if (std::string_view{"\\`*_[]<>|"}.find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string markdown_captured(std::string_view captured) {
    std::string out;
    for (const char c : util::printable(captured)) {
        if (c == '\n' || c == '\r') {
            out += ' ';
            continue;
        }
        if (std::ispunct(static_cast<unsigned char>(c)) != 0) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

void render_markdown(const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    out << fmt::format("## zaudit {} report\n\n", result.tool.version);
    render_inputs(result, out);
    for (std::size_t i = 0; i < result.audits.size(); ++i) {
        if (result.audits.size() > 1) {
            out << fmt::format("\n## {}\n", markdown_captured(audit_heading(result, i)));
        }
        render_verdicts(result.audits[i], out);
        render_findings(result.audits[i], out, options);
    }
}

}  // namespace zaudit::report
