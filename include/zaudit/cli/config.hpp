#pragma once
/// \file zaudit.toml, policy as code: what a deployment requires of its calls, which rules it
/// switches off or re-grades, and its baseline. Read strictly: an unknown table, key, rule id,
/// severity or protection is an error with the file, line and column, never ignored (a typo
/// must not switch a check off unseen). Every report names the file it applied and its sha256.
///
///     [policy]
///     require = ["zrtp", "dtls-srtp"]       # zrtp, dtls-srtp, sdes-tls, sdes
///     weak_key_agreements = ["DH2k", "EC25"] # ZRTP key agreements below the floor
///     baseline = "zaudit.baseline"           # relative to this file
///
///     [severity]
///     "sip.cleartext-signaling" = "medium"
///
///     [rules]
///     off = ["path.media-relay"]

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::cli {

struct Config {
    std::string path;
    std::string sha256;  ///< of the file as read
    std::vector<analysis::RequiredProtection> required;
    std::optional<std::vector<std::string>> weak_key_agreements;  ///< replaces the default floor
    std::vector<std::string_view> rules_off;                      ///< catalogue ids (static)
    std::vector<std::pair<std::string_view, analysis::Severity>> severity;
    std::optional<std::string> baseline;  ///< resolved against the file's folder
};

/// Parses a config's text; `path` names it in errors and resolves its baseline.
util::Expected<Config> parse_config(std::string_view text, const std::string& path);
/// Reads and parses a config file.
util::Expected<Config> load_config(const std::string& path);

/// The policy the rules read, under this config.
void apply_to_policy(const Config& config, analysis::Policy& policy);
/// Drops the findings of the rules switched off, re-grades the others as the config says, and
/// sorts them worst first again.
void apply_to_findings(const Config& config, std::vector<analysis::Finding>& findings);

}  // namespace zaudit::cli
