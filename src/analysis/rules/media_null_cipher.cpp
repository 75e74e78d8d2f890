// media.null-cipher: SRTP agreed with encryption switched off (SDP side).
#include "rules.hpp"
#include "sdp_facts.hpp"
#include "zaudit/srtp/crypto_suite.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        for_each_agreed_key(call, [&](const AgreedKey& agreed) {
            const session::SdesKey& key = agreed.key;
            const session::SdpMedia& media = agreed.answer.media[agreed.m_line];
            const auto suite = srtp::crypto_suite_info(key.suite);
            const bool null_suite = suite && !suite->encrypts();
            if (!null_suite && !key.unencrypted_srtp) {
                return;
            }
            add_agreed_key_finding(model, call, agreed, sink,
                                   fmt::format("{} was agreed with {}{} (answer in frame {}): SRTP runs without "
                                               "encryption",
                                               media.media, key.suite, key.unencrypted_srtp ? " UNENCRYPTED_SRTP" : "",
                                               agreed.answer.frame),
                                   {{"null_cipher_suite", null_suite},
                                    {"unencrypted_srtp", key.unencrypted_srtp},
                                    {"unencrypted_srtcp", key.unencrypted_srtcp}});
        });
    }
}

}  // namespace

RuleInfo media_null_cipher() {
    return {"media.null-cipher",
            Severity::high,
            "SRTP without encryption",
            "The call negotiated SRTP but with encryption switched off: a NULL cipher suite (NULL_HMAC_SHA1_*) or "
            "the UNENCRYPTED_SRTP session parameter. The packets are authenticated, so they look like SRTP, but "
            "the voice inside is plain: anyone who captures them can listen to the call.",
            "Remove NULL suites and UNENCRYPTED_SRTP from the endpoints' and SBCs' SRTP configuration (they exist "
            "for debugging); allow only AES_CM_128_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_80 or the AEAD_AES_*_GCM "
            "suites.",
            "RFC 4568 sections 6.2 and 6.3.2; RFC 3711 section 4.1.3",
            &check};
}

}  // namespace zaudit::analysis::rules
