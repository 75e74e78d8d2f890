// The rule registry: one line per rule, in the order of DESIGN.md section 4. Adding a rule
// means a file in this folder, a line here, tests, a sample and a man-page entry.
#include <array>

#include "rules.hpp"

#include "zaudit/session/model.hpp"

namespace zaudit::analysis::rules {

std::span<const RuleInfo> catalogue() {
    static const std::array k_rules{
        sip_cleartext_signaling(),
        sdes_key_exposed(),
        sdp_srtp_declined(),
        sdes_key_reuse(),
        sdp_weak_crypto_suite(),
        sdp_security_stripped(),
        media_unencrypted(),
        media_null_cipher(),
        media_unauthenticated(),
        media_protection_mismatch(),
        srtp_auth_failure(),
        rtp_injection_suspected(),
        rtp_unsignaled_stream(),
        media_unauditable(),
        zrtp_handshake_incomplete(),
        zrtp_stripped(),
        media_clear_before_secure(),
        zrtp_goclear(),
        zrtp_error(),
        zrtp_retransmission_mismatch(),
        zrtp_crc_invalid(),
        zrtp_hello_tampered(),
        zrtp_hash_chain_broken(),
        zrtp_hvi_mismatch(),
        zrtp_public_value_invalid(),
        zrtp_zrtp_hash_mismatch(),
        zrtp_algorithm_downgrade(),
        zrtp_weak_algorithms(),
        zrtp_trusted_mitm(),
        zrtp_zid_conflict(),
        call_security_downgraded(),
        dtls_fingerprint_mismatch(),
        sip_cleartext_credentials(),
        path_media_relay(),
        path_protection_changed(),
        path_media_source_mismatch(),
        path_vantage_divergence(),
        policy_protection_required(),
    };
    return k_rules;
}

std::vector<std::uint64_t> first_frames(const std::vector<std::uint64_t>& frames, std::size_t n) {
    return {frames.begin(), frames.begin() + static_cast<long>(std::min(n, frames.size()))};
}

static_assert(session::SummarisedDialogs::max_examples == max_examples,
              "a summary keeps as many examples as a counted finding shows");

nlohmann::ordered_json summarised_example(const session::SummarisedDialog& dialog) {
    nlohmann::ordered_json example{{"call_id", dialog.call_id},
                                   {"from", dialog.from},
                                   {"to", dialog.to},
                                   {"frame", dialog.frame},
                                   {"time", util::to_rfc3339(dialog.time)},
                                   {"transport", dialog.transport}};
    if (!dialog.key_fingerprint.empty()) {
        example["key_fingerprint"] = dialog.key_fingerprint;
        example["suite"] = dialog.suite;
    }
    return example;
}

Finding& add_summarised_finding(FindingSink& sink, std::string message, std::uint64_t count,
                                const std::vector<session::SummarisedDialog>& examples) {
    Finding& f = sink.add(std::move(message));
    f.confidence = Confidence::verified;
    f.count = count;
    for (const auto& dialog : examples) {
        f.frames.push_back(dialog.frame);
        f.examples.push_back(summarised_example(dialog));
    }
    f.frames = first_frames(f.frames);
    return f;
}

}  // namespace zaudit::analysis::rules
