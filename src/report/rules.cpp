// The rule catalogue for people (text, markdown, the man page) and for tools (json). Every
// document about the rules is generated from analysis::rule_catalogue(), so none can drift.
#include "zaudit/report/rules.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sections.hpp"
#include "zaudit/analysis/registry.hpp"

namespace zaudit::report {
namespace {

using analysis::RuleInfo;

void render_text(std::ostream& out) {
    for (const RuleInfo& rule : analysis::rule_catalogue()) {
        out << fmt::format("{}  [{}]  {}\n  {}\n  Remediation: {}\n  Reference: {}\n\n", rule.id,
                           analysis::to_string(rule.severity), rule.title, rule.explanation, rule.remediation,
                           rule.reference);
    }
}

void render_json(std::ostream& out) {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const RuleInfo& rule : analysis::rule_catalogue()) {
        rules.push_back({{"id", rule.id},
                         {"severity", analysis::to_string(rule.severity)},
                         {"title", rule.title},
                         {"explanation", rule.explanation},
                         {"remediation", rule.remediation},
                         {"reference", rule.reference}});
    }
    const nlohmann::ordered_json doc{{"schema", "zaudit-rules/1"}, {"rules", rules}};
    out << doc.dump(2) << '\n';
}

/// GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped.
std::string markdown_anchor(std::string_view id) {
    std::string out;
    for (const char c : id) {
        if (c != '.') {
            out += c;
        }
    }
    return out;
}

void render_markdown(std::ostream& out) {
    out << "# Rule catalogue\n\n"
           "Every rule zaudit applies, in the order of its registry (`zaudit rules`). A finding names its rule "
           "id; ids are stable. Severities: `critical` proof or near-proof that someone can listen or is in the "
           "middle, `high` media can be listened to by a passive party or a downgrade happened, `medium` weak or "
           "suspicious, `low` hardening, `info` context.\n\n"
           "| id | severity | title |\n|---|---|---|\n";
    for (const RuleInfo& rule : analysis::rule_catalogue()) {
        out << fmt::format("| [`{}`](#{}) | {} | {} |\n", rule.id, markdown_anchor(rule.id),
                           analysis::to_string(rule.severity), markdown_escape(rule.title));
    }
    for (const RuleInfo& rule : analysis::rule_catalogue()) {
        out << fmt::format("\n## {}\n\n**{}** · severity `{}` · {}\n\n{}\n\n**Remediation:** {}\n", rule.id,
                           markdown_escape(rule.title), analysis::to_string(rule.severity),
                           markdown_escape(rule.reference), markdown_escape(rule.explanation),
                           markdown_escape(rule.remediation));
    }
}

void render_man(std::ostream& out) {
    for (const RuleInfo& rule : analysis::rule_catalogue()) {
        out << fmt::format(".TP\n.B {} \\fR({})\n\\fI{}\\fR\n.br\n{}\n.IP\nRemediation: {}\n.IP\nReference: {}\n",
                           rule.id, analysis::to_string(rule.severity), roff_escape(rule.title),
                           roff_escape(rule.explanation), roff_escape(rule.remediation), roff_escape(rule.reference));
    }
}

/// The code point of the UTF-8 sequence at text[i], advancing i past it; U+FFFD when malformed.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i++]);
    const int extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    if (extra == 0 || i + static_cast<std::size_t>(extra) > text.size()) {
        return U'\uFFFD';
    }
    char32_t cp = lead & (0x3fU >> extra);
    for (int k = 0; k < extra; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3fU);
    }
    return cp;
}

}  // namespace

std::optional<RulesFormat> parse_rules_format(std::string_view text) {
    if (text == "text") return RulesFormat::text;
    if (text == "json") return RulesFormat::json;
    if (text == "markdown") return RulesFormat::markdown;
    return std::nullopt;
}

void render_rules(RulesFormat format, std::ostream& out) {
    switch (format) {
        case RulesFormat::text: render_text(out); return;
        case RulesFormat::json: render_json(out); return;
        case RulesFormat::markdown: render_markdown(out); return;
        case RulesFormat::man: render_man(out); return;
    }
}

std::string roff_escape(std::string_view text) {
    std::string out;
    if (!text.empty() && (text.front() == '.' || text.front() == '\'')) {
        out += "\\&";
    }
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\\') {
            out += "\\e";
            ++i;
        } else if (c == '\n') {  // one paragraph: a line break could start a request
            out += ' ';
            ++i;
        } else if (static_cast<unsigned char>(c) < 0x80) {
            out += c;
            ++i;
        } else {
            out += fmt::format("\\[u{:04X}]", static_cast<std::uint32_t>(next_code_point(text, i)));
        }
    }
    return out;
}

}  // namespace zaudit::report
