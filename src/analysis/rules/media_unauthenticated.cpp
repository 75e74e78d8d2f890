// media.unauthenticated: SRTP agreed with authentication switched off (SDP side).
#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        for (const session::OfferAnswer& exchange : call.exchanges) {
            if (!exchange.answer || exchange.rejected) {
                continue;
            }
            const session::SdpSnapshot& offer = call.sdps[exchange.offer];
            const session::SdpSnapshot& answer = call.sdps[*exchange.answer];
            for (std::size_t m = 0; m < answer.media.size(); ++m) {
                if (!accepted(answer.media[m])) {
                    continue;
                }
                for (const session::SdesKey& key : answer.media[m].cryptos) {
                    if (!key.unauthenticated_srtp) {
                        continue;
                    }
                    Finding& f = sink.add(fmt::format("{} was agreed with {} UNAUTHENTICATED_SRTP (answer in frame "
                                                      "{}): SRTP packets carry no authentication tag",
                                                      answer.media[m].media, key.suite, answer.frame));
                    f.call = call.id;
                    f.confidence = Confidence::verified;  // read from the answer; packets not examined
                    f.frames = {offer.frame, answer.frame};
                    auto streams = nlohmann::ordered_json::array();
                    for (const session::MediaStream* stream : streams_of(model, call, m)) {
                        f.frames.push_back(stream->first_frame);
                        streams.push_back({{"stream", stream->id}, {"ssrc", ssrc_hex(stream->ssrc)},
                                           {"src", stream->src.to_string()}, {"dst", stream->dst.to_string()},
                                           {"packets", stream->packets}});
                    }
                    f.evidence = {{"suite", key.suite},         {"tag", key.tag},
                                  {"media", answer.media[m].media}, {"m_line", m + 1},
                                  {"offer", snapshot_json(offer)},  {"answer", snapshot_json(answer)},
                                  {"streams", streams},             {"checked", "sdp"}};
                }
            }
        }
    }
}

}  // namespace

RuleInfo media_unauthenticated() {
    return {"media.unauthenticated", Severity::medium, "SRTP without authentication",
            "The call negotiated SRTP with the UNAUTHENTICATED_SRTP parameter: the media is encrypted but its "
            "packets carry no authentication tag. Eavesdroppers still cannot simply listen, but anyone in the path "
            "can alter or inject packets unnoticed, and with a counter-mode cipher flipping bits of the ciphertext "
            "flips the same bits of the decrypted audio.",
            "Remove UNAUTHENTICATED_SRTP from the endpoints' and SBCs' SRTP configuration; RFC 3711 allows it only "
            "where another layer authenticates the packets.",
            "RFC 4568 section 6.3.3; RFC 3711 section 9.5", &check};
}

}  // namespace zaudit::analysis::rules
