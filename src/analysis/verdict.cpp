// A call's verdict from the model's facts (stream protection, signalling over TLS, the ZRTP
// handshake's checks, the DTLS certificates' fingerprints), not from the findings' texts: the findings only supply the worst one.
#include "zaudit/analysis/verdict.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "zaudit/util/name_table.hpp"

namespace zaudit::analysis {
namespace {

constexpr util::NameTable<Achieved, static_cast<std::size_t>(Achieved::count_)> k_names{{{
    {Achieved::no_media, "no-media"},
    {Achieved::plain, "plain"},
    {Achieved::sdes_exposed, "sdes-exposed"},
    {Achieved::sdes_tls, "sdes-tls"},
    {Achieved::iax2_aes128, "iax2-aes128"},
    {Achieved::srtp_unknown, "srtp-unknown-keying"},
    {Achieved::dtls_failed, "dtls-srtp-failed"},
    {Achieved::dtls_unverified, "dtls-srtp-unverified"},
    {Achieved::dtls_verified, "dtls-srtp-verified"},
    {Achieved::zrtp_failed, "zrtp-failed"},
    {Achieved::zrtp_verified, "zrtp-verified"},
}}};
static_assert(k_names.complete());

constexpr util::NameTable<Achieved, static_cast<std::size_t>(Achieved::count_)> k_sentences{{{
    {Achieved::no_media, "no media seen at this point"},
    {Achieved::plain, "plain RTP: anyone on the path can listen"},
    {Achieved::sdes_exposed, "SDES keys exposed: anyone on the path can listen"},
    {Achieved::sdes_tls, "SRTP, SDES keys over TLS: every SIP hop can listen"},
    {Achieved::iax2_aes128, "IAX2 AES-128: as strong as the peers' shared secret, no forward secrecy"},
    {Achieved::srtp_unknown, "SRTP, keying not seen here: not verifiable"},
    {Achieved::dtls_failed,
     "DTLS-SRTP: a certificate does not match its SDP fingerprint, the media may be intercepted"},
    {Achieved::dtls_unverified, "DTLS-SRTP: certificate fingerprints not verifiable here"},
    {Achieved::dtls_verified, "DTLS-SRTP: both certificates match their SDP fingerprints at this point"},
    {Achieved::zrtp_failed, "ZRTP: a check failed here, the handshake may be intercepted"},
    {Achieved::zrtp_verified, "ZRTP: handshake verified at this point, SAS not checkable"},
}}};
static_assert(k_sentences.complete());

bool handshake_failed(const session::ZrtpHandshake& handshake) {
    return !handshake.completed ||
           std::any_of(handshake.checks.begin(), handshake.checks.end(),
                       [](const session::ZrtpCheck& c) { return c.check.outcome == zrtp::CheckOutcome::failed; }) ||
           !handshake.conflicts.empty();
}

/// The (call, flow) pairs of the handshakes that failed, and of the DTLS handshakes by what their
/// certificates showed: looked up per stream, built once, so that verdicts stay n log n in calls
/// and handshakes.
struct HandshakeFacts {
    std::set<std::pair<std::uint32_t, std::uint32_t>> zrtp_failed;
    std::map<std::pair<std::uint32_t, std::uint32_t>, Achieved> dtls;
};

/// What the DTLS associations of one flow in one call showed. A flow may carry several (a new
/// ClientHello after an SDP exchange, or one injected): a certificate that does not match its SDP
/// fails the flow, wherever it came; otherwise the completed associations decide, as one that never
/// completed keyed nothing (RFC 8842 section 5: the old one goes on until the new one is up).
class DtlsFlowFacts {
public:
    void add(const session::DtlsHandshake& handshake) {
        m_mismatch = m_mismatch || handshake.any_mismatch();
        auto& all_verified = handshake.completed ? m_completed_verified : m_incomplete_verified;
        all_verified = all_verified.value_or(true) && handshake.verified();
    }
    [[nodiscard]] Achieved achieved() const {
        if (m_mismatch) {
            return Achieved::dtls_failed;
        }
        const bool verified = m_completed_verified.value_or(m_incomplete_verified.value_or(false));
        return verified ? Achieved::dtls_verified : Achieved::dtls_unverified;
    }

private:
    bool m_mismatch = false;
    std::optional<bool> m_completed_verified;   ///< every completed association verified
    std::optional<bool> m_incomplete_verified;  ///< every other one verified
};

HandshakeFacts handshake_facts(const session::Model& model) {
    HandshakeFacts facts;
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        if (handshake.call && handshake_failed(handshake)) {
            facts.zrtp_failed.emplace(*handshake.call, handshake.flow);
        }
    }
    std::map<std::pair<std::uint32_t, std::uint32_t>, DtlsFlowFacts> dtls;
    for (const session::DtlsHandshake& handshake : model.dtls_handshakes) {
        if (handshake.call) {
            dtls[{*handshake.call, handshake.flow}].add(handshake);
        }
    }
    for (const auto& [key, flow] : dtls) {
        facts.dtls.emplace(key, flow.achieved());
    }
    return facts;
}

/// What one stream achieved, in the call's context.
Achieved achieved_by(const session::MediaStream& stream, const session::Call& call, const HandshakeFacts& facts) {
    switch (stream.protection) {
        case session::Protection::none: return Achieved::plain;
        case session::Protection::unknown: return Achieved::srtp_unknown;
        case session::Protection::sdes_srtp: return call.tls ? Achieved::sdes_tls : Achieved::sdes_exposed;
        case session::Protection::dtls_srtp: {
            const auto it = facts.dtls.find({call.id, stream.flow});
            return it == facts.dtls.end() ? Achieved::dtls_unverified : it->second;
        }
        case session::Protection::zrtp: break;
    }
    return facts.zrtp_failed.count({call.id, stream.flow}) > 0 ? Achieved::zrtp_failed : Achieved::zrtp_verified;
}

}  // namespace

