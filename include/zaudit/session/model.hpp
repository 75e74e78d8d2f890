#pragma once
/// \file The session model: everything the capture showed, owned, immutable once built.
/// Rules read it; nothing in it points back into packet buffers.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zaudit/capture/reader.hpp"
#include "zaudit/demux/classify.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/net/packet.hpp"
#include "zaudit/session/call.hpp"
#include "zaudit/session/credentials.hpp"
#include "zaudit/session/media.hpp"
#include "zaudit/session/zid_ledger.hpp"
#include "zaudit/session/zrtp_handshake.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

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

    /// The payload kinds seen, most packets first ("rtp", "zrtp", ...).
    [[nodiscard]] std::vector<demux::PayloadKind> kinds() const;
};

/// Packets the pipeline could not use, by reason: reported so that nothing is silently dropped.
struct DecodeSummary {
    net::DecodeStats decode;
    net::DefragStats defrag;
    /// Every parser anomaly, counted per code (also those beyond what Model::anomalies keeps).
    std::array<std::uint64_t, static_cast<std::size_t>(util::AnomalyCode::count_)> anomalies{};
};

struct Model {
    std::vector<capture::InputInfo> inputs;
    std::uint64_t frames = 0;
    bool partial = false;           ///< some input stopped early: findings may be incomplete
    std::vector<FlowRecord> flows;  ///< ordered by first frame
    std::vector<Call> calls;
    std::vector<MediaStream> media;
    std::vector<ZrtpHandshake> handshakes;
    /// Every SIP request that carried credentials, in frame order (REGISTER ones too).
    std::vector<CredentialUse> credentials;
    DecodeSummary decode;
    /// What the parsers (sip, sdp, rtp, zrtp) found malformed, in frame order, with frame and
    /// offset (see util/anomaly.hpp); the first Limits::max_anomalies of them.
    std::vector<util::Anomaly> anomalies;
    /// The ZID ledger as it was before this run (--ledger), empty without one.
    std::vector<LedgerEntry> ledger;
    bool ledger_used = false;

    // Calls, streams and handshakes are numbered from 1 in the order they were created, so the
    // object with id N sits at index N - 1. These accessors are the one place that knows it.
    /// The call with this id, or nullptr when there is none.
    [[nodiscard]] const Call* call(std::uint32_t id) const;
    [[nodiscard]] Call* call(std::uint32_t id);
    /// The media stream with this id, or nullptr when there is none.
    [[nodiscard]] const MediaStream* stream(std::uint32_t id) const;
    /// The ZRTP handshake with this id, or nullptr when there is none.
    [[nodiscard]] const ZrtpHandshake* handshake(std::uint32_t id) const;
};

}  // namespace zaudit::session
