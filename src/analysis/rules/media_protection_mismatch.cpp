// media.protection-mismatch: the signalling and the packets disagree about protection.
#include <algorithm>

#include "rules.hpp"
#include "zaudit/srtp/crypto_suite.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::MediaStream& stream : model.media) {
        const auto& timeline = stream.protection_timeline;
        const bool was_sdes = std::any_of(timeline.begin(), timeline.end(), [](const auto& period) {
            return period.protection == session::Protection::sdes_srtp;
        });
        if (!was_sdes || stream.packets == 0) {
            continue;
        }
        std::uint64_t checked = 0;
        std::uint64_t authenticated = 0;
        bool null_cipher = false;
        for (const auto& key_check : stream.srtp_checks) {
            checked += key_check.checked;
            authenticated += key_check.authenticated;
            const auto suite = srtp::crypto_suite_info(key_check.suite);
            null_cipher = null_cipher || (suite && !suite->encrypts());
        }
        const bool keys_fail = checked > 0 && authenticated == 0;
        // NULL-cipher SRTP is plaintext by design (media.null-cipher says so).
        const bool plaintext = stream.payload_looks_encrypted == false && !null_cipher && authenticated == 0;
        if (!keys_fail && !plaintext) {
            continue;
        }
        Finding& f =
            sink.add(keys_fail ? fmt::format("stream {} (ssrc 0x{:08x}, {} -> {}) was announced as SDES-SRTP "
                                             "but none of the {} SDES keys its sender announced "
                                             "authenticates its packets",
                                             stream.id, stream.ssrc, stream.src, stream.dst, stream.srtp_checks.size())
                               : fmt::format("stream {} (ssrc 0x{:08x}, {} -> {}) was announced as SDES-SRTP "
                                             "but its payload reads like plain codec data",
                                             stream.id, stream.ssrc, stream.src, stream.dst));
        f.call = stream.call;
        f.stream = stream.id;
        f.confidence = keys_fail ? Confidence::verified : Confidence::inferred;
        f.frames = {stream.first_frame};
        f.evidence = {{"ssrc", fmt::format("0x{:08x}", stream.ssrc)},
                      {"keys_tried", stream.srtp_checks.size()},
                      {"packets_checked", checked},
                      {"payload_entropy_bits", stream.payload_entropy},
                      {"first_byte_share", stream.first_byte_share}};
    }
}

}  // namespace

RuleInfo media_protection_mismatch() {
    return {"media.protection-mismatch",
            Severity::medium,
            "Signalling and packets disagree about protection",
            "The SDP said this stream is SRTP with an SDES key, but the packets say otherwise: either none of the "
            "keys its sender announced authenticates them (another key is in use than the one signalled, keys were "
            "rewritten on the way, or the capture began after an SRTP rollover), or the payload reads like plain "
            "codec data rather than ciphertext. Either way the signalled protection cannot be vouched for.",
            "Compare the endpoints' SRTP configuration with what they signal; check for a B2BUA or SBC that "
            "re-keys or decrypts media, and capture from the start of the call.",
            "RFC 4568 section 6; RFC 3711 section 3.3",
            &check};
}

}  // namespace zaudit::analysis::rules
