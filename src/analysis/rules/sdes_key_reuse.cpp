// sdes.key-reuse: one SDES master key and salt protecting two streams — a two-time pad.
#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

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

    [[nodiscard]] auto identity() const {
        return std::tuple{call->id, transaction.cseq, transaction.method, offer, m_line};
    }
};

/// The kinds of reuse, in the order the evidence lists them.
enum class Reuse : std::uint8_t { two_calls, two_streams, two_directions, re_offer, count_ };
constexpr std::array<const char*, static_cast<std::size_t>(Reuse::count_)> reuse_names{"two-calls", "two-streams",
                                                                                       "two-directions", "re-offer"};

/// The contexts of one key that take part in a reuse, and of which kinds. Two contexts are a
/// reuse when:
/// - two-calls: they are in different calls, unless both carry the key in the same role and
///   the calls run at the same time (one call bridged by a B2BUA that passes SDES through);
/// - two-streams: one call, different m= lines;
/// - two-directions: one call, m= line and transaction, the offer and its answer;
/// - re-offer: one call and m= line, another transaction, and the m= line moved to a new
///   address. An unchanged address is the same party repeating its own key for the running
///   stream, which keeps the SRTP context (RFC 4568 section 7.1.4).
/// Each test counts, per context, the partners it has: linear in the contexts (with logarithmic
/// maps), where comparing every pair made a flood of INVITEs with one static key quadratic.
class ReuseFinder {
public:
    explicit ReuseFinder(const std::vector<Context>& contexts) : m_contexts{contexts}, m_involved(contexts.size()) {
        across_calls();
        std::map<std::uint32_t, std::vector<std::size_t>> by_call;
        for (std::size_t i = 0; i < contexts.size(); ++i) {
            by_call[contexts[i].call->id].push_back(i);
        }
        for (const auto& [call, members] : by_call) {
            within_call(members);
        }
    }

    [[nodiscard]] std::vector<std::string> kinds() const {
        std::vector<std::string> names;
        for (std::size_t k = 0; k < m_kinds.size(); ++k) {
            if (m_kinds[k]) {
                names.emplace_back(reuse_names[k]);
            }
        }
        return names;
    }
    [[nodiscard]] std::vector<const Context*> involved() const {
        std::vector<const Context*> out;
        for (std::size_t i = 0; i < m_contexts.size(); ++i) {
            if (m_involved[i]) {
                out.push_back(&m_contexts[i]);
            }
        }
        return out;
    }

private:
    void mark(std::size_t i, Reuse kind) {
        m_involved[i] = true;
        m_kinds[static_cast<std::size_t>(kind)] = true;
    }

    /// A context has a two-calls partner when another call carries the key in the other role,
    /// or in its role at a time that does not overlap its own call: the calls whose interval
    /// ends first and starts last (the two of each, so that one can be the context's own) tell.
    void across_calls() {
        struct Extremes {
            std::set<std::uint32_t> calls;
            std::vector<const session::Call*> earliest_end;  ///< two calls, ascending end
            std::vector<const session::Call*> latest_start;  ///< two calls, descending start
        };
        std::array<Extremes, 2> by_role;  // [offer]
        for (const Context& c : m_contexts) {
            Extremes& e = by_role[c.offer ? 1 : 0];
            if (!e.calls.insert(c.call->id).second) {
                continue;
            }
            keep_two(e.earliest_end, c.call, [](const auto* x, const auto* y) { return x->end < y->end; });
            keep_two(e.latest_start, c.call, [](const auto* x, const auto* y) { return x->start > y->start; });
        }
        for (std::size_t i = 0; i < m_contexts.size(); ++i) {
            const Context& c = m_contexts[i];
            const Extremes& other_role = by_role[c.offer ? 0 : 1];
            const Extremes& same_role = by_role[c.offer ? 1 : 0];
            const bool other_role_elsewhere =
                other_role.calls.size() > 1 || (other_role.calls.size() == 1 && !other_role.calls.contains(c.call->id));
            const auto first_other = [&](const std::vector<const session::Call*>& two) -> const session::Call* {
                for (const auto* call : two) {
                    if (call != c.call) {
                        return call;
                    }
                }
                return nullptr;
            };
            const session::Call* ends_first = first_other(same_role.earliest_end);
            const session::Call* starts_last = first_other(same_role.latest_start);
            const bool apart = (ends_first != nullptr && ends_first->end < c.call->start) ||
                               (starts_last != nullptr && starts_last->start > c.call->end);
            if (other_role_elsewhere || apart) {
                mark(i, Reuse::two_calls);
            }
        }
    }

