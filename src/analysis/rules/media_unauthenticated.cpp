// media.unauthenticated: SRTP agreed with authentication switched off (SDP side).
#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        for_each_agreed_key(call, [&](const AgreedKey& agreed) {
            const session::SdesKey& key = agreed.key;
            const session::SdpMedia& media = agreed.answer.media[agreed.m_line];
            if (!key.unauthenticated_srtp) {
                return;
            }
            add_agreed_key_finding(model, call, agreed, sink,
                                   fmt::format("{} was agreed with {} UNAUTHENTICATED_SRTP (answer in frame {}): SRTP "
                                               "packets carry no authentication tag",
                                               media.media, key.suite, agreed.answer.frame));
        });
    }
}

}  // namespace

RuleInfo media_unauthenticated() {
    return {"media.unauthenticated",
            Severity::medium,
            "SRTP without authentication",
            "The call negotiated SRTP with the UNAUTHENTICATED_SRTP parameter: the media is encrypted but its "
            "packets carry no authentication tag. Eavesdroppers still cannot simply listen, but anyone in the path "
            "can alter or inject packets unnoticed, and with a counter-mode cipher flipping bits of the ciphertext "
            "flips the same bits of the decrypted audio.",
            "Remove UNAUTHENTICATED_SRTP from the endpoints' and SBCs' SRTP configuration; RFC 3711 allows it only "
            "where another layer authenticates the packets.",
            "RFC 4568 section 6.3.3; RFC 3711 section 9.5",
            &check};
}

}  // namespace zaudit::analysis::rules
