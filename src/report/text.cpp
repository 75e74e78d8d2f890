#include <fmt/format.h>

#include <array>

#include "sections.hpp"
#include "zaudit/analysis/verdict.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::report {
namespace {

/// Capture text for a terminal: control bytes and invalid UTF-8 escaped (util::printable).
std::string safe(std::string_view captured) {
    return util::printable(captured);
}

void render_inputs(const session::Model& model, std::ostream& out) {
    for (const auto& input : model.inputs) {
        if (input.error) {
            out << fmt::format("  {}  NOT READ: {}\n", safe(input.path), safe(*input.error));
            continue;
        }
        out << fmt::format("  {}  {} {}  {} packets", safe(input.path), input.format, input.link_type, input.packets);
        if (input.first_time && input.last_time) {
            out << fmt::format("  {} .. {}", util::to_rfc3339(*input.first_time), util::to_rfc3339(*input.last_time));
        }
        out << '\n';
        if (!input.sha256.empty()) {
            out << fmt::format("    sha256 {}\n", input.sha256);
        }
        for (const auto& warning : input.warnings) {
            out << fmt::format("    warning: {}\n", safe(warning));
        }
    }
    if (model.partial) {
        out << "  PARTIAL: an input stopped early or the capture cut packets short (its warnings say which); what "
               "follows covers only what was read.\n";
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
    const session::DialogCounts& dialogs = model.decode.dialogs;
    if (dialogs.summarised > 0 || dialogs.not_calls > 0) {
        out << fmt::format(
            "  dialogs closed early: {} INVITE dialogs summarised ({} without final response by timeout, {} "
            "by the live-dialog cap, {} answered calls idle past --call-timeout, {} failed calls beyond "
            "--max-failed-calls), {} dialogs without INVITE\n",
            dialogs.summarised, dialogs.by_timeout, dialogs.by_cap, dialogs.idle_calls, dialogs.failed_calls,
            dialogs.not_calls);
    }
    if (dialogs.by_cap > 0) {
        out << "  PARTIAL: more dialogs were live than --max-dialogs allows; the oldest were summarised early.\n";
    }
    if (dialogs.keys_untracked > 0) {
        out << fmt::format(
            "  PARTIAL: {} SDES keys of summarised dialogs were beyond the key memory and not checked "
            "for reuse.\n",
            dialogs.keys_untracked);
    }
    if (const std::uint64_t zrtp = model.decode.anomaly_count(util::AnomalyCode::zrtp_too_many_messages); zrtp > 0) {
        out << fmt::format(
            "  PARTIAL: {} flows carried more ZRTP messages than --max-zrtp-messages: their further ZRTP packets "
            "were counted only.\n",
            zrtp);
    }
    if (const std::uint64_t dtls = model.decode.anomaly_count(util::AnomalyCode::dtls_too_many_handshakes); dtls > 0) {
        out << fmt::format(
            "  PARTIAL: {} flows began more than {} DTLS handshakes: the certificates of their later ones were not "
            "checked.\n",
            dtls, session::k_max_dtls_handshakes_per_flow);
    }
    if (const std::uint64_t bodies = model.decode.sdp_limited(); bodies > 0) {
        out << fmt::format(
            "  PARTIAL: SDP bodies went {} times past what is read of one ({} media sections, {} a=crypto lines): "
            "the rest was skipped.\n",
            bodies, sdp::k_max_media_sections, sdp::k_max_cryptos);
    }
    if (const std::uint64_t uses = model.decode.anomaly_count(util::AnomalyCode::sip_too_many_credentials); uses > 0) {
        out << fmt::format("  PARTIAL: {} requests with credentials beyond those kept were counted only.\n", uses);
    }
    if (dialogs.messages_not_kept > 0) {
        out << fmt::format(
            "  PARTIAL: {} SIP messages of dialogs beyond --max-call-messages were counted only (their SDP not "
            "read).\n",
            dialogs.messages_not_kept);
    }
}

/// "CRITICAL", padded to `width`, in the severity's colour under --color.
std::string severity_label(analysis::Severity severity, const RenderOptions& options, std::size_t width = 8) {
    const std::string label = fmt::format("{:<{}}", util::to_upper(analysis::to_string(severity)), width);
    return options.color ? fmt::format("{}{}\x1b[0m", severity_color(severity), label) : label;
}

/// One line per call: parties, start, media path, what its media achieved, its worst finding.
void render_verdicts(const InputAudit& audit, const std::vector<analysis::CallVerdict>& verdicts, std::ostream& out,
                     const RenderOptions& options) {
    if (verdicts.empty()) {
        return;
    }
    out << fmt::format("\nVerdict ({} call{})\n", verdicts.size(), verdicts.size() == 1 ? "" : "s");
    for (const analysis::CallVerdict& verdict : verdicts) {
        const session::Call* call = audit.model.call(verdict.call);
        if (call == nullptr) {
            continue;
        }
        const std::string media = verdict.achieved == analysis::Achieved::no_media
                                      ? std::string{}
                                      : fmt::format("  media {}", media_path_word(verdict));
        std::string worst = "  no findings";
        if (verdict.worst) {
            const analysis::Finding& f = audit.findings[*verdict.worst];
            worst = fmt::format("  worst {} {}", severity_label(f.severity, options, 0), f.rule);
        }
        // An IAX2 call's protocol is named (its voice is no RTP).
        const bool iax2 = call->protocol == session::CallProtocol::iax2;
        const std::string_view achieved = verdict_text(verdict, *call);
        out << fmt::format("  #{} {}{} -> {}  {}{}  {}{}\n", call->id, iax2 ? "IAX2 " : "", safe(call->from),
                           safe(call->to), util::to_rfc3339(call->start), media, achieved, worst);
    }
}

/// "3 findings: 2 critical, 1 low" and the counts by rule and by call.
void render_counts(const FindingCounts& counts, std::ostream& out) {
    out << (counts.total == 0
                ? std::string{"\nFindings: none\n"}
                : fmt::format("\nFindings ({}): {}\n", counts.total, severity_counts_text(counts.by_severity)));
    if (counts.total == 0) {
        return;
    }
    std::string by_rule;
    for (const auto& [rule, n] : counts.by_rule) {
        by_rule += fmt::format("{}{} {}", by_rule.empty() ? "" : ", ", rule, n);
    }
    out << "  by rule: " << by_rule << '\n';
    if (!counts.by_call.empty()) {
        std::string by_call;
        for (const auto& [call, n] : counts.by_call) {
            by_call += fmt::format("{}#{} {}", by_call.empty() ? "" : ", ", call, n);
        }
        out << "  by call: " << by_call
            << (counts.without_call > 0 ? fmt::format(", no call {}", counts.without_call) : "") << '\n';
    }
}

/// "message (frames 1, 6) [verified]"
std::string occurrence_text(const analysis::Finding& f) {
    std::string text = safe(f.message);
    const std::string frames = frames_text(f.frames);
    if (!frames.empty()) {
        text += " (" + frames + ")";
    }
    return text + fmt::format(" [{}]{}", analysis::to_string(f.confidence), f.accepted ? " [accepted: baseline]" : "");
}

/// The findings grouped by rule, worst first: explanation and fix once, then each occurrence.
void render_findings(const InputAudit& audit, std::ostream& out, const RenderOptions& options) {
    for (const FindingGroup& group : group_by_rule(audit.findings)) {
        const analysis::Finding& first = audit.findings[group.members.front()];
        out << fmt::format("\n{} {}  {} ({})\n", severity_label(group.severity, options), first.rule, first.title,
                           group.members.size());
        out << "  why: " << first.explanation << '\n';
        out << "  fix: " << first.remediation << '\n';
        const std::size_t shown =
            options.verbose ? group.members.size() : std::min(group.members.size(), occurrences_shown);
        for (std::size_t i = 0; i < shown; ++i) {
            out << "  - " << occurrence_text(audit.findings[group.members[i]]) << '\n';
        }
        if (shown < group.members.size()) {
            out << fmt::format("  ... and {} more (--verbose lists every one)\n", group.members.size() - shown);
        }
    }
}

/// " (sdes-srtp from frame 6, none from frame 108)" when protection changed; empty otherwise.
std::string timeline_text(const std::vector<session::ProtectionPeriod>& timeline) {
    if (timeline.size() < 2) {
        return {};
    }
    std::string text = " (";
    for (const auto& period : timeline) {
        text += fmt::format("{}{} from frame {}", text.size() > 2 ? ", " : "", session::to_string(period.protection),
                            period.from_frame);
    }
    return text + ")";
}

/// "200 OK, ended by BYE", "488 Not Acceptable Here, failed", "no final response, up at capture end".
std::string call_state(const session::Call& call) {
    std::string text = call.outcome ? fmt::format("{} {}", call.outcome->status, safe(call.outcome->reason))
                                    : std::string{"no final response"};
    switch (call.ended_by) {
        case session::CallEnd::bye: return text + ", ended by BYE";
        case session::CallEnd::cancel: return text + ", cancelled";
        case session::CallEnd::failure: return text + ", failed";
        case session::CallEnd::hangup: return text + ", ended by HANGUP";
        case session::CallEnd::reject: return text + ", rejected";
        case session::CallEnd::none: return text + ", up at capture end";
    }
    return text;
}

/// An IAX2 call's line and its media's: "#3 IAX2 100 -> 200  udp  ...  accepted, ended by HANGUP  call numbers 1/2".
void render_iax2_call(const session::Call& call, std::ostream& out) {
    const session::Iax2Call& iax = *call.iax2;
    std::string state = iax.accepted ? "accepted" : "not accepted";
    if (call.ended_by == session::CallEnd::reject) {
        state = "rejected";
    } else {
        state += call.ended_by == session::CallEnd::hangup ? ", ended by HANGUP" : ", up at capture end";
    }
    out << fmt::format("  #{} IAX2 {} -> {}  udp  {}  {:.1f} s  {}  call numbers {}/{}\n", call.id, safe(call.from),
                       safe(call.to), util::to_rfc3339(call.start), duration_seconds(call), state, iax.caller_call,
                       iax.callee_call);
    std::string codecs;
    for (const auto& codec : iax.codecs) {
        codecs += fmt::format("{}{}", codecs.empty() ? "" : ",", safe(codec));
    }
    const char* encryption = iax.encryption_agreed()  ? "agreed (AES-128)"
                             : iax.encryption_offered ? "offered, not agreed"
                                                      : "not offered";
    out << fmt::format(
        "     media {} <-> {}  iax2 voice {}  {} frames in clear, {} encrypted  encryption {}  "
        "protection {}\n",
        iax.caller, iax.callee, codecs.empty() ? "-" : codecs, iax.plain_voice_frames, iax.encrypted_frames, encryption,
        session::to_string(iax.media));
}

/// "opus/48000  lost 0 (0.0%)  jitter mean 0.381 max 0.496 ms  max delta 21.949 ms"
std::string media_numbers(const session::MediaStream& m) {
    std::string codecs;
    for (const auto& c : m.codecs) {
        codecs += codecs.empty() ? "" : ",";
        codecs += c.source == session::StreamCodec::Source::unknown ? fmt::format("PT {}", c.payload_type)
                                                                    : fmt::format("{}/{}", safe(c.name), c.clock_rate);
    }
    const std::string jitter = m.mean_jitter_ms && m.max_jitter_ms ? fmt::format("jitter mean {:.3f} max {:.3f} ms",
                                                                                 *m.mean_jitter_ms, *m.max_jitter_ms)
                                                                   : std::string{"jitter unknown (no clock rate)"};
    return fmt::format("{}  lost {} ({:.1f}%)  {}  max delta {:.3f} ms", codecs.empty() ? "no codec" : codecs, m.lost,
                       m.lost_percent, jitter, m.max_delta_ms);
}

/// "alice" from "sip:alice@192.0.2.10": who a user agent at the end of the path is.
std::string user_of(const std::string& uri) {
    const std::size_t colon = uri.find(':');
    const std::size_t at = uri.find('@');
    if (colon == std::string::npos || at == std::string::npos || at < colon) {
        return {};
    }
    return uri.substr(colon + 1, at - colon - 1);
}

/// "path alice 10.78.1.1 =[sdes-srtp]= [media relay 10.78.1.254/10.78.2.254, rewrites, keeps keys] =[none]= bob 10.78.2.1"
std::string path_text(const session::Call& call) {
    std::string text;
    for (std::size_t i = 0; i < call.path.size(); ++i) {
        const session::PathNode& node = call.path[i];
        std::string addresses;
        for (const auto& address : node.addresses) {
            addresses += fmt::format("{}{}", addresses.empty() ? "" : "/", address.to_string());
        }
        if (node.kind == session::PathNode::Kind::ua || node.kind == session::PathNode::Kind::b2bua) {
            const std::string user = user_of(i == 0 ? call.from : call.to);
            text += fmt::format("{}{}{}{}", user.empty() ? "" : safe(user) + " ", addresses,
                                node.kind == session::PathNode::Kind::b2bua ? " (B2BUA)" : "",
                                node.on_wire ? "" : " (not captured)");
        } else {
            std::string about = node.kind == session::PathNode::Kind::media_relay ? "media relay " : "proxy ";
            about += addresses;
            if (node.forwarding != session::RelayForwarding::unknown) {
                about += fmt::format(", {}", session::to_string(node.forwarding));
            }
            if (node.keeps_keys) {
                about += ", keeps keys";
            }
            text += "[" + about + "]";
        }
        if (i + 1 < call.path.size()) {
            text += node.protection_to_next ? fmt::format(" ={}= ", session::to_string(*node.protection_to_next))
                                            : std::string{" == "};
        }
    }
    return text;
}

void render_calls_of(const session::Model& model, std::ostream& out) {
    out << fmt::format("Calls ({})\n", model.calls.size());
    for (const auto& call : model.calls) {
        if (call.iax2) {
            render_iax2_call(call, out);
            continue;
        }
        out << fmt::format("  #{} {} -> {}  {}{}  {}  {:.1f} s  {}  Call-ID {}\n", call.id, safe(call.from),
                           safe(call.to), call.transport, call.tls ? " (TLS)" : "", util::to_rfc3339(call.start),
                           duration_seconds(call), call_state(call), safe(call.call_id));
        if (call.path.size() > 2 || call.legs.size() > 1 || !call.linked_calls.empty()) {
            out << "     path " << path_text(call);
            for (const session::Call::Link& link : call.linked_calls) {
                out << fmt::format("  (B2BUA's other dialog: call #{}, tied by {})", link.call,
                                   session::to_string(link.by));
            }
            out << '\n';
        }
        for (const std::uint32_t id : call.media) {
            if (const session::MediaStream* m = model.stream(id)) {
                out << fmt::format("     media {} -> {}  ssrc 0x{:08x}  {} packets  protection {}{}\n", m->src, m->dst,
                                   m->ssrc, m->packets, session::to_string(m->protection),
                                   timeline_text(m->protection_timeline));
                out << "       " << media_numbers(*m) << '\n';
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

/// Says, before anything else is read, that this is not the whole capture, and how much is left out.
void render_narrowing(const AuditResult& result, std::string_view indent, std::ostream& out) {
    if (!result.narrowed) {
        return;
    }
    out << fmt::format("{}NARROWED to {}: {}\n", indent, narrowing_terms(result.narrowed->narrowing, safe),
                       narrowing_counts_text(result.narrowed->counts));
}

void render_summary(const AuditResult& result, std::ostream& out) {
    std::array<std::size_t, 5> by_severity{};
    for (const auto& audit : result.audits) {
        for (const auto& f : audit.findings) {
            ++by_severity.at(static_cast<std::size_t>(f.severity));
        }
    }
    const std::string counts = severity_counts_text(by_severity);
    out << fmt::format("\nSummary: {} audited on their own, {}{}{}\n", counted(result.audits.size(), "input"),
                       counted(result.finding_count(), "finding"), counts.empty() ? "" : ": ", counts);
}

}  // namespace

void render_calls(const AuditResult& result, std::ostream& out) {
    if (result.narrowed) {
        render_narrowing(result, "", out);
        out << '\n';
    }
    each_audit(result, out, [&](const InputAudit& audit) { render_calls_of(audit.model, out); });
}

void render_text(const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    std::size_t inputs = 0;
    std::uint64_t frames = 0;
    std::size_t flows = 0;
    std::size_t calls = 0;
    std::size_t media = 0;
    std::size_t handshakes = 0;
    std::size_t dtls_handshakes = 0;
    for (const auto& audit : result.audits) {
        const session::Model& model = audit.model;
        inputs += model.inputs.size();
        frames += model.frames;
        flows += model.flows.size();
        calls += model.calls.size();
        media += model.media.size();
        handshakes += model.handshakes.size();
        dtls_handshakes += model.dtls_handshakes.size();
    }
    out << fmt::format("zaudit {}: {}{}, {}, {}, {}, {}, {}, {}\n", result.tool.version, counted(inputs, "input"),
                       result.merged ? " merged by time" : "", counted(frames, "frame"), counted(flows, "flow"),
                       counted(calls, "call"), counted(media, "media stream"), counted(handshakes, "ZRTP handshake"),
                       counted(dtls_handshakes, "DTLS handshake"));
    for (const auto& audit : result.audits) {
        render_inputs(audit.model, out);
    }
    if (result.config) {
        const ConfigUse& c = *result.config;
        std::string changes;
        for (const analysis::RequiredProtection r : c.required) {
            changes += fmt::format("{}{}{}", changes.empty() ? "requires " : " or ", analysis::to_string(r), "");
        }
        const std::string rules = config_changes_text(c, [](const std::string& rule) { return rule; });
        changes += fmt::format("{}{}", !changes.empty() && !rules.empty() ? ", " : "", rules);
        out << fmt::format("  config {}  sha256 {}{}{}\n", safe(c.path), c.sha256, changes.empty() ? "" : "  ",
                           changes);
    }
    if (result.baseline) {
        out << fmt::format("  baseline {}  sha256 {}  {}, {} accepted\n", safe(result.baseline->path),
                           result.baseline->sha256, counted(result.baseline->fingerprints, "fingerprint"),
                           counted(result.baseline->accepted, "finding"));
    }
    render_narrowing(result, "  ", out);
    if (result.audits.size() > 1) {
        out << '\n';
    }
    each_audit(result, out, [&](const InputAudit& audit) {
        render_anomalies(audit.model, out);
        render_verdicts(audit, analysis::call_verdicts(audit.model, audit.findings), out, options);
        render_counts(count_findings(audit.findings), out);
        render_findings(audit, out, options);
        if (options.verbose) {
            out << '\n';
            render_calls_of(audit.model, out);
            render_flows(audit.model, out);
        }
    });
    if (result.audits.size() > 1) {
        render_summary(result, out);
    }
}

std::string narrowing_text(const NarrowingUse& use) {
    return fmt::format("narrowed to {}: {}", narrowing_terms(use.narrowing, safe), narrowing_counts_text(use.counts));
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
    if (text == "markdown") return Format::markdown;
    if (text == "html") return Format::html;
    return std::nullopt;
}

void render(Format format, const AuditResult& result, std::ostream& out, const RenderOptions& options) {
    switch (format) {
        case Format::text: render_text(result, out, options); return;
        case Format::json: write_json(result, out, options.threads); return;
        case Format::jsonl:
            for (std::size_t i = 0; i < result.audits.size(); ++i) {
                for (const auto& f : result.audits[i].findings) {
                    out << finding_to_json(f, result.input_of(i)).dump() << '\n';
                }
            }
            return;
        case Format::sarif: render_sarif(result, out, options.threads); return;
        case Format::markdown: render_markdown(result, out, options); return;
        case Format::html: render_html(result, out, options); return;
    }
}

}  // namespace zaudit::report