std::string_view to_string(Achieved achieved) {
    return k_names.name(achieved);
}

std::string_view describe(Achieved achieved) {
    return k_sentences.name(achieved);
}

std::vector<CallVerdict> call_verdicts(const session::Model& model, const std::vector<Finding>& findings) {
    std::vector<CallVerdict> verdicts;
    verdicts.reserve(model.calls.size());
    // Call id -> index in verdicts. Ids ascend; a narrowed model has gaps, so the last id sizes it.
    std::vector<std::size_t> index_of(model.calls.empty() ? 1 : model.calls.back().id + 1, 0);
    const HandshakeFacts facts = handshake_facts(model);
    for (const session::Call& call : model.calls) {
        CallVerdict verdict;
        verdict.call = call.id;
        bool first = true;
        for (const std::uint32_t id : call.media) {
            const session::MediaStream* stream = model.stream(id);
            if (stream == nullptr) {
                continue;
            }
            const Achieved achieved = achieved_by(*stream, call, facts);
            verdict.achieved = first ? achieved : std::min(verdict.achieved, achieved);
            first = false;
        }
        if (call.iax2) {
            verdict.achieved = call.iax2->media == session::Iax2Call::Media::plain    ? Achieved::plain
                               : call.iax2->media == session::Iax2Call::Media::aes128 ? Achieved::iax2_aes128
                               : call.iax2->media == session::Iax2Call::Media::none   ? Achieved::no_media
                                                                                      : Achieved::srtp_unknown;
        }
        verdict.relayed = std::any_of(call.path.begin(), call.path.end(), [](const session::PathNode& node) {
            return node.kind == session::PathNode::Kind::media_relay || node.kind == session::PathNode::Kind::b2bua;
        });
        if (call.id < index_of.size()) {
            index_of[call.id] = verdicts.size();
        }
        verdicts.push_back(verdict);
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& finding = findings[i];
        if (!finding.call || *finding.call >= index_of.size() || verdicts.empty()) {
            continue;
        }
        CallVerdict& verdict = verdicts[index_of[*finding.call]];
        if (verdict.call != *finding.call) {
            continue;
        }
        ++verdict.findings;
        if (!verdict.worst || findings[*verdict.worst].severity < finding.severity) {
            verdict.worst = i;
        }
    }
    // A handshake that passed every check of its own can still be one end of an interception
    // that another check shows (two vantage points that disagree): a critical finding about the
    // call withdraws "verified".
    for (CallVerdict& verdict : verdicts) {
        if ((verdict.achieved == Achieved::zrtp_verified || verdict.achieved == Achieved::dtls_verified) &&
            verdict.worst && findings[*verdict.worst].severity == Severity::critical) {
            verdict.achieved =
                verdict.achieved == Achieved::zrtp_verified ? Achieved::zrtp_failed : Achieved::dtls_failed;
        }
    }
    return verdicts;
}

}  // namespace zaudit::analysis
