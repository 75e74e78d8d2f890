// What a finding is about, hashed so that the same weakness has the same fingerprint in every
// capture of it: no value that a new call or a new capture changes goes in.
#include "zaudit/analysis/fingerprint.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::analysis {
namespace {

/// Evidence keys whose values are facts about the weakness itself (the same tomorrow), not
/// about this occurrence. Everything else in evidence (frames, times, SSRCs, keys, Call-IDs,
/// ports, counts) is left out. A ZID conflict with the ledger (zrtp.zid-conflict, --ledger) is
/// about the ledger's entry it departs from: that entry's identity and ZID, the same on every run
/// until the conflict is accepted.
constexpr std::array<std::string_view, 29> k_stable_facts{
    "algorithm",  "attribute",    "auth_tag",      "carried_by",
    "check",      "chosen_suite", "cipher",        "code",
    "forwarding", "from",         "hash",          "how",
    "indicator",  "keeps_keys",   "key_agreement", "ledger_identity",
    "ledger_zid", "lost_towards", "media",         "message",
    "offer",      "reason",       "requested",     "reuse",
    "sas",        "scheme",       "seen_as",       "suite",
    "to"};

/// Evidence keys that name a party when the finding has no call: by address, or as the ZID
/// ledger's identity (an address of record, or "ip:" and an address).
constexpr std::array<std::string_view, 10> k_party_keys{
    "aor", "src", "dst", "sent_by", "sent_to", "endpoint_a", "endpoint_b", "initiator", "responder", "identity"};

bool is_stable_fact(std::string_view key) {
    return std::find(k_stable_facts.begin(), k_stable_facts.end(), key) != k_stable_facts.end();
}

/// "192.0.2.1" from "192.0.2.1:5060", "2001:db8::1" from "[2001:db8::1]:4000"; a SIP URI as its
/// address of record.
std::string party(std::string_view text) {
    if (text.find("sip:") != std::string_view::npos || text.find("sips:") != std::string_view::npos) {
        return address_of_record(text);
    }
    std::string_view host = text;
    if (!host.empty() && host.front() == '[') {  // [v6]:port
        host = host.substr(1, host.find(']') - 1);
    } else if (std::count(host.begin(), host.end(), ':') == 1) {  // v4:port
        host = host.substr(0, host.find(':'));
    }
    if (const auto address = util::IpAddress::parse(host)) {
        return address->to_string();
    }
    return std::string{text};
}

void add_field(std::string& canonical, std::string_view name, std::string_view value) {
    canonical += name;
    canonical += '=';
    canonical += value;
    canonical += '\n';
}

}  // namespace

std::string address_of_record(std::string_view uri) {
    std::string_view text = util::trim(uri);
    if (const auto open = text.find('<'); open != std::string_view::npos) {
        const auto close = text.find('>', open);
        text = text.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
    }
    text = text.substr(0, text.find_first_of(";?"));
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return util::to_lower(text);
    }
    const std::string scheme = util::to_lower(text.substr(0, colon + 1));
    std::string_view rest = text.substr(colon + 1);
    std::string user;
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        user = std::string{rest.substr(0, at + 1)};
        rest = rest.substr(at + 1);
    }
    std::string_view host = rest;
    if (!host.empty() && host.front() == '[') {
        host = host.substr(0, host.find(']') + 1);
    } else {
        host = host.substr(0, host.find(':'));
    }
    return scheme + user + util::to_lower(host);
}

std::string fingerprint(const Finding& finding, const session::Model& model) {
    std::string canonical;
    add_field(canonical, "rule", finding.rule);
    const nlohmann::ordered_json evidence = evidence_of(finding);
    const session::Call* call = finding.call ? model.call(*finding.call) : nullptr;
    if (call != nullptr) {
        add_field(canonical, "caller", address_of_record(call->from));
        add_field(canonical, "callee", address_of_record(call->to));
    } else {
        std::set<std::string> parties;  // ordered: the same parties in any order of evidence
        for (const std::string_view key : k_party_keys) {
            if (const auto it = evidence.find(key); it != evidence.end() && it->is_string()) {
                parties.insert(party(it->get<std::string>()));
            }
        }
        for (const std::string& p : parties) {
            add_field(canonical, "party", p);
        }
    }
    for (auto it = evidence.begin(); it != evidence.end(); ++it) {
        if (!is_stable_fact(it.key())) {
            continue;
        }
        const auto& value = it.value();
        if (value.is_string() || value.is_boolean() || value.is_number_integer() || value.is_array()) {
            add_field(canonical, it.key(), value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    return util::to_hex(crypto::sha256(util::as_bytes(canonical)));
}

void fingerprint_all(std::vector<Finding>& findings, const session::Model& model) {
    for (Finding& finding : findings) {
        finding.fingerprint = fingerprint(finding, model);
    }
}

}  // namespace zaudit::analysis
