// `zaudit compare A B`: the comparison as text and as JSON (schema zaudit-compare/1).
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "sections.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::report {
namespace {

using nlohmann::ordered_json;

/// "identical", "different", "nothing-compared", "only-in-a" or "only-in-b".
std::string_view verdict(const analysis::CallComparison& c) {
    if (!c.b) {
        return "only-in-a";
    }
    if (!c.a) {
        return "only-in-b";
    }
    if (!c.different.empty()) {
        return "different";
    }
    return c.same.empty() ? "nothing-compared" : "identical";
}

bool compared_zrtp(const analysis::CallComparison& c) {
    return std::any_of(c.same.begin(), c.same.end(), [](const std::string& f) { return f.rfind("zrtp", 0) == 0; });
}

/// The rule ids the audit of one input found on that call, each once, in the audit's order.
std::vector<std::string> findings_on(const InputAudit& audit, std::uint32_t call) {
    std::vector<std::string> out;
    for (const auto& f : audit.findings) {
        if (f.call == call && std::find(out.begin(), out.end(), f.rule) == out.end()) {
            out.emplace_back(f.rule);
        }
    }
    return out;
}

ordered_json view_json(const InputAudit& audit, const std::optional<analysis::CallView>& view, std::uint32_t input) {
    if (!view) {
        return nullptr;
    }
    const session::Call* call = audit.model.call(view->call);
    ordered_json values = ordered_json::object();
    for (const auto& [field, value] : view->values) {
        values[field] = value;
    }
    return {{"input", input},
            {"call", view->call},
            {"from", call != nullptr ? call->from : ""},
            {"to", call != nullptr ? call->to : ""},
            {"handshakes", view->handshakes},
            {"findings", findings_on(audit, view->call)},
            {"values", values}};
}

ordered_json optional_text(const std::optional<std::string>& text) {
    return text ? ordered_json(*text) : ordered_json(nullptr);
}

ordered_json call_json(const AuditResult& result, const analysis::CallComparison& c) {
    ordered_json different = ordered_json::array();
    for (const auto& d : c.different) {
        different.push_back({{"field", d.field}, {"a", optional_text(d.a)}, {"b", optional_text(d.b)}});
    }
    return {{"call_id", c.call_id},
            {"verdict", verdict(c)},
            {"a", view_json(result.audits[0], c.a, 1)},
            {"b", view_json(result.audits[1], c.b, 2)},
            {"same", c.same},
            {"different", different},
            {"one_sided", c.one_sided},
            {"declared_mitm", c.declared_mitm}};
}

std::array<std::size_t, 5> severity_counts(const std::vector<analysis::Finding>& findings) {
    std::array<std::size_t, 5> counts{};
    for (const auto& f : findings) {
        ++counts.at(static_cast<std::size_t>(f.severity));
    }
    return counts;
}

}  // namespace

ordered_json compare_to_json(const AuditResult& result, const analysis::Comparison& comparison) {
    ordered_json doc;
    doc["schema"] = "zaudit-compare/1";
    doc["tool"] = {{"name", "zaudit"}, {"version", result.tool.version}, {"command_line", result.tool.command_line}};
    doc["inputs"] = ordered_json::array();
    for (const auto& audit : result.audits) {
        for (const auto& input : audit.model.inputs) {
            doc["inputs"].push_back(input_to_json(input));
        }
    }
    // Microseconds, the resolution of the capture times it comes from.
    doc["clock_offset_s"] = comparison.clock_offset_s ? ordered_json(std::round(*comparison.clock_offset_s * 1e6) / 1e6)
                                                      : ordered_json(nullptr);
    doc["clock_offset_basis"] =
        comparison.clock_offset_basis.empty() ? ordered_json(nullptr) : ordered_json(comparison.clock_offset_basis);
    doc["clock_offset_samples"] = comparison.clock_offset_samples;
    ordered_json verdicts = ordered_json::object();
    for (const char* name : {"identical", "different", "nothing-compared", "only-in-a", "only-in-b"}) {
        verdicts[name] = 0;
    }
    doc["calls"] = ordered_json::array();
    for (const auto& c : comparison.calls) {
        const std::string name{verdict(c)};
        verdicts[name] = verdicts[name].get<std::size_t>() + 1;
        doc["calls"].push_back(call_json(result, c));
    }
    ordered_json counts = ordered_json::object();
    const auto by_severity = severity_counts(comparison.findings);
    for (std::size_t s = by_severity.size(); s-- > 0;) {
        counts[analysis::to_string(static_cast<analysis::Severity>(s))] = by_severity.at(s);
    }
    doc["summary"] = {{"calls", comparison.calls.size()}, {"verdicts", verdicts}, {"findings", counts}};
    make_printable(doc);  // Call-IDs, URIs and SDP values are capture bytes until escaped
    doc["findings"] = ordered_json::array();
    for (const auto& f : comparison.findings) {
        doc["findings"].push_back(finding_to_json(f, std::nullopt));  // escaped once, there
    }
    return doc;
}

