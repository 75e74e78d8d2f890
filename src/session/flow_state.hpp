#pragma once
// The tracker's state per flow, shared by its translation units (tracker.cpp, rtp_tracking.cpp).
// Private to the session area.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "zaudit/demux/classify.hpp"
#include "zaudit/net/tcp_stream.hpp"
#include "zaudit/rtp/payload.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/sip/stream_framer.hpp"
#include "zaudit/zrtp/fragment.hpp"
#include "dtls_tracker.hpp"
#include "path.hpp"
#include "srtp_check.hpp"

namespace zaudit::session {

/// One direction of a TCP flow: reassembly, and what the bytes turned out to be.
struct Tracker::TcpDirection {
    net::TcpStream stream;
    demux::PayloadKind kind = demux::PayloadKind::unknown;  ///< decided by the stream's first bytes
    std::unique_ptr<sip::StreamFramer> framer;              ///< when the stream carries SIP
};

/// What the tracker keeps of an RTP stream while its flow is live (Tracker::m_live_streams).
struct Tracker::LiveStream {
    rtp::RtpStreamStats stats;
    PacketSamples samples;               ///< for the key checks and twin matching at its end
    std::vector<PayloadFormat> formats;  ///< the a=rtpmap that named its codecs
    /// The calls (CallTracker indices) whose SDP announced its addresses when it began: their
    /// keys are tried when it ends, with those of the calls announcing them then.
    std::vector<std::size_t> calls;
    /// --verify-all: the keys tried on each packet as it arrives (those known by then), and the
    /// CallTracker::announcements() they were collected at.
    std::vector<KeyTrial> trials;
    std::optional<std::uint64_t> trials_as_of;
};

/// Per-flow state. Media streams of the flow are found through a one-entry cache per
/// direction, so a packet of the stream seen last costs no lookup at all.
struct Tracker::FlowState {
    FlowRecord record;
    std::array<std::unique_ptr<TcpDirection>, 2> tcp;  ///< [forward, reverse]; TCP flows only
    struct StreamCache {
        std::uint32_t ssrc = 0;
        std::uint32_t index = 0;
        bool valid = false;
    };
    std::array<StreamCache, 2> last_stream;
    struct StreamSlot {
        std::uint32_t ssrc = 0;
        bool from_a = true;
        std::uint32_t index = 0;  ///< into Model::media and m_live_streams
    };
    std::vector<StreamSlot> streams;
    std::map<std::pair<std::uint32_t, bool>, std::uint32_t> stream_of;  ///< (SSRC, from_a) -> index into streams
    std::uint64_t untracked_rtp_packets = 0;  ///< packets of SSRCs beyond Limits::max_streams_per_flow
    /// On a flow no SDP announced (nor --decode-as, nor ZRTP), an RTP-looking packet of an SSRC
    /// that is no stream yet is on probation: only a run of its SSRC and direction (probe
    /// state below) makes it RTP. Its packets wait here meanwhile (a copy each, at most
    /// k_probation_packets for the flow) and are replayed into the stream once the run is seen,
    /// so the stream starts at its first packet; the others are counted (rtp.unconfirmed).
    struct PendingRtp {
        net::Packet packet;
        std::vector<std::uint8_t> bytes;
        bool from_a = true;
        std::uint32_t ssrc = 0;
    };
    std::vector<PendingRtp> pending_rtp;
    std::uint64_t unconfirmed_rtp_packets = 0;
    /// What probation keeps of one SSRC and direction: its last header values and how many
    /// packets in a row advanced like RTP. A few per flow; the least recently seen is replaced.
    struct RtpCandidate {
        std::uint32_t ssrc = 0;
        std::uint32_t timestamp = 0;
        std::uint16_t sequence = 0;
        std::uint8_t payload_type = 0;
        bool from_a = true;
        std::uint8_t run = 0;  ///< 0: a free slot
        std::uint64_t touched = 0;
    };
    std::array<RtpCandidate, 4> rtp_candidates{};
    std::uint64_t rtp_probe_clock = 0;
    /// RTP is expected on the flow without probation (rtp_expected()).
    bool rtp_announced = false;
    /// Classification state of the flow's datagrams (QUIC, DTLS 1.3, OpenVPN need the earlier ones).
    demux::FlowDemux demux;
    /// Measures what no parser took (FlowRecord::opaque), for media.unauditable.
    struct OpaqueMeter {
        OpaquePayloads facts;
        std::unique_ptr<rtp::PayloadSampler> sampler;  ///< from the k_sample_after-th packet on
        void add(const net::Packet& packet, bool from_a);
    };
    OpaqueMeter opaque;
    std::optional<std::uint32_t> handshake;       ///< index into Model::handshakes
    std::optional<std::uint32_t> dtls_handshake;  ///< index into Model::dtls_handshakes: the latest
    std::uint32_t dtls_handshakes = 0;            ///< begun on this flow (k_max_dtls_handshakes_per_flow)
    std::unique_ptr<DtlsFlow> dtls;
    /// The call whose SDP announced one of the flow's ends (CallTracker::call_at), as of
    /// call_as_of, the sum of the CallTracker::announcements_in of the ends' slots
    /// (call_slots, once the flow has looked): its packets keep that call alive.
    std::optional<std::size_t> call;
    /// The dialog (a CallTracker index) whose SIP the flow carried, while it carried only one:
    /// a UDP flow of one call's signalling closes once quiet a while after its BYE. A flow of
    /// several dialogs (a trunk between proxies, a phone's REGISTER beside its calls) waits for
    /// the idle timeout, as a quiet trunk may still carry a long call.
    std::optional<std::size_t> sip_call;
    bool sip_dialogs_many = false;
    std::uint64_t call_as_of = 0;
    std::optional<std::array<std::size_t, 2>> call_slots;
    std::unique_ptr<zrtp::FragmentAssembler> zrtp_fragments;
    bool zrtp_secure = false;  ///< Conf2ACK seen: RTP from now on is SRTP
    /// What the flow's ZRTP handshakes keep: handshakes, distinct messages, variants and events
    /// (Limits::max_zrtp_records_per_flow).
    std::size_t zrtp_records = 0;
    bool zrtp_capped = false;  ///< past that limit: its ZRTP packets are counted only (said once)
    std::uint64_t rtp_packets = 0;
    std::uint64_t clear_rtp_before_secure = 0;
    std::optional<std::uint64_t> first_clear_rtp_frame;
};

}  // namespace zaudit::session
