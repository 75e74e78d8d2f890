// zrtp.crc-invalid: ZRTP packets whose CRC-32C does not match.
#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        std::vector<std::uint64_t> frames;
        auto details = nlohmann::ordered_json::array();
        for (const session::ZrtpEvent& event : handshake.events) {
            if (event.kind != session::ZrtpEventKind::crc_invalid) {
                continue;
            }
            frames.push_back(event.frame);
            if (details.size() < 8) {
                details.push_back({{"frame", event.frame}, {"src", event.src.to_string()}, {"crc", event.detail}});
            }
        }
        if (frames.empty()) {
            continue;
        }
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("ZRTP handshake {}: {} packet(s) with a bad CRC-32C", handshake.id, frames.size()));
        f.confidence = Confidence::verified;  // the CRC was recomputed
        f.frames = frames;
        f.evidence["packets"] = frames.size();
        f.evidence["first_packets"] = details;
    }
}

}  // namespace

RuleInfo zrtp_crc_invalid() {
    return {"zrtp.crc-invalid",
            Severity::medium,
            "ZRTP packets with a bad CRC",
            "Every ZRTP packet ends with a CRC-32C over the packet; an endpoint drops a packet whose CRC fails. "
            "Such packets in a capture are either damaged on the way (rare on UDP with its own checksum) or made "
            "by a party that altered the packet without recomputing the CRC: an attempted injection or a "
            "rewriting device. They take no part in the handshake, but deserve a look.",
            "Look at the frames in the evidence: who sent them, and whether a valid copy of the same message "
            "followed. Repeated CRC failures from one address point at a faulty or hostile device on the path.",
            "RFC 6189 section 5",
            &check};
}

}  // namespace zaudit::analysis::rules
