#include "zaudit/cli/cli.hpp"
#include "zaudit/cli/options.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/report/rules.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/session/zid_ledger.hpp"

namespace zaudit::cli {
namespace {

namespace po = boost::program_options;

enum class Command { audit, calls, zrtp, rules };

struct Options {
    Command command = Command::audit;
    std::vector<std::string> captures;
    report::Format format = report::Format::text;
    report::RulesFormat rules_format = report::RulesFormat::text;
    std::string output;
    std::optional<analysis::Severity> fail_on = analysis::Severity::high;  ///< nullopt: never fail
    std::string interface;
    std::string filter;
    double duration = 0;
    std::uint64_t count = 0;
    bool reveal_keys = false;
    std::string color = "auto";
    bool quiet = false;
    std::string ledger;
};

constexpr std::string_view k_usage = R"(usage: zaudit [OPTIONS] CAPTURE...     audit captures (pcap, pcapng, '-' for stdin)
       zaudit calls CAPTURE...          one line per call: parties, media, protection
       zaudit zrtp CAPTURE...           every ZRTP handshake in detail
       zaudit rules                     the finding catalogue, with explanations (text|json|markdown)
)";

struct UsageError {
    std::string message;
};

}  // namespace

po::options_description option_descriptions() {
    po::options_description options{"Options"};
    options.add_options()
        ("format,f", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
         "text|json|jsonl|sarif (rules: text|json|markdown); json follows schema zaudit/1, jsonl prints one "
         "finding per line, sarif follows SARIF 2.1.0")
        ("output,o", po::value<std::string>()->value_name("FILE"), "write the report to FILE instead of standard output")
        ("fail-on", po::value<std::string>()->value_name("LEVEL")->default_value("high"),
         "none|info|low|medium|high|critical: exit 1 when a finding is at or above it")
        ("interface,i", po::value<std::string>()->value_name("IF"),
         "capture live from interface IF (with the privileges libpcap needs)")
        ("duration", po::value<double>()->value_name("S"), "live capture (--interface): stop after S seconds")
        ("count", po::value<std::uint64_t>()->value_name("N"), "live capture (--interface): stop after N packets")
        ("filter", po::value<std::string>()->value_name("BPF"), "libpcap filter applied while reading")
        ("reveal-keys", po::bool_switch(),
         "show SDES key material; by default a key appears only as a fingerprint (the first 16 hex digits of "
         "SHA-256 of key and salt)")
        ("ledger", po::value<std::string>()->value_name("FILE"),
         "ZID ledger kept across runs, like ssh's known_hosts: a known identity with a new ZID, or a known ZID "
         "under another identity, is reported as zrtp.zid-conflict; then the ZIDs seen are recorded")
        ("color", po::value<std::string>()->value_name("WHEN")->default_value("auto"),
         "auto|always|never: colour severities in the text report; auto colours them on a terminal only")
        ("quiet,q", po::bool_switch(), "no progress and no warnings on standard error")
        ("version", "print the version and exit")
        ("help,h", "print this help and exit");
    return options;
}

