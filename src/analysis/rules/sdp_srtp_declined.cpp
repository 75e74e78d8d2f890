// sdp.srtp-declined: SRTP was asked for and the call ended up on plain RTP.
#include <map>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// What the offer asked for, in words for the evidence.
std::string requested(const session::SdpMedia& media) {
    if (media.profile_dtls || !media.fingerprints.empty()) {
        return "dtls-srtp";
    }
    if (!media.cryptos.empty()) {
        return media.profile_secure ? "sdes-srtp" : "sdes-srtp (best effort, RTP/AVP with a=crypto)";
    }
    return "srtp (secure profile, no key exchange in SDP)";
}

nlohmann::ordered_json media_json(const session::SdpMedia& media) {
    return {{"profile", media.profile},
            {"crypto_suites", suites_of(media)},
            {"fingerprint", !media.fingerprints.empty()},
            {"zrtp_hash", !media.zrtp_hashes.empty()}};
}

/// The answer took the m= line (port not 0) with nothing that protects it.
bool answered_plain(const session::SdpMedia& answer) {
    return accepted(answer) && !carries_security(answer);
}

void declined_answers(const session::Call& call, FindingSink& sink) {
    for_each_exchanged_line(call, [&](const ExchangedLine& line) {
        const session::SdpSnapshot& offer = line.offer;
        const session::SdpSnapshot& answer = line.answer;
        const std::size_t m = line.m_line;
        if (!accepted(offer.media[m]) || !asks_for_srtp(offer.media[m]) || !answered_plain(answer.media[m])) {
            return;
        }
        Finding& f = sink.add(fmt::format("{} asked for {} for {} (frame {}) and {} answered plain {} (frame {})",
                                          offer.sender, requested(offer.media[m]), offer.media[m].media, offer.frame,
                                          answer.sender, answer.media[m].profile, answer.frame));
        f.call = call.id;
        f.confidence = Confidence::verified;  // both SDPs were read from the capture
        f.frames = {offer.frame, answer.frame};
        f.evidence = {{"media", offer.media[m].media},
                      {"m_line", m + 1},
                      {"how", "answer"},
                      {"requested", requested(offer.media[m])},
                      {"offer", snapshot_json(offer)},
                      {"answer", snapshot_json(answer)},
                      {"offered", media_json(offer.media[m])},
                      {"answered", media_json(answer.media[m])}};
    });
}

/// A re-offer that no longer asks for any protection on an m= line whose previous exchange on
/// the same hop had negotiated SRTP (both sides secure). An offer that is plain on another hop
/// of the call is a relay's doing: path.protection-changed and sdp.security-stripped say so.
void plain_reoffers(const session::Call& call, FindingSink& sink) {
    // per leg, per m= line: the answer that secured it
    std::map<std::uint32_t, std::vector<const session::SdpSnapshot*>> secured_by_leg;
    for (const session::OfferAnswer& exchange : call.exchanges) {
        const session::SdpSnapshot& offer = call.sdps[exchange.offer];
        auto& secured_by = secured_by_leg[offer.leg];
        for (std::size_t m = 0; m < offer.media.size() && m < secured_by.size(); ++m) {
            const session::SdpSnapshot* before = secured_by[m];
            if (before == nullptr || !accepted(offer.media[m]) || carries_security(offer.media[m])) {
                continue;
            }
            Finding& f = sink.add(
                fmt::format("{} re-offered {} as plain {} (frame {}) after SRTP had been agreed "
                            "(frame {})",
                            offer.sender, offer.media[m].media, offer.media[m].profile, offer.frame, before->frame));
            f.call = call.id;
            f.confidence = Confidence::verified;
            f.frames = {before->frame, offer.frame};
            f.evidence = {{"media", offer.media[m].media},
                          {"m_line", m + 1},
                          {"how", "re-offer"},
                          {"secured_in", snapshot_json(*before)},
                          {"offer", snapshot_json(offer)},
                          {"offered", media_json(offer.media[m])}};
        }
        if (!exchange.answer || exchange.rejected) {
            continue;  // the session as it was stays in force (RFC 3264 section 8)
        }
        const session::SdpSnapshot& answer = call.sdps[*exchange.answer];
        secured_by.resize(std::max(secured_by.size(), std::min(offer.media.size(), answer.media.size())), nullptr);
        for (std::size_t m = 0; m < std::min(offer.media.size(), answer.media.size()); ++m) {
            const bool secured =
                accepted(answer.media[m]) && asks_for_srtp(offer.media[m]) && asks_for_srtp(answer.media[m]);
            secured_by[m] = secured ? &answer : nullptr;
        }
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        declined_answers(call, sink);
        plain_reoffers(call, sink);
    }
}

}  // namespace

RuleInfo sdp_srtp_declined() {
    return {"sdp.srtp-declined",
            Severity::high,
            "SRTP offered but plain RTP agreed",
            "One side asked for encrypted media (an RTP/SAVP profile, an a=crypto key or a DTLS a=fingerprint), "
            "but the answer accepted the stream as plain RTP/AVP with no key exchange, or a later re-offer dropped "
            "the protection. The media of that stream then travels unencrypted: anyone on the path can record and "
            "play it back. A \"best effort\" offer (a=crypto inside RTP/AVP) is declined the same way when the "
            "answer carries no a=crypto, and an attacker in the path can force that silently by removing the "
            "attributes.",
            "Configure both endpoints (and any SBC or proxy between them) to require SRTP (\"mandatory\", not "
            "\"optional\" or \"best effort\") so that a call without it fails with 488 instead of running in "
            "clear; find out which side cannot do SRTP.",
            "RFC 3264 section 6; RFC 4568 section 7.1; RFC 5763 section 5",
            &check};
}

}  // namespace zaudit::analysis::rules