namespace {

std::string safe(std::string_view captured) {
    return util::printable(captured);
}

/// A value for a terminal: DH public values run to hundreds of hex digits.
std::string short_value(const std::optional<std::string>& value) {
    if (!value) {
        return "(none)";
    }
    if (value->size() <= 72) {
        return safe(*value);
    }
    return fmt::format("{}... ({} characters)", safe(value->substr(0, 48)), value->size());
}

void render_input(const char* label, const InputAudit& audit, std::ostream& out) {
    for (const auto& input : audit.model.inputs) {
        out << fmt::format("  {}: {}  {} {}  {} packets\n", label, safe(input.path), input.format, input.link_type,
                           input.packets);
        if (!input.sha256.empty()) {
            out << fmt::format("     sha256 {}\n", input.sha256);
        }
    }
}

std::string list_text(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out.empty() ? "none" : out;
}

void render_call(const AuditResult& result, const analysis::CallComparison& c, std::ostream& out) {
    out << fmt::format("\nCall-ID {}", safe(c.call_id));
    if (c.a && c.b) {
        out << fmt::format("  (A call {}, B call {})\n", c.a->call, c.b->call);
    } else {
        out << fmt::format("\n  only in {}: not compared\n", c.a ? "A" : "B");
        return;
    }
    if (c.different.empty()) {
        out << (c.same.empty()
                    ? "  nothing to compare: neither ZRTP nor security attributes in the SDP of both\n"
                    : fmt::format("  identical at both points ({} values){}\n", c.same.size(),
                                  compared_zrtp(c) ? ": nothing between the two points terminates ZRTP" : ""));
    } else {
        out << fmt::format("  {} difference{}:\n", c.different.size(), c.different.size() == 1 ? "" : "s");
        std::size_t width = 0;
        for (const auto& d : c.different) {
            width = std::max(width, d.field.size());
        }
        for (const auto& d : c.different) {
            out << fmt::format("    {:<{}}  A {}\n    {:<{}}  B {}\n", d.field, width, short_value(d.a), "", width,
                               short_value(d.b));
        }
        out << fmt::format("  same: {}\n", list_text(c.same));
    }
    if (!c.one_sided.empty()) {
        out << fmt::format("  in one capture only (not compared): {}\n", list_text(c.one_sided));
    }
    out << fmt::format("  each capture on its own: A {}; B {}\n", list_text(findings_on(result.audits[0], c.a->call)),
                       list_text(findings_on(result.audits[1], c.b->call)));
}

std::string frames_by_input_text(const std::vector<analysis::InputFrame>& frames) {
    std::string out;
    for (const std::uint32_t input : {1U, 2U}) {
        std::string list;
        std::size_t n = 0;
        for (const auto& f : frames) {
            if (f.input == input && n++ < 8) {
                list += fmt::format("{}{}", list.empty() ? "" : ", ", f.frame);
            }
        }
        if (!list.empty()) {
            out += fmt::format("{}{} frames {}{}", out.empty() ? "" : "; ", input == 1 ? "A" : "B", list,
                               n > 8 ? fmt::format(" (+{} more)", n - 8) : "");
        }
    }
    return out;
}

}  // namespace

void render_compare_text(const AuditResult& result, const analysis::Comparison& comparison, std::ostream& out,
                         const RenderOptions& options) {
    out << fmt::format("zaudit {}: compare, the same calls seen at two capture points\n", result.tool.version);
    render_input("A", result.audits[0], out);
    render_input("B", result.audits[1], out);
    if (comparison.clock_offset_s) {
        out << fmt::format("clock offset: B = A {:+.6f} s (median of {} {})\n", *comparison.clock_offset_s,
                           comparison.clock_offset_samples,
                           comparison.clock_offset_basis == "sip" ? "SIP message pairs" : "packet pairs");
    } else {
        out << "clock offset: unknown (no packet or SIP message is in both captures)\n";
    }
    if (comparison.calls.empty()) {
        out << "\nNo call in either capture.\n";
    }
    for (const auto& c : comparison.calls) {
        render_call(result, c, out);
    }
    if (comparison.findings.empty()) {
        out << "\nFindings: none\n";
        return;
    }
    out << fmt::format("\nFindings ({})\n", comparison.findings.size());
    for (const auto& f : comparison.findings) {
        const std::string label = fmt::format("{:<8}", util::to_upper(analysis::to_string(f.severity)));
        out << "  " << (options.color ? severity_color(f.severity) : "") << label << (options.color ? "\x1b[0m" : "")
            << ' ' << f.rule << "  " << safe(f.message);
        const std::string frames = frames_by_input_text(f.frames_by_input);
        if (!frames.empty()) {
            out << " (" << frames << ")";
        }
        out << fmt::format(" [{}]\n", analysis::to_string(f.confidence));
        out << "           fix: " << f.remediation << '\n';
    }
}

}  // namespace zaudit::report
