// sdp.security-stripped: a security attribute disappeared between two copies of a dialog's SDP.
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// The attributes this rule watches, and whether an m= line has each.
struct Attribute {
    const char* name;
    bool (*present)(const session::SdpMedia&);
};

constexpr Attribute k_attributes[] = {
    {"crypto", [](const session::SdpMedia& m) { return !m.cryptos.empty(); }},
    {"zrtp-hash", [](const session::SdpMedia& m) { return !m.zrtp_hashes.empty(); }},
    {"fingerprint", [](const session::SdpMedia& m) { return !m.fingerprints.empty(); }},
};

/// Reports every attribute an accepted m= line of `before` had and the same m= line of
/// `after` lost. `seen_as` says how the two SDPs relate ("two hops", "re-offer").
void compare(const session::Call& call, const session::SdpSnapshot& before, const session::SdpSnapshot& after,
             const char* seen_as, FindingSink& sink) {
    for (std::size_t m = 0; m < std::min(before.media.size(), after.media.size()); ++m) {
        const session::SdpMedia& was = before.media[m];
        const session::SdpMedia& now = after.media[m];
        if (!accepted(was) || !accepted(now)) {
            continue;  // a stream being removed takes its attributes with it
        }
        for (const Attribute& attribute : k_attributes) {
            if (!attribute.present(was) || attribute.present(now)) {
                continue;
            }
            Finding& f =
                sink.add(fmt::format("a={} of {} was in {} (frame {}, from {}) but is gone in {} (frame {}, "
                                     "from {}): {}",
                                     attribute.name, was.media, before.carried_by, before.frame, before.sender,
                                     after.carried_by, after.frame, after.sender, seen_as));
            f.call = call.id;
            f.confidence = Confidence::verified;  // both SDPs were read and compared
            f.frames = {before.frame, after.frame};
            f.evidence = {{"attribute", attribute.name},
                          {"media", was.media},
                          {"m_line", m + 1},
                          {"seen_as", seen_as},
                          {"frame_before", before.frame},
                          {"frame_after", after.frame},
                          {"before", snapshot_json(before)},
                          {"after", snapshot_json(after)}};
        }
    }
}

/// The same SDP forwarded by a hop: the same CSeq and message type, from another sender, and
/// not travelling back to where the earlier copy came from (each party numbers its own CSeq,
/// so the other party's re-INVITE can carry the same number). Each copy is compared with the
/// nearest earlier one.
void hop_copies(const session::Call& call, FindingSink& sink) {
    // The earlier SDPs of each CSeq and message type: a dialog that re-offers thousands of times
    // must not make every SDP look back through all the others.
    std::map<std::pair<std::uint32_t, std::string_view>, std::vector<std::size_t>> earlier_of;
    for (std::size_t i = 0; i < call.sdps.size(); ++i) {
        const session::SdpSnapshot& later = call.sdps[i];
        std::vector<std::size_t>& same_message = earlier_of[{later.cseq, later.carried_by}];
        for (std::size_t k = same_message.size(); k-- > 0;) {
            const session::SdpSnapshot& earlier = call.sdps[same_message[k]];
            if (earlier.sender != later.sender && later.receiver.address != earlier.sender.address) {
                compare(call, earlier, later, "two hops", sink);
                break;  // the nearest earlier copy: each hop is compared with the one before it
            }
        }
        same_message.push_back(i);
    }
}

/// A re-offer compared with the latest earlier SDP from the same sender (its previous offer or
/// answer): a party that had security and offers without it has dropped it, while an offer
/// from the other party that never had it is no loss.
void re_offers(const session::Call& call, FindingSink& sink) {
    for (std::size_t e = 1; e < call.exchanges.size(); ++e) {
        const session::SdpSnapshot& offer = call.sdps[call.exchanges[e].offer];
        for (std::size_t p = e; p-- > 0;) {
            const session::OfferAnswer& previous = call.exchanges[p];
            const session::SdpSnapshot* earlier = nullptr;
            if (previous.answer && call.sdps[*previous.answer].sender == offer.sender) {
                earlier = &call.sdps[*previous.answer];
            } else if (call.sdps[previous.offer].sender == offer.sender) {
                earlier = &call.sdps[previous.offer];
            }
            if (earlier != nullptr) {
                compare(call, *earlier, offer, "re-offer", sink);
                break;
            }
        }
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        hop_copies(call, sink);
        re_offers(call, sink);
    }
}

}  // namespace

RuleInfo sdp_security_stripped() {
    return {"sdp.security-stripped",
            Severity::high,
            "Security attributes removed from SDP",
            "The same session description, seen at two points of the path (before and after a proxy or SBC) or in "
            "two successive offers of one call, lost an a=crypto, a=zrtp-hash or a=fingerprint line that it had. "
            "Something between the endpoints, or one endpoint on a re-offer, removed the media security: the "
            "classic way to downgrade a call to plain RTP or to prevent ZRTP from detecting a man in the middle. "
            "Whoever strips a=zrtp-hash can then stand in the ZRTP exchange unnoticed unless the users compare "
            "the SAS.",
            "Find the hop that removes the attributes (the addresses are in the evidence) and configure it to pass "
            "them through or to terminate SRTP properly; if nothing should change the SDP there, treat it as an "
            "attack. Make endpoints require SRTP so a stripped offer fails instead of running in clear.",
            "RFC 4568 section 8; RFC 6189 section 8.1.1; RFC 5763 section 7",
            &check};
}

}  // namespace zaudit::analysis::rules
