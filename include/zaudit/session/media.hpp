#pragma once
/// \file Media streams: one per (flow, direction, SSRC).

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zaudit/session/call.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/boxed.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

/// Where a key tried on a stream came from.
enum class SrtpKeySource : std::uint8_t {
    sdp,    ///< an a=crypto line the sender announced in SDP the capture shows
    given,  ///< the user's --srtp-key
};
const char* to_string(SrtpKeySource source);

/// Which of a stream's packets a key was tried on. A sample keeps the audit at line rate; every
/// packet (--verify-all) finds every altered or injected one, at a libsrtp2 call per packet.
enum class SrtpCoverage : std::uint8_t {
    sample,        ///< the first packets until the key settles, then 1 in 50 after the 64th
    every_packet,  ///< each packet as it arrived, from the first the key was known for
};
const char* to_string(SrtpCoverage coverage);

/// The stream's packets tried against one SRTP key (libsrtp2).
struct SrtpKeyCheck {
    SrtpKeySource source = SrtpKeySource::sdp;
    SrtpCoverage coverage = SrtpCoverage::sample;
    std::string key_fingerprint;
    std::string suite;
    /// Whether the first packets decided the key: `right` after 8 authenticated in a row, `wrong`
    /// after 16 failures with none authenticated. Once settled, a sample goes on with the spot
    /// checks only (1 packet in 50 after the first 64); every packet goes on with every packet.
    enum class Settled : std::uint8_t { no, right, wrong };
    Settled settled = Settled::no;
    std::uint64_t settled_after = 0;  ///< packets tried when it settled
    std::uint64_t checked = 0;        ///< packets tried (see coverage)
    std::uint64_t authenticated = 0;
    std::uint64_t auth_failed = 0;
    std::uint64_t replayed = 0;  ///< duplicates libsrtp2's replay window refused
    /// Failures with an authenticated packet after them: the key was still in use, so these
    /// packets were altered or injected (failures only at the end are a re-key or a switch to clear).
    std::uint64_t failed_while_in_use = 0;
    std::vector<std::uint64_t> failed_frames;  ///< the first few
    std::string error;                         ///< why the key could not be tried (unsupported suite...)
};

const char* to_string(SrtpKeyCheck::Settled settled);

/// From one frame on, a stream had this protection (until the next period begins).
struct ProtectionPeriod {
    /// The stream's first packet, or the frame that changed the protection (the SDP answer of a
    /// re-offer, ZRTP's ClearACK).
    std::uint64_t from_frame = 0;
    util::Timestamp from_time;
    Protection protection = Protection::unknown;
};

/// A payload type the stream carried, named from the a=rtpmap of the SDP that announced the
/// stream when its first packet came, else from RFC 3551's static table.
struct StreamCodec {
    enum class Source { sdp, static_table, unknown };
    std::uint8_t payload_type = 0;
    std::string name;              ///< encoding as written ("opus", "PCMU"); empty when unknown
    std::uint32_t clock_rate = 0;  ///< RTP clock in Hz; 0 when unknown
    Source source = Source::unknown;
};
const char* to_string(StreamCodec::Source source);

/// What an audio export (`zaudit export --audio`, `--export-audio`) made of a stream: every
/// packet tried, not a sample (audio/export.hpp).
struct AudioExport {
    std::string key_fingerprint;  ///< the SRTP key used; empty for plain RTP
    std::uint64_t decrypted = 0;  ///< SRTP packets libsrtp2 authenticated and decrypted
    std::uint64_t decrypt_failed = 0;
    std::uint64_t decoded = 0;  ///< packets turned into sound
    std::uint64_t srtcp_authenticated = 0;
    std::uint64_t srtcp_failed = 0;
    std::uint64_t rtcp_plain = 0;  ///< plain RTCP its sender sent beside the SRTP
};

struct MediaStream {
    std::uint32_t id = 0;
    std::uint32_t flow = 0;
    util::Endpoint src;
    util::Endpoint dst;
    std::uint32_t ssrc = 0;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;  ///< RTP payload bytes
    util::Timestamp first_time;
    util::Timestamp last_time;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    std::bitset<128> payload_types;
    std::vector<StreamCodec> codecs;  ///< one per payload type seen, in payload type order
    std::uint8_t ttl_min = 255;
    std::uint8_t ttl_max = 0;
    /// The weakest protection the stream had over its life (what a listener could exploit).
    Protection protection = Protection::unknown;
    /// How protection changed over the stream's life, in frame order; one period at least once
    /// the stream is bound. Consecutive periods differ.
    std::vector<ProtectionPeriod> protection_timeline;
    std::optional<std::uint32_t> call;
    std::optional<std::size_t> sdp;        ///< index in Call::sdps of the SDP that announced it
    std::optional<std::size_t> sdp_media;  ///< index of its m= line in that SDP
    std::uint32_t leg = 0;                 ///< the call leg (CallLeg::id) whose SDP announced it; 0 unbound
    /// The same packets (SSRC and sequence numbers) on another 5-tuple of the capture: the other
    /// side of a relay. `identical`: how many of the matched packets had the same bytes.
    struct Twin {
        std::uint32_t stream = 0;
        std::uint32_t matched = 0;
        std::uint32_t identical = 0;
    };
    std::optional<Twin> twin;
    /// ZRTP GoClear/ClearACK switched the stream to clear at this frame, and packets followed.
    std::optional<std::uint64_t> cleared_at_frame;
    /// The SDP agreed on DTLS-SRTP, but no DTLS handshake on the stream's flow completed and the
    /// payload reads like codec data: the periods the SDP called DTLS-SRTP are plain instead.
    bool dtls_never_keyed = false;
    /// The SDP announced ZRTP (a=zrtp-hash) for it, but no ZRTP handshake on its flow completed:
    /// the periods so announced are plain.
    bool zrtp_never_completed = false;

    // Payload evidence (from a sample of the payloads, see rtp/payload.hpp for the limits).
    double payload_entropy = 0;   ///< bits per byte, small-sample corrected
    double first_byte_share = 0;  ///< how often the commonest first payload byte occurs
    std::uint64_t sampled_bytes = 0;
    /// True when the payload reads like ciphertext (entropy ≥ 7.9 over ≥ 1 KiB, no stable first
    /// byte); false when it reads like codec data; nullopt when too little was sampled.
    std::optional<bool> payload_looks_encrypted;

    // Sequence, loss, jitter and injection evidence (RFC 3550 appendix A). Jitter and deltas
    // are computed as tshark -z rtp,streams does (rtp/stream_stats.hpp), in milliseconds.
    std::int64_t lost = 0;    ///< expected from the first packet - received (tshark's count)
    double lost_percent = 0;  ///< lost * 100 / expected
    std::uint64_t duplicates = 0;
    std::uint64_t conflicting_duplicates = 0;  ///< same sequence number, different payload
    std::uint64_t out_of_order = 0;
    std::uint64_t ttl_changes = 0;
    /// Interarrival jitter after the last packet; its mean and maximum over regular packets.
    /// nullopt when no payload type of the stream had a known clock rate.
    std::optional<double> jitter_ms;
    std::optional<double> mean_jitter_ms;
    std::optional<double> max_jitter_ms;
    double max_delta_ms = 0;  ///< largest gap between arrivals before a regular packet

    /// SDES keys from the call's SDP that the sender announced, tried on the stream's packets.
    std::vector<SrtpKeyCheck> srtp_checks;
    /// Set when the stream was exported as audio.
    util::Boxed<AudioExport> audio_export;
};

}  // namespace zaudit::session
