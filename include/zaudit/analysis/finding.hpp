#pragma once
/// \file Findings: what a rule concluded, with its evidence, how sure it is, and what to do.

#include <cstdint>
#include <optional>
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
};

/// Settings the rules read (from the command line).
struct Policy {
    bool reveal_keys = false;
    /// ZRTP key agreements below the floor (zrtp.weak-algorithms); default DH2k and broken ones.
    std::vector<std::string> weak_key_agreements{"DH2k"};
};

}  // namespace zaudit::analysis
