#include "path.hpp"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace zaudit::session {
namespace {

MediaStream::Twin compare_samples(const std::vector<TwinSample>& x, const std::vector<TwinSample>& y,
                                  std::uint32_t y_id) {
    std::unordered_map<std::uint16_t, std::size_t> digest_by_sequence;
    for (const TwinSample& sample : x) {
        digest_by_sequence.try_emplace(sample.sequence, sample.digest);
    }
    MediaStream::Twin twin{y_id, 0, 0};
    for (const TwinSample& sample : y) {
        const auto it = digest_by_sequence.find(sample.sequence);
        if (it == digest_by_sequence.end()) {
            continue;
        }
        ++twin.matched;
        twin.identical += it->second == sample.digest ? 1 : 0;
    }
    return twin;
}

PathNode* node_with(std::vector<PathNode>& path, const util::IpAddress& address) {
    const auto it = std::find_if(path.begin(), path.end(), [&](const PathNode& node) {
        return std::find(node.addresses.begin(), node.addresses.end(), address) != node.addresses.end();
    });
    return it == path.end() ? nullptr : &*it;
}

/// The node at `address`, made a media relay; a relay on a host of its own is added beside the
/// node that signalled for it.
PathNode& relay_at(std::vector<PathNode>& path, const util::IpAddress& address, const util::IpAddress& beside) {
    PathNode* node = node_with(path, address);
    if (node == nullptr) {
        PathNode relay;
        relay.addresses = {address};
        PathNode* neighbour = node_with(path, beside);
        const auto at = neighbour == nullptr ? path.end() - 1 : path.begin() + (neighbour - path.data()) + 1;
        node = &*path.insert(at, relay);
    }
    node->kind = PathNode::Kind::media_relay;
    return *node;
}

/// SDP evidence: a hop that is not the party (its Contact) sent an SDP whose c= is neither
/// the party nor the party behind a NAT. The relay is where c= points.
void anchors_from_sdp(Call& call) {
    for (const SdpSnapshot& sdp : call.sdps) {
        if (!sdp.contact || same_node(*sdp.contact, sdp.sender.address)) {
            continue;  // the party itself (or a B2BUA speaking for it) chose the address: no evidence
        }
        for (const SdpMedia& m : sdp.media) {
            const util::IpAddress& c = m.rtp.address;
            if (m.rtp.port == 0 || c.is_unspecified() || same_node(*sdp.contact, c)) {
                continue;
            }
            PathNode& relay = relay_at(call.path, c, sdp.sender.address);
            if (std::find(relay.anchored_in.begin(), relay.anchored_in.end(), sdp.frame) == relay.anchored_in.end()) {
                relay.anchored_in.push_back(sdp.frame);
            }
            // It rewrote an SDP that carries the keys: with SDES, the keys reach the relay.
            relay.keeps_keys = relay.keeps_keys || !m.cryptos.empty();
        }
    }
}

/// Packet evidence: one stream of the call on each side of a node.
void anchors_from_twins(Call& call, const std::deque<MediaStream>& media) {
    for (const std::uint32_t id : call.media) {
        const MediaStream& upstream = media[id - 1];
        if (!upstream.twin || upstream.twin->stream <= id) {
            continue;  // each pair once, from its lower id
        }
        const MediaStream& other = media[upstream.twin->stream - 1];
        if (other.call != upstream.call) {
            continue;
        }
        // The packets reach the relay first on the side they were sent from.
        const bool first = !(other.first_time < upstream.first_time);
        const MediaStream& in = first ? upstream : other;
        const MediaStream& out = first ? other : upstream;
        PathNode& relay = relay_at(call.path, in.dst.address, in.src.address);
        if (std::find(relay.addresses.begin(), relay.addresses.end(), out.src.address) == relay.addresses.end()) {
            relay.addresses.push_back(out.src.address);
        }
        const auto& twin = *upstream.twin;
        relay.forwarding = twin.identical * 2 >= twin.matched ? RelayForwarding::forwards : RelayForwarding::rewrites;
        const bool protected_media = in.protection > Protection::unknown || out.protection > Protection::unknown;
        relay.keeps_keys = relay.keeps_keys || (relay.forwarding == RelayForwarding::rewrites && protected_media);
        relay.twin_streams.emplace_back(in.id, out.id);
    }
}

/// The media addresses of a call's first offer.
std::vector<util::Endpoint> first_offer_addresses(const Call& call) {
    std::vector<util::Endpoint> out;
    for (const SdpSnapshot& sdp : call.sdps) {
        if (sdp.is_offer) {
            for (const SdpMedia& m : sdp.media) {
                if (m.rtp.port != 0 && !m.rtp.address.is_unspecified()) {
                    out.push_back(m.rtp);
                }
            }
            break;
        }
    }
    return out;
}

bool shares_ssrc(const Call& x, const Call& y, const std::deque<MediaStream>& media) {
    for (const std::uint32_t a : x.media) {
        for (const std::uint32_t b : y.media) {
            if (media[a - 1].ssrc == media[b - 1].ssrc) {
                return true;
            }
        }
    }
    return false;
}

void mark_b2bua(PathNode& node, const util::IpAddress& address) {
    if (std::find(node.addresses.begin(), node.addresses.end(), address) != node.addresses.end() &&
        node.kind == PathNode::Kind::ua) {
        node.kind = PathNode::Kind::b2bua;
    }
}

/// The later of two streams with the same packets goes back to where the earlier came from: the
/// far end reflected them (an RTP echo test, sipp's -rtp_echo), which no relay does.
bool reflected(const MediaStream& a, const MediaStream& b) {
    const bool a_first = !(b.first_time < a.first_time);
    const MediaStream& earlier = a_first ? a : b;
    const MediaStream& later = a_first ? b : a;
    return later.dst == earlier.src;
}

}  // namespace

