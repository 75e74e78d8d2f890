// sip.cleartext-signaling: SIP that anyone on the path can read.
#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        if (call.tls || call.messages.empty()) {
            continue;
        }
        Finding& f = sink.add(fmt::format("call {} ({} -> {}) was signalled over {} without TLS", call.id, call.from,
                                          call.to, call.transport));
        f.call = call.id;
        f.confidence = Confidence::verified;  // the messages were read from the capture
        std::vector<std::uint64_t> frames;
        for (const auto& message : call.messages) {
            frames.push_back(message.frame);
        }
        f.frames = first_frames(frames, 4);
        f.evidence = {{"transport", call.transport},
                      {"call_id", call.call_id},
                      {"messages", call.messages.size()},
                      {"sdp_bodies", call.sdps.size()}};
    }
    // Dialogs that never got a final response were summarised (a flood, or dialogs that timed
    // out): one finding counts them all.
    const session::SummarisedDialogs& summarised = model.summarised;
    if (summarised.cleartext > 0) {
        Finding& f = add_summarised_finding(
            sink,
            fmt::format("{} dialogs that never got a final response were signalled without TLS", summarised.cleartext),
            summarised.cleartext, summarised.cleartext_examples);
        f.evidence = {{"summarised", true}};
    }
}

}  // namespace

RuleInfo sip_cleartext_signaling() {
    return {"sip.cleartext-signaling",
            Severity::low,
            "SIP signalling in clear text",
            "The call's SIP messages travelled over UDP or TCP without TLS. Anyone on the path can see who called "
            "whom and when, read the SDP (addresses, codecs, and any SDES keys in it), and alter it in flight.",
            "Use SIP over TLS (sips: URIs, transport=tls, port 5061) between phones, proxies and trunks.",
            "RFC 3261 section 26.2; RFC 5630",
            &check};
}

}  // namespace zaudit::analysis::rules
