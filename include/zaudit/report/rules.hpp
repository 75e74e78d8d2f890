#pragma once
/// \file The rule catalogue (analysis::rule_catalogue()) rendered for people and tools:
/// `zaudit rules --format text|json|markdown`, and the man page's RULES section.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace zaudit::report {

/// `man` is not offered by `zaudit rules`: it is the man page's RULES section, written by zaudit-docs.
enum class RulesFormat { text, json, markdown, man };

/// The formats `zaudit rules --format` accepts (text, json, markdown); nullopt for any other.
std::optional<RulesFormat> parse_rules_format(std::string_view text);

/// Every rule in catalogue order. json is `{"schema": "zaudit-rules/1", "rules": [...]}`.
void render_rules(RulesFormat format, std::ostream& out);

/// Escapes text for a roff (man page) line: backslashes, a leading dot or quote, non-ASCII.
std::string roff_escape(std::string_view text);

}  // namespace zaudit::report
