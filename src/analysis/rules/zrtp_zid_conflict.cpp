// zrtp.zid-conflict: ZIDs that do not identify one endpoint each.
#include <algorithm>

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

void add(const session::Model& model, FindingSink& sink, const ZidUse& x, const ZidUse& y, const char* kind,
         std::string message) {
    Finding& f = add_handshake_finding(model, sink, *y.handshake, std::move(message));
    f.confidence = Confidence::verified;  // both ZIDs are read from the wire
    f.frames = {x.record->frame, y.record->frame};
    f.evidence["kind"] = kind;
    f.evidence["first"] = use_json(x);
    f.evidence["second"] = use_json(y);
}

/// Equal ZIDs in the two Hellos of one handshake (RFC 6189 section 5.9 code 0x90).
void equal_in_handshake(const session::Model& model, FindingSink& sink, const std::vector<ZidUse>& uses) {
    for (std::size_t i = 0; i < uses.size(); ++i) {
        for (std::size_t j = i + 1; j < uses.size(); ++j) {
            const ZidUse& x = uses[i];
            const ZidUse& y = uses[j];
            if (x.handshake == y.handshake && x.record->src != y.record->src && x.zid == y.zid) {
                add(model, sink, x, y, "equal_zids_in_handshake",
                    fmt::format("ZRTP handshake {}: both ends ({} and {}) use ZID {}", x.handshake->id, x.record->src,
                                y.record->src, zid_hex(x.zid)));
            }
        }
    }
}

/// One ZID from two endpoints that share neither address nor client: two devices, one identity.
void shared_across_endpoints(const session::Model& model, FindingSink& sink, const std::vector<ZidUse>& uses) {
    std::vector<zrtp::Zid> reported;
    for (std::size_t i = 0; i < uses.size(); ++i) {
        for (std::size_t j = i + 1; j < uses.size(); ++j) {
            const ZidUse& x = uses[i];
            const ZidUse& y = uses[j];
            if (x.handshake == y.handshake || x.zid != y.zid || x.record->src.address == y.record->src.address ||
                x.client_id == y.client_id || std::find(reported.begin(), reported.end(), x.zid) != reported.end()) {
                continue;
            }
            reported.push_back(x.zid);
            add(model, sink, x, y, "zid_used_by_two_endpoints",
                fmt::format("ZID {} is used by {} ('{}') and {} ('{}')", zid_hex(x.zid), x.record->src, x.client_id,
                            y.record->src, y.client_id));
        }
    }
}

/// One endpoint (address and port) whose ZID changes between handshakes of one call, or
/// between its Hello and its Commit.
void changed_within_call(const session::Model& model, FindingSink& sink, const std::vector<ZidUse>& uses) {
    for (std::size_t i = 0; i < uses.size(); ++i) {
        for (std::size_t j = i + 1; j < uses.size(); ++j) {
            const ZidUse& x = uses[i];
            const ZidUse& y = uses[j];
            if (x.handshake == y.handshake || !x.handshake->call || x.handshake->call != y.handshake->call ||
                x.record->src != y.record->src || x.zid == y.zid) {
                continue;
            }
            add(model, sink, x, y, "zid_changed_within_call",
                fmt::format("{} changed its ZID within call {}: {} (handshake {}) then {} (handshake {})",
                            x.record->src, *x.handshake->call, zid_hex(x.zid), x.handshake->id, zid_hex(y.zid),
                            y.handshake->id));
        }
    }
    for (const ZidUse& hello : uses) {
        const session::ZrtpMessageRecord* commit = hello.handshake->find(zrtp::MessageType::commit, &hello.record->src);
        if (commit == nullptr || commit->message.commit() == nullptr || commit->message.commit()->zid == hello.zid) {
            continue;
        }
        ZidUse other{hello.handshake, commit, commit->message.commit()->zid, hello.client_id};
        add(model, sink, hello, other, "commit_zid_differs_from_hello",
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
    for (const session::LedgerEntry& seen : session::observed_zids(model)) {
        std::vector<const session::LedgerEntry*> other_zid;
        std::vector<const session::LedgerEntry*> other_identity;
        bool known = false;
        for (const session::LedgerEntry& entry : model.ledger) {
            if (entry.pending) {
                continue;  // seen before in conflict, never accepted: not trusted
            }
            known = known || (entry.zid == seen.zid && entry.identity == seen.identity);
            if (entry.identity == seen.identity && entry.zid != seen.zid) {
                other_zid.push_back(&entry);
            }
            if (entry.zid == seen.zid && entry.identity != seen.identity) {
                other_identity.push_back(&entry);
            }
        }
        if (known || (other_zid.empty() && other_identity.empty())) {
            continue;
        }
        const bool changed = !other_zid.empty();
        const session::LedgerEntry& before = changed ? *other_zid.front() : *other_identity.front();
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
    equal_in_handshake(model, sink, uses);
    shared_across_endpoints(model, sink, uses);
    changed_within_call(model, sink, uses);
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
