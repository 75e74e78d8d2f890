// path.media-source-mismatch: media from an address the call never announced.
#include <algorithm>

#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

bool announced(const session::Call& call, const util::Endpoint& endpoint) {
    return std::any_of(call.sdps.begin(), call.sdps.end(), [&](const session::SdpSnapshot& sdp) {
        return std::any_of(sdp.media.begin(), sdp.media.end(), [&](const session::SdpMedia& media) {
            return media.rtp == endpoint || (media.rtcp && *media.rtcp == endpoint);
        });
    });
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::MediaStream& stream : model.media) {
        const session::Call* bound = stream.call ? model.call(*stream.call) : nullptr;
        if (bound == nullptr || stream.packets == 0) {
            continue;
        }
        const session::Call& call = *bound;
        // Bound through its destination (announced by the receiver), sent from an address that
        // no SDP of the call names: NAT, a media relay that did not rewrite SDP, or a third party.
        if (announced(call, stream.src)) {
            continue;
        }
        Finding& f =
            sink.add(fmt::format("RTP stream {} (ssrc 0x{:08x}) of call {} comes from {}, which no SDP of the "
                                 "call announced",
                                 stream.id, stream.ssrc, call.id, stream.src));
        f.call = call.id;
        f.stream = stream.id;
        f.confidence = Confidence::inferred;
        f.frames = {stream.first_frame};
        nlohmann::ordered_json endpoints = nlohmann::ordered_json::array();
        for (const auto& sdp : call.sdps) {
            for (const auto& media : sdp.media) {
                endpoints.push_back(media.rtp.to_string());
            }
        }
        f.evidence = {{"ssrc", fmt::format("0x{:08x}", stream.ssrc)},
                      {"src", stream.src.to_string()},
                      {"dst", stream.dst.to_string()},
                      {"announced", endpoints}};
    }
}

}  // namespace

RuleInfo path_media_source_mismatch() {
    return {"path.media-source-mismatch",
            Severity::medium,
            "Media from an unannounced address",
            "The call's SDP named the addresses and ports its media would use, but this stream arrives from another "
            "one. Often that is NAT or a media relay that does not rewrite SDP, but it is also what a third party "
            "sending into the call looks like; with plain RTP the receiver plays whatever arrives on its port.",
            "Check whether a NAT or relay explains the address; use authenticated SRTP so that packets from "
            "anyone else are rejected, and enable symmetric RTP / latching only together with SRTP.",
            "RFC 3264 section 5; RFC 4961",
            &check};
}

}  // namespace zaudit::analysis::rules
