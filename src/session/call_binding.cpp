// Binding what the packets showed to the calls the signalling set up, once all SDP is known:
// which call and leg each media stream and ZRTP handshake belongs to, and the protection each
// stream had over time (Tracker::bind_to_calls, run by Tracker::finish).

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "dtls_tracker.hpp"
#include "path.hpp"
#include "zaudit/session/tracker.hpp"
#include "zrtp_tracker.hpp"

namespace zaudit::session {

namespace {

/// Builds a stream's protection periods from the changes seen, in any order: a change at or
/// before the stream's first packet sets where it starts, later ones open periods.
class ProtectionTimeline {
public:
    explicit ProtectionTimeline(const MediaStream& stream) : m_stream{&stream} {}

    void set(std::uint64_t frame, util::Timestamp time, Protection protection) {
        if (time <= m_stream->first_time) {
            m_start = protection;
            m_started = true;
        } else {
            m_changes.push_back({frame, time, protection});
        }
    }

    /// Forgets what the SDP said: the flow's own keying decides.
    void restart() {
        m_started = false;
        m_changes.clear();
    }

    [[nodiscard]] std::vector<ProtectionPeriod> periods() && {
        std::stable_sort(m_changes.begin(), m_changes.end(),
                         [](const auto& x, const auto& y) { return x.from_time < y.from_time; });
        std::vector<ProtectionPeriod> out;
        if (!m_started && m_changes.empty()) {
            return out;
        }
        out.push_back({m_stream->first_frame, m_stream->first_time, m_started ? m_start : Protection::unknown});
        for (const auto& change : m_changes) {
            if (change.protection != out.back().protection) {
                out.push_back(change);
            }
        }
        return out;
    }

private:
    const MediaStream* m_stream;
    // Not an optional: GCC 12 warns (falsely) that an optional enum's value may be read
    // uninitialised once this class is inlined.
    Protection m_start = Protection::unknown;
    bool m_started = false;
    std::vector<ProtectionPeriod> m_changes;
};

/// The ladder's lowest rung the stream stood on: what a listener could exploit.
Protection weakest_protection(const std::vector<ProtectionPeriod>& timeline) {
    if (timeline.empty()) {
        return Protection::unknown;
    }
    return std::min_element(timeline.begin(), timeline.end(),
                            [](const auto& x, const auto& y) { return x.protection < y.protection; })
        ->protection;
}

}  // namespace

/// Binds media streams and ZRTP handshakes to the call whose SDP announced one of their
/// endpoints (RFC 3264: media goes to the address in the peer's SDP), preferring the latest SDP
/// before the first packet; then sets each stream's protection from what was negotiated and
/// what the packets showed, and recomputes the ZRTP checks.
void Tracker::bind_to_calls() {
    struct Announcement {
        std::uint32_t call;
        std::size_t sdp;
        std::size_t media;
        util::Timestamp time;
    };
    std::multimap<util::Endpoint, Announcement> announced;
    // RTCP ports (a=rtcp or RTP's + 1): DTLS-SRTP runs a handshake of its own there without rtcp-mux.
    std::multimap<util::Endpoint, Announcement> announced_rtcp;
    for (const Call& call : m_model.calls) {
        for (std::size_t s = 0; s < call.sdps.size(); ++s) {
            for (std::size_t m = 0; m < call.sdps[s].media.size(); ++m) {
                const SdpMedia& media = call.sdps[s].media[m];
                if (media.rtp.port != 0) {
                    announced.emplace(media.rtp, Announcement{call.id, s, m, call.sdps[s].time});
                    if (media.rtcp && !media.rtcp_mux) {
                        announced_rtcp.emplace(*media.rtcp, Announcement{call.id, s, m, call.sdps[s].time});
                    }
                }
            }
        }
    }
    const auto announcement_in = [&](const std::multimap<util::Endpoint, Announcement>& map, const util::Endpoint& dst,
                                     const util::Endpoint& src, util::Timestamp first) -> const Announcement* {
        const Announcement* best = nullptr;
        for (const auto& endpoint : {dst, src}) {
            const auto [begin, end] = map.equal_range(endpoint);
            for (auto it = begin; it != end; ++it) {
                const bool before = it->second.time <= first;
                if (best == nullptr || (before && (best->time > first || it->second.time > best->time))) {
                    best = &it->second;
                }
            }
            if (best != nullptr) {
                return best;
            }
        }
        return nullptr;
    };
    const auto announcement_for = [&](const util::Endpoint& dst, const util::Endpoint& src, util::Timestamp first) {
        return announcement_in(announced, dst, src, first);
    };
    for (ZrtpHandshake& handshake : m_model.handshakes) {
        if (const auto* found = announcement_for(handshake.b, handshake.a, handshake.first_time)) {
            handshake.call = found->call;
            Call& call = *m_model.call(found->call);
            call.handshakes.push_back(handshake.id);
            call.start = std::min(call.start, handshake.first_time);
            call.end = std::max(call.end, handshake.last_time);
        }
        finish_handshake(handshake, handshake.call ? m_model.call(*handshake.call) : nullptr);
    }
    for (DtlsHandshake& handshake : m_model.dtls_handshakes) {
        const Announcement* found = announcement_for(handshake.server, handshake.client, handshake.first_time);
        if (found == nullptr) {
            found = announcement_in(announced_rtcp, handshake.server, handshake.client, handshake.first_time);
        }
        if (found != nullptr) {
            handshake.call = found->call;
            Call& call = *m_model.call(found->call);
            call.dtls_handshakes.push_back(handshake.id);
            call.start = std::min(call.start, handshake.first_time);
            call.end = std::max(call.end, handshake.last_time);
        }
        finish_dtls_handshake(handshake, handshake.call ? m_model.call(*handshake.call) : nullptr);
    }
    // Every ZRTP handshake of a flow, in the order they began: a later Hello (a new ZRTP session
    // after GoClear, or one injected: its CRC is no MAC) starts another, which does not undo the
    // keys an earlier one agreed.
    std::map<std::uint32_t, std::vector<const ZrtpHandshake*>> handshakes_of_flow;
    for (const auto& handshake : m_model.handshakes) {
        handshakes_of_flow[handshake.flow].push_back(&handshake);
    }
    // A flow whose DTLS handshake completed carries keyed media, whatever a later ClientHello
    // (a new association, or one forged) began.
    std::set<std::uint32_t> dtls_keyed_flows;
    for (const auto& handshake : m_model.dtls_handshakes) {
        if (handshake.completed) {
            dtls_keyed_flows.insert(handshake.flow);
        }
    }
    for (MediaStream& stream : m_model.media) {
        ProtectionTimeline timeline{stream};
        if (const auto* best = announcement_for(stream.dst, stream.src, stream.first_time)) {
            Call& call = *m_model.call(best->call);
            stream.call = call.id;
            // A call lasts as long as its signalling or its media: without a BYE in the capture
            // its last packet is the best end there is.
            call.start = std::min(call.start, stream.first_time);
            call.end = std::max(call.end, stream.last_time);
            stream.sdp = best->sdp;
            stream.sdp_media = best->media;
            stream.leg = call.sdps[best->sdp].leg;
            call.media.push_back(stream.id);
            // a=zrtp-hash only says ZRTP may run; without a completed handshake nothing protects the
            // media. a=fingerprint says the same of DTLS-SRTP: when no handshake on the flow completed
            // and the payload reads like codec data, the media is what it looks like.
            const bool dtls_unkeyed =
                dtls_keyed_flows.count(stream.flow) == 0 && stream.payload_looks_encrypted == false;
            const auto negotiated = [&stream, dtls_unkeyed](Protection offered) {
                if (offered == Protection::dtls_srtp && dtls_unkeyed) {
                    stream.dtls_never_keyed = true;
                    return Protection::none;
                }
                if (offered == Protection::zrtp) {
                    stream.zrtp_never_completed = true;
                    return Protection::none;
                }
                return offered;
            };
            timeline.set(call.sdps[best->sdp].frame, call.sdps[best->sdp].time,
                         negotiated(call.sdps[best->sdp].media[best->media].advertised()));
            // Each answer for this m= line while the stream ran sets what the two sides agreed from then on.
            for (const OfferAnswer& exchange : call.exchanges) {
                if (!exchange.answer) {
                    continue;
                }
                const SdpSnapshot& offer = call.sdps[exchange.offer];
                const SdpSnapshot& answer = call.sdps[*exchange.answer];
                if (offer.leg != stream.leg) {
                    continue;  // another hop's offer/answer: a relay between them may change it
                }
                if (answer.time <= stream.last_time && best->media < answer.media.size() &&
                    best->media < offer.media.size()) {
                    timeline.set(answer.frame, answer.time,
                                 negotiated(std::min(offer.media[best->media].advertised(),
                                                     answer.media[best->media].advertised())));
                }
            }
        }
        const auto on_flow = handshakes_of_flow.find(stream.flow);
        const auto completed = [](const ZrtpHandshake* handshake) { return handshake->completed; };
        if (on_flow != handshakes_of_flow.end() &&
            std::any_of(on_flow->second.begin(), on_flow->second.end(), completed)) {
            // ZRTP keys the flow's SRTP whatever the SDP said; clear packets before Conf2ACK are
            // media.clear-before-secure's subject, not a period of their own.
            timeline.restart();
            stream.zrtp_never_completed = false;
            timeline.set(stream.first_frame, stream.first_time, Protection::zrtp);
            for (const ZrtpHandshake* handshake : on_flow->second) {
                // After GoClear/ClearACK (RFC 6189 section 5.11) the stream goes on in clear...
                for (const auto& event : handshake->events) {
                    if (event.kind == ZrtpEventKind::clear_ack && stream.last_frame > event.frame) {
                        timeline.set(event.frame, event.time, Protection::none);
                        stream.cleared_at_frame = event.frame;
                    }
                }
                // ...until a new handshake on the flow keys it again (section 4.7.2).
                if (handshake->completed && handshake->secure_frame && handshake->secure_time &&
                    stream.last_frame > *handshake->secure_frame) {
                    timeline.set(*handshake->secure_frame, *handshake->secure_time, Protection::zrtp);
                }
            }
        } else if (!stream.call) {
            // No SDP and no ZRTP: only the packets can tell. Ciphertext-like payload could be
            // SRTP keyed elsewhere (unknown); codec-like payload is plain media.
            timeline.set(stream.first_frame, stream.first_time,
                         stream.payload_looks_encrypted.value_or(true) ? Protection::unknown : Protection::none);
        }
        stream.protection_timeline = std::move(timeline).periods();

        stream.protection = weakest_protection(stream.protection_timeline);
    }
    for (Call& call : m_model.calls) {
        complete_path(call, m_model.media);
    }
    link_b2bua_dialogs(m_model.calls, m_model.media);
}

}  // namespace zaudit::session
