// path.media-relay: the call's media is anchored at an address that signals for neither party.
#include <algorithm>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// One media address that no SIP of the call came from or went to, and where it was seen.
struct Anchor {
    util::IpAddress address;
    std::vector<std::string> seen_in;
    std::vector<std::uint64_t> frames;
};

void add(std::vector<Anchor>& anchors, const util::IpAddress& address, std::string where, std::uint64_t frame) {
    auto it = std::find_if(anchors.begin(), anchors.end(), [&](const Anchor& a) { return a.address == address; });
    if (it == anchors.end()) {
        anchors.push_back(Anchor{address, {}, {}});
        it = std::prev(anchors.end());
    }
    if (std::find(it->seen_in.begin(), it->seen_in.end(), where) == it->seen_in.end()) {
        it->seen_in.push_back(std::move(where));
    }
    it->frames.push_back(frame);
}

bool uses_sdes(const session::Call& call) {
    return std::any_of(call.sdps.begin(), call.sdps.end(), [](const session::SdpSnapshot& sdp) {
        return std::any_of(sdp.media.begin(), sdp.media.end(),
                           [](const session::SdpMedia& m) { return !m.cryptos.empty(); });
    });
}

/// Media addresses of the call outside its signalling addresses. An SDP c= address that is
/// private while the SDP came from another address is the sender's own address behind NAT,
/// not a relay, and is left out (conservative: NAT is far more common than a relay).
std::vector<Anchor> anchors_of(const session::Model& model, const session::Call& call,
                               const std::vector<util::IpAddress>& signaling) {
    const auto signals = [&](const util::IpAddress& a) {
        return std::find(signaling.begin(), signaling.end(), a) != signaling.end();
    };
    std::vector<Anchor> anchors;
    for (const session::SdpSnapshot& sdp : call.sdps) {
        for (std::size_t m = 0; m < sdp.media.size(); ++m) {
            const util::IpAddress& c = sdp.media[m].rtp.address;
            if (!accepted(sdp.media[m]) || c.is_unspecified() || signals(c) ||
                (is_private(c) && c != sdp.sender.address)) {
                continue;
            }
            add(anchors, c,
                fmt::format("SDP c= of {} in {} from {} (frame {})", sdp.media[m].media, sdp.carried_by, sdp.sender,
                            sdp.frame),
                sdp.frame);
        }
    }
    for (const std::uint32_t id : call.media) {
        const session::MediaStream* bound = model.stream(id);
        if (bound == nullptr) {
            continue;
        }
        const session::MediaStream& stream = *bound;
        for (const util::Endpoint& end : {stream.src, stream.dst}) {
            if (!signals(end.address)) {
                add(anchors, end.address,
                    fmt::format("RTP stream {} ssrc {} {} -> {}", stream.id, ssrc_hex(stream.ssrc), stream.src,
                                stream.dst),
                    stream.first_frame);
            }
        }
    }
    return anchors;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        std::vector<util::IpAddress> signaling;
        for (const util::Endpoint& e : call.signaling_endpoints) {
            if (std::find(signaling.begin(), signaling.end(), e.address) == signaling.end()) {
                signaling.push_back(e.address);
            }
        }
        const std::vector<Anchor> anchors = anchors_of(model, call, signaling);
        if (anchors.empty()) {
            continue;
        }
        const bool sdes = uses_sdes(call);
        std::vector<std::string> names;
        auto media = nlohmann::ordered_json::array();
        std::vector<std::uint64_t> frames;
        for (const Anchor& anchor : anchors) {
            names.push_back(anchor.address.to_string());
            media.push_back({{"address", anchor.address.to_string()}, {"seen_in", anchor.seen_in}});
            frames.insert(frames.end(), anchor.frames.begin(), anchor.frames.end());
        }
        auto signaling_json = nlohmann::ordered_json::array();
        for (const util::Endpoint& e : call.signaling_endpoints) {
            signaling_json.push_back(e.to_string());
        }
        Finding& f = sink.add(fmt::format("call {} media goes through {}, which sent or received none of its SIP{}",
                                          call.id, fmt::join(names, ", "),
                                          sdes ? " (and the call's SDES keys let a relay decrypt)" : ""));
        if (sdes) {
            f.severity = Severity::medium;
        }
        f.call = call.id;
        f.confidence = Confidence::inferred;  // a media server, a NAT we cannot see, or a relay
        std::sort(frames.begin(), frames.end());
        f.frames = first_frames(frames);
        f.evidence = {{"media_addresses", media}, {"signaling_endpoints", signaling_json}, {"sdes", sdes}};
    }
}

}  // namespace

RuleInfo path_media_relay() {
    return {"path.media-relay",
            Severity::info,
            "Media anchored at a third address",
            "The call's media (the c= addresses in its SDP, or the RTP packets bound to it) goes to or comes from "
            "an address that sent or received none of the call's SIP. That is usually a media relay: an SBC, a "
            "conference bridge, a TURN server or a B2BUA's media proxy. A relay sees every packet; with SDES it "
            "also receives the keys in the SDP and can decrypt and alter the media, so whoever runs it can listen. "
            "It can also be a NAT, a separate media server of the same phone system, or the far phone itself "
            "when its SIP went through a server whose other side the capture did not see.",
            "Check that the relay address belongs to infrastructure you run and trust. If it must not see the "
            "media in clear, use end-to-end ZRTP (with SAS comparison) or DTLS-SRTP with fingerprints the relay "
            "cannot change, instead of SDES.",
            "RFC 3264 section 5; RFC 7362; RFC 4568 section 8",
            &check};
}

}  // namespace zaudit::analysis::rules
