#pragma once
/// \file A generated capture: frames in order, written as pcap (through libpcap) or pcapng.

#include <cstdint>
#include <string>
#include <vector>

#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/util/expected.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::gen {

struct GeneratedFrame {
    util::Timestamp time;
    ByteVector bytes;
    int link_type = 1;
    std::uint32_t interface = 0;  ///< pcapng interface; frames of one interface share a link type
};

/// Collects frames for one capture file. Deterministic: no clock, no randomness.
class CaptureBuilder {
public:
    explicit CaptureBuilder(Framing framing = {}) : m_framing{std::move(framing)} {}

    /// A UDP datagram, fragmented when larger than the framing's MTU. Returns the frames' count.
    std::size_t add_udp(util::Timestamp time, const util::Endpoint& src, const util::Endpoint& dst,
                        util::Bytes payload);
    std::size_t add_udp(util::Timestamp time, const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload,
                        const Framing& framing);
    void add_tcp(util::Timestamp time, const util::Endpoint& src, const util::Endpoint& dst, std::uint32_t seq,
                 std::uint32_t ack, std::uint8_t flags, util::Bytes payload);
    void add_frame(GeneratedFrame frame) { m_frames.push_back(std::move(frame)); }

    std::vector<GeneratedFrame>& frames() { return m_frames; }
    [[nodiscard]] const std::vector<GeneratedFrame>& frames() const { return m_frames; }
    Framing& framing() { return m_framing; }

    /// Classic pcap with microsecond timestamps, through libpcap's own writer. All frames must
    /// share one link type.
    util::Status write_pcap(const std::string& path) const;
    /// pcapng (libpcap does not write it): one Section Header, an Interface Description Block
    /// per interface, an Enhanced Packet Block per frame (draft-ietf-opsawg-pcapng).
    util::Status write_pcapng(const std::string& path) const;

private:
    Framing m_framing;
    std::vector<GeneratedFrame> m_frames;
    std::uint32_t m_next_ip_id = 0x1000;
};

}  // namespace zaudit::gen
