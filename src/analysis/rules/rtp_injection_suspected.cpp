// rtp.injection-suspected: packets inside one stream that did not come from its sender.
#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::MediaStream& stream : model.media) {
        // Two packets with one sequence number but different payloads cannot both come from
        // an RTP sender (RFC 3550 section 5.1: the number increases by one per packet); a TTL
        // that changes back and forth means packets from two distances share the stream.
        const bool duplicates = stream.conflicting_duplicates > 0;
        // Every packet twice, byte for byte, is one stream seen at two capture points (two taps
        // merged, or a router's two sides): the second copy is a hop further on, so the TTL
        // alternates without a second sender.
        const bool captured_twice = stream.conflicting_duplicates == 0 && stream.duplicates * 2 + 2 >= stream.packets;
        const bool ttl_spread = !captured_twice && stream.ttl_changes > 1 && stream.ttl_max > stream.ttl_min;
        if (!duplicates && !ttl_spread) {
            continue;
        }
        std::string why;
        if (duplicates) {
            why = fmt::format("{} packet(s) repeat an earlier packet's sequence number with a different payload",
                              stream.conflicting_duplicates);
        }
        if (ttl_spread) {
            why += fmt::format("{}TTL varies between {} and {} ({} changes)", why.empty() ? "" : "; ", stream.ttl_min,
                               stream.ttl_max, stream.ttl_changes);
        }
        Finding& f = sink.add(fmt::format("RTP stream {} (ssrc 0x{:08x}, {} -> {}): {}", stream.id, stream.ssrc,
                                          stream.src, stream.dst, why));
        f.call = stream.call;
        f.stream = stream.id;
        f.confidence = Confidence::inferred;
        f.frames = {stream.first_frame, stream.last_frame};
        f.evidence = {{"ssrc", fmt::format("0x{:08x}", stream.ssrc)},
                      {"src", stream.src.to_string()},
                      {"dst", stream.dst.to_string()},
                      {"conflicting_duplicates", stream.conflicting_duplicates},
                      {"duplicates", stream.duplicates},
                      {"ttl_min", stream.ttl_min},
                      {"ttl_max", stream.ttl_max},
                      {"ttl_changes", stream.ttl_changes}};
    }
}

}  // namespace

RuleInfo rtp_injection_suspected() {
    return {"rtp.injection-suspected",
            Severity::high,
            "Packets injected into an RTP stream",
            "Within one stream (one source, one SSRC) some packets repeat a sequence number with different content, "
            "or arrive with a different hop count (TTL) than the rest. A sender numbers its packets one by one and "
            "sits at one distance, so a second party is writing into the stream: injected audio, or a device in "
            "the path replacing packets. With plain RTP the receiver plays them; SRTP with authentication would "
            "reject them.",
            "Protect the media with authenticated SRTP (ZRTP or DTLS-SRTP keys), and trace the extra packets' "
            "path (their TTL tells how many hops away the injector is).",
            "RFC 3550 section 5.1 and 8.2; RFC 3711 section 3.3",
            &check};
}

}  // namespace zaudit::analysis::rules
