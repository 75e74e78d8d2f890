#pragma once
// Facts about ZRTP handshakes that several rules share: where a handshake sits (call, stream),
// the evidence every ZRTP finding carries, and turning failed recomputed checks into findings.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/util/text.hpp"
#include "grouped.hpp"

namespace zaudit::analysis::rules {

/// The call with this id, or nullptr.
const session::Call* find_call(const session::Model& model, std::optional<std::uint32_t> id);

/// The call the handshake was bound to, or nullptr.
const session::Call* call_of(const session::Model& model, const session::ZrtpHandshake& handshake);

/// "0x61": a number in hex as evidence shows it.
std::string hex_code(std::uint32_t code);

/// Lower-case hex of a ZID (24 digits).
std::string zid_hex(const zrtp::Zid& zid);

/// Evidence every ZRTP finding starts with: handshake id, call id (null when unbound),
/// endpoints a and b, and the roles when known.
nlohmann::ordered_json handshake_evidence(const session::ZrtpHandshake& handshake);

/// A finding about one handshake: call, stream (the first on its flow) and the common evidence
/// filled in; the caller adds frames and rule-specific evidence.
Finding& add_handshake_finding(const StreamsByFlow& streams, FindingSink& sink, const session::ZrtpHandshake& handshake,
                               std::string message);

/// Two differing copies of one endpoint's Hello (a ZrtpConflict) told apart by their checks:
/// the edited copy fails a hash-chain check (hello_h3, hello_mac, responder_hello_h3,
/// responder_hello_mac: the MAC under H2 from the sender's Commit, or SHA-256(H1) from its
/// DHPart1) while the other passes them all; or, when no hash-chain check could be made (no
/// Commit or DHPart1 of that sender captured), it fails a=zrtp-hash while the other passes.
/// Copies that both pass the hash chain were both made by someone who knew H2 before the Commit
/// revealed it, the endpoint itself: not an edit in transit, so not told apart here.
struct HelloEdit {
    const session::ZrtpConflict* conflict = nullptr;
    const session::ZrtpMessageRecord* edited = nullptr;
    const session::ZrtpMessageRecord* intact = nullptr;
    bool by_hash_chain = true;  ///< false: told apart by a=zrtp-hash alone
};

/// The Hello conflicts of a handshake whose edited copy can be named, in conflict order.
std::vector<HelloEdit> hello_edits(const session::ZrtpHandshake& handshake);

/// True when `check` is a Hello check (hash chain or a=zrtp-hash) of the edited copy of one of
/// `edits`: zrtp.hello-tampered reports it once with both copies, no other finding repeats it.
bool explained_by_hello_edit(std::span<const HelloEdit> edits, const session::ZrtpCheck& check);

/// One finding per failed check (outcome failed; not_verifiable never reports) of every
/// handshake whose id is in `ids`: frames from ZrtpCheck::frames, expected and observed values,
/// confidence verified (the value was recomputed). Checks explained by a HelloEdit are left to
/// zrtp.hello-tampered.
void report_failed_checks(const session::Model& model, FindingSink& sink, std::span<const zrtp::CheckId> ids);

/// True when an SDP of the call announced `endpoint` with an a=zrtp-hash.
bool sdp_offers_zrtp(const session::Call& call, const util::Endpoint& endpoint);

/// The last distinct message each side sent, or nullptr.
const session::ZrtpMessageRecord* last_message_of(const session::ZrtpHandshake& handshake,
                                                  const util::Endpoint& sender);

/// True when a party of the handshake declares itself a trusted MiTM (RFC 6189 section 7.3):
/// the M flag in its Hello, or a SASrelay.
bool declares_trusted_mitm(const session::ZrtpHandshake& handshake);

/// True when another handshake on the same flow completed (a failed attempt was retried).
bool flow_secured_elsewhere(const HandshakesByFlow& handshakes, const session::ZrtpHandshake& handshake);

}  // namespace zaudit::analysis::rules
