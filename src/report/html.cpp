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

#include "sections.hpp"
#include "zaudit/analysis/verdict.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"
#include "zaudit/zrtp/message.hpp"

namespace zaudit::report {
namespace {

/// How many ladder rows a call shows without --verbose: a call re-keyed every minute for a day
/// must not make a page no browser can lay out.
constexpr std::size_t ladder_rows_shown = 200;

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

std::string severity_badge(analysis::Severity severity) {
    const char* name = analysis::to_string(severity);
    return fmt::format(R"(<span class="sev {}">{}</span>)", name, util::to_upper(name));
}

/// Element ids: an audit's findings, calls and ladder arrows, unique in the page.
std::string finding_anchor(std::size_t audit, std::size_t finding) {
    return fmt::format("a{}-finding-{}", audit + 1, finding + 1);
}
std::string call_anchor(std::size_t audit, std::uint32_t call) {
    return fmt::format("a{}-call-{}", audit + 1, call);
}
std::string arrow_anchor(std::size_t audit, std::uint32_t call, std::uint64_t frame) {
    return fmt::format("a{}-call-{}-frame-{}", audit + 1, call, frame);
}

/// One row of a call's ladder: a message or packet from one node to another, or a note.
struct LadderRow {
    enum class Kind : std::uint8_t { sip, zrtp, media, note };
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::IpAddress from;
    util::IpAddress to;
    Kind kind = Kind::note;
    std::string label;  ///< raw: escaped when drawn
    int order = 0;      ///< within one frame: SIP, then ZRTP, then media
};

/// At most `limit` characters of `text` (whole UTF-8 sequences), ending in "..." when cut.
std::string clipped(std::string_view text, std::size_t limit) {
    const std::size_t keep = limit > 3 ? limit - 3 : 0;
    std::size_t chars = 0;
    std::size_t cut = text.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {  // not a continuation byte
            if (chars == keep) {
                cut = std::min(cut, i);
            }
            ++chars;
        }
    }
    return chars <= limit ? std::string{text} : std::string{text.substr(0, cut)} + "...";
}

const char* kind_class(LadderRow::Kind kind) {
    switch (kind) {
        case LadderRow::Kind::sip: return "sip";
        case LadderRow::Kind::zrtp: return "zrtp";
        case LadderRow::Kind::media: return "media";
        case LadderRow::Kind::note: return "note";
    }
    return "note";
}

std::string protection_name(session::Protection protection) {
    switch (protection) {
        case session::Protection::none: return "plain RTP";
        case session::Protection::unknown: return "SRTP, keying unseen";
        case session::Protection::sdes_srtp: return "SRTP (SDES)";
        case session::Protection::dtls_srtp: return "SRTP (DTLS)";
        case session::Protection::zrtp: return "SRTP (ZRTP)";
    }
    return "unknown";
}

std::string codec_names(const session::MediaStream& stream) {
    std::string names;
    for (const session::StreamCodec& codec : stream.codecs) {
        names += fmt::format("{}{}", names.empty() ? "" : "/",
                             codec.name.empty() ? std::to_string(codec.payload_type) : codec.name);
    }
    return names;
}

/// Everything the capture shows of one call, in frame order.
std::vector<LadderRow> ladder_rows(const session::Model& model, const session::Call& call) {
    std::vector<LadderRow> rows;
    for (const session::SipEvent& m : call.messages) {
        rows.push_back({m.frame, m.time, m.src.address, m.dst.address, LadderRow::Kind::sip,
                        m.summary + (m.has_sdp ? " (SDP)" : ""), 0});
    }
    for (const session::TimelineEvent& change : call.timeline) {
        rows.push_back({change.frame,
                        change.time,
                        {},
                        {},
                        LadderRow::Kind::note,
                        "media negotiated: " + protection_name(change.protection),
                        1});
    }
    for (const std::uint32_t id : call.handshakes) {
        const session::ZrtpHandshake* handshake = model.handshake(id);
        if (handshake == nullptr) {
            continue;
        }
        for (const session::ZrtpMessageRecord& record : handshake->messages) {
            if (record.message.type == zrtp::MessageType::error) {
                continue;  // drawn from its event, which names the error
            }
            std::string label{zrtp::message_type_name(record.message.type)};
            if (record.copies > 1) {
                label += fmt::format(" x{}", record.copies);
            }
            rows.push_back({record.frame, record.time, record.src.address, record.dst.address, LadderRow::Kind::zrtp,
                            "ZRTP " + label, 2});
        }
        for (const session::ZrtpMessageRecord& variant : handshake->variants) {
            rows.push_back(
                {variant.frame, variant.time, variant.src.address, variant.dst.address, LadderRow::Kind::zrtp,
                 fmt::format("ZRTP {} (a different copy)", zrtp::message_type_name(variant.message.type)), 2});
        }
        for (const session::ZrtpEvent& event : handshake->events) {
            const bool drawn_as_message = event.kind == session::ZrtpEventKind::go_clear ||
                                          event.kind == session::ZrtpEventKind::clear_ack ||
                                          event.kind == session::ZrtpEventKind::sas_relay;
            if (drawn_as_message) {
                continue;
            }
            const std::string what = event.kind == session::ZrtpEventKind::error
                                         ? fmt::format("Error {}", event.detail)
                                         : "event: " + session::event_label(event);
            const util::IpAddress to = event.src == handshake->a ? handshake->b.address : handshake->a.address;
            rows.push_back({event.frame, event.time, event.src.address, to, LadderRow::Kind::zrtp, "ZRTP " + what, 2});
        }
        if (handshake->secure_frame && handshake->secure_time) {
            rows.push_back({*handshake->secure_frame,
                            *handshake->secure_time,
                            {},
                            {},
                            LadderRow::Kind::note,
                            "ZRTP handshake complete: media keyed",
                            3});
        }
    }
    for (const std::uint32_t id : call.media) {
        const session::MediaStream* stream = model.stream(id);
        if (stream == nullptr) {
            continue;
        }
        // ZRTP keys media only from Conf2ACK on: RTP sent before it went in clear, whatever the
        // SDP promised (media.clear-before-secure).
        const auto clear_until = [&]() -> std::optional<std::uint64_t> {
            for (const std::uint32_t h : call.handshakes) {
                const session::ZrtpHandshake* handshake = model.handshake(h);
                if (handshake != nullptr && handshake->flow == stream->flow && handshake->secure_frame &&
                    handshake->clear_rtp_before_secure > 0 && stream->first_frame < *handshake->secure_frame) {
                    return handshake->secure_frame;
                }
            }
            return std::nullopt;
        }();
        const util::IpAddress from = stream->src.address;
        const util::IpAddress to = stream->dst.address;
        const std::string name = fmt::format("{} SSRC 0x{:08x}", codec_names(*stream), stream->ssrc);
        for (std::size_t i = 0; i < stream->protection_timeline.size(); ++i) {
            const session::ProtectionPeriod& period = stream->protection_timeline[i];
            const bool clear_first = i == 0 && clear_until && period.protection == session::Protection::zrtp;
            rows.push_back({period.from_frame, period.from_time, from, to, LadderRow::Kind::media,
                            fmt::format("{}: {}, {}", i == 0 ? "media starts" : "media now",
                                        clear_first ? fmt::format("in clear until frame {}", *clear_until)
                                                    : protection_name(period.protection),
                                        name),
                            4});
        }
        if (stream->protection_timeline.empty()) {
            rows.push_back({stream->first_frame, stream->first_time, from, to, LadderRow::Kind::media,
                            fmt::format("media starts: {}, {}", protection_name(stream->protection), name), 4});
        }
        rows.push_back({stream->last_frame, stream->last_time, from, to, LadderRow::Kind::media,
                        fmt::format("media ends: {} packets, {}", stream->packets, name), 5});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const LadderRow& a, const LadderRow& b) {
        return a.frame != b.frame ? a.frame < b.frame : a.order < b.order;
    });
    return rows;
}

