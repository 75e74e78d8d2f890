// zrtp.zid-conflict: ZIDs that do not identify one endpoint each.
#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "rules.hpp"
#include "zaudit/session/zid_ledger.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// One Hello (or Commit) in the model, with where it came from.
struct ZidUse {
    const session::ZrtpHandshake* handshake = nullptr;
    const session::ZrtpMessageRecord* record = nullptr;
    zrtp::Zid zid{};
    std::string client_id;
};

std::vector<ZidUse> hellos_of(const session::Model& model) {
    std::vector<ZidUse> uses;
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        for (const session::ZrtpMessageRecord& record : handshake.messages) {
            if (const zrtp::Hello* hello = record.message.hello()) {
                uses.push_back({&handshake, &record, hello->zid, std::string{util::trim_padding(hello->client_id)}});
            }
        }
    }
    return uses;
}

nlohmann::ordered_json use_json(const ZidUse& use) {
    return {{"handshake", use.handshake->id},
            {"frame", use.record->frame},
            {"endpoint", use.record->src.to_string()},
            {"client_id", use.client_id},
            {"zid", zid_hex(use.zid)}};
}

void add(const StreamsByFlow& streams, FindingSink& sink, const ZidUse& x, const ZidUse& y, const char* kind,
         std::string message) {
    Finding& f = add_handshake_finding(streams, sink, *y.handshake, std::move(message));
    f.confidence = Confidence::verified;  // both ZIDs are read from the wire
    f.frames = {x.record->frame, y.record->frame};
    f.evidence["kind"] = kind;
    f.evidence["first"] = use_json(x);
    f.evidence["second"] = use_json(y);
}

// The three comparisons below look at pairs of uses, and report pairs in the order of their
// positions in `uses` (first, then second), as a loop over all pairs would. They compare only
// within groups of uses that can pair (one handshake, one ZID, one endpoint in one call): over
// all pairs of a capture's Hellos they took most of the audit's time from a few thousand ZRTP
// calls on (bench/README.md, "Rules in time linear in the calls").
using Pair = std::pair<std::size_t, std::size_t>;  ///< positions in `uses`, first < second

/// Positions of `uses` grouped by `key_of(use)`, each group in ascending position, the groups in
/// key order; uses whose key is std::nullopt are left out.
template <class KeyOf>
std::vector<std::vector<std::size_t>> groups_of(const std::vector<ZidUse>& uses, KeyOf key_of) {
    using Key = typename std::invoke_result_t<KeyOf, const ZidUse&>::value_type;
    std::vector<std::pair<Key, std::size_t>> keyed;
    for (std::size_t i = 0; i < uses.size(); ++i) {
        if (auto key = key_of(uses[i])) {
            keyed.emplace_back(std::move(*key), i);
        }
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < keyed.size(); ++i) {
        if (i == 0 || keyed[i].first != keyed[i - 1].first) {
            groups.emplace_back();
        }
        groups.back().push_back(keyed[i].second);
    }
    return groups;
}

/// Equal ZIDs in the two Hellos of one handshake (RFC 6189 section 5.9 code 0x90). hellos_of
/// lists each handshake's uses together, so only the rest of its block can pair with a use.
void equal_in_handshake(const StreamsByFlow& streams, FindingSink& sink, const std::vector<ZidUse>& uses) {
    for (std::size_t i = 0; i < uses.size(); ++i) {
        const ZidUse& x = uses[i];
        for (std::size_t j = i + 1; j < uses.size() && uses[j].handshake == x.handshake; ++j) {
            const ZidUse& y = uses[j];
            if (x.record->src != y.record->src && x.zid == y.zid) {
                add(streams, sink, x, y, "equal_zids_in_handshake",
                    fmt::format("ZRTP handshake {}: both ends ({} and {}) use ZID {}", x.handshake->id, x.record->src,
                                y.record->src, zid_hex(x.zid)));
            }
        }
    }
}

/// Two uses of one ZID that can be one endpoint's: same handshake, same address or same client.
bool one_endpoint(const ZidUse& x, const ZidUse& y) {
    return x.handshake == y.handshake || x.record->src.address == y.record->src.address || x.client_id == y.client_id;
}

