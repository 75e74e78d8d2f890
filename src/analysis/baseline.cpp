// Baselines (baseline.hpp): parsed strictly, so that a damaged file is an error and not a
// silent "nothing accepted" or, worse, a line that accepts more than the reviewer saw.
#include "zaudit/analysis/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/file.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::analysis {
namespace {

constexpr std::string_view k_header = "# zaudit baseline 1";

bool is_fingerprint(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_rule_id(std::string_view id) {
    const auto& catalogue = rule_catalogue();
    return std::any_of(catalogue.begin(), catalogue.end(), [&](const RuleInfo& rule) { return rule.id == id; });
}

}  // namespace

util::Expected<Baseline> parse_baseline(std::string_view text, const std::string& name) {
    Baseline baseline;
    baseline.path = name;
    baseline.sha256 = util::to_hex(crypto::sha256(util::as_bytes(text)));
    std::size_t line_number = 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++line_number;
        line = util::trim(line);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const std::size_t space = line.find_first_of(" \t");
        const std::string_view fingerprint = line.substr(0, space);
        if (!is_fingerprint(fingerprint)) {
            return util::Error{fmt::format("{}:{}: not a fingerprint (64 lower-case hex digits): '{}'", name,
                                           line_number, util::printable(fingerprint.substr(0, 80)))};
        }
        const std::string_view rest =
            space == std::string_view::npos ? std::string_view{} : util::trim(line.substr(space));
        const std::string_view rule = rest.substr(0, rest.find_first_of(" \t"));
        if (!is_rule_id(rule)) {
            return util::Error{fmt::format("{}:{}: '{}' is not a rule id of `zaudit rules`", name, line_number,
                                           util::printable(rule.substr(0, 80)))};
        }
        baseline.fingerprints.emplace(fingerprint);
    }
    return baseline;
}

util::Expected<Baseline> load_baseline(const std::string& path) {
    const auto text = util::read_small_file(path, "baseline");
    if (!text) {
        return text.error();
    }
    return parse_baseline(*text, path);
}

std::size_t apply_baseline(const Baseline& baseline, std::vector<Finding>& findings) {
    std::size_t accepted = 0;
    for (Finding& finding : findings) {
        finding.accepted = baseline.fingerprints.count(finding.fingerprint) > 0;
        accepted += finding.accepted ? 1 : 0;
    }
    return accepted;
}

std::string write_baseline(const std::vector<const Finding*>& findings, std::string_view comment) {
    // One line per fingerprint, the first occurrence's message as the reader's note.
    std::map<std::pair<std::string_view, std::string_view>, const Finding*> lines;
    for (const Finding* finding : findings) {
        lines.try_emplace({finding->rule, finding->fingerprint}, finding);
    }
    std::string out = fmt::format("{}\n# Findings accepted by fingerprint; lines: FINGERPRINT RULE NOTE.\n", k_header);
    if (!comment.empty()) {
        out += fmt::format("# {}\n", util::printable(comment));  // one line, whatever it holds
    }
    for (const auto& [key, finding] : lines) {
        std::string message = finding->message;  // one line: a line break would start a bogus entry
        std::replace_if(
            message.begin(), message.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
        const std::string note = util::printable(message);
        out += fmt::format("{} {} {}\n", key.second, key.first, note);
    }
    return out;
}

}  // namespace zaudit::analysis
