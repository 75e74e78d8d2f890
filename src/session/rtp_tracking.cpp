// RTP on a flow: probation for flows nobody announced (a run of one SSRC and direction makes that
// SSRC RTP, and its packets that waited are replayed), then one stream per SSRC and direction, at
// most Limits::max_streams_per_flow of them.
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "anomaly_log.hpp"
#include "call_tracker.hpp"
#include "flow_state.hpp"
#include "path.hpp"
#include "srtp_check.hpp"
#include "zaudit/rtp/rtp_header.hpp"

namespace zaudit::session {

namespace {

// Probation. A quarter of all random datagrams start with 0x80-0xBF and parse as an RTP header,
// so one packet proves nothing: an encrypted P2P call of a closed application (50 such
// datagrams a second each way) would otherwise become hundreds of one-packet "streams". RTP is
// believed on a flow no SDP announced once one SSRC, in one direction, shows
// k_probation_run packets in a row that advance as RTP does:
//  - the same SSRC: for random bytes alone that is 2^-32 per packet;
//  - the same payload type (the marker bit may change: talkspurts, video frames);
//  - sequence numbers up by 1 to k_max_sequence_step (two packets lost in a row still keep
//    the run; RFC 3550 appendix A.1 waits for MIN_SEQUENTIAL = 2 in-order packets, we want more
//    because nothing announced the stream);
//  - timestamps that do not go back (modulo 2^32) and step at most k_max_timestamp_step: the
//    same for packets of one video frame, 160-960 for 20 ms of audio, tens of thousands after
//    silence suppression (11 s at 90 kHz, over 2 min at 8 kHz stay below).
// Five packets are 100 ms of 20 ms audio: a real stream confirms at once, and its waiting
// packets are replayed, so its counts and first frame are what they would have been.
constexpr std::uint8_t k_probation_run = 5;
constexpr std::uint16_t k_max_sequence_step = 3;
constexpr std::uint32_t k_max_timestamp_step = std::uint32_t{1} << 20;
/// RTP-looking packets a flow on probation keeps for replay (both directions, several SSRCs
/// interleaved): room for two runs and noise between them.
constexpr std::size_t k_probation_packets = 16;

/// Whether `header` continues a run whose last packet had these values.
bool continues_run(std::uint16_t sequence, std::uint32_t timestamp, std::uint8_t payload_type,
                   const rtp::RtpHeader& header) {
    const auto step = static_cast<std::uint16_t>(header.sequence - sequence);
    const std::uint32_t advance = header.timestamp - timestamp;
    return header.payload_type == payload_type && step >= 1 && step <= k_max_sequence_step &&
           advance <= k_max_timestamp_step;
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

bool Tracker::probe_rtp(FlowState& flow, const rtp::RtpHeader& header, bool from_a) {
    const std::uint64_t now = ++flow.rtp_probe_clock;
    FlowState::RtpCandidate* slot = nullptr;
    for (auto& candidate : flow.rtp_candidates) {
        if (candidate.run > 0 && candidate.ssrc == header.ssrc && candidate.from_a == from_a) {
            slot = &candidate;
            break;
        }
    }
    if (slot != nullptr) {
        const bool advanced = continues_run(slot->sequence, slot->timestamp, slot->payload_type, header);
        slot->run = advanced ? static_cast<std::uint8_t>(slot->run + 1) : 1;
    } else {
        // A new SSRC takes a free slot, else the one seen least recently.
        slot = &*std::min_element(flow.rtp_candidates.begin(), flow.rtp_candidates.end(),
                                  [](const auto& x, const auto& y) { return x.touched < y.touched; });
        slot->ssrc = header.ssrc;
        slot->from_a = from_a;
        slot->run = 1;
    }
    slot->sequence = header.sequence;
    slot->timestamp = header.timestamp;
    slot->payload_type = header.payload_type;
    slot->touched = now;
    if (slot->run < k_probation_run) {
        return false;
    }
    *slot = FlowState::RtpCandidate{};  // a stream from now on: the slot is free again
    return true;
}

void Tracker::on_rtp(FlowState& flow, const net::Packet& packet, bool from_a) {
    const auto header = rtp::parse_rtp(packet.payload);
    if (!flow.rtp_announced && rtp_expected(flow, packet)) {
        flow.rtp_announced = true;
        // SDP (or ZRTP) came after some packets: those that waited are RTP too, in their order.
        replay_rtp(flow, std::nullopt);
    }
    if (!header && !flow.rtp_announced) {
        // Where nothing announced RTP, a header that does not parse (CSRCs or an extension
        // beyond the datagram) says the packet is no RTP at all: opaque, not malformed.
        flow.record.reclassify(demux::PayloadKind::rtp, demux::PayloadKind::unknown, 1);
        flow.opaque.add(packet, from_a);
        return;
    }
    if (!header) {
        // A packet classified as RTP whose header does not parse: data, not a silent drop.
        if (auto failed = rtp::parse_rtp_detailed(packet.payload).error) {
            failed->detail = fmt::format("{}-byte packet", packet.payload.size());
            m_anomalies->add(std::move(*failed), packet.frame);
        }
        return;
    }
    const auto& cache = flow.last_stream[from_a ? 0 : 1];
    if (flow.rtp_announced || (cache.valid && cache.ssrc == header->ssrc) ||
        flow.stream_of.find({header->ssrc, from_a}) != flow.stream_of.end()) {
        track_rtp(flow, packet, *header, from_a);
        return;
    }
    // On probation: keep a copy, and see whether its SSRC now shows a run.
    flow.opaque.add(packet, from_a);
    if (flow.pending_rtp.size() == k_probation_packets) {
        flow.pending_rtp.erase(flow.pending_rtp.begin());
        ++flow.unconfirmed_rtp_packets;
    }
    FlowState::PendingRtp pending{packet, {packet.payload.begin(), packet.payload.end()}, from_a, header->ssrc};
    pending.packet.payload = util::Bytes{pending.bytes.data(), pending.bytes.size()};
    flow.pending_rtp.push_back(std::move(pending));
    if (!probe_rtp(flow, *header, from_a)) {
        return;
    }
    // Confirmed: the SSRC's waiting packets become its stream.
    replay_rtp(flow, std::pair{header->ssrc, from_a});
}

void Tracker::replay_rtp(FlowState& flow, std::optional<std::pair<std::uint32_t, bool>> ssrc_from_a) {
    std::vector<FlowState::PendingRtp> still_waiting;
    std::vector<FlowState::PendingRtp> replay;
    for (auto& waiting : flow.pending_rtp) {
        const bool chosen =
            !ssrc_from_a || (waiting.ssrc == ssrc_from_a->first && waiting.from_a == ssrc_from_a->second);
        (chosen ? replay : still_waiting).push_back(std::move(waiting));
    }
    flow.pending_rtp = std::move(still_waiting);
    for (auto& waiting : replay) {
        // The copy moved with the vector: point the packet at its bytes again.
        waiting.packet.payload = util::Bytes{waiting.bytes.data(), waiting.bytes.size()};
        track_rtp(flow, waiting.packet, *rtp::parse_rtp(waiting.packet.payload), waiting.from_a);
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
            auto live = std::make_unique<LiveStream>();
            live->formats = announced_formats(live->stats, stream);
            live->calls = calls_announcing(stream);
            m_live_streams.push_back(std::move(live));
            m_twin_samples.emplace_back();
            ++m_streams_of_ssrc[header.ssrc].live;
            m_key_checks.emplace_back();
            slot = static_cast<std::uint32_t>(flow.streams.size());
            flow.streams.push_back({header.ssrc, from_a, static_cast<std::uint32_t>(m_model.media.size() - 1)});
            flow.stream_of.emplace(std::pair{header.ssrc, from_a}, slot);
        }
        cache = {header.ssrc, flow.streams[slot].index, true};
    }
    MediaStream& stream = m_model.media[cache.index];
    stream.last_time = packet.time;
    stream.last_frame = packet.frame;
    LiveStream& live = *m_live_streams[cache.index];
    // A packet the capture cut lost its authentication tag and the end of its payload: it can
    // neither authenticate under a key (it would fail under the right one) nor show whether a
    // relay passed its bytes through.
    if (!packet.payload_truncated) {
        if (keep_sample(live.stats.packets(), live.samples.size())) {
            live.samples.add(packet.frame, packet.payload, is_spot_sample(live.stats.packets()));
        }
        if (m_hints.verify_all) {
            verify_packet(live, stream, packet);
        }
    }
    live.stats.on_packet(header, packet.payload, packet.time, packet.ttl);
}

std::vector<std::pair<const SdesKey*, SrtpKeySource>> Tracker::keys_for(const MediaStream& stream,
                                                                        std::vector<std::size_t>& calls) const {
    for (const std::size_t call : calls_announcing(stream)) {
        if (std::find(calls.begin(), calls.end(), call) == calls.end()) {
            calls.push_back(call);
        }
    }
    std::vector<std::pair<const SdesKey*, SrtpKeySource>> keys;
    for (const std::size_t call_index : calls) {
        const Call* call = m_calls->call_of(call_index);
        if (call == nullptr) {
            continue;  // summarised: no longer a call the model binds streams to
        }
        for (const SdesKey* key : keys_announced_by_sender(*call, stream)) {
            keys.emplace_back(key, SrtpKeySource::sdp);
        }
    }
    for (const GivenSrtpKey& user_key : m_hints.srtp_keys) {
        if (user_key.keys(stream.src, stream.ssrc)) {
            keys.emplace_back(&user_key.key, SrtpKeySource::given);
        }
    }
    return keys;
}

namespace {

bool has_check(const std::vector<SrtpKeyCheck>& checks, const SdesKey& key, SrtpKeySource source) {
    return std::any_of(checks.begin(), checks.end(), [&](const SrtpKeyCheck& check) {
        return check.source == source && check.key_fingerprint == key.fingerprint;
    });
}

}  // namespace

void Tracker::verify_packet(LiveStream& live, const MediaStream& stream, const net::Packet& packet) {
    // Keys are looked for again only after new SDP somewhere (a re-offer may bring this stream's).
    if (live.trials_as_of != m_calls->announcements()) {
        live.trials_as_of = m_calls->announcements();
        for (const auto& key : keys_for(stream, live.calls)) {
            const bool trying = std::any_of(live.trials.begin(), live.trials.end(), [&](const KeyTrial& trial) {
                return trial.check().source == key.second && trial.check().key_fingerprint == key.first->fingerprint;
            });
            if (!trying) {
                live.trials.emplace_back(*key.first, key.second, SrtpCoverage::every_packet);
            }
        }
    }
    for (KeyTrial& trial : live.trials) {
        trial.offer(packet.frame, packet.payload, true);
    }
}

std::vector<std::size_t> Tracker::calls_announcing(const MediaStream& stream) const {
    std::vector<std::size_t> calls;
    for (const util::Endpoint* endpoint : {&stream.src, &stream.dst}) {
        const auto call = m_calls->call_at(*endpoint);
        if (call && std::find(calls.begin(), calls.end(), *call) == calls.end()) {
            calls.push_back(*call);
        }
    }
    return calls;
}

void Tracker::end_stream(std::uint32_t index) {
    const std::unique_ptr<LiveStream> live = std::move(m_live_streams[index]);
    if (!live) {
        return;
    }
    MediaStream& stream = m_model.media[index];
    summarise_stream(live->stats, live->formats, stream);
    StreamsOfSsrc& same_ssrc = m_streams_of_ssrc[stream.ssrc];
    const bool overlapped = same_ssrc.live > 1 ||
                            (same_ssrc.last_packet_of_ended &&
                             same_ssrc.last_packet_of_ended->micros + k_twin_slack_micros >= stream.first_time.micros);
    --same_ssrc.live;
    same_ssrc.last_packet_of_ended =
        same_ssrc.last_packet_of_ended ? std::max(*same_ssrc.last_packet_of_ended, stream.last_time) : stream.last_time;
    if (overlapped) {
        m_twin_samples[index] = twin_samples_of(live->samples);
    }
    // The checks made on every packet (--verify-all), then the stream's sample tried against the
    // keys no trial had: the SDES keys of the calls that announced the stream's addresses when it
    // began or now (a re-offer may have brought new ones; select_sdes_checks keeps those of the
    // call it is bound to), and the user's keys for it.
    std::vector<SrtpKeyCheck>& checks = m_key_checks[index];
    for (KeyTrial& trial : live->trials) {
        checks.push_back(std::move(trial).take());
    }
    for (const auto& [key, source] : keys_for(stream, live->calls)) {
        if (!has_check(checks, *key, source)) {
            checks.push_back(try_key(*key, live->samples));
            checks.back().source = source;
        }
    }
}

}  // namespace zaudit::session
