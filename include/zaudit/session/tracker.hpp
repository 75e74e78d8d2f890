#pragma once
/// \file The call tracker: the only state across packets. Frames in, an immutable Model out.

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "zaudit/capture/frame.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/net/flow_table.hpp"
#include "zaudit/net/tcp_stream.hpp"
#include "zaudit/rtp/stream_stats.hpp"
#include "zaudit/demux/classify.hpp"
#include "zaudit/session/given_key.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::sip {
struct SipMessage;
}

namespace zaudit::session {

class AnomalyLog;
class CallTracker;
class Iax2Tracker;
struct TwinSample;

struct Limits {
    std::int64_t flow_idle_micros = 600'000'000;   ///< a flow silent this long (capture time) is closed
    std::int64_t sweep_every_micros = 10'000'000;  ///< how often idle flows are looked for
    /// A flow that carried the media of a call that ended (BYE) is closed once it has been quiet
    /// this long after the BYE: a stack's last packets cross the BYE, and the call's evidence is
    /// then kept without its packets.
    std::int64_t media_after_bye_micros = 5'000'000;
    /// A UDP flow that carried the SIP of one call only closes once quiet this long after its BYE:
    /// 64*T1, how long the BYE and its response may still be retransmitted (RFC 3261 17.2.2,
    /// Timer J).
    std::int64_t sip_after_bye_micros = 32'000'000;
    net::DefragLimits defrag;
    /// Anomalies kept in Model::anomalies (all are counted): a capture full of garbage must not
    /// grow memory without bound.
    std::size_t max_anomalies = 100'000;
    /// A SIP dialog without a final response to its INVITE (or without INVITE) and without a
    /// message for this long (capture time) is closed and summarised: Timer C (RFC 3261 section
    /// 16.6, "greater than 3 minutes") is when a proxy gives up on it too.
    std::int64_t dialog_timeout_micros = 180'000'000;
    /// Such dialogs live at once; beyond it the oldest is summarised early (counted: a flood
    /// packed into less than the timeout must not grow memory without bound).
    std::size_t max_live_dialogs = 10'000;
    /// An answered call (2xx to its INVITE) without BYE, without a SIP message and without a
    /// packet at the media addresses its SDP announced for this long (capture time) is closed
    /// and summarised like the dialogs above: a PBX that answers a scanner, or a capture that
    /// missed the BYE, must not keep calls whole for ever. An hour: held calls refresh their
    /// session timers (RFC 4028) and calls with media stay alive through it.
    std::int64_t call_idle_micros = 3'600'000'000;
    /// Calls whose INVITE failed (a final response of 300 or more: a scanner answered 401, 403,
    /// 404) kept whole; beyond, the oldest is summarised: finished calls must not grow memory
    /// without bound either.
    std::size_t max_failed_calls = 10'000;
    /// SIP messages of one dialog kept (its ladder, its SDP offers and answers): a real call has
    /// tens, one refreshed by RFC 4028 session timers every 90 s for a day some 3,000. Beyond, a
    /// message still ends the call (BYE, CANCEL, final responses), but is only counted
    /// (sip.too_many_messages, DialogCounts::messages_not_kept) and its SDP is not read: a
    /// dialog flooded with re-INVITEs must not grow memory without bound. Results are partial.
    std::size_t max_messages_per_call = 10'000;
    /// What the ZRTP handshakes of one flow keep: handshakes, distinct messages, differing copies
    /// and events (bad CRCs, anomalies, Errors). A real handshake keeps some 15 (retransmissions
    /// are folded). Beyond, the flow's ZRTP packets are only counted (zrtp.too_many_messages):
    /// a flow flooded with distinct Hellos, Pings or bad CRCs must not grow memory without
    /// bound, nor make each packet look through all the others. Results are partial.
    std::size_t max_zrtp_records_per_flow = 1'000;
    /// Requests with credentials kept (for sip.cleartext-credentials), some 1 KB each: a REGISTER
    /// scan or password guessing sends hundreds of thousands. Beyond, they are only counted
    /// (sip.too_many_credentials) and the results are partial: users first tried after the cap
    /// get no finding of their own.
    std::size_t max_credential_uses = 100'000;
    /// Distinct SDES keys remembered from summarised dialogs (for sdes.key-reuse).
    std::size_t max_summarised_keys = 1'000'000;
    /// RTP streams (SSRC and direction) followed on one flow; a flow with more is an attack or
    /// garbage, and its further SSRCs' packets are only counted (rtp.too_many_ssrcs).
    std::size_t max_streams_per_flow = 256;
    /// Flows followed at once. Beyond, the tenth idle longest are closed early; those that carried
    /// no media (no RTP stream or ZRTP) are then counted, not listed
    /// (flow.cap_reached): a flood of random datagrams costs counts, not memory.
    std::size_t max_live_flows = 100'000;
};

/// What the user tells the tracker that the packets cannot (--decode-as, --srtp-key), and how
/// thoroughly to check what they can (--verify-all).
struct UserHints {
    std::vector<demux::DecodeAs> decode_as;
    std::vector<GivenSrtpKey> srtp_keys;
    /// Try every SRTP packet against the keys known for its stream as it arrives, not a sample
    /// when the stream ends: every altered or injected packet is found, at a libsrtp2 call per
    /// packet and key.
    bool verify_all = false;
};

class Tracker {
public:
    explicit Tracker(Limits limits = {}, UserHints hints = {});
    ~Tracker();
    Tracker(const Tracker&) = delete;
    Tracker& operator=(const Tracker&) = delete;

