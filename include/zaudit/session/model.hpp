#pragma once
/// \file The session model: everything the capture showed, owned, immutable once built.
/// Rules read it; nothing in it points back into packet buffers.

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "zaudit/capture/reader.hpp"
#include "zaudit/demux/classify.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/net/packet.hpp"
#include "zaudit/session/call.hpp"
#include "zaudit/session/credentials.hpp"
#include "zaudit/session/dtls_handshake.hpp"
#include "zaudit/session/media.hpp"
#include "zaudit/session/zid_ledger.hpp"
#include "zaudit/session/zrtp_handshake.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/boxed.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

/// A UDP flow's datagrams that no parser took: payloads of no known kind, and RTP-looking ones
/// of SSRCs that never showed a run (on probation when measured). Measured, not judged:
/// media.unauditable decides whether they look like a call.
struct OpaquePayloads {
    /// Datagram sizes counted as voice-sized: a 10-60 ms frame of a speech codec (G.729's 10
    /// bytes to G.711's 480 at 60 ms, mostly 20-160) plus the 12-40 bytes of headers, tags and
    /// counters an encrypted transport adds.
    static constexpr std::uint32_t k_voice_min = 40;
    static constexpr std::uint32_t k_voice_max = 300;

    std::array<std::uint64_t, 2> packets{};  ///< [a to b, b to a]
    std::array<util::Timestamp, 2> first_time{};
    std::array<util::Timestamp, 2> last_time{};
    std::array<std::int64_t, 2> longest_gap_micros{};  ///< between two consecutive ones, per direction
    std::uint64_t bytes = 0;
    std::uint32_t min_size = 0;
    std::uint32_t max_size = 0;
    std::uint64_t voice_sized = 0;  ///< of k_voice_min to k_voice_max bytes
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    /// Byte entropy of a sample (rtp::PayloadSampler, bits per byte, corrected); the sample starts
    /// at the flow's eighth such datagram, so a flood of one-datagram flows costs no sampler.
    double entropy_bits = 0;
    std::uint64_t sampled_bytes = 0;

    [[nodiscard]] std::uint64_t total() const { return packets[0] + packets[1]; }
};

/// One 5-tuple conversation, both directions. `a` is the endpoint that sent first.
struct FlowRecord {
    std::uint32_t id = 0;
    util::Endpoint a;
    util::Endpoint b;
    net::Transport transport = net::Transport::udp;
    std::uint64_t packets_ab = 0;
    std::uint64_t packets_ba = 0;
    std::uint64_t bytes_ab = 0;  ///< transport payload bytes
    std::uint64_t bytes_ba = 0;
    util::Timestamp first_time;
    util::Timestamp last_time;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    std::array<std::uint64_t, static_cast<std::size_t>(demux::PayloadKind::count_)> packets_by_kind{};
    std::uint64_t tcp_gap_bytes = 0;  ///< bytes the capture missed
    std::uint64_t tcp_retransmitted_bytes = 0;
    bool evicted_idle = false;  ///< closed by the idle timeout before the end
    /// UDP flows that carried such datagrams only: most flows carry none, and every record is
    /// kept until the audit ends.
    util::Boxed<OpaquePayloads> opaque;

    /// The payload kinds seen, most packets first ("rtp", "zrtp", ...).
    [[nodiscard]] std::vector<demux::PayloadKind> kinds() const;
    /// Moves up to `packets` counted as `from` to `to`: packets a later one showed to be other
    /// than they looked (RTP-looking bytes never confirmed, OpenVPN's first resets).
    void reclassify(demux::PayloadKind from, demux::PayloadKind to, std::uint64_t packets) {
        auto& source = packets_by_kind[static_cast<std::size_t>(from)];
        const std::uint64_t moved = std::min(source, packets);
        source -= moved;
        packets_by_kind[static_cast<std::size_t>(to)] += moved;
    }
};

/// What became of SIP dialogs the tracker closed before the capture ended, so that a flood of
/// them costs counts rather than memory. A dialog whose INVITE never got a final response, or
/// that is no call (OPTIONS, REGISTER...), is closed after Limits::dialog_timeout_micros of
/// capture time without a message, or sooner when more such dialogs are live than
/// Limits::max_live_dialogs allows; closed INVITE dialogs are summarised (SummarisedDialogs).
struct DialogCounts {
    std::uint64_t summarised = 0;      ///< INVITE dialogs summarised: by_timeout + by_cap + idle_calls + failed_calls
    std::uint64_t by_timeout = 0;      ///< of those, without a final response, closed by the timeout
    std::uint64_t by_cap = 0;          ///< of those, closed early by the cap (results partial)
    std::uint64_t idle_calls = 0;      ///< of those, answered calls closed by Limits::call_idle_micros
    std::uint64_t failed_calls = 0;    ///< of those, failed calls beyond Limits::max_failed_calls
    std::uint64_t not_calls = 0;       ///< dialogs without an INVITE, closed (by timeout or cap)
    std::uint64_t keys_untracked = 0;  ///< SDES keys of summarised dialogs beyond Limits::max_summarised_keys
    /// Messages of dialogs beyond Limits::max_messages_per_call: counted, their SDP not read.
    std::uint64_t messages_not_kept = 0;
    /// Whether a limit left something unjudged (the results cover what was followed): dialogs
    /// summarised early by the cap, keys beyond the key memory, messages beyond a dialog's cap.
    [[nodiscard]] bool limited() const { return by_cap > 0 || keys_untracked > 0 || messages_not_kept > 0; }
};

