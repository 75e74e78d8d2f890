// srtp.auth-failure: packets of a stream fail SRTP authentication under a key that
// authenticates the stream's other packets: someone injected or altered them.
#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::MediaStream& stream : model.media) {
        for (const auto& key_check : stream.srtp_checks) {
            // A key that authenticates nothing is simply not this stream's key (or the capture
            // began after a rollover): that is media.protection-mismatch, not tampering.
            // Failures after the last good packet are a re-key or a switch to clear (a re-offer,
            // GoClear), which other rules report.
            if (key_check.authenticated == 0 || key_check.failed_while_in_use == 0) {
                continue;
            }
            // Copies the replay window refused are neither: a capture taken at two points of the
            // path holds each packet twice.
            const std::string replayed =
                key_check.replayed == 0
                    ? std::string{}
                    : fmt::format(" ({} more were copies of packets already checked, refused by the replay window)",
                                  key_check.replayed);
            Finding& f = sink.add(fmt::format(
                "{} of {} {}SRTP packets of stream {} (ssrc 0x{:08x}, {} -> {}) fail authentication under the "
                "key that authenticates {} others{}",
                key_check.failed_while_in_use, key_check.checked,
                key_check.coverage == session::SrtpCoverage::sample ? "sampled " : "", stream.id, stream.ssrc,
                stream.src, stream.dst, key_check.authenticated, replayed));
            f.call = stream.call;
            f.stream = stream.id;
            f.confidence = Confidence::verified;  // libsrtp2 recomputed the tags
            f.frames = key_check.failed_frames;
            f.evidence = {{"ssrc", fmt::format("0x{:08x}", stream.ssrc)},
                          {"src", stream.src.to_string()},
                          {"dst", stream.dst.to_string()},
                          {"key_source", session::to_string(key_check.source)},
                          {"key_fingerprint", key_check.key_fingerprint},
                          {"suite", key_check.suite},
                          {"coverage", session::to_string(key_check.coverage)},
                          {"checked", key_check.checked},
                          {"authenticated", key_check.authenticated},
                          {"auth_failed", key_check.auth_failed},
                          {"failed_while_in_use", key_check.failed_while_in_use},
                          {"replayed", key_check.replayed},
                          {"ttl_min", stream.ttl_min},
                          {"ttl_max", stream.ttl_max}};
        }
    }
}

}  // namespace

RuleInfo srtp_auth_failure() {
    return {"srtp.auth-failure",
            Severity::high,
            "SRTP packets fail authentication",
            "With the stream's key known (from SDES in clear SIP), libsrtp2 authenticates most of the stream's "
            "packets but rejects these: their authentication tags do not match their content. Packets that a real "
            "endpoint sent under its key always verify, so these were altered on the way or injected by a party "
            "that does not hold the key; the receiving endpoint drops them, but their presence shows someone "
            "is writing into the media path. zaudit checks a sample: the first packets until the key settles (8 "
            "authenticated in a row), then 1 packet in 50 after the 64th; with --verify-all, every packet.",
            "Find where the failing packets enter (their source address, TTL, and the capture point), and protect "
            "the keys: exchange them with ZRTP or DTLS-SRTP instead of SDES in clear signalling.",
            "RFC 3711 section 3.3 and 7.5",
            &check};
}

}  // namespace zaudit::analysis::rules