bool same_node(const util::IpAddress& contact, const util::IpAddress& seen) {
    return contact == seen || (contact.is_private() && !seen.is_private());
}

std::vector<TwinSample> twin_samples_of(const PacketSamples& samples) {
    constexpr std::size_t k_rtp_header = 12;  // RFC 3550 section 5.1: the sequence number is bytes 2-3
    std::vector<TwinSample> out;
    out.reserve(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const PacketSample sample = samples[i];
        if (sample.bytes.size() < k_rtp_header) {
            continue;
        }
        const std::string_view bytes{reinterpret_cast<const char*>(sample.bytes.data()), sample.bytes.size()};
        out.push_back({static_cast<std::uint16_t>((sample.bytes[2] << 8U) | sample.bytes[3]),
                       std::hash<std::string_view>{}(bytes)});
    }
    return out;
}

void find_twin_streams(std::deque<MediaStream>& media, const std::vector<std::vector<TwinSample>>& samples) {
    // A relay's two sides share the SSRC; more than a few streams with one SSRC at once is a
    // flood or a collision, not a relay, and is left alone.
    constexpr std::size_t k_max_at_once = 4;
    constexpr std::uint32_t k_min_matched = 8;
    std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_ssrc;
    for (std::size_t i = 0; i < media.size(); ++i) {
        by_ssrc[media[i].ssrc].push_back(i);
    }
    std::vector<std::pair<std::size_t, std::size_t>> candidates;  // positions in media, first < second
    std::vector<bool> crowded(media.size());
    for (auto& [ssrc, streams] : by_ssrc) {
        if (streams.size() < 2) {
            continue;
        }
        // The SSRC's streams in time order. `live` holds those that may still overlap the next
        // one (a heap, soonest last packet on top); it grows past a few only in a crowd, whose
        // streams are each marked once, so the sweep stays linear but for the heap's logarithm.
        std::stable_sort(streams.begin(), streams.end(),
                         [&](std::size_t x, std::size_t y) { return media[x].first_time < media[y].first_time; });
        const auto ends_later = [&](std::size_t x, std::size_t y) { return media[x].last_time > media[y].last_time; };
        std::vector<std::size_t> live;
        std::size_t live_not_crowded = 0;  // of `live`; they joined while it held fewer than a crowd
        for (const std::size_t i : streams) {
            while (!live.empty() &&
                   media[live.front()].last_time.micros + k_twin_slack_micros < media[i].first_time.micros) {
                live_not_crowded -= crowded[live.front()] ? 0 : 1;
                std::pop_heap(live.begin(), live.end(), ends_later);
                live.pop_back();
            }
            if (live.size() >= k_max_at_once) {
                if (live_not_crowded > 0) {  // a crowd begins: all it meets are in it
                    for (const std::size_t other : live) {
                        crowded[other] = true;
                    }
                    live_not_crowded = 0;
                }
                crowded[i] = true;
            } else {
                for (const std::size_t other : live) {
                    candidates.emplace_back(std::min(i, other), std::max(i, other));
                }
                ++live_not_crowded;
            }
            live.push_back(i);
            std::push_heap(live.begin(), live.end(), ends_later);
        }
    }
    // In the order the streams began, as they were seen: which of two equal matches wins does
    // not depend on the map's order.
    std::sort(candidates.begin(), candidates.end());
    for (const auto& [x, y] : candidates) {
        MediaStream& a = media[x];
        MediaStream& b = media[y];
        if (crowded[x] || crowded[y] || reflected(a, b)) {
            continue;
        }
        const MediaStream::Twin twin = compare_samples(samples[x], samples[y], b.id);
        if (twin.matched < k_min_matched || (a.twin && a.twin->matched >= twin.matched) ||
            (b.twin && b.twin->matched >= twin.matched)) {
            continue;
        }
        a.twin = twin;
        b.twin = MediaStream::Twin{a.id, twin.matched, twin.identical};
    }
}