/// The first pair (by position) of one ZID's uses, `group`, that no single endpoint explains.
/// Only a group with more than one address and more than one client can hold one (pairs of
/// address and client of which any two share one of them all share one address or one client),
/// so the pairs are looked at only then. Whether two uses pair depends only on their address,
/// client and handshake, so of the uses with one address and client only the first and the first
/// of another handshake are looked at: a later one pairs only where one of those two pairs
/// earlier. What is left is quadratic only in the distinct (address, client) of one ZID.
std::optional<Pair> first_unexplained(const std::vector<ZidUse>& uses, const std::vector<std::size_t>& group) {
    const auto differ = [&](auto field) {
        return std::any_of(group.begin(), group.end(),
                           [&](std::size_t i) { return field(uses[i]) != field(uses[group.front()]); });
    };
    if (!differ([](const ZidUse& use) -> const util::IpAddress& { return use.record->src.address; }) ||
        !differ([](const ZidUse& use) -> const std::string& { return use.client_id; })) {
        return std::nullopt;
    }
    std::map<std::pair<util::IpAddress, std::string>, std::vector<std::size_t>> by_endpoint;
    std::vector<std::size_t> kept;
    for (const std::size_t i : group) {
        auto& seen = by_endpoint[{uses[i].record->src.address, uses[i].client_id}];
        if (seen.empty() || (seen.size() == 1 && uses[seen.front()].handshake != uses[i].handshake)) {
            seen.push_back(i);
            kept.push_back(i);
        }
    }
    for (std::size_t a = 0; a < kept.size(); ++a) {
        for (std::size_t b = a + 1; b < kept.size(); ++b) {
            if (!one_endpoint(uses[kept[a]], uses[kept[b]])) {
                return Pair{kept[a], kept[b]};
            }
        }
    }
    return std::nullopt;
}

/// One ZID from two endpoints that share neither address nor client: two devices, one identity.
/// Reported once per ZID, for its first such pair.
void shared_across_endpoints(const StreamsByFlow& streams, FindingSink& sink, const std::vector<ZidUse>& uses) {
    std::vector<Pair> pairs;
    for (const auto& group : groups_of(uses, [](const ZidUse& use) { return std::optional{use.zid}; })) {
        if (const auto pair = first_unexplained(uses, group)) {
            pairs.push_back(*pair);
        }
    }
    std::sort(pairs.begin(), pairs.end());
    for (const auto& [i, j] : pairs) {
        const ZidUse& x = uses[i];
        const ZidUse& y = uses[j];
        add(streams, sink, x, y, "zid_used_by_two_endpoints",
            fmt::format("ZID {} is used by {} ('{}') and {} ('{}')", zid_hex(x.zid), x.record->src, x.client_id,
                        y.record->src, y.client_id));
    }
}

/// One endpoint (address and port) whose ZID changes between handshakes of one call, or
/// between its Hello and its Commit. The pairs are those of one endpoint's Hellos within one
/// call: a few (retransmissions fold into one message).
void changed_within_call(const StreamsByFlow& streams, FindingSink& sink, const std::vector<ZidUse>& uses) {
    std::vector<Pair> pairs;
    const auto endpoint_in_call = [](const ZidUse& use) {
        return use.handshake->call ? std::optional{std::pair{*use.handshake->call, use.record->src}} : std::nullopt;
    };
    for (const auto& group : groups_of(uses, endpoint_in_call)) {
        for (std::size_t a = 0; a < group.size(); ++a) {
            for (std::size_t b = a + 1; b < group.size(); ++b) {
                const ZidUse& x = uses[group[a]];
                const ZidUse& y = uses[group[b]];
                if (x.handshake != y.handshake && x.zid != y.zid) {
                    pairs.emplace_back(group[a], group[b]);
                }
            }
        }
    }
    std::sort(pairs.begin(), pairs.end());
    for (const auto& [i, j] : pairs) {
        const ZidUse& x = uses[i];
        const ZidUse& y = uses[j];
        add(streams, sink, x, y, "zid_changed_within_call",
            fmt::format("{} changed its ZID within call {}: {} (handshake {}) then {} (handshake {})", x.record->src,
                        *x.handshake->call, zid_hex(x.zid), x.handshake->id, zid_hex(y.zid), y.handshake->id));
    }
    for (const ZidUse& hello : uses) {
        const session::ZrtpMessageRecord* commit = hello.handshake->find(zrtp::MessageType::commit, &hello.record->src);
        if (commit == nullptr || commit->message.commit() == nullptr || commit->message.commit()->zid == hello.zid) {
            continue;
        }
        ZidUse other{hello.handshake, commit, commit->message.commit()->zid, hello.client_id};
        add(streams, sink, hello, other, "commit_zid_differs_from_hello",
            fmt::format("ZRTP handshake {}: {} sent ZID {} in its Hello and {} in its Commit", hello.handshake->id,
                        hello.record->src, zid_hex(hello.zid), zid_hex(other.zid)));
    }
}

