#pragma once
// What the packets say about a call's path beyond its SIP: the same RTP seen on two wires
// (twin streams), where each hop's SDP anchors the media, and the protection per hop. Private
// to the session area.

#include <deque>
#include <vector>

#include "srtp_check.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::session {

/// The same node as far as SIP can tell: a Contact is the party's own address, which a NAT
/// hides behind a public one (a private Contact seen from a public address).
bool same_node(const util::IpAddress& contact, const util::IpAddress& seen);

/// What twin matching needs of one sampled packet, kept after the packet itself is released:
/// its RTP sequence number and a digest of its bytes (equal digests: the packet was forwarded
/// unchanged).
struct TwinSample {
    std::uint16_t sequence = 0;
    std::size_t digest = 0;
};

/// The twin samples of a stream's sampled packets (those long enough to carry an RTP header).
std::vector<TwinSample> twin_samples_of(const PacketSamples& samples);

/// How far apart two streams of one SSRC may be and still be a relay's two sides, from the last
/// packet of the one to the first of the other. A relay forwards as it receives, so its sides
/// overlap in time; the slack allows for merged captures whose clocks are a little apart.
constexpr std::int64_t k_twin_slack_micros = 2'000'000;

/// Pairs streams that carry the same RTP packets (SSRC and sequence numbers) on two different
/// 5-tuples, as a relay's two sides do, from the sampled packets of each; sets MediaStream::twin
/// on both. Only streams that overlap in time (k_twin_slack_micros) pair: a device that gives
/// every call's stream one SSRC has twins in each relayed call. Packets sent back to the endpoint
/// they came from are an echo, not a relay's other side. More than four streams of one SSRC at
/// once are a flood or a collision, not a relay: none of them pairs (cost stays linear).
void find_twin_streams(std::deque<MediaStream>& media, const std::vector<std::vector<TwinSample>>& samples);

/// Completes the call's path once its streams are bound: each leg's media and weakest protection,
/// the nodes that anchor media (an SDP whose c= is neither the party its Contact names nor
/// that party behind a NAT, sent by a hop that is not that party; twin streams), whether
/// they forward or rewrite the packets, and whether the media keys reach them.
void complete_path(Call& call, const std::deque<MediaStream>& media);

/// Ties a B2BUA's two dialogs (two Call-IDs): the second dialog's first request leaves the
/// address the first dialog's INVITE went to, while the first was being set up (within 32 s,
/// RFC 3261 Timer B), and its offer re-offers the caller's media address, or streams of both
/// share SSRCs, or it is the only such dialog. The B2BUA becomes a `b2bua` node of both paths.
void link_b2bua_dialogs(std::vector<Call>& calls, const std::deque<MediaStream>& media);

}  // namespace zaudit::session
