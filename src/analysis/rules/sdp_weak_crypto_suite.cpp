// sdp.weak-crypto-suite: the answer picked a weaker SRTP suite than the offer allowed.
#include "rules.hpp"
#include "sdp_facts.hpp"
#include "zaudit/srtp/crypto_suite.hpp"

namespace zaudit::analysis::rules {
namespace {

/// False for a NULL suite or UNENCRYPTED_SRTP; an unknown suite is given the benefit of the doubt.
bool encrypts(const session::SdesKey& key) {
    const auto info = srtp::crypto_suite_info(key.suite);
    return (!info || info->encrypts()) && !key.unencrypted_srtp;
}

bool real_protection(const session::SdesKey& key) {
    return srtp::crypto_suite_info(key.suite) && encrypts(key) && !key.unauthenticated_srtp;
}

/// The same cipher and key size (AES_CM_128 in AES_CM_128_HMAC_SHA1_32 and _80), whatever the spelling.
bool same_cipher(const srtp::SuiteInfo& x, const srtp::SuiteInfo& y) {
    return x.cipher == y.cipher && x.key_size == y.key_size;
}

/// Why the chosen key is weaker than something the offer held, or empty.
std::string weakness(const session::SdesKey& chosen, const std::vector<session::SdesKey>& offered,
                     std::vector<std::string>& better) {
    const auto info = srtp::crypto_suite_info(chosen.suite);
    std::string reason;
    if (!encrypts(chosen) || chosen.unauthenticated_srtp) {
        const bool null_suite = info && !info->encrypts();
        reason = null_suite ? "null-cipher" : chosen.unencrypted_srtp ? "unencrypted-srtp" : "unauthenticated-srtp";
        for (const auto& key : offered) {
            if (real_protection(key)) {
                better.push_back(key.suite);
            }
        }
    } else if (info && !info->aead() && info->rtp_tag_size == 4) {
        reason = "32-bit-auth-tag";
        for (const auto& key : offered) {
            const auto other = srtp::crypto_suite_info(key.suite);
            if (other && other->rtp_tag_size == 10 && same_cipher(*other, *info) && real_protection(key)) {
                better.push_back(key.suite);
            }
        }
    }
    return better.empty() ? std::string{} : reason;
}

/// One finding per key the answer chose on the line that is weaker than one the offer held.
void check_line(const session::Call& call, const ExchangedLine& line, FindingSink& sink) {
    const session::SdpSnapshot& offer = line.offer;
    const session::SdpSnapshot& answer = line.answer;
    const std::size_t m = line.m_line;
    if (!accepted(answer.media[m])) {
        return;
    }
    for (const session::SdesKey& chosen : answer.media[m].cryptos) {
        std::vector<std::string> better;
        const std::string reason = weakness(chosen, offer.media[m].cryptos, better);
        if (reason.empty()) {
            continue;
        }
        Finding& f = sink.add(fmt::format(
            "the answer (frame {}) chose {} ({}) for {} although the offer (frame {}) "
            "allowed {}",
            answer.frame, chosen.suite, reason, answer.media[m].media, offer.frame, fmt::join(better, ", ")));
        f.call = call.id;
        f.confidence = Confidence::verified;
        f.frames = {offer.frame, answer.frame};
        f.evidence = {{"reason", reason},
                      {"chosen_suite", chosen.suite},
                      {"chosen_tag", chosen.tag},
                      {"unencrypted_srtp", chosen.unencrypted_srtp},
                      {"unauthenticated_srtp", chosen.unauthenticated_srtp},
                      {"stronger_offered", better},
                      {"offered_suites", suites_of(offer.media[m])},
                      {"media", answer.media[m].media},
                      {"m_line", m + 1},
                      {"offer", snapshot_json(offer)},
                      {"answer", snapshot_json(answer)}};
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        for_each_exchanged_line(call, [&](const ExchangedLine& line) { check_line(call, line, sink); });
    }
}

}  // namespace

RuleInfo sdp_weak_crypto_suite() {
    return {"sdp.weak-crypto-suite",
            Severity::medium,
            "Weaker SRTP suite chosen than offered",
            "The answer picked an SRTP crypto suite weaker than one the offer allowed: a 32-bit authentication tag "
            "where the same cipher with an 80-bit tag was offered (forged packets are accepted with a chance of "
            "one in four billion per try instead of one in 2^80), or a suite or session parameter that switches "
            "encryption or authentication off (NULL_*, UNENCRYPTED_SRTP, UNAUTHENTICATED_SRTP) while a real one "
            "was on offer. With no encryption the media can simply be listened to. A man in the middle that "
            "rewrites SDP can force such a choice. (Choosing AES-128 over AES-256 is not reported.)",
            "Remove 32-bit and NULL suites from the answering endpoint's or SBC's allowed list unless a link "
            "really needs them, and never allow UNENCRYPTED_SRTP or UNAUTHENTICATED_SRTP; check that nothing in "
            "the path rewrites the a=crypto lines.",
            "RFC 4568 sections 6.2 and 6.3; RFC 3711 section 7.5",
            &check};
}

}  // namespace zaudit::analysis::rules
