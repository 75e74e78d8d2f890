// The audit as one self-contained HTML page, for an investigator's report or a mail attachment:
// the inputs with their hashes, the verdict per call, the findings grouped by rule, and per call
// its path with the protection of each hop and an SVG ladder of what the capture shows (SIP,
// ZRTP messages, media starting, changing protection and stopping), each arrow titled with its
// frame. No script, no stylesheet or font from the network: it opens offline. Every string
// from a capture goes through html_captured (util::printable, then the five HTML specials), so
// nothing a caller writes into a Call-ID becomes markup.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "ladder.hpp"
#include "sections.hpp"
#include "zaudit/analysis/verdict.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"
#include "zaudit/zrtp/message.hpp"

namespace zaudit::report {
namespace {

constexpr const char* style = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#1d2329}
h1{font-size:1.5em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ccd}h3{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #d5d9de;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f2f4f6}td.num{text-align:right}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
.sev{font-weight:600;padding:0 .35em;border-radius:3px;color:#fff;white-space:nowrap}
.critical{background:#a40e26}.high{background:#d1242f}.medium{background:#bf8700}.low{background:#0969da}.info{background:#6e7781}
.ok{color:#1a7f37;font-weight:600}.bad{color:#a40e26;font-weight:600}.warn{color:#9a6700;font-weight:600}
.partial{background:#fff8c5;border:1px solid #d4a72c;padding:.5em}
.path{display:flex;flex-wrap:wrap;align-items:center;gap:.3em;margin:.5em 0}
.node{border:1px solid #8c959f;border-radius:4px;padding:.2em .5em;background:#f6f8fa}
.hop{font-size:.85em;padding:0 .4em}.ladder{overflow-x:auto;border:1px solid #d5d9de;margin:.5em 0}
svg text{font:12px ui-monospace,Menlo,Consolas,monospace}svg .lane{stroke:#8c959f;stroke-dasharray:4 3}
svg .sip line{stroke:#24292f}svg .zrtp line{stroke:#8250df}svg .media line{stroke:#1a7f37;stroke-dasharray:6 3}
svg .flagged line{stroke:#d1242f;stroke-width:2}svg .flagged text.label{fill:#a40e26;font-weight:600}
svg .note text{fill:#57606a;font-style:italic}svg a text{text-decoration:underline}
:target{outline:2px solid #d1242f}footer{margin-top:3em;color:#57606a;font-size:.85em}
)";

std::string severity_badge(analysis::Severity severity) {
    const char* name = analysis::to_string(severity);
    return fmt::format(R"(<span class="sev {}">{}</span>)", name, util::to_upper(name));
}

void render_path(const session::Call& call, std::ostream& out) {
    if (call.path.empty()) {
        return;
    }
    out << R"(<div class="path">)";
    for (std::size_t i = 0; i < call.path.size(); ++i) {
        const session::PathNode& node = call.path[i];
        std::string addresses;
        for (const util::IpAddress& address : node.addresses) {
            addresses += (addresses.empty() ? "" : " / ") + address.to_string();
        }
        out << fmt::format(R"(<span class="node">{} <span class="mono">{}</span>{}{}</span>)",
                           session::to_string(node.kind), html_captured(addresses),
                           node.on_wire ? "" : " (not on this wire)", node.keeps_keys ? " <b>holds the keys</b>" : "");
        if (i + 1 < call.path.size()) {
            out << fmt::format(R"(<span class="hop">&rarr; {} &rarr;</span>)",
                               node.protection_to_next ? protection_name(*node.protection_to_next) : "not captured");
        }
    }
    out << "</div>\n";
}

std::string achieved_class(analysis::Achieved achieved) {
    switch (achieved) {
        case analysis::Achieved::zrtp_verified:
        case analysis::Achieved::dtls_verified: return "ok";
        case analysis::Achieved::dtls_unverified:
        case analysis::Achieved::srtp_unknown:
        case analysis::Achieved::sdes_tls:
        case analysis::Achieved::iax2_aes128:
        case analysis::Achieved::no_media: return "warn";
        default: return "bad";
    }
}

void render_inputs(const AuditResult& result, std::ostream& out) {
    out << "<h2>Inputs</h2>\n<table><tr><th>input</th><th>format</th><th>packets</th><th>first</th><th>last</th>"
           "<th>sha256</th></tr>\n";
    for (const InputAudit& audit : result.audits) {
        for (const capture::InputInfo& input : audit.model.inputs) {
            if (input.error) {
                out << fmt::format("<tr><td>{}</td><td colspan=\"5\" class=\"bad\">not read: {}</td></tr>\n",
                                   html_captured(input.path), html_captured(*input.error));
                continue;
            }
            out << fmt::format(
                "<tr><td>{}</td><td>{} {}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}"
                "</td></tr>\n",
                html_captured(input.path), input.format, input.link_type, input.packets,
                input.first_time ? util::to_rfc3339(*input.first_time) : "",
                input.last_time ? util::to_rfc3339(*input.last_time) : "", input.sha256);
            for (const std::string& warning : input.warnings) {
                out << fmt::format("<tr><td></td><td colspan=\"5\" class=\"warn\">warning: {}</td></tr>\n",
                                   html_captured(warning));
            }
        }
    }
    out << "</table>\n";
    if (result.config) {
        const std::string changes = config_changes_text(
            *result.config, [](const std::string& rule) { return fmt::format("<code>{}</code>", rule); });
        out << fmt::format("<p>Config {} (sha256 <span class=\"mono\">{}</span>){}{}.</p>\n",
                           html_captured(result.config->path), result.config->sha256, changes.empty() ? "" : ": ",
                           changes);
    }
    if (result.baseline) {
        out << fmt::format("<p>Baseline {} (sha256 <span class=\"mono\">{}</span>): {}, {} accepted.</p>\n",
                           html_captured(result.baseline->path), result.baseline->sha256,
                           counted(result.baseline->fingerprints, "fingerprint"),
                           counted(result.baseline->accepted, "finding"));
    }
    if (result.narrowed) {
        out << fmt::format("<p class=\"partial\"><b>Narrowed</b> to {}: {}. Not a report of the whole capture.</p>\n",
                           narrowing_terms(result.narrowed->narrowing, html_captured),
                           narrowing_counts_text(result.narrowed->counts));
    }
    for (const InputAudit& audit : result.audits) {
        if (audit.model.partial || audit.model.decode.limited()) {
            out << "<p class=\"partial\"><b>Partial:</b> an input stopped early, the capture cut packets short, or a "
                   "limit was reached; the report covers what was read.</p>\n";
            break;
        }
    }
}

void render_verdicts(const InputAudit& audit, std::size_t audit_index,
                     const std::vector<analysis::CallVerdict>& verdicts, std::ostream& out) {
    if (verdicts.empty()) {
        out << "<h3>Verdict</h3>\n<p>No calls.</p>\n";
        return;
    }
    out << "<h3>Verdict</h3>\n<table class=\"verdicts\"><tr><th>call</th><th>from</th><th>to</th><th>start</th>"
           "<th>media</th><th>protection</th><th>worst finding</th></tr>\n";
    for (const analysis::CallVerdict& verdict : verdicts) {
        const session::Call* call = audit.model.call(verdict.call);
        if (call == nullptr) {
            continue;
        }
        std::string worst = "none";
        if (verdict.worst) {
            const analysis::Finding& f = audit.findings[*verdict.worst];
            worst = fmt::format(R"({} <a href="#{}"><code>{}</code></a>)", severity_badge(f.severity),
                                finding_anchor(audit_index, *verdict.worst), f.rule);
        }
        out << fmt::format(
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td>"
            "<td>{}</td></tr>\n",
            call_anchor(audit_index, call->id), call->id, html_captured(call->from), html_captured(call->to),
            util::to_rfc3339(call->start), media_path_word(verdict), achieved_class(verdict.achieved),
            html_captured(verdict_text(verdict, *call)), worst);
    }
    out << "</table>\n";
}

/// A finding's frames, each linked to its arrow when the call's ladder draws that frame.
std::string frame_links(std::size_t audit_index, const analysis::Finding& f,
                        const std::map<std::uint32_t, std::set<std::uint64_t>>& drawn) {
    std::string text;
    const auto frames_drawn = f.call ? drawn.find(*f.call) : drawn.end();
    for (std::size_t i = 0; i < f.frames.size() && i < 8; ++i) {
        const std::uint64_t frame = f.frames[i];
        text += i > 0 ? ", " : "";
        if (frames_drawn != drawn.end() && frames_drawn->second.count(frame) > 0) {
            text += fmt::format(R"(<a href="#{}">{}</a>)", arrow_anchor(audit_index, *f.call, frame), frame);
        } else {
            text += std::to_string(frame);
        }
    }
    if (f.frames.size() > 8) {
        text += fmt::format(" (+{} more)", f.frames.size() - 8);
    }
    return text;
}

void render_findings(const InputAudit& audit, std::size_t audit_index,
                     const std::map<std::uint32_t, std::set<std::uint64_t>>& drawn, const RenderOptions& options,
                     std::ostream& out) {
    const FindingCounts counts = count_findings(audit.findings);
    if (counts.total == 0) {
        out << "<h3>Findings: none</h3>\n";
        return;
    }
    out << fmt::format("<h3>Findings ({}): {}</h3>\n", counts.total, severity_counts_text(counts.by_severity));
    const std::vector<FindingGroup> groups = group_by_rule(audit.findings);
    out << "<table class=\"counts\"><tr><th>rule</th><th>severity</th><th>findings</th></tr>\n";
    for (const FindingGroup& group : groups) {
        out << fmt::format(
            "<tr><td><a href=\"#a{}-rule-{}\"><code>{}</code></a></td><td>{}</td>"
            "<td class=\"num\">{}</td></tr>\n",
            audit_index + 1, group.rule, group.rule, severity_badge(group.severity), group.members.size());
    }
    out << "</table>\n";
    for (const FindingGroup& group : groups) {
        const analysis::Finding& first = audit.findings[group.members.front()];
        out << fmt::format(
            "<h4 id=\"a{}-rule-{}\">{} <code>{}</code>: {} ({})</h4>\n<p>{}</p>\n<p><b>Fix:</b> {}</p>\n",
            audit_index + 1, group.rule, severity_badge(group.severity), group.rule, html_captured(first.title),
            group.members.size(), html_captured(first.explanation), html_captured(first.remediation));
        out << "<table class=\"findings\"><tr><th>#</th><th>call</th><th>finding</th><th>frames</th>"
               "<th>confidence</th></tr>\n";
        const std::size_t shown =
            options.verbose ? group.members.size() : std::min(group.members.size(), occurrences_shown);
        for (std::size_t i = 0; i < shown; ++i) {
            const std::size_t index = group.members[i];
            const analysis::Finding& f = audit.findings[index];
            out << fmt::format(
                "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
                finding_anchor(audit_index, index), index + 1,
                f.call ? fmt::format(R"(<a href="#{}">{}</a>)", call_anchor(audit_index, *f.call), *f.call) : "",
                html_captured(f.message), f.accepted ? " <b>(accepted by the baseline)</b>" : "",
                frame_links(audit_index, f, drawn), analysis::to_string(f.confidence));
        }
        out << "</table>\n";
        if (shown < group.members.size()) {
            out << fmt::format("<p>... and {} more (<code>--verbose</code> lists every one)</p>\n",
                               group.members.size() - shown);
        }
    }
}

void render_call(const InputAudit& audit, std::size_t audit_index, const session::Call& call,
                 const analysis::CallVerdict& verdict, const std::vector<LadderRow>& rows, const FramesCited& cited,
                 const RenderOptions& options, std::ostream& out) {
    out << fmt::format("<h3 id=\"{}\">Call {}: {} &rarr; {}</h3>\n", call_anchor(audit_index, call.id), call.id,
                       html_captured(call.from), html_captured(call.to));
    const std::optional<std::string> ended = ended_by_label(call);
    out << fmt::format(
        "<p>Call-ID <span class=\"mono\">{}</span>, {} signalling{}, {} to {} ({:.1f} s){}. Media {}: <span "
        "class=\"{}\">{}</span>.</p>\n",
        html_captured(call.call_id), html_captured(call.transport), call.tls ? " (TLS)" : "",
        util::to_rfc3339(call.start), util::to_rfc3339(call.end), duration_seconds(call),
        ended ? ", ended by " + *ended : "", media_path_word(verdict), achieved_class(verdict.achieved),
        html_captured(verdict_text(verdict, call)));
    render_path(call, out);
    render_ladder(audit, audit_index, call, rows, cited, options, out);
}

void render_audit(const InputAudit& audit, std::size_t audit_index, const RenderOptions& options, std::ostream& out) {
    const std::vector<analysis::CallVerdict> verdicts = analysis::call_verdicts(audit.model, audit.findings);
    // The ladders first, to know which frames have an arrow to link to; written after the findings.
    std::map<std::uint32_t, std::set<std::uint64_t>> drawn;
    std::vector<std::vector<LadderRow>> ladders;
    for (const analysis::CallVerdict& verdict : verdicts) {
        const session::Call* call = audit.model.call(verdict.call);
        ladders.push_back(call != nullptr ? ladder_rows(audit.model, *call) : std::vector<LadderRow>{});
        const std::vector<LadderRow>& rows = ladders.back();
        const std::size_t shown = options.verbose ? rows.size() : std::min(rows.size(), ladder_rows_shown);
        for (std::size_t i = 0; i < shown; ++i) {
            if (rows[i].kind != LadderRow::Kind::note) {
                drawn[verdict.call].insert(rows[i].frame);
            }
        }
    }
    render_verdicts(audit, audit_index, verdicts, out);
    render_findings(audit, audit_index, drawn, options, out);
    if (!verdicts.empty()) {
        out << "<h3>Calls</h3>\n";
    }
    const auto cited_by_call = frames_cited_by_call(audit.findings);
    const FramesCited none;
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
        if (const session::Call* call = audit.model.call(verdicts[i].call)) {
            const auto cited = cited_by_call.find(call->id);
            render_call(audit, audit_index, *call, verdicts[i], ladders[i],
                        cited != cited_by_call.end() ? cited->second : none, options, out);
        }
    }
}

}  // namespace

/// Text from a capture: control bytes and invalid UTF-8 made visible (util::printable), then
/// the characters HTML gives meaning to, in text and in quoted attributes alike.
std::string html_captured(std::string_view captured) {
    std::string out;
    for (const char c : util::printable(captured)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

void render_html(const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           // No script may run and nothing may load: the page is evidence, not an application.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "img-src data:\">\n";
    out << fmt::format("<title>zaudit {} report</title>\n<style>{}</style>\n</head>\n<body>\n", result.tool.version,
                       style);
    out << fmt::format("<h1>zaudit {} report</h1>\n", result.tool.version);
    render_inputs(result, out);
    for (std::size_t i = 0; i < result.audits.size(); ++i) {
        out << fmt::format("<h2>{}</h2>\n",
                           result.audits.size() > 1 ? html_captured(audit_heading(result, i)) : std::string{"Audit"});
        render_audit(result.audits[i], i, options, out);
    }
    out << "<footer>Made by zaudit from the inputs above; every string from a capture is shown escaped. "
           "Frame numbers are Wireshark's.</footer>\n</body>\n</html>\n";
}

}  // namespace zaudit::report