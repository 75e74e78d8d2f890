// path.media-relay: the call's media is anchored at a node that is neither user agent.
#include <algorithm>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

std::string addresses_of(const session::PathNode& node) {
    std::vector<std::string> names;
    for (const auto& address : node.addresses) {
        names.push_back(address.to_string());
    }
    return fmt::format("{}", fmt::join(names, "/"));
}

/// "because the SDP in frames 4, 9 put its address in c= while the Contact names the far party,
/// and streams 1/3 carry the same packets on both its sides"
std::string why(const session::PathNode& relay) {
    std::vector<std::string> reasons;
    if (!relay.anchored_in.empty()) {
        reasons.push_back(
            fmt::format("the SDP forwarded in frame{} {} names it in c= while the Contact names the far "
                        "party",
                        relay.anchored_in.size() == 1 ? "" : "s", fmt::join(relay.anchored_in, ", ")));
    }
    if (!relay.twin_streams.empty()) {
        std::vector<std::string> pairs;
        for (const auto& [in, out] : relay.twin_streams) {
            pairs.push_back(fmt::format("{} and {}", in, out));
        }
        reasons.push_back(fmt::format("the same RTP packets (SSRC and sequence numbers) cross it as streams {}",
                                      fmt::join(pairs, "; ")));
    }
    return fmt::format("{}", fmt::join(reasons, ", and "));
}

std::string what_it_does(const session::PathNode& relay) {
    switch (relay.forwarding) {
        case session::RelayForwarding::forwards: return "; it forwards the packets unchanged";
        case session::RelayForwarding::rewrites: return "; it rewrites every packet (decrypts or re-encrypts)";
        case session::RelayForwarding::unknown: break;
    }
    return {};
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        for (const session::PathNode& relay : call.path) {
            if (relay.kind != session::PathNode::Kind::media_relay) {
                continue;
            }
            Finding& f = sink.add(fmt::format(
                "call {} media is anchored at {}: {}{}{}", call.id, addresses_of(relay), why(relay),
                what_it_does(relay), relay.keeps_keys ? " (the call's media keys reach it: it can decrypt)" : ""));
            if (relay.keeps_keys) {
                f.severity = Severity::medium;
            }
            f.call = call.id;
            // Twin streams are the packets themselves; an SDP address alone could be a media
            // server of the far party's own system.
            f.confidence = relay.twin_streams.empty() ? Confidence::inferred : Confidence::verified;
            std::vector<std::uint64_t> frames = relay.anchored_in;
            for (const auto& [in, out] : relay.twin_streams) {
                for (const std::uint32_t id : {in, out}) {
                    if (const session::MediaStream* stream = model.stream(id)) {
                        frames.push_back(stream->first_frame);
                    }
                }
            }
            std::sort(frames.begin(), frames.end());
            frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
            f.frames = first_frames(frames);
            auto addresses = nlohmann::ordered_json::array();
            for (const auto& address : relay.addresses) {
                addresses.push_back(address.to_string());
            }
            auto twins = nlohmann::ordered_json::array();
            for (const auto& [in, out] : relay.twin_streams) {
                twins.push_back({in, out});
            }
            f.evidence = {{"relay_addresses", addresses},
                          {"anchored_in_sdp_frames", relay.anchored_in},
                          {"twin_streams", twins},
                          {"forwarding", session::to_string(relay.forwarding)},
                          {"keeps_keys", relay.keeps_keys}};
        }
    }
}

}  // namespace

RuleInfo path_media_relay() {
    return {"path.media-relay",
            Severity::info,
            "Media anchored at a relay",
            "The call's media is anchored at a node that is neither user agent: a hop that forwarded the SDP put "
            "its own (or a third) address in c= while the Contact still names the far party, as a proxy with a "
            "media relay (rtpengine, an SBC) does; or the same RTP packets, by SSRC and sequence number, cross "
            "two wires of the capture. A relay sees every packet. When the packets on its two sides are "
            "byte-identical it forwards them; when they differ it decrypts and re-encrypts, so it holds the "
            "keys. With SDES it also receives the keys in the SDP it rewrites, so whoever runs it can listen. "
            "Media that goes straight between the two phones while their SIP crossed a proxy or PBX is not "
            "reported.",
            "Check that the relay belongs to infrastructure you run and trust. If it must not be able to listen, "
            "use end-to-end ZRTP (with SAS comparison) or DTLS-SRTP with fingerprints the relay cannot change, "
            "instead of SDES.",
            "RFC 3264 section 5; RFC 3261 section 16.6 (proxies keep Contact); RFC 7362; RFC 4568 section 8",
            &check};
}

}  // namespace zaudit::analysis::rules
