#include "zaudit/session/zid_ledger.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "zaudit/session/model.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::session {
namespace {

std::string trimmed(const std::string& client) {
    const auto end = client.find_last_not_of(std::string_view{"\0 ", 2});
    return end == std::string::npos ? "" : client.substr(0, end + 1);
}

/// The SIP identity of the side of `call` that announced `endpoint` in its SDP.
std::string identity_of(const Model& model, const ZrtpHandshake& handshake, const util::Endpoint& endpoint) {
    if (handshake.call && *handshake.call >= 1 && *handshake.call <= model.calls.size()) {
        const Call& call = model.calls[*handshake.call - 1];
        for (const auto& sdp : call.sdps) {
            const bool announced = std::any_of(sdp.media.begin(), sdp.media.end(),
                                               [&](const SdpMedia& m) { return m.rtp == endpoint; });
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
        if (entry.zid.size() != 24 || !util::from_hex(entry.zid) || entry.identity.empty()) {
            return util::Error{fmt::format("{}:{}: not a ledger line (ZID<TAB>IDENTITY<TAB>CLIENT<TAB>TIME)", path, number)};
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
        out << "# zaudit ZID ledger: ZID, identity, ZRTP client, first seen (capture time)\n";
        for (const auto& e : entries) {
            out << e.zid << '\t' << e.identity << '\t' << e.client_id << '\t' << e.first_seen << '\n';
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

std::vector<LedgerEntry> observed_zids(const Model& model) {
    std::vector<LedgerEntry> seen;
    for (const auto& handshake : model.handshakes) {
        for (const auto& record : handshake.messages) {
            const auto* hello = record.message.hello();
            if (hello == nullptr) {
                continue;
            }
            LedgerEntry entry{util::to_hex(hello->zid), identity_of(model, handshake, record.src),
                              trimmed(hello->client_id), util::to_rfc3339(record.time)};
            const bool repeated = std::any_of(seen.begin(), seen.end(), [&](const LedgerEntry& e) {
                return e.zid == entry.zid && e.identity == entry.identity;
            });
            if (!repeated) {
                seen.push_back(std::move(entry));
            }
        }
    }
    return seen;
}

}  // namespace zaudit::session
