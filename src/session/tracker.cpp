#include "zaudit/session/tracker.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "anomaly_log.hpp"
#include "flow_state.hpp"
#include "call_tracker.hpp"
#include "iax2_tracker.hpp"
#include "path.hpp"
#include "srtp_check.hpp"
#include "zrtp_tracker.hpp"
#include "zaudit/rtp/payload.hpp"
#include "zaudit/rtp/rtp_header.hpp"
#include "zaudit/sip/stream_framer.hpp"

namespace zaudit::session {

/// Where a TCP direction's in-order bytes go: to the stream's protocol (SIP framing).
struct Tracker::TcpSink {
    Tracker& tracker;
    FlowState& flow;
    const net::Packet& packet;
    bool from_a;
    void on_data(util::Bytes bytes) { tracker.on_stream_bytes(flow, packet, from_a, bytes); }
    void on_gap(std::uint64_t bytes) {
        flow.record.tcp_gap_bytes += bytes;
        // A message cut by the hole cannot be completed: start framing afresh after it.
        if (auto& direction = flow.tcp[from_a ? 0 : 1]; direction && direction->framer) {
            direction->framer = std::make_unique<sip::StreamFramer>();
        }
    }
};

Tracker::Tracker(Limits limits, UserHints hints)
    : m_limits{limits},
      m_hints{std::move(hints)},
      m_decoder{limits.defrag},
      m_anomalies{std::make_unique<AnomalyLog>(limits.max_anomalies)},
      m_calls{std::make_unique<CallTracker>(
          *m_anomalies, DialogLimits{limits.dialog_timeout_micros, limits.max_live_dialogs, limits.max_summarised_keys,
                                     limits.call_idle_micros, limits.max_failed_calls, limits.max_messages_per_call,
                                     limits.max_credential_uses})},
      m_iax2{std::make_unique<Iax2Tracker>(*m_anomalies)} {
    m_handlers.fill(&Tracker::on_ignored);
    m_handlers[static_cast<std::size_t>(demux::PayloadKind::rtp)] = &Tracker::on_rtp;
    m_handlers[static_cast<std::size_t>(demux::PayloadKind::sip)] = &Tracker::on_sip_datagram;
    m_handlers[static_cast<std::size_t>(demux::PayloadKind::zrtp)] = &Tracker::on_zrtp;
    m_handlers[static_cast<std::size_t>(demux::PayloadKind::iax2)] = &Tracker::on_iax2;
    m_handlers[static_cast<std::size_t>(demux::PayloadKind::dtls)] = &Tracker::on_dtls;
}

void Tracker::on_iax2(FlowState& flow, const net::Packet& packet, bool forward) {
    m_iax2->on_datagram(flow.record.id, forward, packet);
}

Tracker::~Tracker() = default;

void Tracker::on_frame(const capture::Frame& frame) {
    on_decoded(frame, m_decoder.decode(frame, m_packet), m_packet);
}

void Tracker::on_decoded(const capture::Frame& frame, net::DecodeStatus status, const net::Packet& packet) {
    ++m_frames;
    if (status == net::DecodeStatus::ok) {
        on_packet(packet);
    }
    if (frame.time >= m_next_sweep) {
        sweep(frame.time);
    }
}

void Tracker::sweep(util::Timestamp now) {
    m_next_sweep = util::Timestamp{now.micros + m_limits.sweep_every_micros};
    const util::Timestamp cutoff{now.micros - m_limits.flow_idle_micros};
    const util::Timestamp media_cutoff{now.micros - m_limits.media_after_bye_micros};
    const util::Timestamp sip_cutoff{now.micros - m_limits.sip_after_bye_micros};
    // A flow is over when it has been idle for the timeout, or when it went to or from the media
    // address an SDP of a call announced (RTP, ZRTP, datagrams zaudit cannot read, or RTCP beside
    // that RTP), or carried the only dialog of a call, and that call ended (BYE) and the flow has
    // been quiet since a little after: its record is then kept and the rest released, so that
    // memory follows the calls in progress. TCP flows wait for the timeout: their byte streams
    // cannot be picked up again mid-way.
    const auto ended_and_quiet = [&](const auto& entry, std::optional<std::size_t> call, util::Timestamp quiet_since) {
        return call && entry.last_seen < quiet_since && m_calls->ended_by(*call, quiet_since);
    };
    m_flows.evict_if(
        [&](const auto& entry) {
            const FlowState& flow = *entry.state;
            if (entry.last_seen < cutoff) {
                return true;
            }
            if (flow.record.transport != net::Transport::udp) {
                return false;
            }
            return ended_and_quiet(entry, flow.call, media_cutoff) ||
                   (!flow.sip_dialogs_many && ended_and_quiet(entry, flow.sip_call, sip_cutoff));
        },
        [&](auto&& entry) { close_flow(std::move(*entry.state), FlowClose::idle); });
    // An SSRC none of whose streams is live, and whose last ended too long ago for a new one to
    // overlap it, has nothing left for twin matching: memory follows the live streams.
    std::erase_if(m_streams_of_ssrc, [&](const auto& entry) {
        const StreamsOfSsrc& streams = entry.second;
        return streams.live == 0 && (!streams.last_packet_of_ended ||
                                     streams.last_packet_of_ended->micros + k_twin_slack_micros < now.micros);
    });
    m_calls->sweep(now);
}

void Tracker::on_packet(const net::Packet& packet) {
    bool forward = false;
    const net::FlowKey key = net::FlowKey::of(packet, forward);
    if (m_flows.size() >= std::max<std::size_t>(m_limits.max_live_flows, 2) && m_flows.find(key) == nullptr) {
        make_room_for_a_flow(packet);
    }
    bool created = false;
    auto& entry = m_flows.find_or_insert(key, packet.time, created);
    if (created) {
        entry.state = std::make_unique<FlowState>();
        FlowRecord& r = entry.state->record;
        r.id = m_next_flow_id++;
        r.a = packet.src;
        r.b = packet.dst;
        r.transport = packet.transport;
        r.first_time = packet.time;
        r.first_frame = packet.frame;
    }
    FlowState& flow = *entry.state;
    FlowRecord& r = flow.record;
    const bool from_a = packet.src == r.a;  // direction relative to the first sender
    (from_a ? r.packets_ab : r.packets_ba) += 1;
    (from_a ? r.bytes_ab : r.bytes_ba) += packet.payload.size();
    r.last_time = packet.time;
    r.last_frame = packet.frame;

    if (packet.transport == net::Transport::tcp) {
        auto& direction = flow.tcp[from_a ? 0 : 1];
        if (!direction) {
            direction = std::make_unique<TcpDirection>();
        }
        TcpSink sink{*this, flow, packet, from_a};
        direction->stream.on_segment(packet.tcp_seq, packet.tcp_flags, packet.payload, sink);
        return;
    }
    const auto verdict =
        flow.demux.classify(m_hints.decode_as, packet.src.port, packet.dst.port, from_a, packet.payload);
    const demux::PayloadKind kind = verdict.kind;
    ++r.packets_by_kind[static_cast<std::size_t>(kind)];
    // Earlier packets the flow's later ones explained (OpenVPN's resets).
    r.reclassify(demux::PayloadKind::unknown, kind, verdict.reclassified);
    if (kind == demux::PayloadKind::unknown) {
        flow.opaque.add(packet, from_a);
    }
    if (kind != demux::PayloadKind::sip) {
        keep_call_alive(flow, packet, kind);
    }
    (this->*m_handlers[static_cast<std::size_t>(kind)])(flow, packet, from_a);
}

void Tracker::keep_call_alive(FlowState& flow, const net::Packet& packet, demux::PayloadKind kind) {
    if (!flow.call_slots) {
        flow.call_slots = {CallTracker::announcement_slot(packet.dst), CallTracker::announcement_slot(packet.src)};
        flow.call_as_of = ~std::uint64_t{0};  // never a sum yet: look
    }
    // Looked up again only after new SDP naming one of the flow's ends (or sharing their slots).
    if (const std::uint64_t as_of =
            m_calls->announcements_in((*flow.call_slots)[0]) + m_calls->announcements_in((*flow.call_slots)[1]);
        flow.call_as_of != as_of) {
        flow.call_as_of = as_of;
        flow.call = m_calls->call_at(packet.dst);
        if (!flow.call) {
            flow.call = m_calls->call_at(packet.src);
        }
        if (!flow.call && kind == demux::PayloadKind::rtcp) {  // RTCP beside its RTP, not muxed
            flow.call = m_calls->call_at_rtcp(packet.dst);
            if (!flow.call) {
                flow.call = m_calls->call_at_rtcp(packet.src);
            }
        }
    }
    if (flow.call) {
        m_calls->on_media(*flow.call, packet.time);
    }
}

void Tracker::on_stream_bytes(FlowState& flow, const net::Packet& packet, bool from_a, util::Bytes bytes) {
    TcpDirection& direction = *flow.tcp[from_a ? 0 : 1];
    if (direction.kind == demux::PayloadKind::unknown) {
        direction.kind = demux::classify(bytes);
        if (direction.kind == demux::PayloadKind::sip) {
            direction.framer = std::make_unique<sip::StreamFramer>();
        }
    }
    ++flow.record.packets_by_kind[static_cast<std::size_t>(direction.kind)];
    if (!direction.framer) {
        return;
    }
    // Offsets of SIP over TCP count bytes of the direction's stream (the message was cut from it).
    const sip::FeedResult fed = direction.framer->feed(bytes);
    for (const auto& framed : fed.messages) {
        const auto parsed = sip::parse_message(std::string_view{framed.text});
        if (parsed) {
            on_sip_message(flow, *parsed, packet, framed.stream_offset);
        } else {
            m_anomalies->add(parsed.error(), packet.frame, framed.stream_offset);
        }
    }
    m_anomalies->add_all(fed.errors, packet.frame);
}

void Tracker::on_sip_datagram(FlowState& flow, const net::Packet& packet, bool /*from_a*/) {
    const auto parsed = sip::parse_message(packet.payload);
    if (!parsed) {
        m_anomalies->add(parsed.error(), packet.frame);
        return;
    }
    on_sip_message(flow, *parsed, packet, 0);
}

void Tracker::on_sip_message(FlowState& flow, const sip::SipMessage& message, const net::Packet& packet,
                             std::size_t offset) {
    m_anomalies->add_all(message.anomalies, packet.frame, offset);
    const MessageContext context{{packet.frame, packet.time, packet.src, packet.dst},
                                 packet.transport == net::Transport::udp ? "udp" : "tcp",
                                 offset,
                                 packet.transport == net::Transport::udp && packet.payload_truncated};
    const std::optional<std::size_t> dialog = m_calls->on_message(message, context);
    if (!dialog || (flow.sip_call && *flow.sip_call != *dialog)) {
        flow.sip_dialogs_many = true;  // or a message of no dialog (no Call-ID): never closed early
    } else {
        flow.sip_call = dialog;
    }
}

void Tracker::FlowState::OpaqueMeter::add(const net::Packet& packet, bool from_a) {
    // The sampler (2 KiB) waits for the flow's eighth opaque datagram: a flood of one-datagram
    // flows must not cost one each.
    constexpr std::uint64_t k_sample_after = 8;
    const std::size_t d = from_a ? 0 : 1;
    const auto size = static_cast<std::uint32_t>(packet.payload.size());
    if (facts.total() == 0) {
        facts.min_size = size;
        facts.max_size = size;
        facts.first_frame = packet.frame;
    }
    if (facts.packets[d] == 0) {
        facts.first_time[d] = packet.time;
    } else {
        facts.longest_gap_micros[d] =
            std::max(facts.longest_gap_micros[d], packet.time.micros - facts.last_time[d].micros);
    }
    facts.last_time[d] = packet.time;
    facts.last_frame = packet.frame;
    ++facts.packets[d];
    facts.bytes += size;
    facts.min_size = std::min(facts.min_size, size);
    facts.max_size = std::max(facts.max_size, size);
    if (size >= OpaquePayloads::k_voice_min && size <= OpaquePayloads::k_voice_max) {
        ++facts.voice_sized;
    }
    if (!sampler && facts.total() >= k_sample_after) {
        sampler = std::make_unique<rtp::PayloadSampler>();
    }
    if (sampler) {
        sampler->on_payload(packet.payload);
    }
}

void Tracker::on_ignored(FlowState& /*flow*/, const net::Packet& /*packet*/, bool /*forward*/) {}

void Tracker::on_zrtp(FlowState& flow, const net::Packet& packet, bool /*from_a*/) {
    if (!zrtp::looks_like_zrtp(packet.payload)) {
        return;
    }
    const auto start_handshake = [&] {
        if (flow.handshake) {  // the previous handshake of this flow is over: keep its RTP counts
            ZrtpHandshake& previous = m_model.handshakes[*flow.handshake];
            previous.rtp_packets = flow.rtp_packets;
            previous.clear_rtp_before_secure = flow.clear_rtp_before_secure;
            previous.first_clear_rtp_frame = flow.first_clear_rtp_frame;
            flow.rtp_packets = 0;
            flow.clear_rtp_before_secure = 0;
            flow.first_clear_rtp_frame.reset();
            flow.zrtp_secure = false;
        }
        flow.handshake = static_cast<std::uint32_t>(m_model.handshakes.size());
        ZrtpHandshake fresh;
        fresh.id = *flow.handshake + 1;
        fresh.flow = flow.record.id;
        m_model.handshakes.push_back(std::move(fresh));
        flow.zrtp_fragments = std::make_unique<zrtp::FragmentAssembler>();
    };
    if (flow.zrtp_records >= m_limits.max_zrtp_records_per_flow) {
        // One packet may add several records and pass the limit: a flag, not an equality, says it once.
        if (!flow.zrtp_capped) {
            flow.zrtp_capped = true;
            m_anomalies->add(util::Anomaly{util::AnomalyCode::zrtp_too_many_messages, packet.frame, 0,
                                           fmt::format("the ZRTP of this flow kept {} messages and events: its "
                                                       "further ZRTP packets are counted only",
                                                       m_limits.max_zrtp_records_per_flow)},
                             packet.frame);
        }
        return;
    }
    const auto records = [](const ZrtpHandshake& h) { return h.messages.size() + h.variants.size() + h.events.size(); };
    if (!flow.handshake) {
        start_handshake();
        ++flow.zrtp_records;
    }
    std::size_t before = records(m_model.handshakes[*flow.handshake]);
    if (!add_zrtp_packet(m_model.handshakes[*flow.handshake], *flow.zrtp_fragments, packet, *m_anomalies)) {
        start_handshake();
        ++flow.zrtp_records;
        before = 0;
        add_zrtp_packet(m_model.handshakes[*flow.handshake], *flow.zrtp_fragments, packet, *m_anomalies);
    }
    flow.zrtp_records += records(m_model.handshakes[*flow.handshake]) - before;
    ZrtpHandshake& handshake = m_model.handshakes[*flow.handshake];
    if (!flow.zrtp_secure && handshake.find(zrtp::MessageType::conf2_ack) != nullptr) {
        flow.zrtp_secure = true;
    }
}

void Tracker::on_dtls(FlowState& flow, const net::Packet& packet, bool from_a) {
    const dtls::RecordScan scan = dtls::parse_records(packet.payload);
    bool begins = !flow.dtls_handshake;
    if (!begins && starts_new_dtls_handshake(*flow.dtls, scan)) {
        begins = flow.dtls_handshakes < k_max_dtls_handshakes_per_flow;
        if (!begins && flow.dtls_handshakes == k_max_dtls_handshakes_per_flow) {  // said once a flow
            ++flow.dtls_handshakes;
            m_anomalies->add(util::Anomaly{util::AnomalyCode::dtls_too_many_handshakes, packet.frame, 0,
                                           fmt::format("this flow began {} DTLS handshakes: further ClientHellos "
                                                       "join the last one, their certificates unchecked",
                                                       k_max_dtls_handshakes_per_flow)},
                             packet.frame);
        }
    }
    if (begins) {
        ++flow.dtls_handshakes;
        flow.dtls_handshake = static_cast<std::uint32_t>(m_model.dtls_handshakes.size());
        DtlsHandshake fresh;
        fresh.id = *flow.dtls_handshake + 1;
        fresh.flow = flow.record.id;
        m_model.dtls_handshakes.push_back(std::move(fresh));
        flow.dtls = std::make_unique<DtlsFlow>();
    }
    add_dtls_packet(m_model.dtls_handshakes[*flow.dtls_handshake], *flow.dtls, packet, scan, from_a, *m_anomalies);
}

bool Tracker::close_flow(FlowState&& flow, FlowClose why) {
    for (std::size_t i = 0; i < flow.tcp.size(); ++i) {
        auto& direction = flow.tcp[i];
        if (!direction) {
            continue;
        }
        // Data buffered behind a hole that never filled is delivered after the gap, so a SIP
        // message that follows a lost segment is still read; its evidence is the flow's last frame.
        net::Packet last;
        last.frame = flow.record.last_frame;
        last.time = flow.record.last_time;
        last.src = i == 0 ? flow.record.a : flow.record.b;
        last.dst = i == 0 ? flow.record.b : flow.record.a;
        last.transport = net::Transport::tcp;
        TcpSink sink{*this, flow, last, i == 0};
        direction->stream.flush(sink);
        flow.record.tcp_retransmitted_bytes += direction->stream.stats().retransmitted_bytes;
    }
    for (const FlowState::StreamSlot& slot : flow.streams) {
        end_stream(slot.index);
    }
    flow.record.evicted_idle = why == FlowClose::idle;
    if (flow.handshake) {
        ZrtpHandshake& handshake = m_model.handshakes[*flow.handshake];
        handshake.rtp_packets = flow.rtp_packets;
        handshake.clear_rtp_before_secure = flow.clear_rtp_before_secure;
        handshake.first_clear_rtp_frame = flow.first_clear_rtp_frame;
        // Nothing more joins it: give back what the vectors grew by doubling (a DH handshake
        // keeps some ten messages of about 500 bytes each in a vector of sixteen).
        handshake.messages.shrink_to_fit();
        handshake.variants.shrink_to_fit();
        handshake.conflicts.shrink_to_fit();
        handshake.events.shrink_to_fit();
    }
    if (const std::uint64_t unconfirmed = flow.unconfirmed_rtp_packets + flow.pending_rtp.size(); unconfirmed > 0) {
        // They looked like RTP and were not: the flow's kinds say so.
        flow.record.reclassify(demux::PayloadKind::rtp, demux::PayloadKind::unknown, unconfirmed);
        m_anomalies->add(
            util::Anomaly{util::AnomalyCode::rtp_unconfirmed, flow.record.first_frame, 0,
                          fmt::format("{} RTP-looking packets on a flow no SDP announced, without a run of one SSRC: "
                                      "not taken for RTP",
                                      unconfirmed)},
            flow.record.first_frame);
    }
    if (flow.opaque.facts.total() > 0) {
        OpaquePayloads& opaque = flow.record.opaque.emplace(flow.opaque.facts);
        if (flow.opaque.sampler) {
            opaque.entropy_bits = flow.opaque.sampler->entropy_bits_corrected();
            opaque.sampled_bytes = flow.opaque.sampler->sampled_bytes();
        }
    }
    // Under the cap, only flows that carried media are listed: SIP's facts live on in its calls
    // (and a SIP flood from a million sources must not keep a million flow records).
    if (why == FlowClose::cap && flow.streams.empty() && !flow.handshake && !flow.dtls_handshake) {
        return false;
    }
    m_model.flows.push_back(flow.record);
    return true;
}

void Tracker::make_room_for_a_flow(const net::Packet& packet) {
    const std::size_t limit = std::max<std::size_t>(m_limits.max_live_flows, 2);
    const std::size_t keep = limit - std::max<std::size_t>(limit / 10, 1);
    std::uint64_t closed = 0;
    std::uint64_t counted_only = 0;
    m_flows.evict_oldest(keep, [&](auto&& entry) {
        ++closed;
        counted_only += close_flow(std::move(*entry.state), FlowClose::cap) ? 0 : 1;
    });
    m_anomalies->add(util::Anomaly{util::AnomalyCode::flow_cap_reached, packet.frame, 0,
                                   fmt::format("more than {} flows live: the {} idle longest closed early, {} of them "
                                               "carrying no media (counted, not listed)",
                                               m_limits.max_live_flows, closed, counted_only)},
                     packet.frame);
}

// The SDP is looked up when the stream's first packet comes (jitter cannot be rescaled later):
// the offer or answer announcing where the media goes (RFC 3264) normally precedes it. Wireshark
// does the same through the RTP conversation the SDP set up. bind_to_calls() binds the stream
// to a call once all SDP is known, and may pick a later SDP.
std::vector<PayloadFormat> Tracker::announced_formats(rtp::RtpStreamStats& stats, const MediaStream& stream) const {
    const SdpMedia* media = m_calls->latest_media_at(stream.dst);
    if (media == nullptr) {
        media = m_calls->latest_media_at(stream.src);
    }
    if (media == nullptr) {
        return {};
    }
    for (const PayloadFormat& format : media->rtpmaps) {
        stats.set_clock_rate(format.payload_type, rtp::jitter_clock_rate(format.encoding, format.clock_rate));
    }
    return media->rtpmaps;
}

/// Copies what the stream's statistics concluded into the model's plain values.
void Tracker::summarise_stream(const rtp::RtpStreamStats& stats, const std::vector<PayloadFormat>& formats,
                               MediaStream& stream) {
    stream.packets = stats.packets();
    stream.bytes = stats.payload_bytes();
    stream.payload_types = stats.payload_types();
    for (std::size_t pt = 0; pt < stream.payload_types.size(); ++pt) {
        if (!stream.payload_types.test(pt)) {
            continue;
        }
        StreamCodec codec;
        codec.payload_type = static_cast<std::uint8_t>(pt);
        const auto announced =
            std::find_if(formats.begin(), formats.end(), [&](const PayloadFormat& f) { return f.payload_type == pt; });
        if (announced != formats.end()) {
            codec = {codec.payload_type, announced->encoding, announced->clock_rate, StreamCodec::Source::sdp};
        } else if (const auto known = rtp::static_payload_type(codec.payload_type)) {
            codec = {codec.payload_type, std::string{known->encoding}, known->clock_rate,
                     StreamCodec::Source::static_table};
        }
        stream.codecs.push_back(std::move(codec));
    }
    stream.ttl_min = stats.ttl_min();
    stream.ttl_max = stats.ttl_max();
    stream.lost = stats.lost();
    stream.lost_percent = stats.lost_percent();
    stream.duplicates = stats.duplicates();
    stream.conflicting_duplicates = stats.conflicting_duplicates();
    stream.out_of_order = stats.out_of_order();
    stream.ttl_changes = stats.ttl_changes();
    if (stats.jitter_known()) {
        stream.jitter_ms = stats.jitter_ms();
        stream.mean_jitter_ms = stats.mean_jitter_ms();
        stream.max_jitter_ms = stats.max_jitter_ms();
    }
    stream.max_delta_ms = stats.max_delta_ms();
    const rtp::PayloadSampler& sample = stats.payload_sample();
    stream.sampled_bytes = sample.sampled_bytes();
    stream.payload_entropy = sample.entropy_bits_corrected();
    stream.first_byte_share = sample.first_byte_mode_share();
    // Thresholds from the measurements in rtp/payload.hpp and tests/interop: ciphertext reads
    // 8.00 bits/byte, G.711 speech at most ~7, clear Opus ~7.98 but with its TOC byte constant
    // (first-byte share 0.74). SRTP streams that began with a few clear packets (linphone before
    // ZRTP completes) reach a share of 0.15-0.18 in the sample, hence 0.3.
    constexpr std::uint64_t k_min_sample = 1024;
    if (stream.sampled_bytes >= k_min_sample) {
        stream.payload_looks_encrypted = stream.payload_entropy >= 7.9 && stream.first_byte_share < 0.3;
    }
}

void Tracker::use_ledger(std::vector<LedgerEntry> known) {
    m_model.ledger = std::move(known);
    m_model.ledger_used = true;
}

Model Tracker::finish(std::vector<capture::InputInfo> inputs, bool partial) && {
    m_flows.drain([&](auto&& entry) { close_flow(std::move(*entry.state), FlowClose::end); });
    std::sort(m_model.flows.begin(), m_model.flows.end(),
              [](const FlowRecord& x, const FlowRecord& y) { return x.first_frame < y.first_frame; });
    m_live_streams.clear();  // every stream ended with its flow
    SipResult sip = std::move(*m_calls).finish();
    m_calls.reset();  // its indexes of dialogs and announcements: the rules and reports need none
    m_model.calls = std::move(sip.calls);
    m_model.credentials = std::move(sip.credentials);
    m_model.decode.dialogs = sip.dialogs;
    m_model.summarised = std::move(sip.summarised);
    find_twin_streams(m_model.media, m_twin_samples);
    m_twin_samples.clear();
    bind_to_calls();
    // IAX2 calls follow the SIP ones (ids go on from theirs): they have no SDP, streams or path.
    for (Call& call : std::move(*m_iax2).finish()) {
        call.id = static_cast<std::uint32_t>(m_model.calls.size() + 1);
        m_model.calls.push_back(std::move(call));
    }
    select_sdes_checks(m_model, m_key_checks);
    m_key_checks.clear();
    m_model.inputs = std::move(inputs);
    m_model.frames = m_frames;
    m_model.partial = partial;
    m_model.decode.decode = m_decoder.stats();
    m_model.decode.defrag = m_decoder.defrag_stats();
    std::move(*m_anomalies).finish(m_model);
    return std::move(m_model);
}

}  // namespace zaudit::session
