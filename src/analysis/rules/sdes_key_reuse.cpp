// sdes.key-reuse: one SDES master key and salt protecting two streams — a two-time pad.
#include <algorithm>
#include <map>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// Where a key was used. Copies of one SDP (a retransmission, the same body forwarded by a
/// proxy, the same answer in a 183 and in the 200) share one context: the same call,
/// transaction, role (offer or answer) and m= line.
struct Context {
    const session::Call* call = nullptr;
    const session::SdpSnapshot* sdp = nullptr;  ///< the first copy seen
    std::size_t m_line = 0;
    Transaction transaction;
    bool offer = false;
    std::string suite;
};

bool same_context(const Context& x, const Context& y) {
    return x.call == y.call && x.transaction == y.transaction && x.offer == y.offer && x.m_line == y.m_line;
}

bool overlap(const session::Call& x, const session::Call& y) {
    return x.start <= y.end && y.start <= x.end;
}

/// Why two contexts of one key are a reuse, or empty when they are not. Two calls that run
/// at the same time and carry the key in the same role are one call bridged by a B2BUA that
/// passes SDES through, and a later exchange that repeats a party's key on an unchanged m= line
/// keeps the SRTP context running (RFC 4568 section 7.1.4): neither is reported.
std::string reuse_kind(const Context& x, const Context& y) {
    if (x.call != y.call) {
        if (x.offer == y.offer && overlap(*x.call, *y.call)) {
            return {};
        }
        return "two-calls";
    }
    if (x.m_line != y.m_line) {
        return "two-streams";
    }
    if (x.transaction == y.transaction) {
        return "two-directions";  // the offer and its answer carry the same key
    }
    // A later exchange. The m= line's address is where its sender receives media, so an
    // unchanged address is the same party repeating its own key for the running stream
    // (whatever its role in the new exchange); a new address is a new SRTP context that
    // RFC 4568 section 7.1.4 requires to be re-keyed, or the other party taking the key.
    if (x.sdp->media[x.m_line].rtp == y.sdp->media[y.m_line].rtp) {
        return {};
    }
    return "re-offer";
}

void report(const std::string& fingerprint, const std::vector<Context>& contexts, const std::vector<std::string>& kinds,
            FindingSink& sink) {
    const Context& first = contexts.front();
    Finding& f = sink.add(fmt::format("SDES key {} ({}) protects {} different streams ({}), first in {} (frame {})",
                                      fingerprint, first.suite, contexts.size(), fmt::join(kinds, ", "),
                                      first.sdp->carried_by, first.sdp->frame));
    f.call = first.call->id;
    f.confidence = Confidence::verified;  // equal fingerprints of the decoded key||salt
    auto uses = nlohmann::ordered_json::array();
    std::vector<std::uint64_t> frames;
    for (const Context& c : contexts) {
        nlohmann::ordered_json use = snapshot_json(*c.sdp);
        use["call"] = c.call->id;
        use["call_id"] = c.call->call_id;
        use["role"] = c.offer ? "offer" : "answer";
        use["media"] = c.sdp->media[c.m_line].media;
        use["m_line"] = c.m_line + 1;
        use["rtp"] = c.sdp->media[c.m_line].rtp.to_string();
        uses.push_back(std::move(use));
        frames.push_back(c.sdp->frame);
    }
    f.frames = first_frames(frames);
    f.evidence = {{"key_fingerprint", fingerprint}, {"suite", first.suite}, {"reuse", kinds}, {"uses", uses}};
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    // Contexts of each key, in model order (calls, then SDPs, then m= lines).
    std::vector<std::string> order;
    std::map<std::string, std::vector<Context>> by_key;
    for (const session::Call& call : model.calls) {
        for (const session::SdpSnapshot& sdp : call.sdps) {
            for (std::size_t m = 0; m < sdp.media.size(); ++m) {
                for (const session::SdesKey& key : sdp.media[m].cryptos) {
                    if (key.key_salt.empty()) {
                        continue;
                    }
                    Context context{&call, &sdp, m, transaction_of(sdp), sdp.is_offer, key.suite};
                    auto [it, inserted] = by_key.try_emplace(key.fingerprint);
                    if (inserted) {
                        order.push_back(key.fingerprint);
                    }
                    auto& contexts = it->second;
                    if (std::none_of(contexts.begin(), contexts.end(),
                                     [&](const Context& c) { return same_context(c, context); })) {
                        contexts.push_back(context);
                    }
                }
            }
        }
    }
    for (const std::string& fingerprint : order) {
        const std::vector<Context>& contexts = by_key[fingerprint];
        std::vector<std::string> kinds;
        std::vector<Context> involved;
        for (std::size_t i = 0; i < contexts.size(); ++i) {
            for (std::size_t j = i + 1; j < contexts.size(); ++j) {
                const std::string kind = reuse_kind(contexts[i], contexts[j]);
                if (kind.empty()) {
                    continue;
                }
                if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
                    kinds.push_back(kind);
                }
                for (const Context* c : {&contexts[i], &contexts[j]}) {
                    if (std::none_of(involved.begin(), involved.end(),
                                     [&](const Context& x) { return same_context(x, *c); })) {
                        involved.push_back(*c);
                    }
                }
            }
        }
        if (!kinds.empty()) {
            std::stable_sort(involved.begin(), involved.end(),
                             [](const Context& x, const Context& y) { return x.sdp->frame < y.sdp->frame; });
            report(fingerprint, involved, kinds, sink);
        }
    }
}

}  // namespace

RuleInfo sdes_key_reuse() {
    return {"sdes.key-reuse",
            Severity::high,
            "SDES key reused",
            "The same SRTP master key and salt were given to two different streams: two calls, both directions of "
            "one call, two media lines, or a re-offer that moved the stream to a new address and so restarted the "
            "SRTP context. SRTP encrypts with a keystream derived from the key, the SSRC and the packet index; "
            "when the same key meets the same index again the keystream repeats (a two-time pad), and XORing the "
            "two streams cancels the encryption without knowing the key. Packets of one stream can also be "
            "replayed into the other.",
            "Make every endpoint draw a fresh random key for every m= line, every direction and every re-offer "
            "that changes the stream (RFC 4568 requires it); check for a fixed or badly seeded key in the phone or "
            "SBC configuration, and update its firmware.",
            "RFC 3711 section 9.1; RFC 4568 sections 6.4 and 7.1.4",
            &check};
}

}  // namespace zaudit::analysis::rules
