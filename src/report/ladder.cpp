// The HTML report's call ladder: what the capture shows of one call (SIP, ZRTP messages and
// events, media starting, changing protection and ending), in frame order, drawn as SVG with one
// lane per node of the call's path. Each row is titled with its frame; the first row of a frame
// carries the id the findings link to, and links back to the worst finding citing the frame.
#include "ladder.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "zaudit/util/text.hpp"
#include "zaudit/zrtp/message.hpp"

namespace zaudit::report {
namespace {

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

std::string codec_names(const session::MediaStream& stream) {
    std::string names;
    for (const session::StreamCodec& codec : stream.codecs) {
        names += fmt::format("{}{}", names.empty() ? "" : "/",
                             codec.name.empty() ? std::to_string(codec.payload_type) : codec.name);
    }
    return names;
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

}  // namespace

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

std::unordered_map<std::uint32_t, FramesCited> frames_cited_by_call(const std::vector<analysis::Finding>& findings) {
    std::unordered_map<std::uint32_t, FramesCited> by_call;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        if (!findings[i].call) {
            continue;
        }
        FramesCited& by_frame = by_call[*findings[i].call];
        for (const std::uint64_t frame : findings[i].frames) {
            by_frame[frame].push_back(i);
        }
    }
    for (auto& [call, by_frame] : by_call) {
        for (auto& [frame, cited] : by_frame) {
            std::stable_sort(cited.begin(), cited.end(),
                             [&](std::size_t a, std::size_t b) { return findings[a].severity > findings[b].severity; });
        }
    }
    return by_call;
}

void render_ladder(const InputAudit& audit, std::size_t audit_index, const session::Call& call,
                   const std::vector<LadderRow>& rows, const FramesCited& cited, const RenderOptions& options,
                   std::ostream& out) {
    const Lanes lanes = lanes_of(call, rows);
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
        const auto hit = cited.find(row.frame);
        const bool cites = first_of_frame && hit != cited.end();
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

}  // namespace zaudit::report
