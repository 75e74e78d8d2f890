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
    std::string zid;        ///< 24 hex digits
    std::string identity;
    std::string client_id;  ///< the Hello's client identifier, trimmed
    std::string first_seen; ///< RFC 3339 capture time of the first Hello
};

/// Reads a ledger; a missing file is an empty ledger (the first run creates it). Lines:
/// `ZID<TAB>IDENTITY<TAB>CLIENT<TAB>FIRST_SEEN`; '#' starts a comment.
util::Expected<std::vector<LedgerEntry>> load_ledger(const std::string& path);
/// Writes the ledger, sorted, replacing the file atomically (write then rename).
util::Status save_ledger(const std::string& path, std::vector<LedgerEntry> entries);
/// The (ZID, identity) pairs the model's Hellos show, in the model's order, without repeats.
std::vector<LedgerEntry> observed_zids(const Model& model);
/// The ledger to save after this run: the model's ledger (as loaded) and the (ZID, identity)
/// pairs this capture showed that it did not hold. Learnt after judging: a run reports a
/// changed ZID once, and the next run knows it.
std::vector<LedgerEntry> updated_ledger(const Model& model);

}  // namespace zaudit::session
