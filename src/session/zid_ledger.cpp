#include "zaudit/session/zid_ledger.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "zaudit/session/model.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::session {
namespace {

/// The SIP identity of the side of `call` that announced `endpoint` in its SDP.
std::string identity_of(const Model& model, const ZrtpHandshake& handshake, const util::Endpoint& endpoint) {
    if (const Call* bound = handshake.call ? model.call(*handshake.call) : nullptr) {
        const Call& call = *bound;
        for (const auto& sdp : call.sdps) {
            const bool announced =
                std::any_of(sdp.media.begin(), sdp.media.end(), [&](const SdpMedia& m) { return m.rtp == endpoint; });
            if (announced) {
                // The offerer of an INVITE is the caller (From); the answerer the callee (To).
                const bool caller =
                    sdp.status == 0 && (sdp.method == sip::Method::invite || sdp.method == sip::Method::ack);
                return caller ? call.from : call.to;
            }
        }
    }
    return "ip:" + endpoint.address.to_string();
}

}  // namespace

util::Expected<std::vector<LedgerEntry>> load_ledger(const std::string& path) {
    std::vector<LedgerEntry> entries;
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT) {
            return entries;
        }
        return util::Error{fmt::format("{}: {}", path, std::strerror(errno))};
    }
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        std::istringstream fields(line);
        LedgerEntry entry;
        std::getline(fields, entry.zid, '\t');
        std::getline(fields, entry.identity, '\t');
        std::getline(fields, entry.client_id, '\t');
        std::getline(fields, entry.first_seen, '\t');
        std::string status;
        std::getline(fields, status, '\t');
        entry.pending = status == "pending";
        if (entry.zid.size() != 24 || !util::from_hex(entry.zid) || entry.identity.empty() ||
            !(status.empty() || status == "known" || status == "pending")) {
            return util::Error{fmt::format(
                "{}:{}: not a ledger line (ZID<TAB>IDENTITY<TAB>CLIENT<TAB>TIME[<TAB>known|pending])", path, number)};
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

util::Status save_ledger(const std::string& path, std::vector<LedgerEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](const LedgerEntry& x, const LedgerEntry& y) {
        return std::tie(x.identity, x.zid, x.first_seen) < std::tie(y.identity, y.zid, y.first_seen);
    });
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << "# zaudit ZID ledger: ZID, identity, ZRTP client, first seen (capture time), known|pending\n";
        for (const auto& e : entries) {
            out << e.zid << '\t' << e.identity << '\t' << e.client_id << '\t' << e.first_seen << '\t'
                << (e.pending ? "pending" : "known") << '\n';
        }
        if (!out) {
            return util::Error{fmt::format("{}: cannot write", temporary)};
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        return util::Error{fmt::format("{}: {}", path, std::strerror(errno))};
    }
    return {};
}

std::vector<LedgerEntry> updated_ledger(const Model& model) {
    return learn(model.ledger, observed_zids(model));
}

std::vector<LedgerEntry> observed_zids(const Model& model) {
    std::vector<LedgerEntry> seen;
    std::set<std::pair<std::string, std::string>> held;  // (ZID, identity) of `seen`: the first sighting is kept
    for (const auto& handshake : model.handshakes) {
        for (const auto& record : handshake.messages) {
            const auto* hello = record.message.hello();
            if (hello == nullptr) {
                continue;
            }
            LedgerEntry entry{util::to_hex(hello->zid), util::printable(identity_of(model, handshake, record.src)),
                              util::printable(util::trim_padding(hello->client_id)), util::to_rfc3339(record.time)};
            if (held.emplace(entry.zid, entry.identity).second) {
                seen.push_back(std::move(entry));
            }
        }
    }
    return seen;
}

namespace {

bool conflicts(const LedgerEntry& a, const LedgerEntry& b) {
    return (a.identity == b.identity) != (a.zid == b.zid);
}

bool same_pair(const LedgerEntry& a, const LedgerEntry& b) {
    return a.identity == b.identity && a.zid == b.zid;
}

/// What learn() asks of the ledger for each ZID it observed, answered from sets rather than a scan
/// of the ledger each time: with a ZID for each call, that scan made a run on a capture of
/// 10,000 ZRTP calls take 16 s instead of 3.
class LedgerIndex {
public:
    explicit LedgerIndex(const std::vector<LedgerEntry>& ledger) {
        for (const LedgerEntry& e : ledger) {
            add(e);
        }
    }
    /// An entry with the same (ZID, identity), known or pending.
    [[nodiscard]] bool holds(const LedgerEntry& entry) const { return m_pairs.contains({entry.zid, entry.identity}); }
    /// For an entry not held: a known (not pending) entry with its identity and another ZID, or
    /// with its ZID and another identity. Any known entry with its identity or its ZID is one,
    /// since one with both would hold it.
    [[nodiscard]] bool conflicts_with_known(const LedgerEntry& entry) const {
        return m_known_identities.contains(entry.identity) || m_known_zids.contains(entry.zid);
    }
    void add(const LedgerEntry& e) {
        m_pairs.emplace(e.zid, e.identity);
        if (!e.pending) {
            m_known_identities.insert(e.identity);
            m_known_zids.insert(e.zid);
        }
    }

private:
    std::set<std::pair<std::string, std::string>> m_pairs;  ///< (ZID, identity) of every entry
    std::set<std::string> m_known_identities;
    std::set<std::string> m_known_zids;
};

}  // namespace

std::vector<LedgerEntry> learn(std::vector<LedgerEntry> ledger, const std::vector<LedgerEntry>& observed) {
    LedgerIndex index{ledger};
    for (LedgerEntry entry : observed) {
        if (index.holds(entry)) {
            continue;  // known, or already pending
        }
        entry.pending = index.conflicts_with_known(entry);
        index.add(entry);
        ledger.push_back(std::move(entry));
    }
    return ledger;
}

util::Expected<std::vector<LedgerEntry>> accept(std::vector<LedgerEntry> ledger, const std::string& key) {
    std::vector<LedgerEntry> accepted;
    for (const auto& e : ledger) {
        if (e.pending && (e.zid == key || e.identity == key)) {
            accepted.push_back(e);
        }
    }
    if (accepted.empty()) {
        return util::Error{fmt::format("nothing pending in the ledger for '{}'", key)};
    }
    std::erase_if(ledger, [&](const LedgerEntry& e) {
        return std::any_of(accepted.begin(), accepted.end(),
                           [&](const LedgerEntry& a) { return same_pair(e, a) || (!e.pending && conflicts(e, a)); });
    });
    for (auto& a : accepted) {
        a.pending = false;
        ledger.push_back(std::move(a));
    }
    return ledger;
}

util::Expected<std::vector<LedgerEntry>> forget(std::vector<LedgerEntry> ledger, const std::string& key) {
    if (std::erase_if(ledger, [&](const LedgerEntry& e) { return e.zid == key || e.identity == key; }) == 0) {
        return util::Error{fmt::format("no ledger entry for '{}'", key)};
    }
    return ledger;
}

}  // namespace zaudit::session
