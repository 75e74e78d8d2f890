#include "zaudit/cli/cli.hpp"
#include "zaudit/cli/options.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "audit.hpp"
#include "zaudit/cli/config.hpp"
#include "zaudit/analysis/baseline.hpp"
#include "zaudit/analysis/narrow.hpp"
#include "zaudit/analysis/registry.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/report/rules.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/session/zid_ledger.hpp"
#include "zaudit/srtp/srtp_session.hpp"
#include "zaudit/util/escape.hpp"

#include "command_line.hpp"

namespace zaudit::cli {
namespace {

namespace po = boost::program_options;

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

int exit_code_for(const report::AuditResult& result, std::optional<analysis::Severity> fail_on) {
    if (!fail_on) {
        return k_exit_clean;
    }
    for (const auto& audit : result.audits) {
        for (const auto& f : audit.findings) {
            if (f.severity >= *fail_on && !f.accepted) {
                return k_exit_findings;
            }
        }
    }
    return k_exit_clean;
}

int exit_code_for(const std::vector<analysis::Finding>& findings, std::optional<analysis::Severity> fail_on) {
    const bool failing = fail_on && std::any_of(findings.begin(), findings.end(), [&](const analysis::Finding& f) {
                             return f.severity >= *fail_on && !f.accepted;
                         });
    return failing ? k_exit_findings : k_exit_clean;
}

/// Learns what the captures showed, after judging them against what was known before.
util::Status update_ledger(const std::string& path, std::vector<session::LedgerEntry> ledger,
                           const report::AuditResult& result) {
    for (const auto& audit : result.audits) {
        ledger = session::learn(std::move(ledger), session::observed_zids(audit.model));
    }
    return session::save_ledger(path, std::move(ledger));
}

/// `zaudit ledger list|accept|forget`: the ledger is the user's to curate, like known_hosts.
int run_ledger(const Options& o, std::ostream& out, std::ostream& err) {
    auto ledger = session::load_ledger(o.ledger);
    if (!ledger) {
        err << "zaudit: " << ledger.error().message << '\n';
        return k_exit_usage;
    }
    const std::string& action = o.captures.front();
    if (action == "list") {
        for (const auto& e : *ledger) {
            out << fmt::format("{}  {:<7}  {}  {}  since {}\n", e.zid, e.pending ? "pending" : "known", e.identity,
                               e.client_id.empty() ? "-" : e.client_id, e.first_seen);
        }
        return k_exit_clean;
    }
    auto changed = action == "accept" ? session::accept(std::move(*ledger), o.captures[1])
                                      : session::forget(std::move(*ledger), o.captures[1]);
    if (!changed) {
        err << "zaudit: " << o.ledger << ": " << changed.error().message << '\n';
        return k_exit_usage;
    }
    if (auto saved = session::save_ledger(o.ledger, std::move(*changed)); !saved) {
        err << "zaudit: " << saved.error().message << '\n';
        return k_exit_usage;
    }
    return k_exit_clean;
}

/// The report repeats the command line: --srtp-key values keep their stream and suite, not the key.
void redact_srtp_keys(std::vector<std::string>& words) {
    constexpr std::string_view k_option = "--srtp-key";
    const auto redact = [](std::string& spec) {
        const auto equals = spec.find('=');
        const auto colon = equals == std::string::npos ? std::string::npos : spec.find(':', equals);
        spec = colon == std::string::npos ? std::string{"(redacted)"} : spec.substr(0, colon + 1) + "(redacted)";
    };
    for (std::size_t i = 0; i < words.size(); ++i) {
        std::string& word = words[i];
        if (word == k_option && i + 1 < words.size()) {
            redact(words[++i]);
        } else if (word.rfind(std::string{k_option} + "=", 0) == 0) {
            std::string spec = word.substr(k_option.size() + 1);
            redact(spec);
            word = std::string{k_option} + "=" + spec;
        }
    }
}

/// Narrows every audit of `result` (--calls, --since, --until) and records how in the result.
/// False, once it has said why on `err`, when an item of --calls names no call of any input or
/// the window meets no capture: likelier a typo or a wrong zone than a quiet hour, and a CI gate
/// must not pass on an empty report. The report is still written, of what was kept.
bool narrow_audits(const analysis::Narrowing& narrowing, report::AuditResult& result, std::ostream& err) {
    report::NarrowingUse use{narrowing, {}};
    std::vector<bool> matched(narrowing.calls.size(), false);
    bool window_met = false;
    std::string spans;
    for (report::InputAudit& audit : result.audits) {
        for (const capture::InputInfo& input : audit.model.inputs) {
            if (input.first_time && input.last_time) {
                spans += fmt::format("{}{} runs from {} to {}", spans.empty() ? "" : "; ", util::printable(input.path),
                                     util::to_rfc3339(*input.first_time), util::to_rfc3339(*input.last_time));
            }
        }
        analysis::NarrowedAudit narrowed =
            analysis::narrow(std::move(audit.model), std::move(audit.findings), narrowing);
        for (std::size_t i = 0; i < matched.size(); ++i) {
            matched[i] = matched[i] || narrowed.matched[i];
        }
        window_met = window_met || narrowed.window_meets_capture;
        use.counts += narrowed.counts;
        audit.model = std::move(narrowed.model);
        audit.findings = std::move(narrowed.findings);
    }
    result.narrowed = std::move(use);
    bool met = true;
    for (std::size_t i = 0; i < matched.size(); ++i) {
        if (!matched[i]) {
            err << fmt::format(
                "zaudit: --calls {}: no call of any input has this number or Call-ID (zaudit calls lists them)\n",
                util::printable(narrowing.calls[i].text));
            met = false;
        }
    }
    if (!window_met) {
        err << fmt::format("zaudit: --since/--until: the window holds no packet of any capture{}{}\n",
                           spans.empty() ? "" : ": ", spans);
        met = false;
    }
    return met;
}

/// `zaudit export`: one line per stream, what was written or why not (the manifest has the rest).
void render_exports(const std::string& dir, const std::vector<std::vector<audio::StreamExport>>& groups,
                    std::ostream& out) {
    for (const auto& streams : groups) {
        for (const audio::StreamExport& s : streams) {
            const std::string call = s.call == 0 ? std::string{"no call"} : fmt::format("call {}", s.call);
            const std::string head =
                fmt::format("stream {} ({}, SSRC 0x{:08x}, {} -> {})", s.stream, call, s.ssrc, s.src, s.dst);
            if (s.file.empty()) {
                out << fmt::format("{}: not exported: {}\n", head,
                                   s.skipped.empty() ? std::string{"no packet decoded"} : s.skipped);
                continue;
            }
            const std::string srtp =
                s.protection == "srtp"
                    ? fmt::format(
                          ", SRTP key {} ({}): {} packets decrypted, {} failed; SRTCP {} authenticated, {} "
                          "failed, {} plain RTCP",
                          s.key_fingerprint, s.key_source, s.decrypted, s.decrypt_failed, s.srtcp_authenticated,
                          s.srtcp_failed, s.rtcp_plain)
                    : std::string{};
            out << fmt::format("{}: {}, {:.2f} s of {}{}; {} gaps filled\n", head,
                               util::printable((std::filesystem::path{dir} / s.file).string()),
                               static_cast<double>(s.samples) / s.sample_rate, s.codec, srtp, s.gaps);
        }
    }
    out << fmt::format("manifest: {}\n", util::printable((std::filesystem::path{dir} / "manifest.json").string()));
}

int run_options(const Options& o, const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                const volatile std::sig_atomic_t* stop) {
    if (o.command == Command::rules) {
        report::render_rules(o.rules_format, out);
        return k_exit_clean;
    }
    if (o.command == Command::ledger) {
        return run_ledger(o, out, err);
    }
    std::optional<Config> config;
    if (!o.config.empty()) {
        auto loaded = load_config(o.config);
        if (!loaded) {
            err << "zaudit: " << loaded.error().message << '\n';
            return k_exit_usage;
        }
        config = std::move(*loaded);
    }
    const std::string baseline_path = !o.baseline.empty() ? o.baseline : config ? config->baseline.value_or("") : "";
    std::optional<analysis::Baseline> baseline;
    if (!baseline_path.empty()) {
        auto loaded = analysis::load_baseline(baseline_path);
        if (!loaded) {
            err << "zaudit: " << loaded.error().message << '\n';
            return k_exit_usage;
        }
        baseline = std::move(*loaded);
    }
    std::vector<session::LedgerEntry> ledger;
    if (!o.ledger.empty()) {
        auto loaded = session::load_ledger(o.ledger);
        if (!loaded) {
            err << "zaudit: " << loaded.error().message << '\n';
            return k_exit_usage;
        }
        ledger = std::move(*loaded);
    }
    std::ofstream file;
    const bool to_stdout = o.output.empty() || o.output == "-";
    if (!to_stdout) {
        file.open(o.output);  // before the audit: a report that cannot be written fails fast
        if (!file) {
            err << fmt::format("zaudit: {}: cannot write\n", o.output);
            return k_exit_usage;
        }
    }

    AuditPlan plan;
    plan.sources = sources_of(o);
    plan.merge = o.merge;
    plan.jobs = o.jobs != 0 ? o.jobs : std::max(1U, std::thread::hardware_concurrency());
    plan.progress = !o.quiet && ::isatty(STDERR_FILENO) == 1;
    plan.quiet = o.quiet;
    plan.policy.reveal_keys = o.reveal_keys;
    if (config) {
        apply_to_policy(*config, plan.policy);
    }
    plan.ledger = o.ledger.empty() ? nullptr : &ledger;
    plan.stop = stop;
    plan.hints = o.hints;
    plan.limits = o.limits;
    plan.export_audio = o.export_audio;
    report::ToolInfo tool{ZAUDIT_VERSION, {"zaudit"}};
    tool.command_line.insert(tool.command_line.end(), args.begin(), args.end());
    if (!o.reveal_keys) {
        redact_srtp_keys(tool.command_line);
    }
    AuditRun run = run_audit(plan, std::move(tool), err);
    if (config) {
        report::ConfigUse use{config->path, config->sha256, {}, {}, {}};
        for (const std::string_view rule : config->rules_off) {
            use.rules_off.emplace_back(rule);
        }
        for (const auto& [rule, severity] : config->severity) {
            use.severity.emplace_back(rule, severity);
        }
        for (const analysis::RequiredProtection r : config->required) {
            use.required.push_back(r);
        }
        for (report::InputAudit& audit : run.result.audits) {
            apply_to_findings(*config, audit.findings);
        }
        run.result.config = std::move(use);
    }
    if (!o.ledger.empty()) {
        // From the whole audit: narrowing chooses what a report shows, not what was seen.
        if (auto saved = update_ledger(o.ledger, std::move(ledger), run.result); !saved) {
            err << "zaudit: " << saved.error().message << '\n';
            return k_exit_usage;
        }
    }
    const bool nothing_read =
        std::all_of(run.result.audits.begin(), run.result.audits.end(), [](const report::InputAudit& a) {
            return std::all_of(a.model.inputs.begin(), a.model.inputs.end(),
                               [](const capture::InputInfo& input) { return input.error.has_value(); });
        });
    if (nothing_read) {
        return k_exit_usage;  // each input's reason is on stderr already; a report would be empty
    }
    // Before the baseline, so that the count of findings it accepted is of those reported.
    const bool narrowing_met = !o.narrowing.active() || narrow_audits(o.narrowing, run.result, err);
    if (baseline) {
        report::BaselineUse use{baseline->path, baseline->sha256, baseline->fingerprints.size(), 0};
        for (report::InputAudit& audit : run.result.audits) {
            use.accepted += analysis::apply_baseline(*baseline, audit.findings);
        }
        run.result.baseline = use;
    }
    const report::AuditResult& result = run.result;
    const bool failed = run.input_failed || !narrowing_met || run.export_failed;
    std::ostream& sink = to_stdout ? out : file;
    const bool to_terminal = to_stdout && &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
    // auto: colour on a terminal, unless NO_COLOR is set to anything (no-color.org).
    const char* no_color = std::getenv("NO_COLOR");
    const bool color_allowed = no_color == nullptr || *no_color == '\0';
    const report::RenderOptions render_options{
        .color = o.color == ColorWhen::always || (o.color == ColorWhen::auto_detect && to_terminal && color_allowed),
        .verbose = o.verbose,
        .threads = plan.jobs >= 2 ? 2U : 1U};
    if (o.command == Command::compare) {
        if (run.input_failed) {
            // Half a comparison would read as "nothing differs": the reason is on stderr already.
            err << "zaudit: compare needs both captures; nothing compared\n";
            return k_exit_usage;
        }
        const analysis::Comparison comparison =
            analysis::compare(result.audits[0].model, result.audits[1].model, plan.policy);
        if (o.format == report::Format::json) {
            sink << report::compare_to_json(result, comparison).dump(2) << '\n';
        } else {
            report::render_compare_text(result, comparison, sink, render_options);
        }
        return exit_code_for(comparison.findings, o.fail_on);
    }
    if (o.command == Command::export_audio) {
        render_exports(o.export_audio, run.exports, sink);
        return failed ? k_exit_usage : k_exit_clean;
    }
    if (o.command == Command::baseline) {
        std::vector<const analysis::Finding*> all;
        for (const auto& audit : result.audits) {
            for (const auto& f : audit.findings) {
                all.push_back(&f);
            }
        }
        sink << analysis::write_baseline(all, result.narrowed ? report::narrowing_text(*result.narrowed) : "");
        return failed ? k_exit_usage : k_exit_clean;
    }
    if (o.command == Command::zrtp && o.format == report::Format::text) {
        report::render_zrtp(result, sink);
    } else if (o.command == Command::calls && o.format == report::Format::text) {
        report::render_calls(result, sink);
    } else {
        report::render(o.format, result, sink, render_options);
    }
    if (failed) {
        return k_exit_usage;  // the report covers the inputs that could be read, the calls that were found
    }
    if (o.command == Command::zrtp || o.command == Command::calls) {
        return k_exit_clean;  // listings, not audits
    }
    return exit_code_for(result, o.fail_on);
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const volatile std::sig_atomic_t* stop) {
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
            out << k_usage << '\n'
                << options << '\n'
                << "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or "
                   "unreadable input.\n";
            return k_exit_clean;
        }
        if (vm.count("version") != 0) {
            out << "zaudit " << ZAUDIT_VERSION << '\n' << srtp::library_version() << '\n';
            return k_exit_clean;
        }
        std::vector<std::string> words;
        if (vm.count("positional") != 0) {
            words = vm["positional"].as<std::vector<std::string>>();
        }
        return run_options(to_options(vm, std::move(words)), args, out, err, stop);
    } catch (const po::error& e) {
        err << "zaudit: " << e.what() << " (try --help)\n";
    } catch (const UsageError& e) {
        err << "zaudit: " << e.message << " (try --help)\n";
    }
    return k_exit_usage;
}

}  // namespace zaudit::cli