/// Packets the pipeline could not use, by reason: reported so that nothing is silently dropped.
struct DecodeSummary {
    net::DecodeStats decode;
    net::DefragStats defrag;
    /// Every parser anomaly, counted per code (also those beyond what Model::anomalies keeps).
    std::array<std::uint64_t, static_cast<std::size_t>(util::AnomalyCode::count_)> anomalies{};
    DialogCounts dialogs;
    [[nodiscard]] std::uint64_t anomaly_count(util::AnomalyCode code) const {
        return anomalies[static_cast<std::size_t>(code)];
    }
    /// Whether a limit left something unjudged (DialogCounts::limited, a flow's ZRTP past
    /// Limits::max_zrtp_records_per_flow, credentials past Limits::max_credential_uses, an SDP's
    /// media sections or keys past sdp::k_max_media_sections or k_max_cryptos): the results
    /// cover what was followed.
    [[nodiscard]] bool limited() const {
        return dialogs.limited() || anomaly_count(util::AnomalyCode::zrtp_too_many_messages) > 0 ||
               anomaly_count(util::AnomalyCode::dtls_too_many_handshakes) > 0 ||
               anomaly_count(util::AnomalyCode::sip_too_many_credentials) > 0 || sdp_limited() > 0;
    }
    /// How often an SDP body's media sections or keys went past the parser's bounds (a body past
    /// both counts twice).
    [[nodiscard]] std::uint64_t sdp_limited() const {
        return anomaly_count(util::AnomalyCode::sdp_too_many_media) +
               anomaly_count(util::AnomalyCode::sdp_too_many_cryptos);
    }
};

/// A summarised dialog, as an example in a counted finding.
struct SummarisedDialog {
    std::string call_id;
    std::string from;
    std::string to;
    std::uint64_t frame = 0;  ///< its INVITE
    util::Timestamp time;
    std::string transport;
    std::string key_fingerprint;  ///< its first SDES key's; empty for none
    std::string suite;
};

/// An SDES key offered by summarised dialogs: enough to tell a reuse (sdes.key-reuse) without
/// keeping the dialogs.
struct SummarisedKey {
    std::uint64_t dialogs = 0;
    std::uint64_t first_frame =
        0;  ///< the SDP that first offered it (its Call-ID is not kept: a flood of keys would keep them all)
    util::Timestamp earliest_end;  ///< of the dialogs that offered it
    util::Timestamp latest_start;
    std::uint8_t suite = 0;  ///< index in SummarisedDialogs::suites
};

/// What the rules need of the dialogs the tracker summarised (DialogCounts): how many were
/// signalled in clear and exposed SDES keys, their first examples, and their keys.
struct SummarisedDialogs {
    /// Examples kept of each kind: as many as a counted finding shows (analysis::max_examples).
    static constexpr std::size_t max_examples = 10;
    std::uint64_t cleartext = 0;                       ///< signalled over UDP or TCP without TLS
    std::uint64_t exposing_keys = 0;                   ///< of those, with SDES keys in their SDP
    std::vector<SummarisedDialog> cleartext_examples;  ///< the first ones, at most max_examples
    std::vector<SummarisedDialog> key_examples;
    /// By the key's fingerprint read as a number (SdesKey::fingerprint is its 16 hex digits).
    std::unordered_map<std::uint64_t, SummarisedKey> keys;
    std::vector<std::string> suites;
};

struct Model {
    std::vector<capture::InputInfo> inputs;
    std::uint64_t frames = 0;
    bool partial = false;  ///< some input stopped early: findings may be incomplete
    /// Ordered by first frame. A deque: records are added as flows close, all through a long
    /// capture, and a vector's doubling would hold twice their size at its peaks.
    std::deque<FlowRecord> flows;
    std::vector<Call> calls;
    /// Deques for the reason flows are one: streams and handshakes are added all through a long
    /// capture.
    std::deque<MediaStream> media;
    std::deque<ZrtpHandshake> handshakes;
    /// One per DTLS association, by first frame: a flow's first ClientHello begins one, and so does
    /// each later one with another random.
    std::vector<DtlsHandshake> dtls_handshakes;
    /// Every SIP request that carried credentials, in frame order (REGISTER ones too).
    std::vector<CredentialUse> credentials;
    SummarisedDialogs summarised;
    DecodeSummary decode;
    /// What the parsers (sip, sdp, rtp, zrtp) found malformed, in frame order, with frame and
    /// offset (see util/anomaly.hpp); the first Limits::max_anomalies of them.
    std::vector<util::Anomaly> anomalies;
    /// The ZID ledger as it was before this run (--ledger), empty without one.
    std::vector<LedgerEntry> ledger;
    bool ledger_used = false;

    // Calls, streams and handshakes are numbered from 1 in the order they were created, so the
    // object with id N sits at index N - 1, until a narrowing (analysis/narrow.hpp) drops some
    // and leaves gaps. These accessors are the one place that knows it.
    /// The call with this id, or nullptr when there is none.
    [[nodiscard]] const Call* call(std::uint32_t id) const;
    [[nodiscard]] Call* call(std::uint32_t id);
    /// The media stream with this id, or nullptr when there is none.
    [[nodiscard]] const MediaStream* stream(std::uint32_t id) const;
    /// The ZRTP handshake with this id, or nullptr when there is none.
    [[nodiscard]] const ZrtpHandshake* handshake(std::uint32_t id) const;
    /// The DTLS handshake with this id, or nullptr when there is none.
    [[nodiscard]] const DtlsHandshake* dtls_handshake(std::uint32_t id) const;
};

}  // namespace zaudit::session
