#pragma once
/// \file The baseline: findings accepted by fingerprint, so that a pipeline fails only on what
/// is new. A text file a reviewer can read and diff, written by `zaudit baseline CAPTURE...`:
///
///     # zaudit baseline 1
///     <64 hex digits> <rule id> <the first occurrence's message, for the reader>
///
/// Blank lines and lines starting with '#' are comments.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::analysis {

struct Baseline {
    std::string path;
    std::string sha256;  ///< of the file as read: a report names exactly what it applied
    std::set<std::string> fingerprints;
};

/// Reads a baseline; a malformed line is an error naming the file, the line and the reason.
util::Expected<Baseline> load_baseline(const std::string& path);
/// Parses a baseline's text; `name` is what errors call it.
util::Expected<Baseline> parse_baseline(std::string_view text, const std::string& name);

/// Marks the findings whose fingerprint the baseline lists as accepted; returns how many.
std::size_t apply_baseline(const Baseline& baseline, std::vector<Finding>& findings);

/// The baseline that accepts every finding given (one line per fingerprint, sorted by rule);
/// `comment`, when not empty, is a comment line after the header (a narrowed run says so there).
std::string write_baseline(const std::vector<const Finding*>& findings, std::string_view comment = {});

}  // namespace zaudit::analysis
