// zaudit.toml (config.hpp), read with toml++: every value checked against what zaudit knows,
// every error placed at its line and column.
#include "zaudit/cli/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/file.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::cli {
namespace {

/// An error at a node: "zaudit.toml:3:11: reason".
util::Error error_at(const std::string& path, const toml::source_region& where, std::string_view reason) {
    return util::Error{fmt::format("{}:{}:{}: {}", path, where.begin.line, where.begin.column, reason)};
}

std::optional<std::string_view> catalogue_id(std::string_view id) {
    for (const analysis::RuleInfo& rule : analysis::rule_catalogue()) {
        if (rule.id == id) {
            return rule.id;  // static storage, unlike the config's text
        }
    }
    return std::nullopt;
}

/// The strings of an array, or the error of the first element that is not one.
util::Expected<std::vector<std::pair<std::string, toml::source_region>>> strings_of(const toml::node& node,
                                                                                    const std::string& path,
                                                                                    std::string_view key) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
        return error_at(path, node.source(), fmt::format("{} must be an array of strings", key));
    }
    std::vector<std::pair<std::string, toml::source_region>> out;
    for (const toml::node& element : *array) {
        const auto* text = element.as_string();
        if (text == nullptr) {
            return error_at(path, element.source(), fmt::format("{} must be an array of strings", key));
        }
        out.emplace_back(text->get(), element.source());
    }
    return out;
}

util::Status read_policy(const toml::table& table, const std::string& path, Config& config) {
    for (const auto& [key, node] : table) {
        const std::string_view name = key.str();
        if (name == "baseline") {
            const auto* text = node.as_string();
            if (text == nullptr || text->get().empty()) {
                return error_at(path, node.source(), "baseline must be a file name");
            }
            const std::filesystem::path file{text->get()};
            config.baseline =
                file.is_absolute() ? file.string() : (std::filesystem::path{path}.parent_path() / file).string();
            continue;
        }
        if (name != "require" && name != "weak_key_agreements") {
            return error_at(path, key.source(),
                            fmt::format("unknown key '{}' in [policy] (require, weak_key_agreements, baseline)",
                                        util::printable(name)));
        }
        auto values = strings_of(node, path, name);
        if (!values) {
            return values.error();
        }
        if (name == "require") {
            for (const auto& [value, where] : *values) {
                const auto protection = analysis::parse_required_protection(value);
                if (!protection) {
                    return error_at(path, where,
                                    fmt::format("unknown protection '{}' (zrtp, dtls-srtp, sdes-tls, sdes)",
                                                util::printable(value)));
                }
                config.required.push_back(*protection);
            }
        } else {
            std::vector<std::string> agreements;
            for (auto& [value, where] : *values) {
                agreements.push_back(std::move(value));
            }
            config.weak_key_agreements = std::move(agreements);
        }
    }
    return {};
}

util::Status read_severity(const toml::table& table, const std::string& path, Config& config) {
    for (const auto& [key, node] : table) {
        const auto id = catalogue_id(key.str());
        if (!id) {
            return error_at(path, key.source(),
                            fmt::format("'{}' is not a rule id of `zaudit rules`", util::printable(key.str())));
        }
        const auto* text = node.as_string();
        const auto severity = text != nullptr ? analysis::parse_severity(text->get()) : std::nullopt;
        if (!severity) {
            return error_at(path, node.source(), "a severity is one of info, low, medium, high, critical");
        }
        config.severity.emplace_back(*id, *severity);
    }
    return {};
}

util::Status read_rules(const toml::table& table, const std::string& path, Config& config) {
    for (const auto& [key, node] : table) {
        if (key.str() != "off") {
            return error_at(path, key.source(),
                            fmt::format("unknown key '{}' in [rules] (off)", util::printable(key.str())));
        }
        auto values = strings_of(node, path, "off");
        if (!values) {
            return values.error();
        }
        for (const auto& [value, where] : *values) {
            const auto id = catalogue_id(value);
            if (!id) {
                return error_at(path, where,
                                fmt::format("'{}' is not a rule id of `zaudit rules`", util::printable(value)));
            }
            config.rules_off.push_back(*id);
        }
    }
    return {};
}

}  // namespace

util::Expected<Config> parse_config(std::string_view text, const std::string& path) {
    Config config;
    config.path = path;
    config.sha256 = util::to_hex(crypto::sha256(util::as_bytes(text)));
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        return error_at(path, e.source(), util::printable(e.description()));
    }
    for (const auto& [key, node] : root) {
        const toml::table* table = node.as_table();
        const std::string_view name = key.str();
        if (table == nullptr || (name != "policy" && name != "severity" && name != "rules")) {
            return error_at(
                path, key.source(),
                fmt::format("unknown '{}' (the tables are [policy], [severity] and [rules])", util::printable(name)));
        }
        const util::Status read = name == "policy"     ? read_policy(*table, path, config)
                                  : name == "severity" ? read_severity(*table, path, config)
                                                       : read_rules(*table, path, config);
        if (!read) {
            return read.error();
        }
    }
    return config;
}

util::Expected<Config> load_config(const std::string& path) {
    const auto text = util::read_small_file(path, "config");
    if (!text) {
        return text.error();
    }
    return parse_config(*text, path);
}

void apply_to_policy(const Config& config, analysis::Policy& policy) {
    policy.required = config.required;
    if (config.weak_key_agreements) {
        policy.weak_key_agreements = *config.weak_key_agreements;
    }
}

void apply_to_findings(const Config& config, std::vector<analysis::Finding>& findings) {
    std::erase_if(findings, [&](const analysis::Finding& f) {
        return std::find(config.rules_off.begin(), config.rules_off.end(), f.rule) != config.rules_off.end();
    });
    for (analysis::Finding& f : findings) {
        for (const auto& [rule, severity] : config.severity) {
            if (f.rule == rule) {
                f.severity = severity;
            }
        }
    }
    std::stable_sort(findings.begin(), findings.end(),
                     [](const analysis::Finding& x, const analysis::Finding& y) { return x.severity > y.severity; });
}

}  // namespace zaudit::cli