    /// Decodes the frame with decoder() and tracks its packet.
    void on_frame(const capture::Frame& frame);
    /// Tracks a frame decoded elsewhere (net::ReadAhead) with decoder(), in frame order.
    void on_decoded(const capture::Frame& frame, net::DecodeStatus status, const net::Packet& packet);
    /// The decoder whose stats finish() reports: on_frame's, or the one a net::ReadAhead runs
    /// (on its thread, until it has ended) for on_decoded.
    [[nodiscard]] net::Decoder& decoder() { return m_decoder; }
    /// The ZID ledger as loaded (--ledger): the model carries it so that rules judge this capture
    /// against what was known before it (zrtp.zid-conflict). Without a call, no ledger is in use.
    void use_ledger(std::vector<LedgerEntry> known);
    /// Closes every flow and returns the model, complete; the tracker is spent.
    Model finish(std::vector<capture::InputInfo> inputs, bool partial) &&;

    [[nodiscard]] std::size_t live_flows() const { return m_flows.size(); }

private:
    struct FlowState;
    struct TcpDirection;
    struct LiveStream;
    struct TcpSink;
    using Handler = void (Tracker::*)(FlowState&, const net::Packet&, bool forward);

    void on_packet(const net::Packet& packet);
    /// Packets at the media addresses of a call (its RTP's, or of `kind` RTCP its RTCP's) keep it
    /// from the idle timeout (Limits::call_idle_micros), and close their flow once it ended.
    void keep_call_alive(FlowState& flow, const net::Packet& packet, demux::PayloadKind kind);
    void on_stream_bytes(FlowState& flow, const net::Packet& packet, bool forward, util::Bytes bytes);
    void on_rtp(FlowState& flow, const net::Packet& packet, bool forward);
    /// Whether RTP is expected on the flow without probation: an SDP announced one of its ends,
    /// the user decoded its port as RTP, or ZRTP runs on it.
    [[nodiscard]] bool rtp_expected(const FlowState& flow, const net::Packet& packet) const;
    /// Probation of an RTP-looking packet on a flow nobody announced: whether its SSRC and
    /// direction now show a run of RTP (rtp_tracking.cpp says what one is).
    static bool probe_rtp(FlowState& flow, const rtp::RtpHeader& header, bool from_a);
    void track_rtp(FlowState& flow, const net::Packet& packet, const rtp::RtpHeader& header, bool forward);
    /// Tracks the packets waiting on probation (FlowState::pending_rtp) as RTP, in their order:
    /// those of one SSRC and direction, or with nullopt every one. The others wait on.
    void replay_rtp(FlowState& flow, std::optional<std::pair<std::uint32_t, bool>> ssrc_from_a);
    void on_zrtp(FlowState& flow, const net::Packet& packet, bool forward);
    void on_iax2(FlowState& flow, const net::Packet& packet, bool forward);
    void on_dtls(FlowState& flow, const net::Packet& packet, bool forward);
    void on_sip_datagram(FlowState& flow, const net::Packet& packet, bool forward);
    /// `offset`: where the message starts in what anomaly offsets count from (the UDP payload,
    /// or the TCP direction's byte stream).
    void on_sip_message(FlowState& flow, const sip::SipMessage& message, const net::Packet& packet, std::size_t offset);
    void bind_to_calls();
    /// Gives a new stream's statistics the clock rates of the SDP that announced its
    /// destination (else its source) so far; returns that SDP's a=rtpmap formats.
    std::vector<PayloadFormat> announced_formats(rtp::RtpStreamStats& stats, const MediaStream& stream) const;
    static void summarise_stream(const rtp::RtpStreamStats& stats, const std::vector<PayloadFormat>& formats,
                                 MediaStream& stream);
    /// The calls (CallTracker indices) whose latest SDP announced the stream's source or destination.
    [[nodiscard]] std::vector<std::size_t> calls_announcing(const MediaStream& stream) const;
    /// The SDES keys the stream's sender announced in the calls that announced its addresses when it
    /// began or since (`calls`, extended here), then the user's keys for it: the keys tried on it.
    [[nodiscard]] std::vector<std::pair<const SdesKey*, SrtpKeySource>> keys_for(const MediaStream& stream,
                                                                                 std::vector<std::size_t>& calls) const;
    /// --verify-all: tries a packet of the stream against each of its keys, starting a trial for
    /// each key announced since its last packet.
    void verify_packet(LiveStream& live, const MediaStream& stream, const net::Packet& packet);
    /// The stream's flow closed: its statistics go into the model, its sampled packets leave their
    /// twin samples and key checks, and its live state is released.
    void end_stream(std::uint32_t index);
    void on_ignored(FlowState& flow, const net::Packet& packet, bool forward);
    enum class FlowClose : std::uint8_t { end, idle, cap };
    /// Returns whether the flow's record was kept (a flow closed by the cap that carried nothing
    /// zaudit reads is counted only).
    bool close_flow(FlowState&& flow, FlowClose why);
    void make_room_for_a_flow(const net::Packet& packet);
    void sweep(util::Timestamp now);