/// The ladder's lanes: the call's path nodes from caller to callee, then any other address its
/// packets went to, in order of appearance. Each address maps to its node's lane.
struct Lanes {
    std::vector<std::string> titles;  ///< raw: escaped when drawn
    std::map<util::IpAddress, std::size_t> lane_of;
};

Lanes lanes_of(const session::Call& call, const std::vector<LadderRow>& rows) {
    Lanes lanes;
    for (const session::PathNode& node : call.path) {
        if (node.addresses.empty()) {
            continue;
        }
        std::string title;
        for (const util::IpAddress& address : node.addresses) {
            title += (title.empty() ? "" : " / ") + address.to_string();
            lanes.lane_of.try_emplace(address, lanes.titles.size());
        }
        lanes.titles.push_back(fmt::format("{} ({})", title, session::to_string(node.kind)));
    }
    for (const LadderRow& row : rows) {
        if (row.kind == LadderRow::Kind::note) {
            continue;
        }
        for (const util::IpAddress& address : {row.from, row.to}) {
            if (lanes.lane_of.try_emplace(address, lanes.titles.size()).second) {
                lanes.titles.push_back(address.to_string());
            }
        }
    }
    return lanes;
}

/// The findings of one call that name frames, by frame, worst first: the first arrow of such a
/// frame links to the worst, and is red when that is medium or worse.
std::map<std::uint64_t, std::vector<std::size_t>> findings_by_frame(const InputAudit& audit, std::uint32_t call) {
    std::map<std::uint64_t, std::vector<std::size_t>> by_frame;
    for (std::size_t i = 0; i < audit.findings.size(); ++i) {
        const analysis::Finding& f = audit.findings[i];
        if (f.call == call) {
            for (const std::uint64_t frame : f.frames) {
                by_frame[frame].push_back(i);
            }
        }
    }
    for (auto& [frame, cited] : by_frame) {
        std::stable_sort(cited.begin(), cited.end(), [&](std::size_t a, std::size_t b) {
            return audit.findings[a].severity > audit.findings[b].severity;
        });
    }
    return by_frame;
}