namespace {

Command parse_command(std::vector<std::string>& positional) {
    static const std::vector<std::pair<std::string_view, Command>> k_commands{
        {"audit", Command::audit}, {"calls", Command::calls}, {"zrtp", Command::zrtp},
        {"rules", Command::rules}};
    if (!positional.empty()) {
        for (const auto& [name, command] : k_commands) {
            if (positional.front() == name) {
                positional.erase(positional.begin());
                return command;
            }
        }
    }
    return Command::audit;
}

Options to_options(const po::variables_map& vm, std::vector<std::string> positional) {
    Options o;
    o.command = parse_command(positional);
    o.captures = std::move(positional);
    const auto& format_name = vm["format"].as<std::string>();
    if (o.command == Command::rules) {
        const auto rules_format = report::parse_rules_format(format_name);
        if (!rules_format) {
            throw UsageError{fmt::format("unknown format '{}' for rules (text, json, markdown)", format_name)};
        }
        if (!o.captures.empty()) {
            throw UsageError{"rules takes no capture"};
        }
        o.rules_format = *rules_format;
        return o;
    }
    const auto format = report::parse_format(format_name);
    if (!format) {
        throw UsageError{fmt::format("unknown format '{}' (text, json, jsonl, sarif)", format_name)};
    }
    o.format = *format;
    const auto& fail_on = vm["fail-on"].as<std::string>();
    if (fail_on == "none") {
        o.fail_on.reset();
    } else if (auto severity = analysis::parse_severity(fail_on)) {
        o.fail_on = severity;
    } else {
        throw UsageError{fmt::format("unknown --fail-on level '{}' (none, info, low, medium, high, critical)", fail_on)};
    }
    if (vm.count("output") != 0) o.output = vm["output"].as<std::string>();
    if (vm.count("ledger") != 0) o.ledger = vm["ledger"].as<std::string>();
    if (vm.count("interface") != 0) o.interface = vm["interface"].as<std::string>();
    if (vm.count("filter") != 0) o.filter = vm["filter"].as<std::string>();
    if (vm.count("duration") != 0) o.duration = vm["duration"].as<double>();
    if (vm.count("count") != 0) o.count = vm["count"].as<std::uint64_t>();
    o.reveal_keys = vm["reveal-keys"].as<bool>();
    o.quiet = vm["quiet"].as<bool>();
    o.color = vm["color"].as<std::string>();
    if (o.color != "auto" && o.color != "always" && o.color != "never") {
        throw UsageError{fmt::format("unknown --color '{}' (auto, always, never)", o.color)};
    }
    if ((vm.count("duration") != 0 || vm.count("count") != 0) && o.interface.empty()) {
        throw UsageError{"--duration and --count stop a live capture: they need --interface"};
    }
    if (o.captures.empty() && o.interface.empty()) {
        throw UsageError{"no capture given"};
    }
    return o;
}

std::vector<capture::Source> sources_of(const Options& o) {
    std::vector<capture::Source> sources;
    for (const auto& path : o.captures) {
        auto source = capture::Source::file(path);
        source.bpf_filter = o.filter;
        sources.push_back(std::move(source));
    }
    if (!o.interface.empty()) {
        capture::Source live;
        live.interface = o.interface;
        live.bpf_filter = o.filter;
        live.duration_seconds = o.duration;
        live.max_packets = o.count;
        sources.push_back(std::move(live));
    }
    return sources;
}

/// Progress for long reads, on a terminal only (never in pipes or CI logs).
class Progress {
public:
    Progress(bool enabled, std::ostream& err) : m_enabled{enabled}, m_err{err} {}
    void update(const capture::Reader& reader, std::uint64_t frames) {
        if (!m_enabled || (frames & 0x3ffff) != 0) {
            return;
        }
        const auto [done, total] = reader.progress();
        if (total > 0) {
            m_err << fmt::format("\rzaudit: {} frames, {:.0f}%", frames, 100.0 * static_cast<double>(done) / static_cast<double>(total));
            m_shown = true;
        }
    }
    ~Progress() {
        if (m_shown) {
            m_err << "\r\x1b[K";
        }
    }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

private:
    bool m_enabled;
    std::ostream& m_err;
    bool m_shown = false;
};

/// The model of the captures, judged against `ledger` when one was loaded.
std::optional<session::Model> build_model(const Options& o, std::optional<std::vector<session::LedgerEntry>> ledger,
                                          std::ostream& err) {
    auto reader = capture::Reader::open(sources_of(o));
    if (!reader) {
        err << "zaudit: " << reader.error().message << '\n';
        return std::nullopt;
    }
    session::Tracker tracker;
    if (ledger) {
        tracker.use_ledger(std::move(*ledger));
    }
    {
        Progress progress{!o.quiet && ::isatty(STDERR_FILENO) == 1, err};
        std::uint64_t frames = 0;
        while (auto frame = reader->next()) {
            tracker.on_frame(*frame);
            progress.update(*reader, ++frames);
        }
    }
    if (!o.quiet) {
        for (const auto& input : reader->inputs()) {
            for (const auto& warning : input.warnings) {
                err << fmt::format("zaudit: warning: {}: {}\n", input.path, warning);
            }
        }
        if (reader->partial()) {
            err << "zaudit: warning: results are partial (an input stopped early)\n";
        }
    }
    return std::move(tracker).finish(reader->inputs(), reader->partial());
}

int exit_code_for(const std::vector<analysis::Finding>& findings, std::optional<analysis::Severity> fail_on) {
    if (!fail_on) {
        return k_exit_clean;
    }
    for (const auto& f : findings) {
        if (f.severity >= *fail_on) {
            return k_exit_findings;
        }
    }
    return k_exit_clean;
}

int run_options(const Options& o, const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (o.command == Command::rules) {
        report::render_rules(o.rules_format, out);
        return k_exit_clean;
    }
    std::optional<std::vector<session::LedgerEntry>> ledger;
    if (!o.ledger.empty()) {
        auto loaded = session::load_ledger(o.ledger);
        if (!loaded) {
            err << "zaudit: " << loaded.error().message << '\n';
            return k_exit_usage;
        }
        ledger = std::move(*loaded);
    }
    auto model = build_model(o, std::move(ledger), err);
    if (!model) {
        return k_exit_usage;
    }
    analysis::Policy policy;
    policy.reveal_keys = o.reveal_keys;
    report::AuditResult result{{ZAUDIT_VERSION, {}}, std::move(*model), {}};
    result.tool.command_line.emplace_back("zaudit");
    result.tool.command_line.insert(result.tool.command_line.end(), args.begin(), args.end());
    result.findings = analysis::run_rules(result.model, policy);
    if (!o.ledger.empty()) {
        // What this capture showed is learnt after judging it against what was known before.
        if (auto saved = session::save_ledger(o.ledger, session::updated_ledger(result.model)); !saved) {
            err << "zaudit: " << saved.error().message << '\n';
            return k_exit_usage;
        }
    }

    std::ofstream file;
    if (!o.output.empty()) {
        file.open(o.output);
        if (!file) {
            err << fmt::format("zaudit: {}: cannot write\n", o.output);
            return k_exit_usage;
        }
    }
    std::ostream& sink = o.output.empty() ? out : file;
    const bool to_terminal = o.output.empty() && &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
    const report::RenderOptions render_options{o.color == "always" || (o.color == "auto" && to_terminal)};
    if (o.command == Command::zrtp && o.format == report::Format::text) {
        report::render_zrtp(result, sink);
    } else if (o.command == Command::calls && o.format == report::Format::text) {
        report::render_calls(result, sink);
    } else {
        report::render(o.format, result, sink, render_options);
    }
    if (o.command == Command::zrtp || o.command == Command::calls) {
        return k_exit_clean;  // listings, not audits
    }
    return exit_code_for(result.findings, o.fail_on);
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const po::options_description options = option_descriptions();
    po::options_description hidden;
    hidden.add_options()("positional", po::value<std::vector<std::string>>(), "");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("positional", -1);
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
        if (vm.count("help") != 0) {
            out << k_usage << '\n' << options << '\n'
                << "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or "
                   "unreadable input.\n";
            return k_exit_clean;
        }
        if (vm.count("version") != 0) {
            out << "zaudit " << ZAUDIT_VERSION << '\n';
            return k_exit_clean;
        }
        std::vector<std::string> words;
        if (vm.count("positional") != 0) {
            words = vm["positional"].as<std::vector<std::string>>();
        }
        return run_options(to_options(vm, std::move(words)), args, out, err);
    } catch (const po::error& e) {
        err << "zaudit: " << e.what() << " (try --help)\n";
    } catch (const UsageError& e) {
        err << "zaudit: " << e.message << " (try --help)\n";
    }
    return k_exit_usage;
}

}  // namespace zaudit::cli
