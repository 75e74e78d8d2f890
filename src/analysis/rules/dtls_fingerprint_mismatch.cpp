// dtls.fingerprint-mismatch: a DTLS certificate on the media path is not the one its sender's SDP
// a=fingerprint announced.
#include <algorithm>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::DtlsHandshake& handshake : model.dtls_handshakes) {
        for (const session::DtlsCertificate& certificate : handshake.certificates) {
            if (certificate.verdict != session::DtlsVerdict::mismatch) {
                continue;
            }
            const char* role = certificate.sender == handshake.client ? "client" : "server";
            Finding& f =
                sink.add(fmt::format("the DTLS {} certificate from {} (frame {}) does not match the "
                                     "a=fingerprint of its SDP (frame {})",
                                     role, certificate.sender.to_string(), certificate.frame, certificate.sdp_frame));
            f.confidence = Confidence::verified;
            f.call = handshake.call;
            if (const auto on_flow = streams[handshake.flow]; !on_flow.empty()) {
                f.stream = on_flow.front()->id;
            }
            f.frames = {certificate.frame};
            if (certificate.sdp_frame != 0) {
                f.frames.push_back(certificate.sdp_frame);
                std::sort(f.frames.begin(), f.frames.end());
            }
            f.evidence = {{"dtls_handshake", handshake.id},
                          {"sender", certificate.sender.to_string()},
                          {"role", role},
                          {"certificate_frame", certificate.frame},
                          {"sdp_frame", certificate.sdp_frame},
                          {"sdp_matched_by", std::string{session::to_string(certificate.matched_by)}},
                          {"hash_function", certificate.hash_function},
                          {"computed", certificate.computed},
                          {"announced", certificate.announced}};
        }
    }
}

}  // namespace

RuleInfo dtls_fingerprint_mismatch() {
    return {"dtls.fingerprint-mismatch",
            Severity::critical,
            "DTLS certificate does not match the SDP a=fingerprint",
            "DTLS-SRTP binds the media to the signalling by the certificate fingerprint each side puts in its SDP "
            "(a=fingerprint): the peer accepts the DTLS handshake only from the certificate with that hash. The "
            "certificate this side sent on the media path, hashed with the SDP's hash function, gives another "
            "value: either a node in the media path answered the DTLS handshake with its own certificate, or the "
            "SDP was rewritten in the signalling path. An endpoint that does not check the fingerprint accepts "
            "the intercepting certificate, and whoever holds its key reads the SRTP keys.",
            "Make both endpoints refuse a DTLS certificate that does not match the SDP a=fingerprint (RFC 5763 "
            "section 5), carry SIP over TLS so that the fingerprint cannot be rewritten (or use an identity "
            "mechanism such as RFC 8224 STIR), and capture at both ends to find the device that replaced the "
            "certificate or rewrote the SDP.",
            "RFC 5763 section 5, RFC 8122 section 5",
            &check};
}

}  // namespace zaudit::analysis::rules