void render_ladder(const InputAudit& audit, std::size_t audit_index, const session::Call& call,
                   const std::vector<LadderRow>& rows, const RenderOptions& options, std::ostream& out) {
    const Lanes lanes = lanes_of(call, rows);
    const auto flagged = findings_by_frame(audit, call.id);
    const std::size_t shown = options.verbose ? rows.size() : std::min(rows.size(), ladder_rows_shown);
    constexpr int left = 150;  // frame and time columns
    constexpr int lane_width = 300;
    constexpr int right = 290;  // the findings of a frame
    constexpr int header = 46;
    constexpr int row_height = 24;
    const int lanes_right = left + static_cast<int>(std::max<std::size_t>(lanes.titles.size(), 2)) * lane_width;
    const int width = lanes_right + right;
    const int height = header + static_cast<int>(shown + 1) * row_height;
    auto lane_x = [&](const util::IpAddress& address) {
        return left + static_cast<int>(lanes.lane_of.at(address)) * lane_width + lane_width / 2;
    };
    out << fmt::format(
        R"(<div class="ladder"><svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" aria-label="call {2} ladder">)"
        "\n<defs><marker id=\"a{3}-c{2}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
        "markerUnits=\"userSpaceOnUse\" "
        "markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
        "fill=\"context-stroke\"/>"
        "</marker></defs>\n<text x=\"4\" y=\"16\">frame</text><text x=\"64\" y=\"16\">time (s)</text>\n",
        width, height, call.id, audit_index + 1);
    for (std::size_t lane = 0; lane < lanes.titles.size(); ++lane) {
        const int x = left + static_cast<int>(lane) * lane_width + lane_width / 2;
        out << fmt::format(
            R"(<text x="{0}" y="16" text-anchor="middle">{1}</text><line class="lane" x1="{0}" y1="{2}" x2="{0}" y2="{3}"/>)"
            "\n",
            x, html_captured(lanes.titles[lane]), header - 18, height);
    }
    for (std::size_t i = 0; i < shown; ++i) {
        const LadderRow& row = rows[i];
        const int y = header + static_cast<int>(i) * row_height + 14;
        // The first arrow of a frame carries its id, its findings and a link to the worst of them.
        const bool first_of_frame = i == 0 || rows[i - 1].frame != row.frame;
        const auto hit = flagged.find(row.frame);
        const bool cites = first_of_frame && hit != flagged.end();
        std::string title = fmt::format("frame {} at {}: {}", row.frame, util::to_rfc3339(row.time), row.label);
        if (cites) {
            for (const std::size_t f : hit->second) {
                title += fmt::format("; finding {} {}", audit.findings[f].rule, audit.findings[f].message);
            }
        }
        // Red for what matters: low findings (cleartext SIP, say) would paint every ladder.
        const bool red = cites && audit.findings[hit->second.front()].severity >= analysis::Severity::medium;
        out << fmt::format(
            R"(<g class="{}{}"{} data-frame="{}"><title>{}</title>)", kind_class(row.kind), red ? " flagged" : "",
            first_of_frame ? fmt::format(R"( id="{}")", arrow_anchor(audit_index, call.id, row.frame)) : "", row.frame,
            html_captured(title));
        out << fmt::format(R"(<text x="4" y="{}">{}</text><text x="64" y="{}">{:+.3f}</text>)", y, row.frame, y,
                           static_cast<double>(row.time.micros - call.start.micros) / 1e6);
        if (row.kind == LadderRow::Kind::note) {
            const std::string label = html_captured(row.label);
            out << fmt::format(R"(<text class="label" x="{}" y="{}">{}</text>)", left + 8, y, label);
        } else {
            const int x1 = lane_x(row.from);
            const int x2 = lane_x(row.to);
            const std::string marker = fmt::format("url(#a{}-c{}-arrow)", audit_index + 1, call.id);
            // What fits between the arrow's ends (the title has it whole).
            const std::string label =
                html_captured(clipped(row.label, x1 == x2 ? 36 : static_cast<std::size_t>(std::abs(x2 - x1)) / 8));
            if (x1 == x2) {  // both ends at one address (loopback, or one host's two ports)
                out << fmt::format(
                    R"(<path d="M{0},{1} h30 v8 h-30" fill="none" stroke="currentColor" marker-end="{2}"/>)", x1, y - 4,
                    marker);
                out << fmt::format(R"(<text class="label" x="{}" y="{}">{}</text>)", x1 + 36, y + 2, label);
            } else {
                out << fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" marker-end="{}"/>)", x1, y + 4, x2, y + 4,
                                   marker);
                out << fmt::format(R"(<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>)", (x1 + x2) / 2,
                                   y, label);
            }
        }
        if (cites) {
            out << fmt::format(R"(<a href="#{}"><text x="{}" y="{}" fill="{}">{}{}</text></a>)",
                               finding_anchor(audit_index, hit->second.front()), lanes_right + 8, y,
                               red ? "#a40e26" : "#57606a", audit.findings[hit->second.front()].rule,
                               hit->second.size() > 1 ? fmt::format(" +{}", hit->second.size() - 1) : "");
        }
        out << "</g>\n";
    }
    if (shown < rows.size()) {
        out << fmt::format(R"(<text x="{}" y="{}">... and {} more (--verbose draws every one)</text>)", left + 8,
                           header + static_cast<int>(shown) * row_height + 14, rows.size() - shown);
    }
    out << "</svg></div>\n";
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
        case analysis::Achieved::zrtp_verified: return "ok";
        case analysis::Achieved::dtls_unverified:
        case analysis::Achieved::srtp_unknown:
        case analysis::Achieved::sdes_tls:
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
        std::string changes;
        for (const auto& rule : result.config->rules_off) {
            changes += fmt::format("{}<code>{}</code> off", changes.empty() ? "" : ", ", rule);
        }
        for (const auto& [rule, level] : result.config->severity) {
            changes +=
                fmt::format("{}<code>{}</code> {}", changes.empty() ? "" : ", ", rule, analysis::to_string(level));
        }
        out << fmt::format("<p>Config {} (sha256 <span class=\"mono\">{}</span>){}{}.</p>\n",
                           html_captured(result.config->path), result.config->sha256, changes.empty() ? "" : ": ",
                           changes);
    }
    if (result.baseline) {
        out << fmt::format(
            "<p>Baseline {} (sha256 <span class=\"mono\">{}</span>): {} fingerprints, {} findings accepted.</p>\n",
            html_captured(result.baseline->path), result.baseline->sha256, result.baseline->fingerprints,
            result.baseline->accepted);
    }
    if (result.narrowed) {
        out << fmt::format("<p class=\"partial\"><b>Narrowed</b> to {}: {}. Not a report of the whole capture.</p>\n",
                           narrowing_terms(result.narrowed->narrowing, html_captured),
                           narrowing_counts_text(result.narrowed->counts));
    }
    for (const InputAudit& audit : result.audits) {
        if (audit.model.partial || audit.model.decode.dialogs.by_cap > 0 ||
            audit.model.decode.dialogs.keys_untracked > 0) {
            out << "<p class=\"partial\"><b>Partial:</b> an input stopped early or a limit was reached; the report "
                   "covers what was read.</p>\n";
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
            html_captured(analysis::describe(verdict.achieved)), worst);
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
                 const analysis::CallVerdict& verdict, const std::vector<LadderRow>& rows, const RenderOptions& options,
                 std::ostream& out) {
    out << fmt::format("<h3 id=\"{}\">Call {}: {} &rarr; {}</h3>\n", call_anchor(audit_index, call.id), call.id,
                       html_captured(call.from), html_captured(call.to));
    const std::optional<std::string> ended = ended_by_label(call);
    out << fmt::format(
        "<p>Call-ID <span class=\"mono\">{}</span>, {} signalling{}, {} to {} ({:.1f} s){}. Media {}: <span "
        "class=\"{}\">{}</span>.</p>\n",
        html_captured(call.call_id), html_captured(call.transport), call.tls ? " (TLS)" : "",
        util::to_rfc3339(call.start), util::to_rfc3339(call.end), duration_seconds(call),
        ended ? ", ended by " + *ended : "", media_path_word(verdict), achieved_class(verdict.achieved),
        html_captured(analysis::describe(verdict.achieved)));
    render_path(call, out);
    render_ladder(audit, audit_index, call, rows, options, out);
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
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
        if (const session::Call* call = audit.model.call(verdicts[i].call)) {
            render_call(audit, audit_index, *call, verdicts[i], ladders[i], options, out);
        }
    }
}

}  // namespace

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
