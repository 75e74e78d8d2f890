#pragma once
/// \file Renderers: one per format, all over the same AuditResult.

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

/// The audit's formats; markdown and html (DESIGN.md section 6) come when they have renderers.
enum class Format { text, json, jsonl, sarif };
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
/// `zaudit calls`, and the calls section of the text report: one line per call, then its media streams.
void render_calls(const AuditResult& result, std::ostream& out);

}  // namespace zaudit::report
