// rtp.unsignaled-stream: RTP that no captured SDP announced.
#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::MediaStream& stream : model.media) {
        if (stream.call || stream.packets == 0) {
            continue;
        }
        Finding& f = sink.add(fmt::format("RTP stream {} ssrc {} {} -> {} ({} packets) belongs to no captured call",
                                          stream.id, ssrc_hex(stream.ssrc), stream.src, stream.dst, stream.packets));
        f.stream = stream.id;
        f.confidence = Confidence::inferred;  // recognised as RTP by its header, not by signalling
        f.frames = {stream.first_frame, stream.last_frame};
        f.evidence = {{"ssrc", ssrc_hex(stream.ssrc)},     {"src", stream.src.to_string()},
                      {"dst", stream.dst.to_string()},     {"packets", stream.packets},
                      {"first_frame", stream.first_frame}, {"last_frame", stream.last_frame}};
    }
}

}  // namespace

RuleInfo rtp_unsignaled_stream() {
    return {"rtp.unsignaled-stream",
            Severity::low,
            "RTP stream without signalling",
            "zaudit found an RTP stream (by its packet headers) that no SIP/SDP in the capture announced. Either "
            "the signalling was not captured (it went another way, started before the capture, or was encrypted "
            "with TLS), or something sends media that no call set up. Without the signalling zaudit cannot tell "
            "how the stream was meant to be protected.",
            "Capture at a point that sees the signalling too (or include the earlier part of the call) and run "
            "the audit again; if no call explains the stream, find the host that sends it.",
            "RFC 3550 section 5.1; RFC 3264 section 5",
            &check};
}

}  // namespace zaudit::analysis::rules
