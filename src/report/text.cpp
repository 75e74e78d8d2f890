#include <fmt/format.h>

#include "zaudit/report/report.hpp"

namespace zaudit::report {
namespace {

const char* severity_color(analysis::Severity s) {
    switch (s) {
        case analysis::Severity::critical: return "\x1b[1;31m";
        case analysis::Severity::high: return "\x1b[31m";
        case analysis::Severity::medium: return "\x1b[33m";
        case analysis::Severity::low: return "\x1b[36m";
        case analysis::Severity::info: return "\x1b[2m";
    }
    return "";
}

std::string upper(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string frames_text(const std::vector<std::uint64_t>& frames) {
    if (frames.empty()) {
        return "";
    }
    std::string text = frames.size() == 1 ? "frame " : "frames ";
    for (std::size_t i = 0; i < frames.size() && i < 8; ++i) {
        text += fmt::format("{}{}", i > 0 ? ", " : "", frames[i]);
    }
    if (frames.size() > 8) {
        text += fmt::format(" (+{} more)", frames.size() - 8);
    }
    return text;
}

double duration_seconds(util::Timestamp a, util::Timestamp b) {
    return static_cast<double>(b.micros - a.micros) / 1e6;
}

void render_inputs(const session::Model& model, std::ostream& out) {
    for (const auto& input : model.inputs) {
        out << fmt::format("  {}  {} {}  {} packets", input.path, input.format, input.link_type, input.packets);
        if (input.first_time && input.last_time) {
            out << fmt::format("  {} .. {}", util::to_rfc3339(*input.first_time), util::to_rfc3339(*input.last_time));
        }
        out << '\n';
        if (!input.sha256.empty()) {
            out << fmt::format("    sha256 {}\n", input.sha256);
        }
        for (const auto& warning : input.warnings) {
            out << fmt::format("    warning: {}\n", warning);
        }
    }
    if (model.partial) {
        out << "  PARTIAL: an input stopped early; what follows covers only what was read.\n";
    }
}

/// The decode summary's anomaly counts, when there are any.
void render_anomalies(const session::Model& model, std::ostream& out) {
    std::string counts;
    for (const auto& [code, count] : anomaly_counts(model.decode)) {
        counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", code, count);
    }
    if (!counts.empty()) {
        out << fmt::format("  decode anomalies: {}\n", counts);
    }
}

void render_findings(const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    if (result.findings.empty()) {
        out << "\nFindings: none\n";
        return;
    }
    out << fmt::format("\nFindings ({})\n", result.findings.size());
    for (const auto& f : result.findings) {
        const std::string label = fmt::format("{:<8}", upper(analysis::to_string(f.severity)));
        out << "  " << (options.color ? severity_color(f.severity) : "") << label << (options.color ? "\x1b[0m" : "")
            << ' ' << f.rule << "  " << f.message;
        const std::string frames = frames_text(f.frames);
        if (!frames.empty()) {
            out << " (" << frames << ")";
        }
        out << fmt::format(" [{}]\n", analysis::to_string(f.confidence));
        out << "           fix: " << f.remediation << '\n';
    }
}

void render_calls(const session::Model& model, std::ostream& out) {
    out << fmt::format("\nCalls ({})\n", model.calls.size());
    for (const auto& call : model.calls) {
        out << fmt::format("  #{} {} -> {}  {}{}  {}  {:.1f} s  Call-ID {}\n", call.id, call.from, call.to,
                           call.transport, call.tls ? " (TLS)" : "", util::to_rfc3339(call.start),
                           duration_seconds(call.start, call.end), call.call_id);
        for (const std::uint32_t id : call.media) {
            if (id >= 1 && id <= model.media.size()) {
                const auto& m = model.media[id - 1];
                out << fmt::format("     media {} -> {}  ssrc 0x{:08x}  {} packets  protection {}\n", m.src, m.dst,
                                   m.ssrc, m.packets, session::to_string(m.protection));
            }
        }
    }
}

void render_flows(const session::Model& model, std::ostream& out) {
    out << fmt::format("\nFlows ({})\n", model.flows.size());
    for (const auto& flow : model.flows) {
        std::string kinds;
        for (const auto kind : flow.kinds()) {
            kinds += fmt::format("{}{}", kinds.empty() ? "" : ",", demux::to_string(kind));
        }
        out << fmt::format("  {} {} <-> {}  {}+{} packets  {}\n", flow.transport == net::Transport::udp ? "udp" : "tcp",
                           flow.a, flow.b, flow.packets_ab, flow.packets_ba, kinds.empty() ? "-" : kinds);
    }
}

}  // namespace

void render_text(const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    const session::Model& model = result.model;
    out << fmt::format("zaudit {}: {} input{}, {} frames, {} flows, {} calls, {} media streams, {} ZRTP handshakes\n",
                       result.tool.version, model.inputs.size(), model.inputs.size() == 1 ? "" : "s", model.frames,
                       model.flows.size(), model.calls.size(), model.media.size(), model.handshakes.size());
    render_inputs(model, out);
    render_anomalies(model, out);
    render_findings(result, out, options);
    render_calls(model, out);
    render_flows(model, out);
}

std::map<std::string_view, std::uint64_t> anomaly_counts(const session::DecodeSummary& decode) {
    std::map<std::string_view, std::uint64_t> counts;
    for (std::size_t i = 0; i < decode.anomalies.size(); ++i) {
        if (decode.anomalies[i] > 0) {
            counts[util::to_string(static_cast<util::AnomalyCode>(i))] = decode.anomalies[i];
        }
    }
    return counts;
}

std::optional<Format> parse_format(std::string_view text) {
    if (text == "text") return Format::text;
    if (text == "json") return Format::json;
    if (text == "jsonl") return Format::jsonl;
    if (text == "sarif") return Format::sarif;
    if (text == "markdown" || text == "md") return Format::markdown;
    if (text == "html") return Format::html;
    return std::nullopt;
}

void render(Format format, const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    switch (format) {
        case Format::text:
        case Format::markdown:
        case Format::html:
            render_text(result, out, options);
            return;
        case Format::json:
            out << to_json(result).dump(2) << '\n';
            return;
        case Format::jsonl:
            for (const auto& f : result.findings) {
                out << finding_to_json(f).dump() << '\n';
            }
            return;
        case Format::sarif:
            render_sarif(result, out);
            return;
    }
}

}  // namespace zaudit::report
