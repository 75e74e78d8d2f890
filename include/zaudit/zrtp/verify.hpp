#pragma once
/// \file What a passive observer can verify about a ZRTP handshake (RFC 6189), as pure functions
/// over parsed messages. Each returns a Check: passed, failed, or not_verifiable with the reason.
/// No severities here: rules (src/analysis) turn Checks into findings.
///
/// The hash chain (section 9): H1 = SHA-256(H0), H2 = SHA-256(H1), H3 = SHA-256(H2), always
/// SHA-256 whatever hash is negotiated. Each message's MAC is HMAC-SHA-256 truncated to 64 bits,
/// keyed by the hash image the *next* message reveals: Hello (carries H3) is keyed by H2, Commit
/// (H2) by H1, DHPart (H1) by H0. H2 appears in the Commit, H1 in DHPart1/DHPart2; H0 only inside
/// the encrypted Confirm, so DHPart MACs cannot be checked from a capture. The responder sends no
/// Commit: its Hello is checked with SHA-256(H1) of its DHPart1 (as bzrtp's initiator does,
/// packetParser.c: H3 = SHA256(SHA256(H1)) and the Hello MAC keyed by SHA256(H1)).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/zrtp/message.hpp"

namespace zaudit::zrtp {

enum class CheckOutcome { passed, failed, not_verifiable };

/// "passed", "failed", "not_verifiable".
std::string_view check_outcome_name(CheckOutcome outcome);

/// What a Check recomputed. Each has one stable snake_case name (to_string), which reports and
/// evidence show; code selects checks by these values.
enum class CheckId : std::uint8_t {
    hello_h3,                   ///< "hello_h3"
    hello_mac,                  ///< "hello_mac"
    responder_hello_h3,         ///< "responder_hello_h3"
    responder_hello_mac,        ///< "responder_hello_mac"
    commit_h2,                  ///< "commit_h2"
    commit_mac,                 ///< "commit_mac"
    hvi,                        ///< "hvi"
    negotiation,                ///< "negotiation": all negotiation checks, when the messages are missing
    negotiation_hash,           ///< "negotiation_hash"
    negotiation_cipher,         ///< "negotiation_cipher"
    negotiation_auth_tag,       ///< "negotiation_auth_tag"
    negotiation_key_agreement,  ///< "negotiation_key_agreement"
    negotiation_sas,            ///< "negotiation_sas"
    key_agreement_choice,       ///< "key_agreement_choice"
    dhpart1_public_value,       ///< "dhpart1_public_value"
    dhpart2_public_value,       ///< "dhpart2_public_value"
    dhpart1_mac,                ///< "dhpart1_mac"
    dhpart2_mac,                ///< "dhpart2_mac"
    zrtp_hash,                  ///< "zrtp_hash"
    count_
};

/// The stable name ("hello_mac").
std::string_view to_string(CheckId id);
/// The check with this name; nullopt for an unknown name.
std::optional<CheckId> check_id_from_string(std::string_view name);

/// One recomputed fact. expected/observed are lower-case hex (or names for negotiation checks).
struct Check {
    CheckId id = CheckId::count_;
    CheckOutcome outcome = CheckOutcome::not_verifiable;
    std::string expected;
    std::string observed;
    std::string reason;  ///< why it failed or could not be made; what was compared when it passed
};

/// "hello_h3": SHA-256(Commit.H2) == Hello.H3, for the endpoint that sent both.
Check check_hello_h3(const Message& hello, const Message& commit);
/// "hello_mac": the Hello's MAC under the H2 its sender's Commit revealed.
Check check_hello_mac(const Message& hello, const Message& commit);
/// "responder_hello_h3": SHA-256(SHA-256(DHPart1.H1)) == Hello.H3 (no Commit from the responder).
Check check_responder_hello_h3(const Message& hello, const Message& dhpart1);
/// "responder_hello_mac": the Hello's MAC under SHA-256(DHPart1.H1).
Check check_responder_hello_mac(const Message& hello, const Message& dhpart1);
/// "commit_h2": SHA-256(DHPart2.H1) == Commit.H2.
Check check_commit_h2(const Message& commit, const Message& dhpart2);
/// "commit_mac": the Commit's MAC under the H1 of the initiator's DHPart2.
Check check_commit_mac(const Message& commit, const Message& dhpart2);
/// "dhpart1_mac"/"dhpart2_mac": always not_verifiable (keyed by H0, which travels encrypted).
Check check_dhpart_mac(const Message& dhpart);

/// A hash-image MAC with a caller-supplied key (e.g. an H0 learnt some other way), reported as `id`.
Check check_hash_image_mac(const Message& message, util::Bytes key, CheckId id);

/// "hvi" (section 4.4.1.1): hash(initiator's DHPart2 message ‖ responder's Hello message) with
/// the Commit's hash type, truncated to 256 bits, against the Commit's hvi. S256 and S384 are
/// computed; other hash types, and Commits without hvi (Mult, Prsh), are not_verifiable.
Check check_hvi(const Message& commit, const Message& dhpart2, const Message& responder_hello);

/// Lower-case hex SHA-256 of the Hello message (preamble through MAC; section 8.1), the value
/// a=zrtp-hash carries.
std::string hello_hash_hex(const Message& hello);

/// "zrtp_hash": an SDP a=zrtp-hash value ("1.10 <64 hex>" or just the hex; case-insensitive)
/// against the Hello actually sent. A version in the attribute must equal the Hello's version.
Check check_zrtp_hash(const Message& hello, std::string_view sdp_value);

/// Algorithm negotiation (section 4.1.2 and 5.1): one Check per family that the Commit's choice
/// is offered by both Hellos ("negotiation_hash", "negotiation_cipher", "negotiation_auth_tag",
/// "negotiation_key_agreement", "negotiation_sas"; mandatory algorithms count as offered), plus
/// "key_agreement_choice" for the DH ranking rule:
///   each side intersects the lists in its own order; if the two first choices differ, the
///   faster one SHOULD be used (ranking DH-2048, ECDH-256, DH-3072, ECDH-384, ECDH-521, with
///   X25519 after DH-2048 per bzrtp and the bis draft). Limits: the rule only binds DH mode;
///   Mult/Prsh Commits pass it; for bzrtp's KEMs the draft's rule is applied (a DH first choice
///   on either side wins over a KEM, two KEM first choices leave the initiator free); X448 is
///   ranked differently by bzrtp (before DH3k) and the draft (after ECDH-384), so either choice
///   passes for those pairs; unknown names make it not_verifiable. The rule is a SHOULD:
///   a failure is a deviation, proof of tampering only together with other evidence.
std::vector<Check> check_negotiation(const Message& initiator_hello, const Message& responder_hello,
                                     const Message& commit);

/// "dhpart1_public_value"/"dhpart2_public_value": the pv passes crypto::check_public_value for
/// the negotiated key agreement (size, range, curve membership, small order).
Check check_dhpart_public_value(const Message& dhpart, std::string_view key_agreement);

/// The messages of one handshake as the session model paired them. The initiator is the sender
/// of the Commit that was answered (and of DHPart2); with commit contention the other Commit is
/// not this one (the session model checks it, and every differing copy of a message, with the
/// pairwise functions above). Null pointers for what was not captured.
struct HandshakeMessages {
    const Message* initiator_hello = nullptr;
    const Message* responder_hello = nullptr;
    const Message* commit = nullptr;
    const Message* dhpart1 = nullptr;
    const Message* dhpart2 = nullptr;
};

/// One check of a handshake and the messages it compared: those of the HandshakeMessages it
/// read that were captured (a not_verifiable check lists the ones it had), so that evidence
/// can point at their frames.
struct HandshakeCheck {
    Check check;
    std::vector<const Message*> compared;  ///< into the HandshakeMessages given; never null
};

/// Every check above that applies to the handshake, in a fixed order; checks whose messages are
/// missing come back not_verifiable naming what is missing.
std::vector<HandshakeCheck> verify_handshake(const HandshakeMessages& handshake);

}  // namespace zaudit::zrtp
