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

#include "zaudit/analysis/finding.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::report {

struct ToolInfo {
    std::string version;
    std::vector<std::string> command_line;
};

struct AuditResult {
    ToolInfo tool;
    session::Model model;
    std::vector<analysis::Finding> findings;
};

enum class Format { text, json, jsonl, sarif, markdown, html };
std::optional<Format> parse_format(std::string_view text);

struct RenderOptions {
    bool color = false;
};

void render(Format format, const AuditResult& result, std::ostream& out, const RenderOptions& options = {});

/// The DESIGN.md section 5 document (schema zaudit/1); also the source of jsonl and sarif.
nlohmann::ordered_json to_json(const AuditResult& result);
nlohmann::ordered_json finding_to_json(const analysis::Finding& finding);

void render_text(const AuditResult& result, std::ostream& out, const RenderOptions& options);
void render_sarif(const AuditResult& result, std::ostream& out);
/// `zaudit zrtp`: each handshake's endpoints, ZIDs, offers, choices, checks and timings.
void render_zrtp(const AuditResult& result, std::ostream& out);
/// `zaudit calls`: one line per call, then its media streams.
void render_calls(const AuditResult& result, std::ostream& out);

/// The anomaly counts of the decode summary that are not zero, sorted by code name.
std::map<std::string_view, std::uint64_t> anomaly_counts(const session::DecodeSummary& decode);

}  // namespace zaudit::report
