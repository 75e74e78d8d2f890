#pragma once
// Human formats show each independently audited input in its own section.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>
#include <ostream>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "zaudit/analysis/verdict.hpp"
#include "zaudit/report/report.hpp"

namespace zaudit::report {

/// "1 call", "2 calls": a count and its noun, plural unless the count is one.
inline std::string counted(std::uint64_t count, std::string_view noun) {
    return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

/// CommonMark for the catalogue's own prose (one paragraph): inline markup and table pipes
/// escaped, line breaks made spaces.
std::string markdown_escape(std::string_view text);
/// CommonMark for text from a capture: control bytes and bad UTF-8 made visible
/// (util::printable), then every ASCII punctuation character backslash-escaped, which
/// CommonMark allows for all of them: no markup, link, HTML or entity can come alive.
std::string markdown_captured(std::string_view captured);

/// Counts of an audit's findings by severity, rule and call (every human format and JSON).
struct FindingCounts {
    std::size_t total = 0;
    std::array<std::size_t, 5> by_severity{};  ///< indexed by analysis::Severity
    std::map<std::string_view, std::size_t> by_rule;
    std::map<std::uint32_t, std::size_t> by_call;
    std::size_t without_call = 0;
};
FindingCounts count_findings(const std::vector<analysis::Finding>& findings);
/// "frame 7", "frames 1, 6 (+3 more)": at most eight, for the human formats; empty for none.
std::string frames_text(const std::vector<std::uint64_t>& frames);

/// How a verdict's media went, for the human formats: "direct", "relayed", or "none".
std::string_view media_path_word(const analysis::CallVerdict& verdict);

/// What a config switched off or re-graded, "x off, y high", each rule id written by `code`
/// (`x`, <code>x</code>): ids the config names are checked against the catalogue when it is read.
template <typename Code>
std::string config_changes_text(const ConfigUse& config, Code code) {
    std::string changes;
    for (const auto& rule : config.rules_off) {
        changes += fmt::format("{}{} off", changes.empty() ? "" : ", ", code(rule));
    }
    for (const auto& [rule, level] : config.severity) {
        changes += fmt::format("{}{} {}", changes.empty() ? "" : ", ", code(rule), analysis::to_string(level));
    }
    return changes;
}

/// "2 critical, 1 low": the non-zero counts, worst first.
std::string severity_counts_text(const std::array<std::size_t, 5>& by_severity);

/// The findings of one rule, as indices into the audit's findings, in their order there.
struct FindingGroup {
    std::string_view rule;
    analysis::Severity severity = analysis::Severity::info;  ///< its worst member's
    std::vector<std::size_t> members;
};
/// The findings grouped by rule, worst severity first, then by rule id.
std::vector<FindingGroup> group_by_rule(const std::vector<analysis::Finding>& findings);

/// What a narrowed run asked for, for the human formats: "calls 3, a84b@pc33; since
/// 2026-03-01T10:00:00.000000Z; until +90 s after the first packet". `shown` renders a Call-ID
/// as the format needs (they come from the command line, but a format must not let them
/// become markup).
template <typename Shown>
std::string narrowing_terms(const analysis::Narrowing& narrowing, Shown shown) {
    std::string terms;
    for (const analysis::CallSelector& selector : narrowing.calls) {
        terms += fmt::format("{}{}", terms.empty() ? "calls " : ", ", shown(selector.text));
    }
    for (const auto& [word, bound] : {std::pair{"since", &narrowing.since}, std::pair{"until", &narrowing.until}}) {
        if (*bound) {
            terms += fmt::format("{}{} {}{}", terms.empty() ? "" : "; ", word, (*bound)->text(),
                                 (*bound)->from_first_packet ? " s after the first packet" : "");
        }
    }
    return terms;
}

/// "kept 1 of 40 calls, 2 of 80 media streams, 0 of 0 ZRTP handshakes, 3 of 120 flows, 4 of 200 findings"
inline std::string narrowing_counts_text(const analysis::NarrowingCounts& counts) {
    return fmt::format(
        "kept {} of {} calls, {} of {} media streams, {} of {} ZRTP handshakes, {} of {} flows, {} of {} findings",
        counts.calls.kept, counts.calls.total, counts.media.kept, counts.media.total, counts.handshakes.kept,
        counts.handshakes.total, counts.flows.kept, counts.flows.total, counts.findings.kept, counts.findings.total);
}

/// The JSON report's `narrowed` (also SARIF's run property of that name).
nlohmann::ordered_json narrowing_to_json(const NarrowingUse& use);

/// The ANSI colour of a severity label (--color).
inline const char* severity_color(analysis::Severity s) {
    switch (s) {
        case analysis::Severity::critical: return "\x1b[1;31m";
        case analysis::Severity::high: return "\x1b[31m";
        case analysis::Severity::medium: return "\x1b[33m";
        case analysis::Severity::low: return "\x1b[36m";
        case analysis::Severity::info: return "\x1b[2m";
    }
    return "";
}

/// How a call ended, for display: "BYE", "CANCEL", "error 488"; nullopt while it was still up.
inline std::optional<std::string> ended_by_label(const session::Call& call) {
    switch (call.ended_by) {
        case session::CallEnd::bye: return "BYE";
        case session::CallEnd::cancel: return "CANCEL";
        case session::CallEnd::failure: return fmt::format("error {}", call.outcome ? call.outcome->status : 0);
        case session::CallEnd::hangup: return "HANGUP";
        case session::CallEnd::reject: return "REJECT";
        case session::CallEnd::none: return std::nullopt;
    }
    return std::nullopt;
}

/// The sentence for what a call's media achieved; an IAX2 call's plain voice is no RTP.
inline std::string_view verdict_text(const analysis::CallVerdict& verdict, const session::Call& call) {
    if (call.protocol == session::CallProtocol::iax2 && verdict.achieved == analysis::Achieved::plain) {
        return "IAX2 voice in clear: anyone on the path can listen";
    }
    return analysis::describe(verdict.achieved);
}

/// The call's length in seconds, from its first to its last SIP message or media packet.
inline double duration_seconds(const session::Call& call) {
    return static_cast<double>(call.end.micros - call.start.micros) / 1e6;
}

/// The input an audit covers, as a heading: its path, or every path when merged.
inline std::string audit_heading(const AuditResult& result, std::size_t index) {
    const auto& inputs = result.audits[index].model.inputs;
    if (const auto input = result.input_of(index)) {
        return fmt::format("input {}: {}", *input, inputs.empty() ? "" : inputs.front().path);
    }
    std::string paths;
    for (const auto& in : inputs) {
        paths += fmt::format("{}{}", paths.empty() ? "" : " + ", in.path);
    }
    return "merged: " + paths;
}

/// Calls `render(audit)` for each audit; when there are several, each starts with a heading.
template <typename Render>
void each_audit(const AuditResult& result, std::ostream& out, Render render) {
    const bool headings = result.audits.size() > 1;
    for (std::size_t i = 0; i < result.audits.size(); ++i) {
        if (headings) {
            out << fmt::format("{}== {} ==\n", i > 0 ? "\n" : "", audit_heading(result, i));
        }
        render(result.audits[i]);
    }
}

}  // namespace zaudit::report
