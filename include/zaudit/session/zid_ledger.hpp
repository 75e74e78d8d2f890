#pragma once
/// \file The ZID ledger (--ledger FILE): which ZRTP ZIDs each endpoint has used, kept across
/// runs like ssh's known_hosts, so that a new ZID for a known endpoint, or a known ZID on another
/// endpoint, can be reported (zrtp.zid-conflict).

#include <string>
#include <vector>

#include "zaudit/util/expected.hpp"

namespace zaudit::session {

struct Model;

/// One endpoint seen with one ZID. The identity is the SIP address of record when a call
/// binds the handshake ("sip:alice@example.com"), else the IP address ("ip:192.0.2.10").
struct LedgerEntry {
    std::string zid;  ///< 24 hex digits
    std::string identity;
    std::string client_id;   ///< the Hello's client identifier, trimmed
    std::string first_seen;  ///< RFC 3339 capture time of the first Hello
    /// Seen in conflict with a known entry and not accepted yet: it is not trusted, so the
    /// conflict is reported on every run until `zaudit ledger accept` (as ssh's known_hosts).
    bool pending = false;
};

/// Reads a ledger; a missing file is an empty ledger (the first run creates it). Lines:
/// `ZID<TAB>IDENTITY<TAB>CLIENT<TAB>FIRST_SEEN[<TAB>pending]`; '#' starts a comment.
util::Expected<std::vector<LedgerEntry>> load_ledger(const std::string& path);
/// Writes the ledger, sorted, replacing the file atomically (write then rename).
util::Status save_ledger(const std::string& path, std::vector<LedgerEntry> entries);
/// The (ZID, identity) pairs the model's Hellos show, in the model's order, without repeats.
/// Identities are escaped (util::printable): a capture cannot break the file's columns.
std::vector<LedgerEntry> observed_zids(const Model& model);
/// The ledger to save after this run: learn(model.ledger, observed_zids(model)).
std::vector<LedgerEntry> updated_ledger(const Model& model);

/// Learns what a run observed, after the run was judged against the ledger: a pair never seen
/// and in conflict with nothing is trusted on first use; a pair in conflict with a known entry
/// (its identity known with another ZID, or its ZID known for another identity) is kept as
/// pending, so that the conflict is reported again until the user accepts it.
std::vector<LedgerEntry> learn(std::vector<LedgerEntry> ledger, const std::vector<LedgerEntry>& observed);
/// `zaudit ledger accept KEY` (a ZID or an identity): its pending entries become known and the
/// known entries they conflicted with are dropped. An error when nothing pending matches.
util::Expected<std::vector<LedgerEntry>> accept(std::vector<LedgerEntry> ledger, const std::string& key);
/// `zaudit ledger forget KEY`: drops every entry with that ZID or identity; an error when none.
util::Expected<std::vector<LedgerEntry>> forget(std::vector<LedgerEntry> ledger, const std::string& key);

}  // namespace zaudit::session