    template <typename Before>
    static void keep_two(std::vector<const session::Call*>& two, const session::Call* call, Before before) {
        two.push_back(call);
        std::sort(two.begin(), two.end(), before);
        if (two.size() > 2) {
            two.pop_back();
        }
    }

    void within_call(const std::vector<std::size_t>& members) {
        std::map<std::size_t, std::vector<std::size_t>> by_line;
        for (const std::size_t i : members) {
            by_line[m_contexts[i].m_line].push_back(i);
        }
        if (by_line.size() > 1) {
            for (const std::size_t i : members) {
                mark(i, Reuse::two_streams);
            }
        }
        for (const auto& [line, on_line] : by_line) {
            // two-directions: an offer and an answer of one transaction.
            std::map<std::pair<std::uint32_t, sip::Method>, std::array<bool, 2>> roles;
            // re-offer: partners with another transaction and another address, by inclusion-exclusion.
            std::map<std::pair<std::uint32_t, sip::Method>, std::size_t> per_transaction;
            std::map<util::Endpoint, std::size_t> per_address;
            std::map<std::tuple<std::uint32_t, sip::Method, util::Endpoint>, std::size_t> per_both;
            for (const std::size_t i : on_line) {
                const Context& c = m_contexts[i];
                const auto transaction = std::pair{c.transaction.cseq, c.transaction.method};
                const util::Endpoint& address = c.sdp->media[c.m_line].rtp;
                roles[transaction][c.offer ? 1 : 0] = true;
                ++per_transaction[transaction];
                ++per_address[address];
                ++per_both[std::tuple{transaction.first, transaction.second, address}];
            }
            for (const std::size_t i : on_line) {
                const Context& c = m_contexts[i];
                const auto transaction = std::pair{c.transaction.cseq, c.transaction.method};
                const util::Endpoint& address = c.sdp->media[c.m_line].rtp;
                if (roles[transaction][0] && roles[transaction][1]) {
                    mark(i, Reuse::two_directions);
                }
                const std::size_t elsewhere = on_line.size() - per_transaction[transaction] - per_address[address] +
                                              per_both[std::tuple{transaction.first, transaction.second, address}];
                if (elsewhere > 0) {
                    mark(i, Reuse::re_offer);
                }
            }
        }
    }

    const std::vector<Context>& m_contexts;
    std::vector<bool> m_involved;
    std::array<bool, static_cast<std::size_t>(Reuse::count_)> m_kinds{};
};

/// What summarised dialogs (session::SummarisedDialogs) add to a key's reuse.
struct SummarisedUses {
    const session::SummarisedKey* key = nullptr;
    std::string suite;
};

void report(const std::string& fingerprint, std::vector<const Context*> contexts, std::vector<std::string> kinds,
            const SummarisedUses& summarised, FindingSink& sink) {
    std::stable_sort(contexts.begin(), contexts.end(),
                     [](const Context* x, const Context* y) { return x->sdp->frame < y->sdp->frame; });
    const std::uint64_t dialogs = summarised.key != nullptr ? summarised.key->dialogs : 0;
    const std::uint64_t uses = contexts.size() + dialogs;
    const std::string& suite = contexts.empty() ? summarised.suite : contexts.front()->suite;
    const std::uint64_t first_frame = contexts.empty() ? summarised.key->first_frame
                                      : summarised.key != nullptr
                                          ? std::min(contexts.front()->sdp->frame, summarised.key->first_frame)
                                          : contexts.front()->sdp->frame;
    const std::string first_in = !contexts.empty() && contexts.front()->sdp->frame == first_frame
                                     ? fmt::format("{} (frame {})", contexts.front()->sdp->carried_by, first_frame)
                                     : fmt::format("frame {}", first_frame);
    Finding& f =
        sink.add(fmt::format("SDES key {} ({}) protects {} different streams ({}), first in {}{}", fingerprint, suite,
                             uses, fmt::join(kinds, ", "), first_in,
                             dialogs > 0 ? fmt::format("; {} of them offered by dialogs that never got a final "
                                                       "response (summarised)",
                                                       dialogs)
                                         : std::string{}));
    if (!contexts.empty()) {
        f.call = contexts.front()->call->id;
    }
    f.confidence = Confidence::verified;  // equal fingerprints of the decoded key||salt
    f.count = uses;
    std::vector<std::uint64_t> frames;
    for (std::size_t i = 0; i < std::min(contexts.size(), max_examples); ++i) {
        const Context& c = *contexts[i];
        nlohmann::ordered_json use = snapshot_json(*c.sdp);
        use["call"] = c.call->id;
        use["call_id"] = c.call->call_id;
        use["role"] = c.offer ? "offer" : "answer";
        use["media"] = c.sdp->media[c.m_line].media;
        use["m_line"] = c.m_line + 1;
        use["rtp"] = c.sdp->media[c.m_line].rtp.to_string();
        f.examples.push_back(std::move(use));
        frames.push_back(c.sdp->frame);
    }
    if (dialogs > 0 && f.examples.size() < max_examples) {
        f.examples.push_back(
            {{"frame", summarised.key->first_frame}, {"call", nullptr}, {"summarised_dialogs", dialogs}});
        frames.push_back(summarised.key->first_frame);
    }
    std::sort(frames.begin(), frames.end());
    f.frames = first_frames(frames);
    f.evidence = {{"key_fingerprint", fingerprint}, {"suite", suite}, {"reuse", std::move(kinds)}};
}

