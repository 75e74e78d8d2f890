// RTP on a flow: probation for flows nobody announced (a run of one SSRC makes them RTP, and the
// packets that waited are replayed), then one stream per SSRC and direction, at most
// Limits::max_streams_per_flow of them.
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "anomaly_log.hpp"
#include "call_tracker.hpp"
#include "flow_state.hpp"
#include "srtp_check.hpp"
#include "zaudit/rtp/rtp_header.hpp"

namespace zaudit::session {

namespace {

/// Packets of one SSRC with advancing sequence numbers that confirm RTP on a flow nobody announced.
constexpr std::size_t k_probation_run = 3;
/// RTP-looking packets a flow on probation keeps (both directions, several SSRCs interleaved).
constexpr std::size_t k_probation_packets = 8;

/// The packets of the newest one's SSRC and direction end in a run: one payload type, sequence
/// numbers advancing by 1 to 100 (loss), timestamps not going back.
template <typename Pending>
bool confirms_rtp(const std::vector<Pending>& pending, const std::vector<rtp::RtpHeader>& headers) {
    const rtp::RtpHeader& newest = headers.back();
    std::vector<const rtp::RtpHeader*> run;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (headers[i].ssrc == newest.ssrc && pending[i].from_a == pending.back().from_a) {
            run.push_back(&headers[i]);
        }
    }
    if (run.size() < k_probation_run) {
        return false;
    }
    for (std::size_t i = run.size() - k_probation_run + 1; i < run.size(); ++i) {
        const auto step = static_cast<std::uint16_t>(run[i]->sequence - run[i - 1]->sequence);
        const std::uint32_t advance = run[i]->timestamp - run[i - 1]->timestamp;
        if (run[i]->payload_type != newest.payload_type || step == 0 || step > 100 || advance > 0x7fffffffU) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool Tracker::rtp_expected(const FlowState& flow, const net::Packet& packet) const {
    if (flow.handshake || m_calls->latest_media_at(packet.dst) != nullptr ||
        m_calls->latest_media_at(packet.src) != nullptr) {
        return true;
    }
    return std::any_of(m_hints.decode_as.begin(), m_hints.decode_as.end(), [&](const demux::DecodeAs& rule) {
        return rule.kind == demux::PayloadKind::rtp && (rule.port == packet.src.port || rule.port == packet.dst.port);
    });
}

void Tracker::on_rtp(FlowState& flow, const net::Packet& packet, bool from_a) {
    const auto header = rtp::parse_rtp(packet.payload);
    if (!header) {
        // A packet classified as RTP whose header does not parse: data, not a silent drop.
        if (auto failed = rtp::parse_rtp_detailed(packet.payload).error) {
            failed->detail = fmt::format("{}-byte packet", packet.payload.size());
            m_anomalies->add(std::move(*failed), packet.frame);
        }
        return;
    }
    if (!flow.rtp_confirmed && rtp_expected(flow, packet)) {
        flow.rtp_confirmed = true;
    }
    if (flow.rtp_confirmed && flow.pending_rtp.empty()) {
        track_rtp(flow, packet, *header, from_a);
        return;
    }
    // On probation: keep a copy, and see whether the last few make a run.
    if (flow.pending_rtp.size() == k_probation_packets) {
        flow.pending_rtp.erase(flow.pending_rtp.begin());
        ++flow.unconfirmed_rtp_packets;
    }
    FlowState::PendingRtp pending{packet, {packet.payload.begin(), packet.payload.end()}, from_a};
    pending.packet.payload = util::Bytes{pending.bytes.data(), pending.bytes.size()};
    flow.pending_rtp.push_back(std::move(pending));
    std::vector<rtp::RtpHeader> run;
    for (const auto& waiting : flow.pending_rtp) {
        run.push_back(*rtp::parse_rtp(waiting.packet.payload));
    }
    if (!flow.rtp_confirmed && !confirms_rtp(flow.pending_rtp, run)) {
        return;
    }
    flow.rtp_confirmed = true;
    std::vector<FlowState::PendingRtp> replay = std::move(flow.pending_rtp);
    flow.pending_rtp.clear();
    for (std::size_t i = 0; i < replay.size(); ++i) {
        replay[i].packet.payload = util::Bytes{replay[i].bytes.data(), replay[i].bytes.size()};
        track_rtp(flow, replay[i].packet, run[i], replay[i].from_a);
    }
}

void Tracker::track_rtp(FlowState& flow, const net::Packet& packet, const rtp::RtpHeader& header, bool from_a) {
    ++flow.rtp_packets;
    if (!flow.zrtp_secure) {
        if (flow.clear_rtp_before_secure++ == 0) {
            flow.first_clear_rtp_frame = packet.frame;
        }
    }
    auto& cache = flow.last_stream[from_a ? 0 : 1];
    if (!cache.valid || cache.ssrc != header.ssrc) {
        const auto known = flow.stream_of.find({header.ssrc, from_a});
        std::uint32_t slot = 0;
        if (known != flow.stream_of.end()) {
            slot = known->second;
        } else {
            if (flow.streams.size() >= m_limits.max_streams_per_flow) {
                if (flow.untracked_rtp_packets++ == 0) {
                    m_anomalies->add(util::Anomaly{util::AnomalyCode::rtp_too_many_ssrcs, packet.frame, 0,
                                                   fmt::format("more than {} SSRCs on one flow: the packets of the "
                                                               "others are counted only",
                                                               m_limits.max_streams_per_flow)},
                                     packet.frame);
                }
                return;
            }
            MediaStream stream;
            stream.id = static_cast<std::uint32_t>(m_model.media.size() + 1);
            stream.flow = flow.record.id;
            stream.src = packet.src;
            stream.dst = packet.dst;
            stream.ssrc = header.ssrc;
            stream.first_time = packet.time;
            stream.first_frame = packet.frame;
            m_model.media.push_back(stream);
            m_stream_stats.emplace_back();
            m_stream_samples.emplace_back();
            m_stream_formats.push_back(announced_formats(m_stream_stats.back(), stream));
            slot = static_cast<std::uint32_t>(flow.streams.size());
            flow.streams.push_back({header.ssrc, from_a, static_cast<std::uint32_t>(m_model.media.size() - 1)});
            flow.stream_of.emplace(std::pair{header.ssrc, from_a}, slot);
        }
        cache = {header.ssrc, flow.streams[slot].index, true};
    }
    MediaStream& stream = m_model.media[cache.index];
    stream.last_time = packet.time;
    stream.last_frame = packet.frame;
    auto& stats = m_stream_stats[cache.index];
    auto& samples = m_stream_samples[cache.index];
    if (keep_sample(stats.packets(), samples.size())) {
        samples.push_back(PacketSample{packet.frame, {packet.payload.begin(), packet.payload.end()}});
    }
    stats.on_packet(header, packet.payload, packet.time, packet.ttl);
}

}  // namespace zaudit::session
