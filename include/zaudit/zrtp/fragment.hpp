#pragma once
/// \file Reassembly of bzrtp's fragmented ZRTP messages (first byte 0x11; not in RFC 6189).
///
/// bzrtp (packetParser.c, bzrtp_packetCheck) keeps one message per channel, places each fragment
/// at 4 * offset words and declares the message complete when the fragment lengths add up to the
/// total. An observer must be stricter: fragments may be duplicated, overlap, lie about the total
/// or never complete, so this assembler tracks which words are filled, reports conflicts as
/// anomalies and bounds its memory.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "zaudit/zrtp/message.hpp"

namespace zaudit::zrtp {

struct AssemblerLimits {
    /// The largest message accepted, in bytes (bzrtp caps whole packets at 3072 bytes; KEM
    /// messages with Kyber-1024 need ~1.6 KB, so 16 KB leaves room without inviting abuse).
    std::size_t max_message_bytes = 16384;
    /// Messages kept open at once; the oldest is dropped (with an anomaly) beyond this.
    std::size_t max_pending = 64;
};

/// What one fragment produced: the whole message once its last piece arrived, and anomalies.
struct AssemblyResult {
    std::optional<Message> message;
    std::vector<util::Anomaly> anomalies;  ///< offsets point at the fragment packet's header fields
};

class FragmentAssembler {
public:
    explicit FragmentAssembler(AssemblerLimits limits = {}) : m_limits{limits} {}

    /// Adds one fragment sent with the given SSRC. Duplicates (same range, same bytes) are
    /// ignored; a range whose bytes differ from ones already held is an anomaly
    /// (zrtp.fragment_overlap_conflict) and the first bytes are kept; a different total for the
    /// same message id restarts the message (zrtp.fragment_total_mismatch).
    AssemblyResult add(std::uint32_t ssrc, const FragmentInfo& fragment);

    /// Messages still waiting for fragments.
    [[nodiscard]] std::size_t pending() const { return m_pending.size(); }

private:
    struct Pending {
        std::uint16_t total_words = 0;
        std::vector<std::uint8_t> bytes;
        std::vector<bool> filled;  ///< per 32-bit word
        std::uint64_t age = 0;     ///< insertion order, for eviction
    };
    using Key = std::pair<std::uint32_t, std::uint16_t>;  ///< (SSRC, message id)

    void evict_if_full(AssemblyResult& result);

    AssemblerLimits m_limits;
    std::map<Key, Pending> m_pending;
    std::uint64_t m_next_age = 0;
};

}  // namespace zaudit::zrtp
