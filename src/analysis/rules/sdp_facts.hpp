#pragma once
// Facts about a call's SDP that several rules share: what an m= line asks for, how to name it
// in evidence, and the call's protection level after each offer/answer exchange.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/session/call.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::analysis::rules {

/// The m= line asks for SRTP in the SDP itself: a secure profile (RTP/SAVP, RTP/SAVPF,
/// UDP/TLS/RTP/SAVP(F)), an a=crypto line, or an a=fingerprint (DTLS-SRTP). ZRTP is not
/// counted: it negotiates in the media path and leaves the profile at RTP/AVP.
bool asks_for_srtp(const session::SdpMedia& media);

/// The m= line carries any security attribute or profile (the above, or a=zrtp-hash).
bool carries_security(const session::SdpMedia& media);

/// Accepted: the m= line is not disabled with port 0 (RFC 3264 section 6).
inline bool accepted(const session::SdpMedia& media) {
    return media.rtp.port != 0;
}

/// One m= line as the offer and the answer of one exchange wrote it.
struct ExchangedLine {
    const session::SdpSnapshot& offer;
    const session::SdpSnapshot& answer;
    std::size_t m_line;
};

/// Calls `fn(ExchangedLine)` for every m= line that both the offer and the answer of an
/// answered, not rejected, exchange hold (RFC 3264 section 6: the answer has the offer's lines),
/// exchange by exchange, in m= line order. Disabled lines are included: `accepted` tells.
template <typename Fn>
void for_each_exchanged_line(const session::Call& call, Fn&& fn) {
    for (const session::OfferAnswer& exchange : call.exchanges) {
        if (!exchange.answer || exchange.rejected) {
            continue;
        }
        const session::SdpSnapshot& offer = call.sdps[exchange.offer];
        const session::SdpSnapshot& answer = call.sdps[*exchange.answer];
        for (std::size_t m = 0; m < std::min(offer.media.size(), answer.media.size()); ++m) {
            fn(ExchangedLine{offer, answer, m});
        }
    }
}

/// Where an answer agreed on an SDES key: the exchange, the m= line and the key.
struct AgreedKey {
    const session::SdpSnapshot& offer;
    const session::SdpSnapshot& answer;
    std::size_t m_line;
    const session::SdesKey& key;
};

/// Calls `fn(AgreedKey)` for every a=crypto of every accepted m= line of every answered,
/// not rejected, exchange of the call (the keys the media will actually use).
template <typename Fn>
void for_each_agreed_key(const session::Call& call, Fn&& fn) {
    for (const session::OfferAnswer& exchange : call.exchanges) {
        if (!exchange.answer || exchange.rejected) {
            continue;
        }
        const session::SdpSnapshot& answer = call.sdps[*exchange.answer];
        for (std::size_t m = 0; m < answer.media.size(); ++m) {
            if (!accepted(answer.media[m])) {
                continue;
            }
            for (const session::SdesKey& key : answer.media[m].cryptos) {
                fn(AgreedKey{call.sdps[exchange.offer], answer, m, key});
            }
        }
    }
}

/// A finding about one agreed key, read from the SDP (confidence verified, packets not examined):
/// call, frames (offer, answer, then the m= line's streams), and the evidence suite, tag, then
/// `extra` in its order, then media, m_line, offer, answer, streams and checked "sdp".
Finding& add_agreed_key_finding(const session::Model& model, const session::Call& call, const AgreedKey& agreed,
                                FindingSink& sink, std::string message,
                                const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());

/// The streams of an m= line as evidence, adding their first frames to `frames`.
nlohmann::ordered_json streams_evidence(const session::Model& model, const session::Call& call, std::size_t m_line,
                                        std::vector<std::uint64_t>& frames);

/// "0x1a2b3c4d" (DESIGN.md section 5).
std::string ssrc_hex(std::uint32_t ssrc);

/// The suites of the m= line's a=crypto lines, in order.
std::vector<std::string> suites_of(const session::SdpMedia& media);

/// Evidence for one SDP snapshot: frame, what carried it, sender and receiver.
nlohmann::ordered_json snapshot_json(const session::SdpSnapshot& snapshot);

/// The offer/answer transaction an SDP belongs to: CSeq number and method.
struct Transaction {
    std::uint32_t cseq = 0;
    sip::Method method = sip::Method::other;
    bool operator==(const Transaction&) const = default;
};

/// The transaction an SDP belongs to (20, INVITE): an ACK answers the INVITE with its CSeq, a
/// "200 INVITE" or "183 INVITE" belongs to that INVITE. SDP travels only in the methods
/// sip::Method names (RFC 3261, 3262, 3311), so `other` never mixes two transactions up.
Transaction transaction_of(const session::SdpSnapshot& snapshot);

/// The protection of one m= line from one event on: for an offer/answer exchange, the weaker
/// of what the offer and the answer advertised (SdpMedia::advertised()).
struct ProtectionStep {
    std::uint64_t frame = 0;  ///< where the level took effect (the answer, for SDP)
    std::size_t m_line = 0;   ///< 0-based index of the m= line
    std::uint32_t leg = 0;    ///< the call leg it was negotiated on: each hop has its own timeline
    std::string media;        ///< "audio", ...
    session::Protection level = session::Protection::none;
    std::string source;                 ///< "sdp"; ZRTP events (GoClear, failed handshake) may add their own
    std::vector<std::uint64_t> frames;  ///< evidence: the offer and answer frames for SDP
};

/// The call's protection timeline, per m= line, ordered by frame. From SDP: every answered,
/// accepted m= line of every exchange; rejected and unanswered offers change nothing
/// (RFC 3264 section 8: the old session stays), nor do m= lines disabled with port 0.
/// The model is taken so that in-band events (ZRTP handshakes bound to the call) can be
/// merged in here without changing the callers.
std::vector<ProtectionStep> protection_timeline(const session::Model& model, const session::Call& call);

/// The call's media streams that the session model bound to the m= line with this index.
std::vector<const session::MediaStream*> streams_of(const session::Model& model, const session::Call& call,
                                                    std::size_t m_line);

}  // namespace zaudit::analysis::rules
