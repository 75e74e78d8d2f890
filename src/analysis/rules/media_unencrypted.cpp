// media.unencrypted: an RTP stream that nothing protects.
#include <algorithm>
#include <map>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

std::uint64_t kind_packets(const session::FlowRecord& flow, demux::PayloadKind kind) {
    return flow.packets_by_kind[static_cast<std::size_t>(kind)];
}

nlohmann::ordered_json payload_types(const session::MediaStream& stream) {
    auto types = nlohmann::ordered_json::array();
    for (std::size_t pt = 0; pt < stream.payload_types.size(); ++pt) {
        if (stream.payload_types.test(pt)) {
            types.push_back(pt);
        }
    }
    return types;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    std::map<std::uint32_t, const session::FlowRecord*> flows;
    bool tls_seen = false;
    for (const session::FlowRecord& flow : model.flows) {
        flows[flow.id] = &flow;
        tls_seen = tls_seen || kind_packets(flow, demux::PayloadKind::tls) > 0;
    }
    for (const session::MediaStream& stream : model.media) {
        if (stream.packets == 0) {
            continue;
        }
        // Unsignalled streams count as plain only when nothing could have keyed them: no
        // ZRTP or DTLS on their flow (below) and no SIP over TLS anywhere in the capture.
        const bool unsignalled = !stream.call && stream.protection == session::Protection::unknown;
        if (stream.protection != session::Protection::none && !(unsignalled && !tls_seen)) {
            continue;
        }
        const auto flow = flows.find(stream.flow);
        if (flow != flows.end() && (kind_packets(*flow->second, demux::PayloadKind::zrtp) > 0 ||
                                    kind_packets(*flow->second, demux::PayloadKind::dtls) > 0)) {
            continue;  // keyed in the media path: whether it went secure is the ZRTP/DTLS rules' matter
        }
        Finding& f = sink.add(fmt::format("RTP stream {} ssrc {} {} -> {} ({} packets) is not protected: {}",
                                          stream.id, ssrc_hex(stream.ssrc), stream.src, stream.dst, stream.packets,
                                          unsignalled ? "no SDP, ZRTP or DTLS set up SRTP for it"
                                                      : "its call negotiated plain RTP"));
        f.call = stream.call;
        f.stream = stream.id;
        // Nothing protects the stream, but its payload was not checked for codec data (the
        // session model has no payload facts yet), so this stays a pattern, not a proof.
        f.confidence = Confidence::inferred;
        f.frames = {stream.first_frame, stream.last_frame};
        f.evidence = {{"ssrc", ssrc_hex(stream.ssrc)},
                      {"src", stream.src.to_string()},
                      {"dst", stream.dst.to_string()},
                      {"packets", stream.packets},
                      {"payload_bytes", stream.bytes},
                      {"payload_types", payload_types(stream)},
                      {"protection", session::to_string(stream.protection)},
                      {"signalled", !unsignalled},
                      {"payload_check", "not-made"}};
    }
}

}  // namespace

RuleInfo media_unencrypted() {
    return {"media.unencrypted", Severity::high, "Media in clear text",
            "This RTP stream is not encrypted: its call agreed on plain RTP, or no SDP, ZRTP or DTLS exchange set "
            "up keys for it. Anyone who can capture its packets (on the LAN, Wi-Fi, at the provider or any router "
            "on the way) can play back the conversation with common tools such as Wireshark.",
            "Enable SRTP on both endpoints and make it mandatory: ZRTP or DTLS-SRTP for end-to-end keys, or SDES "
            "only together with SIP over TLS. Check SBCs and trunks that may terminate SRTP and forward plain RTP.",
            "RFC 3550 section 9; RFC 3711 section 3", &check};
}

}  // namespace zaudit::analysis::rules