    Limits m_limits;
    UserHints m_hints;
    net::Decoder m_decoder;
    net::FlowTable<std::unique_ptr<FlowState>> m_flows;
    std::array<Handler, static_cast<std::size_t>(demux::PayloadKind::count_)> m_handlers{};
    util::Timestamp m_next_sweep;
    std::uint64_t m_frames = 0;
    std::uint32_t m_next_flow_id = 1;
    Model m_model;
    std::unique_ptr<AnomalyLog> m_anomalies;
    std::unique_ptr<CallTracker> m_calls;
    std::unique_ptr<Iax2Tracker> m_iax2;
    /// By stream (parallel to m_model.media): its statistics, sampled packets and codecs while
    /// its flow is live; null once the flow closed (end_stream), so that memory follows the live
    /// streams, not the capture's length.
    std::vector<std::unique_ptr<LiveStream>> m_live_streams;
    /// By stream, what its sampled packets leave for the end of the capture: what twin matching
    /// needs of them, and the key checks run on them when the stream ended.
    std::vector<std::vector<TwinSample>> m_twin_samples;
    /// Per SSRC, what its streams' lifetimes tell twin matching. Twins (a relay's two sides) carry
    /// the same packets at the same time, so when a stream ends (its flow closed, seconds after
    /// its last packet) its twin has begun: a stream that no other stream of its SSRC overlapped
    /// keeps no twin samples. An SSRC is dropped once none of its streams is live and a new one
    /// could no longer overlap them (sweep).
    struct StreamsOfSsrc {
        std::uint32_t live = 0;  ///< begun, not ended
        /// The latest last packet of those that ended; nullopt before one did.
        std::optional<util::Timestamp> last_packet_of_ended;
    };
    std::unordered_map<std::uint32_t, StreamsOfSsrc> m_streams_of_ssrc;
    std::vector<std::vector<SrtpKeyCheck>> m_key_checks;
    net::Packet m_packet;  ///< reused: decoding allocates nothing per frame
};

}  // namespace zaudit::session
