// path.media-source-mismatch: media from an address the call never announced.
#include <map>
#include <set>
#include <vector>

#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

/// What a call's SDPs announced, gathered once per call: a call re-offering thousands of times
/// with media arriving from thousands of sources must cost their sum, not their product.
struct Announced {
    std::set<util::Endpoint> endpoints;                            ///< every RTP and RTCP address
    nlohmann::ordered_json rtp = nlohmann::ordered_json::array();  ///< distinct RTP addresses, in order, the first few
    std::size_t rtp_count = 0;                                     ///< distinct RTP addresses in all
};

/// The evidence lists this many of a call's announced addresses, and counts them all.
constexpr std::size_t k_listed_addresses = 16;

Announced announced_by(const session::Call& call) {
    Announced announced;
    std::set<util::Endpoint> rtp;
    for (const session::SdpSnapshot& sdp : call.sdps) {
        for (const session::SdpMedia& media : sdp.media) {
            announced.endpoints.insert(media.rtp);
            if (media.rtcp) {
                announced.endpoints.insert(*media.rtcp);
            }
            if (rtp.insert(media.rtp).second && announced.rtp.size() < k_listed_addresses) {
                announced.rtp.push_back(media.rtp.to_string());
            }
        }
    }
    announced.rtp_count = rtp.size();
    return announced;
}

/// A call lists this many streams from unannounced addresses as findings of their own (NAT or a
/// relay gives one or two); a flood of sources into its ports is one counted finding beyond them.
constexpr std::size_t k_listed_streams = 8;

/// One call's state in the rule: what it announced, and its streams from elsewhere.
struct CallSources {
    Announced announced;
    std::size_t listed = 0;
    std::vector<const session::MediaStream*> counted;
};

nlohmann::ordered_json stream_evidence(const session::MediaStream& stream) {
    return {{"ssrc", fmt::format("0x{:08x}", stream.ssrc)},
            {"src", stream.src.to_string()},
            {"dst", stream.dst.to_string()}};
}

void add_counted_finding(std::uint32_t call, const CallSources& sources, FindingSink& sink) {
    const auto& streams = sources.counted;
    Finding& f =
        sink.add(fmt::format("{} more RTP streams of call {} come from addresses no SDP of the call announced "
                             "(beyond the {} listed one by one)",
                             streams.size(), call, k_listed_streams));
    f.call = call;
    f.confidence = Confidence::inferred;
    f.count = streams.size();
    std::set<util::Endpoint> sources_seen;
    for (const session::MediaStream* stream : streams) {
        sources_seen.insert(stream->src);
        if (f.examples.size() < max_examples) {
            nlohmann::ordered_json example = stream_evidence(*stream);
            example["stream"] = stream->id;
            example["frame"] = stream->first_frame;
            f.examples.push_back(std::move(example));
            f.frames.push_back(stream->first_frame);
        }
    }
    f.frames = first_frames(f.frames);
    f.evidence = {{"listed_separately", k_listed_streams},
                  {"source_count", sources_seen.size()},
                  {"announced", sources.announced.rtp},
                  {"announced_count", sources.announced.rtp_count}};
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    std::map<std::uint32_t, CallSources> by_call;
    for (const session::MediaStream& stream : model.media) {
        const session::Call* bound = stream.call ? model.call(*stream.call) : nullptr;
        if (bound == nullptr || stream.packets == 0) {
            continue;
        }
        const session::Call& call = *bound;
        auto found = by_call.find(call.id);
        if (found == by_call.end()) {
            found = by_call.emplace(call.id, CallSources{announced_by(call), 0, {}}).first;
        }
        CallSources& sources = found->second;
        // Bound through its destination (announced by the receiver), sent from an address that
        // no SDP of the call names: NAT, a media relay that did not rewrite SDP, or a third party.
        if (sources.announced.endpoints.count(stream.src) > 0) {
            continue;
        }
        if (sources.listed == k_listed_streams) {
            sources.counted.push_back(&stream);
            continue;
        }
        ++sources.listed;
        Finding& f =
            sink.add(fmt::format("RTP stream {} (ssrc 0x{:08x}) of call {} comes from {}, which no SDP of the "
                                 "call announced",
                                 stream.id, stream.ssrc, call.id, stream.src));
        f.call = call.id;
        f.stream = stream.id;
        f.confidence = Confidence::inferred;
        f.frames = {stream.first_frame};
        f.evidence = stream_evidence(stream);
        f.evidence["announced"] = sources.announced.rtp;
        f.evidence["announced_count"] = sources.announced.rtp_count;
    }
    for (const auto& [call, sources] : by_call) {
        if (!sources.counted.empty()) {
            add_counted_finding(call, sources, sink);
        }
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
