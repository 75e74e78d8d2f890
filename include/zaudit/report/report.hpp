#pragma once
/// \file Renderers: one per format, all over the same AuditResult.

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "zaudit/analysis/compare.hpp"
#include "zaudit/analysis/finding.hpp"
#include "zaudit/analysis/narrow.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::report {

struct ToolInfo {
    std::string version;
    std::vector<std::string> command_line;
};

/// One audit: one input on its own, or (under --merge) every input as one capture.
struct InputAudit {
    session::Model model;
    std::vector<analysis::Finding> findings;
};

/// The baseline a run applied (--baseline): named with its hash in every report, so that a
/// folder of evidence cannot switch findings off unseen.
struct BaselineUse {
    std::string path;
    std::string sha256;
    std::size_t fingerprints = 0;  ///< lines it holds
    std::size_t accepted = 0;      ///< findings of this run it accepted
};

/// The config a run applied (zaudit.toml): named with its hash, and what it switched off or
/// re-graded, in every report.
struct ConfigUse {
    std::string path;
    std::string sha256;
    std::vector<std::string> rules_off;
    std::vector<std::pair<std::string, analysis::Severity>> severity;
    std::vector<analysis::RequiredProtection> required;
};

/// A narrowed run (--calls, --since, --until): what it asked for and what it kept of how much,
/// over every audit. Every report says so, so that a narrowed report never passes for a whole one.
struct NarrowingUse {
    analysis::Narrowing narrowing;
    analysis::NarrowingCounts counts;
};

/// What a run found. Inputs are audited independently unless merged: each keeps its own flows,
/// calls and frame numbers, and `audits[i]` is input i + 1.
struct AuditResult {
    ToolInfo tool;
    bool merged = false;  ///< one audit over every input, merged by time (--merge)
    std::vector<InputAudit> audits;
    std::optional<BaselineUse> baseline;
    std::optional<ConfigUse> config;
    std::optional<NarrowingUse> narrowed;

    /// The 1-based input an audit stands for, or nullopt when merged (it stands for all).
    [[nodiscard]] std::optional<std::uint32_t> input_of(std::size_t audit) const {
        return merged ? std::nullopt : std::optional<std::uint32_t>(static_cast<std::uint32_t>(audit + 1));
    }
    [[nodiscard]] std::size_t finding_count() const {
        std::size_t n = 0;
        for (const auto& audit : audits) {
            n += audit.findings.size();
        }
        return n;
    }
};

/// The audit's formats (DESIGN.md section 6).
enum class Format { text, json, jsonl, sarif, markdown, html };
std::optional<Format> parse_format(std::string_view text);

struct RenderOptions {
    bool color = false;
    /// Human formats: every occurrence of every rule, and the calls and flows in detail
    /// (--verbose); without it, the verdicts, the findings grouped by rule with their first
    /// occurrences, and the counts.
    bool verbose = false;
    /// Threads that may build the report (--jobs): with 1, JSON and SARIF start no helper.
    unsigned int threads = 2;
};

/// How many occurrences of one rule the human formats show without --verbose.
inline constexpr std::size_t occurrences_shown = 10;

void render(Format format, const AuditResult& result, std::ostream& out, const RenderOptions& options = {});

/// Writes the DESIGN.md section 5 document (schema zaudit/1) as nlohmann-json's dump(2) would,
/// building each call, stream, handshake, flow and finding in turn: memory holds one of them at
/// a time, not the whole document.
void write_json(const AuditResult& result, std::ostream& out, unsigned int threads = 2);
/// One input as the report lists it (path, sha256, format, packets...).
nlohmann::ordered_json input_to_json(const capture::InputInfo& input);
/// Escapes every string (and key) of `value` with util::printable: valid UTF-8, no control bytes.
void make_printable(nlohmann::ordered_json& value);
/// One finding; `input` (1-based) names the input it was found in, unless inputs were merged.
nlohmann::ordered_json finding_to_json(const analysis::Finding& finding, std::optional<std::uint32_t> input);

void render_text(const AuditResult& result, std::ostream& out, const RenderOptions& options);
void render_sarif(const AuditResult& result, std::ostream& out, unsigned int threads = 2);
/// CommonMark with pipe tables: verdicts, counts and findings grouped by rule.
void render_markdown(const AuditResult& result, std::ostream& out, const RenderOptions& options);
/// One self-contained page: verdicts, findings by rule, and per call its path and an SVG ladder.
void render_html(const AuditResult& result, std::ostream& out, const RenderOptions& options);
/// `zaudit zrtp`: each handshake's endpoints, ZIDs, offers, choices, checks and timings.
void render_zrtp(const AuditResult& result, std::ostream& out);
/// `zaudit calls`, and the calls section of the text report: one line per call, then its media streams.
void render_calls(const AuditResult& result, std::ostream& out);

/// `zaudit compare A B`: `result` holds the two audits (A first), `comparison` what compare()
/// made of them. The document of schema zaudit-compare/1 (DESIGN.md section 5).
nlohmann::ordered_json compare_to_json(const AuditResult& result, const analysis::Comparison& comparison);
/// The human report: per call "identical at both points" or its differences, then the findings.
void render_compare_text(const AuditResult& result, const analysis::Comparison& comparison, std::ostream& out,
                         const RenderOptions& options);

/// "narrowed to calls 3; since +90 s after the first packet: kept 1 of 40 calls, ...", for
/// plain-text places (the text report, SARIF's run description, a baseline's comment).
std::string narrowing_text(const NarrowingUse& use);

/// The anomaly counts of the decode summary that are not zero, sorted by code name.
std::map<std::string_view, std::uint64_t> anomaly_counts(const session::DecodeSummary& decode);

}  // namespace zaudit::report