/// Against the ledger of earlier runs (--ledger): a known identity with a new ZID (the ZRTP
/// cache was lost, the device replaced, or someone else answers), or a known ZID under
/// another identity (a ZID copied, or one device answering for several).
void against_ledger(const session::Model& model, FindingSink& sink) {
    if (!model.ledger_used) {
        return;
    }
    // The known entries (pending ones were seen before in conflict, never accepted: not trusted)
    // by identity and by ZID, each in ledger order: looked up for each ZID seen, not scanned.
    std::map<std::string_view, std::vector<const session::LedgerEntry*>> by_identity;
    std::map<std::string_view, std::vector<const session::LedgerEntry*>> by_zid;
    for (const session::LedgerEntry& entry : model.ledger) {
        if (!entry.pending) {
            by_identity[entry.identity].push_back(&entry);
            by_zid[entry.zid].push_back(&entry);
        }
    }
    const auto first_where = [](const auto& index, const std::string& key, auto&& wanted) {
        const auto it = index.find(key);
        if (it == index.end()) {
            return static_cast<const session::LedgerEntry*>(nullptr);
        }
        const auto found = std::find_if(it->second.begin(), it->second.end(), wanted);
        return found == it->second.end() ? nullptr : *found;
    };
    for (const session::LedgerEntry& seen : session::observed_zids(model)) {
        const bool known =
            first_where(by_identity, seen.identity, [&](const auto* e) { return e->zid == seen.zid; }) != nullptr;
        const session::LedgerEntry* other_zid =
            first_where(by_identity, seen.identity, [&](const auto* e) { return e->zid != seen.zid; });
        const session::LedgerEntry* other_identity =
            first_where(by_zid, seen.zid, [&](const auto* e) { return e->identity != seen.identity; });
        if (known || (other_zid == nullptr && other_identity == nullptr)) {
            continue;
        }
        const bool changed = other_zid != nullptr;
        const session::LedgerEntry& before = changed ? *other_zid : *other_identity;
        Finding& f =
            sink.add(changed ? fmt::format("{} now uses ZID {}, but the ledger knows it with ZID {} (since {})",
                                           seen.identity, seen.zid, before.zid, before.first_seen)
                             : fmt::format("ZID {} now appears for {}, but the ledger knows it for {} (since {})",
                                           seen.zid, seen.identity, before.identity, before.first_seen));
        f.confidence = Confidence::inferred;
        f.evidence = {{"kind", changed ? "zid_changed_since_ledger" : "zid_moved_since_ledger"},
                      {"identity", seen.identity},
                      {"zid", seen.zid},
                      {"client_id", seen.client_id},
                      {"seen_at", seen.first_seen},
                      {"ledger_identity", before.identity},
                      {"ledger_zid", before.zid},
                      {"ledger_first_seen", before.first_seen}};
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const std::vector<ZidUse> uses = hellos_of(model);
    const StreamsByFlow streams = streams_by_flow(model);
    equal_in_handshake(streams, sink, uses);
    shared_across_endpoints(streams, sink, uses);
    changed_within_call(streams, sink, uses);
    against_ledger(model, sink);
}

}  // namespace

RuleInfo zrtp_zid_conflict() {
    return {"zrtp.zid-conflict",
            Severity::high,
            "ZRTP ZID conflict",
            "A ZID is the long-lived identity of a ZRTP endpoint: it selects the cached shared secrets that "
            "protect later calls against a man-in-the-middle. Here ZIDs do not identify one endpoint each: both "
            "ends of a handshake use the same ZID (an endpoint talking to itself, or a relay echoing the peer's "
            "Hello), the same ZID comes from two endpoints with different addresses and client software (a cloned "
            "identity), or one endpoint's ZID changed within a call (another party took over its address).",
            "Find the endpoints in the evidence; regenerate the ZID of cloned installations (copied configuration "
            "or images), and treat a ZID that changes within a call as interception until explained.",
            "RFC 6189 sections 4.9 and 5.9",
            &check};
}

}  // namespace zaudit::analysis::rules