void complete_path(Call& call, const std::deque<MediaStream>& media) {
    for (CallLeg& leg : call.legs) {
        leg.media.clear();
        std::optional<Protection> weakest;
        for (const std::uint32_t id : call.media) {
            const MediaStream& stream = media[id - 1];
            if (stream.leg == leg.id) {
                leg.media.push_back(id);
                weakest = std::min(weakest.value_or(stream.protection), stream.protection);
            }
        }
        leg.protection = weakest.value_or(Protection::unknown);
    }
    if (call.path.empty()) {
        return;
    }
    anchors_from_sdp(call);
    anchors_from_twins(call, media);
    for (std::size_t i = 0; i + 1 < call.path.size(); ++i) {
        for (const CallLeg& leg : call.legs) {
            const PathNode& here = call.path[i];
            const PathNode& next = call.path[i + 1];
            const auto has = [](const PathNode& node, const util::IpAddress& address) {
                return std::find(node.addresses.begin(), node.addresses.end(), address) != node.addresses.end();
            };
            if (!leg.media.empty() && has(here, leg.a.address) && has(next, leg.b.address)) {
                call.path[i].protection_to_next = leg.protection;
            }
        }
    }
}

void link_b2bua_dialogs(std::vector<Call>& calls, const std::deque<MediaStream>& media) {
    constexpr std::int64_t k_setup_window_us = 32'000'000;  // RFC 3261 Timer B: 64*T1
    constexpr std::size_t k_max_candidates = 64;            // a busy PBX: stay linear
    struct Start {
        util::IpAddress from;
        util::Timestamp time;
        std::size_t index;
        auto operator<=>(const Start&) const = default;  // NOLINT(modernize-use-nullptr): v14 bug
    };
    std::vector<Start> starts;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (!calls[i].legs.empty() && !calls[i].messages.empty()) {
            starts.push_back({calls[i].legs.front().a.address, calls[i].messages.front().time, i});
        }
    }
    std::sort(starts.begin(), starts.end());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        Call& first = calls[i];
        if (first.legs.empty() || first.messages.empty()) {
            continue;
        }
        const util::IpAddress b2bua = first.legs.back().b.address;
        const util::Timestamp from = first.messages.front().time;
        const std::vector<util::Endpoint> offered = first_offer_addresses(first);
        std::vector<std::pair<std::size_t, Call::Link::By>> candidates;
        for (auto it = std::lower_bound(starts.begin(), starts.end(), Start{b2bua, from, 0});
             it != starts.end() && it->from == b2bua && it->time.micros - from.micros <= k_setup_window_us &&
             candidates.size() < k_max_candidates;
             ++it) {
            if (it->index == i) {
                continue;
            }
            const Call& second = calls[it->index];
            const std::vector<util::Endpoint> reoffered = first_offer_addresses(second);
            const bool same_offer = std::any_of(offered.begin(), offered.end(), [&](const util::Endpoint& e) {
                return std::find(reoffered.begin(), reoffered.end(), e) != reoffered.end();
            });
            candidates.emplace_back(it->index, same_offer                          ? Call::Link::By::sdp
                                               : shares_ssrc(first, second, media) ? Call::Link::By::ssrc
                                                                                   : Call::Link::By::timing);
        }
        const auto evidence = std::find_if(candidates.begin(), candidates.end(),
                                           [](const auto& c) { return c.second != Call::Link::By::timing; });
        const auto chosen = evidence != candidates.end() ? evidence
                            : candidates.size() == 1     ? candidates.begin()
                                                         : candidates.end();
        if (chosen == candidates.end()) {
            continue;  // several dialogs left the B2BUA then: timing alone cannot tell which
        }
        Call& second = calls[chosen->first];
        first.linked_calls.push_back({second.id, chosen->second});
        second.linked_calls.push_back({first.id, chosen->second});
        first.legs.back().role = LegRole::b2bua_leg;
        second.legs.front().role = LegRole::b2bua_leg;
        if (!first.path.empty()) {
            mark_b2bua(first.path.back(), b2bua);
        }
        if (!second.path.empty()) {
            mark_b2bua(second.path.front(), second.legs.front().a.address);
        }
    }
}

}  // namespace zaudit::session
