#pragma once
// The command line as zaudit reads it: the commands, the option table, and the Options a run
// carries out. Private to the cli area (command_line.cpp parses, cli.cpp runs).

#include <boost/program_options.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/analysis/narrow.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/report/rules.hpp"
#include "zaudit/session/tracker.hpp"

namespace zaudit::cli {
enum class Command { audit, calls, zrtp, compare, rules, ledger, baseline, export_audio };
enum class ColorWhen { auto_detect, always, never };

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
    ColorWhen color = ColorWhen::auto_detect;
    bool quiet = false;
    bool verbose = false;  ///< --verbose
    std::string ledger;
    bool merge = false;
    std::size_t jobs = 0;           ///< 0: one per core
    session::UserHints hints;       ///< --decode-as, --srtp-key
    session::Limits limits;         ///< --dialog-timeout, --max-dialogs
    std::string baseline;           ///< --baseline
    std::string config;             ///< --config, or ./zaudit.toml when it exists
    analysis::Narrowing narrowing;  ///< --calls, --since, --until
    std::string export_audio;       ///< --export-audio DIR, or export's --audio DIR
};

inline constexpr std::string_view k_usage =
    R"(usage: zaudit [OPTIONS] CAPTURE...     audit captures (pcap, pcapng, '-' for stdin)
       zaudit calls CAPTURE...          one line per call: parties, media, protection
       zaudit zrtp CAPTURE...           every ZRTP handshake in detail
       zaudit compare A B               the same calls seen at two capture points (text|json)
       zaudit rules                     the finding catalogue, with explanations (text|json|markdown)
       zaudit ledger list|accept|forget [ZID|IDENTITY] --ledger FILE
                                        the ZID ledger: list it, accept a changed ZID, forget one
       zaudit baseline CAPTURE...       every finding's fingerprint, to accept them with --baseline
       zaudit export --audio DIR CAPTURE...
                                        decodable streams as WAV files and DIR/manifest.json: plain RTP,
                                        and SRTP decrypted with keys the capture exposes or --srtp-key gives
)";

struct UsageError {
    std::string message;
};

/// The first word of a command line, when it is one of these.
inline constexpr std::array<std::pair<std::string_view, Command>, 8> k_commands{{{"audit", Command::audit},
                                                                                 {"calls", Command::calls},
                                                                                 {"zrtp", Command::zrtp},
                                                                                 {"compare", Command::compare},
                                                                                 {"rules", Command::rules},
                                                                                 {"ledger", Command::ledger},
                                                                                 {"baseline", Command::baseline},
                                                                                 {"export", Command::export_audio}}};

/// Options from a parsed command line and its words (the command, then the captures); throws
/// UsageError for what the options table cannot refuse by itself.
Options to_options(const boost::program_options::variables_map& vm, std::vector<std::string> positional);

}  // namespace zaudit::cli
