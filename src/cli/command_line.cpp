// The command line: which command, which options, and what they mean together (combinations the
// option table alone cannot refuse are usage errors here).
#include "command_line.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "zaudit/audio/export.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/cli/config.hpp"
#include "zaudit/cli/options.hpp"
#include "zaudit/util/escape.hpp"

namespace zaudit::cli {
namespace po = boost::program_options;

std::vector<std::string_view> command_names() {
    std::vector<std::string_view> names;
    names.reserve(k_commands.size());
    for (const auto& [name, command] : k_commands) {
        names.push_back(name);
    }
    return names;
}

std::vector<ValueChoices> value_choices() {
    // What the parser accepts: report::parse_format, parse_rules_format and check_compare,
    // analysis::parse_severity and "none", the --color words (test_options.cpp holds them equal).
    return {{"format", "", {"text", "json", "jsonl", "sarif", "markdown"}},
            {"format", "rules", {"text", "json", "markdown"}},
            {"format", "compare", {"text", "json"}},
            {"fail-on", "", {"none", "info", "low", "medium", "high", "critical"}},
            {"color", "", {"auto", "always", "never"}}};
}

po::options_description option_descriptions() {
    po::options_description options{"Options"};
    options.add_options()(
        "format,f", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
        "text|json|jsonl|sarif|markdown|html (rules: text|json|markdown; compare: text|json); json follows schema "
        "zaudit/1 (compare: zaudit-compare/1), jsonl prints one finding per line, sarif follows SARIF 2.1.0, "
        "markdown is CommonMark with pipe tables (verdicts and findings by rule, for tickets and CI summaries), "
        "html is one self-contained page (verdicts, findings, and per call its path and an SVG ladder)")(
        "output,o", po::value<std::string>()->value_name("FILE"),
        "write the report to FILE instead of standard output")(
        "fail-on", po::value<std::string>()->value_name("LEVEL")->default_value("high"),
        "none|info|low|medium|high|critical: exit 1 when a finding is at or above it")(
        "interface,i", po::value<std::string>()->value_name("IF"),
        "capture live from interface IF (with the privileges libpcap needs)")(
        "duration", po::value<double>()->value_name("S"), "live capture (--interface): stop after S seconds")(
        "count", po::value<std::uint64_t>()->value_name("N"), "live capture (--interface): stop after N packets")(
        "filter", po::value<std::string>()->value_name("BPF"), "libpcap filter applied while reading")(
        "calls", po::value<std::vector<std::string>>()->value_name("CALL")->composing(),
        "report only these calls: a number as reports show it (per input) or a SIP Call-ID, comma-separated or "
        "repeated; their streams, handshakes, flows and findings stay, findings about no call are left out; the "
        "report says it is narrowed; a CALL that names no call is exit 2")(
        "since", po::value<std::string>()->value_name("TIME"),
        "report only the calls (kept whole), streams and flows that last until TIME or later: RFC 3339 with its "
        "zone (2026-03-01T10:00:00Z) or +SECONDS after the first packet (+90); the report says it is narrowed")(
        "until", po::value<std::string>()->value_name("TIME"),
        "report only the calls (kept whole), streams and flows that began before TIME, as for --since; a window "
        "that meets no capture is exit 2")(
        "decode-as", po::value<std::vector<std::string>>()->value_name("udp:PORT=PROTO")->composing(),
        "decode every UDP datagram from or to PORT as PROTO (sip, rtp, zrtp or iax2) whatever its first bytes look "
        "like; repeatable")(
        "srtp-key", po::value<std::vector<std::string>>()->value_name("SPEC")->composing(),
        "an SRTP master key the capture does not show, tried like an SDES key: SPEC is ADDR:PORT=SUITE:KEY "
        "(the streams ADDR:PORT sends, [ADDR]:PORT for IPv6) or 0xSSRC=SUITE:KEY, KEY the base64 key and salt; "
        "repeatable")(
        "verify-all", po::bool_switch(),
        "try every SRTP packet against the keys known for its stream (SDES in clear SDP, --srtp-key), not a "
        "sample (the first packets until the key settles, then 1 in 50): finds every altered or injected packet, "
        "at a libsrtp2 call per packet and key; each srtp_check in the report says which was done")(
        "reveal-keys", po::bool_switch(),
        "show SDES key material; by default a key appears only as a fingerprint (the first 16 hex digits of "
        "SHA-256 of key and salt)")(
        "ledger", po::value<std::string>()->value_name("FILE"),
        "ZID ledger kept across runs, like ssh's known_hosts: a known identity with a new ZID, or a known ZID "
        "under another identity, is reported as zrtp.zid-conflict; then the ZIDs seen are recorded")(
        "config", po::value<std::string>()->value_name("FILE"),
        "policy as code (TOML): required protections, the ZRTP key-agreement floor, severity overrides, rules "
        "off and the baseline; default ./zaudit.toml when it exists (--config /dev/null for none); the report "
        "names it and its sha256, and a bad file is exit 2 with its line")(
        "baseline", po::value<std::string>()->value_name("FILE"),
        "findings whose fingerprint FILE lists (written by `zaudit baseline`) are accepted: still reported, "
        "marked, but --fail-on passes over them, so a pipeline fails only on what is new; the report names "
        "FILE and its sha256")(
        "export-audio", po::value<std::string>()->value_name("DIR"),
        "audit, and write every stream zaudit can decode (G.711, G.722, Opus) as a WAV file in DIR, with "
        "DIR/manifest.json: plain RTP, and SRTP decrypted by libsrtp2 with keys the capture exposes or --srtp-key "
        "gives (SRTCP checked too); sdes.key-exposed then says how many packets became audio. Reads the captures "
        "twice, so not standard input, a pipe or --interface")(
        "audio", po::value<std::string>()->value_name("DIR"),
        "zaudit export: the folder for the WAV files and manifest.json (as --export-audio, without the report)")(
        "merge", po::bool_switch(),
        "audit the inputs as one capture merged by time, as mergecap does (two taps of one call, or rotated "
        "files); without it each input is audited on its own")(
        "dialog-timeout", po::value<double>()->value_name("S")->default_value(180, "180"),
        "a SIP dialog whose INVITE got no final response (or with no INVITE) and no message for S seconds of "
        "capture time is closed and summarised: counted in the findings, not listed as a call")(
        "call-timeout", po::value<double>()->value_name("S")->default_value(3600, "3600"),
        "an answered call without BYE, SIP message or packet at its media addresses for S seconds of capture "
        "time is closed and summarised the same way")(
        "max-failed-calls", po::value<std::size_t>()->value_name("N")->default_value(10000),
        "at most N calls whose INVITE failed (401, 404, 486...) are kept whole; beyond, the oldest is "
        "summarised the same way (a scanner answered by a PBX)")(
        "max-dialogs", po::value<std::size_t>()->value_name("N")->default_value(10000),
        "at most N such dialogs are followed at once; beyond, the oldest is summarised early (counted in the "
        "report's decode section: results are partial)")(
        "max-flows", po::value<std::size_t>()->value_name("N")->default_value(100000),
        "at most N UDP/TCP flows are followed at once; beyond, the tenth idle longest are closed early, and "
        "those that carried no media are counted (flow.cap_reached), not listed")(
        "max-call-messages", po::value<std::size_t>()->value_name("N")->default_value(10000),
        "at most N SIP messages of one dialog are kept; further ones still end the call but are counted "
        "(sip.too_many_messages), their SDP not read: results are partial")(
        "max-zrtp-messages", po::value<std::size_t>()->value_name("N")->default_value(1000),
        "at most N ZRTP handshakes, distinct messages and events are kept a flow (retransmissions fold); "
        "further ZRTP packets are counted (zrtp.too_many_messages): results are partial")(
        "max-ssrcs-per-flow", po::value<std::size_t>()->value_name("N")->default_value(256),
        "at most N RTP streams (SSRC and direction) are followed on one flow; packets of further SSRCs are "
        "counted (rtp.too_many_ssrcs)")(
        "jobs,j", po::value<std::size_t>()->value_name("N"),
        "the cores to use (default: all): up to N inputs audited at once, one thread each, the largest first; "
        "an audit takes a core no other input needs (N above the inputs audited at once, or one an ended input "
        "left) to read and hash its input beside it; -j 1 runs on one thread. The report is the same for any N")(
        "color", po::value<std::string>()->value_name("WHEN")->default_value("auto"),
        "auto|always|never: colour severities in the text report; auto colours them on a terminal only, and "
        "not when NO_COLOR is set")("quiet,q", po::bool_switch(), "no progress and no warnings on standard error")(
        "verbose,v", po::bool_switch(),
        "text, markdown and html: list every occurrence of every finding (not the first 10 a rule), every row "
        "of the html ladders (not the first 200), and in text the calls and flows in detail")(
        "version", "print the version and exit")("help,h", "print this help and exit");
    return options;
}

namespace {

/// The first capture named that is a pipe (a FIFO, bash's <(...)): read once, it is gone.
std::optional<std::string> first_pipe(const std::vector<std::string>& captures) {
    for (const auto& path : captures) {
        if (path != "-" && !capture::readable_again(capture::Source::file(path))) {
            return path;
        }
    }
    return std::nullopt;
}

Command parse_command(std::vector<std::string>& positional) {
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

/// `zaudit compare A B`: two capture files, each audited on its own, and a report of their own.
void check_compare(const Options& o) {
    if (o.captures.size() != 2 || !o.interface.empty()) {
        throw UsageError{"usage: zaudit compare A B (two captures of the same calls, taken at two points)"};
    }
    if (o.merge) {
        throw UsageError{"compare audits A and B on their own and compares them: --merge does not apply"};
    }
    if (o.format != report::Format::text && o.format != report::Format::json) {
        throw UsageError{"compare writes text or json (schema zaudit-compare/1), not jsonl, sarif, markdown or html"};
    }
    if (o.narrowing.active()) {
        throw UsageError{"compare matches the calls of two whole captures: --calls, --since and --until do not apply"};
    }
}

/// --export-audio (an audit) and export's --audio: a folder, and captures that can be read twice.
void check_export(const po::variables_map& vm, Options& o) {
    if (vm.count("audio") != 0) {
        if (o.command != Command::export_audio) {
            throw UsageError{"--audio DIR belongs to zaudit export; an audit takes --export-audio DIR"};
        }
        o.export_audio = vm["audio"].as<std::string>();
    }
    if (vm.count("export-audio") != 0) {
        if (o.command != Command::audit && o.command != Command::export_audio) {
            throw UsageError{"--export-audio goes with an audit (zaudit [OPTIONS] CAPTURE...) or zaudit export"};
        }
        o.export_audio = vm["export-audio"].as<std::string>();
    }
    if (o.command == Command::export_audio && o.export_audio.empty()) {
        throw UsageError{"usage: zaudit export --audio DIR CAPTURE..."};
    }
    if (o.command == Command::export_audio && o.format != report::Format::text) {
        throw UsageError{"zaudit export lists its files as text; DIR/manifest.json is its JSON"};
    }
    if (vm.count("audio") != 0 && vm.count("export-audio") != 0 && vm["audio"].as<std::string>() != o.export_audio) {
        throw UsageError{"zaudit export takes one folder: --audio DIR or --export-audio DIR, not two"};
    }
    if (o.export_audio.empty()) {
        return;
    }
    if (!o.interface.empty()) {
        throw UsageError{
            "audio export reads the captures a second time: a live --interface cannot be read again "
            "(capture to a file, then export it)"};
    }
    std::vector<capture::Source> sources;
    for (const auto& path : o.captures) {
        sources.push_back(capture::Source::file(path));
    }
    if (auto why = audio::unexportable(sources)) {  // stdin or a pipe: refused before anything is read
        throw UsageError{*why};
    }
}

/// --calls, --since and --until: what to narrow the report to (analysis/narrow.hpp).
analysis::Narrowing narrowing_of(const po::variables_map& vm) {
    analysis::Narrowing narrowing;
    if (vm.count("calls") != 0) {
        for (const auto& value : vm["calls"].as<std::vector<std::string>>()) {
            auto selectors = analysis::parse_call_selectors(value);
            if (!selectors) {
                throw UsageError{selectors.error().message};
            }
            narrowing.calls.insert(narrowing.calls.end(), selectors->begin(), selectors->end());
        }
    }
    for (const auto& [name, bound] : {std::pair{"since", &narrowing.since}, std::pair{"until", &narrowing.until}}) {
        if (vm.count(name) != 0) {
            auto parsed = analysis::parse_time_bound(vm[name].as<std::string>());
            if (!parsed) {
                throw UsageError{fmt::format("--{}: {}", name, parsed.error().message)};
            }
            *bound = *parsed;
        }
    }
    // Bounds of one kind compare here; an instant and "+SECONDS" only once the capture is read.
    const auto& since = narrowing.since;
    const auto& until = narrowing.until;
    if (since && until && since->from_first_packet == until->from_first_packet && since->micros >= until->micros) {
        throw UsageError{"--since must come before --until: the window runs from --since up to --until"};
    }
    return narrowing;
}

/// The value of a count option (--max-flows...), which must be at least `minimum`.
std::size_t count_at_least(const po::variables_map& vm, const std::string& name, std::size_t minimum) {
    const auto value = vm[name].as<std::size_t>();
    if (value < minimum) {
        throw UsageError{fmt::format("--{} needs a number of at least {}", name, minimum)};
    }
    return value;
}

}  // namespace

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
        throw UsageError{fmt::format("unknown format '{}' (text, json, jsonl, sarif, markdown, html)", format_name)};
    }
    o.format = *format;
    const auto& fail_on = vm["fail-on"].as<std::string>();
    if (fail_on == "none") {
        o.fail_on.reset();
    } else if (auto severity = analysis::parse_severity(fail_on)) {
        o.fail_on = severity;
    } else {
        throw UsageError{
            fmt::format("unknown --fail-on level '{}' (none, info, low, medium, high, critical)", fail_on)};
    }
    if (vm.count("output") != 0) o.output = vm["output"].as<std::string>();
    if (vm.count("ledger") != 0) o.ledger = vm["ledger"].as<std::string>();
    if (vm.count("baseline") != 0) o.baseline = vm["baseline"].as<std::string>();
    if (vm.count("config") != 0) {
        o.config = vm["config"].as<std::string>();
    } else if (std::error_code ec; std::filesystem::is_regular_file("zaudit.toml", ec)) {
        o.config = "zaudit.toml";
    }
    if (vm.count("interface") != 0) o.interface = vm["interface"].as<std::string>();
    if (vm.count("filter") != 0) o.filter = vm["filter"].as<std::string>();
    if (vm.count("duration") != 0) o.duration = vm["duration"].as<double>();
    if (vm.count("count") != 0) o.count = vm["count"].as<std::uint64_t>();
    o.merge = vm["merge"].as<bool>();
    const double dialog_timeout = vm["dialog-timeout"].as<double>();
    if (!(dialog_timeout > 0 && dialog_timeout <= 1e6)) {
        throw UsageError{"--dialog-timeout needs a number of seconds above 0 (at most 1000000)"};
    }
    o.limits.dialog_timeout_micros = static_cast<std::int64_t>(dialog_timeout * 1e6);
    const double call_timeout = vm["call-timeout"].as<double>();
    if (!(call_timeout > 0 && call_timeout <= 1e7)) {
        throw UsageError{"--call-timeout needs a number of seconds above 0 (at most 10000000)"};
    }
    o.limits.call_idle_micros = static_cast<std::int64_t>(call_timeout * 1e6);
    o.limits.max_live_dialogs = count_at_least(vm, "max-dialogs", 1);
    o.limits.max_failed_calls = count_at_least(vm, "max-failed-calls", 1);
    o.limits.max_live_flows = count_at_least(vm, "max-flows", 2);
    o.limits.max_messages_per_call = count_at_least(vm, "max-call-messages", 1);
    o.limits.max_zrtp_records_per_flow = count_at_least(vm, "max-zrtp-messages", 1);
    o.limits.max_streams_per_flow = count_at_least(vm, "max-ssrcs-per-flow", 1);
    if (vm.count("jobs") != 0) {
        o.jobs = count_at_least(vm, "jobs", 1);
    }
    if (vm.count("decode-as") != 0) {
        for (const auto& value : vm["decode-as"].as<std::vector<std::string>>()) {
            auto rule = demux::parse_decode_as(value);
            if (!rule) {
                throw UsageError{rule.error().message};
            }
            o.hints.decode_as.push_back(*rule);
        }
    }
    if (vm.count("srtp-key") != 0) {
        for (const auto& value : vm["srtp-key"].as<std::vector<std::string>>()) {
            auto key = session::parse_given_srtp_key(value);
            if (!key) {
                throw UsageError{key.error().message};
            }
            o.hints.srtp_keys.push_back(std::move(*key));
        }
    }
    o.hints.verify_all = vm["verify-all"].as<bool>();
    o.reveal_keys = vm["reveal-keys"].as<bool>();
    o.quiet = vm["quiet"].as<bool>();
    o.verbose = vm["verbose"].as<bool>();
    const std::string color = vm["color"].as<std::string>();
    if (color == "auto") {
        o.color = ColorWhen::auto_detect;
    } else if (color == "always") {
        o.color = ColorWhen::always;
    } else if (color == "never") {
        o.color = ColorWhen::never;
    } else {
        throw UsageError{fmt::format("unknown --color '{}' (auto, always, never)", color)};
    }
    o.narrowing = narrowing_of(vm);
    if (o.narrowing.active() && o.format == report::Format::jsonl && o.command != Command::baseline) {
        throw UsageError{
            "jsonl has no line to say the report is narrowed (--calls, --since, --until): use json, whose findings "
            "are the same objects"};
    }
    if ((vm.count("duration") != 0 || vm.count("count") != 0) && o.interface.empty()) {
        throw UsageError{"--duration and --count stop a live capture: they need --interface"};
    }
    if (o.command == Command::ledger) {
        const bool keyed = !o.captures.empty() && (o.captures.front() == "accept" || o.captures.front() == "forget");
        const bool listing = o.captures.size() == 1 && o.captures.front() == "list";
        if (!(listing || (keyed && o.captures.size() == 2))) {
            throw UsageError{
                "usage: zaudit ledger list | accept ZID|IDENTITY | forget ZID|IDENTITY, with --ledger FILE"};
        }
        if (o.ledger.empty()) {
            throw UsageError{"zaudit ledger needs --ledger FILE"};
        }
        return o;
    }
    if (o.command == Command::compare) {
        check_compare(o);
        return o;
    }
    check_export(vm, o);
    if (o.captures.empty() && o.interface.empty()) {
        throw UsageError{"no capture given"};
    }
    if (!o.interface.empty() && !o.captures.empty()) {
        throw UsageError{"--interface reads a live interface: it cannot be combined with capture files"};
    }
    if (o.merge && std::find(o.captures.begin(), o.captures.end(), "-") != o.captures.end()) {
        // Merged frames are mapped back to their inputs by reading the inputs a second time.
        throw UsageError{"--merge reads its inputs twice, so standard input ('-') cannot be one of them"};
    }
    if (const auto pipe = o.merge ? first_pipe(o.captures) : std::nullopt) {
        throw UsageError{fmt::format("--merge reads its inputs twice, so {}, a pipe, cannot be one of them",
                                     util::printable(*pipe))};
    }
    return o;
}

}  // namespace zaudit::cli
