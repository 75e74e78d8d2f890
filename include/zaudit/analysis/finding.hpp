#pragma once
/// \file Findings: what a rule concluded, with its evidence, how sure it is, and what to do.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zaudit::analysis {

/// DESIGN.md section 3. Ordered: a higher value is worse.
enum class Severity : std::uint8_t { info, low, medium, high, critical };
const char* to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

/// How the finding was reached: a value recomputed and compared, a pattern, or a check that a
/// capture cannot make (listed with its reason rather than silently passed).
enum class Confidence : std::uint8_t { verified, inferred, not_verifiable };
const char* to_string(Confidence confidence);

/// A frame named by its input (1-based) and the number Wireshark shows in that input.
struct InputFrame {
    std::uint32_t input = 0;
    std::uint64_t frame = 0;
};

/// How many of the things a counted finding is about it lists (Finding::examples).
constexpr std::size_t max_examples = 10;

struct Finding {
    // The rule's id and texts point into the catalogue (static storage): a flood of findings
    // must not carry a copy of the same paragraph each.
    std::string_view rule;
    Severity severity = Severity::info;
    Confidence confidence = Confidence::inferred;
    std::string_view title;  ///< the rule's title
    std::string message;     ///< this occurrence in one line, e.g. "SDES key of audio sent in clear (frame 12)"
    std::optional<std::uint32_t> call;
    std::optional<std::uint32_t> stream;
    std::vector<std::uint64_t> frames;
    /// Under --merge only: where each of `frames` (merged numbering) is in its own input.
    std::vector<InputFrame> frames_by_input;
    nlohmann::ordered_json evidence = nlohmann::ordered_json::object();
    /// A finding about many things of one kind (DESIGN.md section 5): how many there were, and
    /// the first few of them (at most max_examples), so that one cause stays one finding however
    /// often a capture repeats it.
    std::optional<std::uint64_t> count;
    nlohmann::ordered_json examples = nlohmann::ordered_json::array();
    std::string_view explanation;
    std::string_view remediation;
    /// What makes it the same weakness in another capture (fingerprint.hpp): set once the
    /// rules have run, for baselines and SARIF.
    std::string fingerprint;
    /// Its fingerprint is in the baseline (--baseline): known and accepted, so --fail-on passes
    /// over it; still reported, marked.
    bool accepted = false;
    /// `evidence` and `examples` once pack_details() took them, as the CBOR (RFC 8949) of the
    /// array [evidence, examples]; empty while they are held as JSON. Reports read them through
    /// evidence_of() and examples_of(), whichever way they are held.
    std::vector<std::uint8_t> packed_details;
};

/// Moves each finding's evidence and examples into Finding::packed_details. A dozen members of
/// evidence are some 1.5 KB as nlohmann's tree of small heap objects and some 250 bytes as CBOR,
/// and an audit keeps its findings, two or three a call, until the report is written: after the
/// rules, on a large capture they take more memory than the model they came from.
/// CBOR keeps every value as it was (integers, doubles, the order of members, strings byte for
/// byte, valid UTF-8 or not), so the report's bytes do not change.
void pack_details(std::span<Finding> findings);

/// The finding's evidence, unpacked when pack_details() packed it.
nlohmann::ordered_json evidence_of(const Finding& finding);
/// The finding's examples (an array), unpacked when pack_details() packed them.
nlohmann::ordered_json examples_of(const Finding& finding);

/// A protection a policy (zaudit.toml) can require of every call's media.
enum class RequiredProtection : std::uint8_t {
    zrtp,       ///< ZRTP whose handshake passed every check made here
    dtls_srtp,  ///< DTLS-SRTP
    sdes_tls,   ///< SDES-keyed SRTP whose SIP went over TLS
    sdes,       ///< SDES-keyed SRTP, keys in clear or not
};
/// "zrtp", "dtls-srtp", "sdes-tls", "sdes": as zaudit.toml and reports name them.
std::string_view to_string(RequiredProtection required);
std::optional<RequiredProtection> parse_required_protection(std::string_view name);

/// Settings the rules read (from the command line and zaudit.toml).
struct Policy {
    bool reveal_keys = false;
    /// Protections of which every call's media must achieve one (policy.protection-required);
    /// empty: no requirement.
    std::vector<RequiredProtection> required;
    /// ZRTP key agreements below the floor (zrtp.weak-algorithms); default DH2k and broken ones.
    std::vector<std::string> weak_key_agreements{"DH2k"};
};

}  // namespace zaudit::analysis
