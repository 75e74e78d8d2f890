// media.null-cipher: SRTP agreed with encryption switched off (SDP side).
#include "rules.hpp"
#include "sdp_facts.hpp"
#include "zaudit/sdp/crypto_attribute.hpp"

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
                    const bool null_suite = sdp::suite_info(key.suite).null_cipher;
                    if (!null_suite && !key.unencrypted_srtp) {
                        continue;
                    }
                    Finding& f = sink.add(fmt::format("{} was agreed with {}{} (answer in frame {}): SRTP runs "
                                                      "without encryption",
                                                      answer.media[m].media, key.suite,
                                                      key.unencrypted_srtp ? " UNENCRYPTED_SRTP" : "", answer.frame));
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
                    f.evidence = {{"suite", key.suite},
                                  {"tag", key.tag},
                                  {"null_cipher_suite", null_suite},
                                  {"unencrypted_srtp", key.unencrypted_srtp},
                                  {"unencrypted_srtcp", key.unencrypted_srtcp},
                                  {"media", answer.media[m].media},
                                  {"m_line", m + 1},
                                  {"offer", snapshot_json(offer)},
                                  {"answer", snapshot_json(answer)},
                                  {"streams", streams},
                                  {"checked", "sdp"}};
                }
            }
        }
    }
}

}  // namespace

RuleInfo media_null_cipher() {
    return {"media.null-cipher", Severity::high, "SRTP without encryption",
            "The call negotiated SRTP but with encryption switched off: a NULL cipher suite (NULL_HMAC_SHA1_*) or "
            "the UNENCRYPTED_SRTP session parameter. The packets are authenticated, so they look like SRTP, but "
            "the voice inside is plain: anyone who captures them can listen to the call.",
            "Remove NULL suites and UNENCRYPTED_SRTP from the endpoints' and SBCs' SRTP configuration (they exist "
            "for debugging); allow only AES_CM_128_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_80 or the AEAD_AES_*_GCM "
            "suites.",
            "RFC 4568 sections 6.2 and 6.3.2; RFC 3711 section 4.1.3", &check};
}

}  // namespace zaudit::analysis::rules
