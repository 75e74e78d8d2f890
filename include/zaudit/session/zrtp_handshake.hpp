#pragma once
/// \file A ZRTP handshake (RFC 6189) between two endpoints on one media flow, as a passive tap
/// saw it: every distinct message (retransmissions folded), the roles, and every check a
/// passive party can recompute.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/util/address.hpp"
#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/timestamp.hpp"
#include "zaudit/zrtp/message.hpp"
#include "zaudit/zrtp/verify.hpp"

namespace zaudit::session {

/// One distinct message of one sender; copies that are byte-identical are folded into it.
struct ZrtpMessageRecord {
    std::uint64_t frame = 0;  ///< first copy
    util::Timestamp time;
    util::Endpoint src;
    util::Endpoint dst;
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t copies = 1;
    bool reassembled = false;  ///< rebuilt from bzrtp-style fragments
    zrtp::Message message;
};

/// Two copies of "the same" message (same sender, same type) whose bytes differ: the distinct
/// message (ZrtpHandshake::messages) and a variant (ZrtpHandshake::variants), by first frame.
struct ZrtpConflict {
    zrtp::MessageType type = zrtp::MessageType::unknown;
    util::Endpoint sender;
    std::uint64_t first_frame = 0;
    std::uint64_t other_frame = 0;
    std::size_t first_difference = 0;  ///< byte offset in the message
};

/// A check tied to the frames of the messages it compared (and, for zrtp_hash, the SDP).
struct ZrtpCheck {
    zrtp::Check check;
    std::vector<std::uint64_t> frames;
};

/// What a ZrtpEvent records; to_string gives its stable name.
enum class ZrtpEventKind : std::uint8_t {
    crc_invalid,  ///< "crc_invalid": a packet whose CRC-32C failed, left out of the handshake
    anomaly,      ///< "anomaly": a malformed packet or message (ZrtpEvent::anomaly says which)
    error,        ///< "error": an Error message (ZrtpEvent::code)
    go_clear,     ///< "go_clear": a GoClear message
    clear_ack,    ///< "clear_ack": a ClearACK message
    sas_relay,    ///< "sas_relay": a SASrelay message
    count_
};

/// The stable name ("go_clear").
std::string_view to_string(ZrtpEventKind kind);
/// The kind with this name; nullopt for an unknown name.
std::optional<ZrtpEventKind> zrtp_event_kind_from_string(std::string_view name);

/// A fact about one frame: a bad CRC, a parse anomaly, an Error, a GoClear...
struct ZrtpEvent {
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::Endpoint src;
    ZrtpEventKind kind = ZrtpEventKind::anomaly;
    std::string detail;                        ///< reason, error name, ...
    std::uint32_t code = 0;                    ///< the Error code, for kind error
    std::optional<util::AnomalyCode> anomaly;  ///< for kind anomaly
};

/// How reports name an event: its kind ("go_clear"), for an anomaly "anomaly:<code>".
std::string event_label(const ZrtpEvent& event);

struct ZrtpHandshake {
    std::uint32_t id = 0;
    std::uint32_t flow = 0;
    std::optional<std::uint32_t> call;
    util::Endpoint a;  ///< the endpoint that sent the first ZRTP packet
    util::Endpoint b;
    std::vector<ZrtpMessageRecord> messages;  ///< distinct messages, in order of first appearance
    /// Copies of a message that must repeat identically (Hello, Commit, DHPart, Confirm,
    /// SASrelay) whose bytes differ from the one in `messages`: each content once, its copies
    /// counted, in order of first appearance. Every one is verified like the first (RFC 6189
    /// section 9: an edited Hello fails its MAC, the genuine one passes).
    std::vector<ZrtpMessageRecord> variants;
    std::vector<ZrtpConflict> conflicts;  ///< one per variant
    std::vector<ZrtpEvent> events;
    std::uint64_t packets = 0;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    util::Timestamp first_time;
    util::Timestamp last_time;

    // Filled when the model is finished.
    std::optional<util::Endpoint> initiator;  ///< the Commit sender whose DHPart2 followed (RFC 6189 4.2)
    std::optional<util::Endpoint> responder;
    bool completed = false;                     ///< Conf2ACK seen (or SRTP after Confirm2)
    std::optional<std::uint64_t> secure_frame;  ///< frame of Conf2ACK
    std::optional<util::Timestamp> secure_time;
    std::vector<ZrtpCheck> checks;
    /// RTP packets on this flow before the handshake completed, and when the first was sent.
    std::uint64_t clear_rtp_before_secure = 0;
    std::optional<std::uint64_t> first_clear_rtp_frame;
    std::uint64_t rtp_packets = 0;  ///< RTP-range packets on the flow at all

    /// The distinct message of this type from this sender (the first), or nullptr.
    [[nodiscard]] const ZrtpMessageRecord* find(zrtp::MessageType type, const util::Endpoint* sender = nullptr) const;
    /// Every distinct copy of this type from this sender: the one in `messages` first, then its
    /// variants.
    [[nodiscard]] std::vector<const ZrtpMessageRecord*> copies_of(zrtp::MessageType type,
                                                                  const util::Endpoint& sender) const;
    /// The copy (in `messages` or `variants`) first seen in this frame, or nullptr.
    [[nodiscard]] const ZrtpMessageRecord* record_at(std::uint64_t frame) const;
    /// The Hello of an endpoint, or nullptr.
    [[nodiscard]] const ZrtpMessageRecord* hello_of(const util::Endpoint& sender) const {
        return find(zrtp::MessageType::hello, &sender);
    }
    /// The Commit that the handshake went on with (the initiator's). Under Commit contention
    /// (section 4.2) the responder's Commit is in copies_of(commit, *responder).
    [[nodiscard]] const ZrtpMessageRecord* commit() const {
        return initiator ? find(zrtp::MessageType::commit, &*initiator) : find(zrtp::MessageType::commit);
    }
};

}  // namespace zaudit::session
