// media.null-cipher: SRTP agreed with encryption switched off (SDP a=crypto, or the profile a
// DTLS-SRTP ServerHello selected).
#include "rules.hpp"
#include "sdp_facts.hpp"
#include "zaudit/dtls/handshake.hpp"
#include "zrtp_facts.hpp"
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
    // RFC 5764 section 4.1.2: the server's use_srtp choice keys the flow's SRTP.
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::DtlsHandshake& handshake : model.dtls_handshakes) {
        if (!handshake.selected_profile || !dtls::profile_is_null(*handshake.selected_profile)) {
            continue;
        }
        const char* profile = dtls::profile_name(*handshake.selected_profile);
        Finding& f = sink.add(fmt::format(
            "the DTLS-SRTP handshake between {} and {} selected {} (ServerHello in "
            "frame {}): SRTP runs without encryption",
            handshake.client.to_string(), handshake.server.to_string(), profile, *handshake.server_hello_frame));
        f.confidence = Confidence::verified;
        f.call = handshake.call;
        if (const auto on_flow = streams[handshake.flow]; !on_flow.empty()) {
            f.stream = on_flow.front()->id;
        }
        f.frames = {*handshake.server_hello_frame};
        f.evidence = {{"dtls_handshake", handshake.id},
                      {"src", handshake.server.to_string()},
                      {"dst", handshake.client.to_string()},
                      {"suite", profile},
                      {"null_cipher_suite", true}};
    }
}

}  // namespace

RuleInfo media_null_cipher() {
    return {"media.null-cipher",
            Severity::high,
            "SRTP without encryption",
            "The call negotiated SRTP but with encryption switched off: a NULL cipher suite (NULL_HMAC_SHA1_*), "
            "the UNENCRYPTED_SRTP session parameter, or a DTLS-SRTP handshake that selected a NULL protection "
            "profile (SRTP_NULL_HMAC_SHA1_*). The packets are authenticated, so they look like SRTP, but "
            "the voice inside is plain: anyone who captures them can listen to the call.",
            "Remove NULL suites and UNENCRYPTED_SRTP from the endpoints' and SBCs' SRTP configuration (they exist "
            "for debugging), and the NULL profiles from their DTLS-SRTP use_srtp lists; allow only "
            "AES_CM_128_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_80 or the AEAD_AES_*_GCM "
            "suites.",
            "RFC 4568 sections 6.2 and 6.3.2; RFC 3711 section 4.1.3; RFC 5764 section 4.1.2",
            &check};
}

}  // namespace zaudit::analysis::rules