/// Whether the summarised dialogs that offered a key reuse it: among themselves (two that do not
/// overlap in time; overlapping ones may be one call bridged by a B2BUA), or with the calls kept
/// whole (any answer, or a call apart from them in time).
bool summarised_reuse(const session::SummarisedKey& key, const std::vector<Context>* kept) {
    if (key.dialogs >= 2 && key.earliest_end < key.latest_start) {
        return true;
    }
    if (kept == nullptr) {
        return false;
    }
    return std::any_of(kept->begin(), kept->end(), [&](const Context& c) {
        return !c.offer || c.call->end < key.latest_start || c.call->start > key.earliest_end;
    });
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    // Contexts of each key, in model order (calls, then SDPs, then m= lines), one per context.
    std::vector<std::string> order;
    std::map<std::string, std::vector<Context>> by_key;
    std::map<std::string, std::set<decltype(std::declval<Context>().identity())>> seen;
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
                    if (seen[key.fingerprint].insert(context.identity()).second) {
                        it->second.push_back(std::move(context));
                    }
                }
            }
        }
    }
    // Keys of summarised dialogs that can be a reuse (offered by two dialogs apart in time, or
    // also by a call kept whole), in the order they were first offered (the map has none). A
    // flood of distinct keys has none of them: nothing is built per key it offered.
    const session::SummarisedDialogs& summarised = model.summarised;
    std::set<std::uint64_t> kept_numbers;
    for (const auto& [fingerprint, contexts] : by_key) {
        std::uint64_t number = 0;
        const auto [end, ec] = std::from_chars(fingerprint.data(), fingerprint.data() + fingerprint.size(), number, 16);
        if (ec == std::errc{} && end == fingerprint.data() + fingerprint.size()) {
            kept_numbers.insert(number);
        }
    }
    std::map<std::string, SummarisedUses> summarised_by_key;
    std::vector<std::pair<std::uint64_t, std::string>> summarised_only;
    for (const auto& [number, key] : summarised.keys) {
        const bool kept = kept_numbers.contains(number);
        if (!kept && !summarised_reuse(key, nullptr)) {
            continue;
        }
        std::string fingerprint = fmt::format("{:016x}", number);
        const std::string suite = key.suite < summarised.suites.size() ? summarised.suites[key.suite] : std::string{};
        summarised_by_key[fingerprint] = SummarisedUses{&key, suite};
        if (!kept) {
            summarised_only.emplace_back(key.first_frame, std::move(fingerprint));
        }
    }
    std::sort(summarised_only.begin(), summarised_only.end());
    for (auto& [frame, fingerprint] : summarised_only) {
        order.push_back(std::move(fingerprint));
    }

    for (const std::string& fingerprint : order) {
        const auto kept = by_key.find(fingerprint);
        const auto extra = summarised_by_key.find(fingerprint);
        std::vector<std::string> kinds;
        std::vector<const Context*> involved;
        if (kept != by_key.end() && kept->second.size() >= 2) {
            const ReuseFinder finder{kept->second};
            kinds = finder.kinds();
            involved = finder.involved();
        }
        SummarisedUses with_summarised;
        if (extra != summarised_by_key.end() &&
            summarised_reuse(*extra->second.key, kept != by_key.end() ? &kept->second : nullptr)) {
            with_summarised = extra->second;
            if (std::find(kinds.begin(), kinds.end(), "two-calls") == kinds.end()) {
                kinds.insert(kinds.begin(), "two-calls");
            }
            if (kept != by_key.end() && involved.size() < kept->second.size()) {
                involved.clear();  // every kept use is another call than the summarised ones
                for (const Context& c : kept->second) {
                    involved.push_back(&c);
                }
            }
        }
        if (!kinds.empty()) {
            report(fingerprint, std::move(involved), std::move(kinds), with_summarised, sink);
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
