#pragma once
// The audit run behind the commands: each input on its own (the default) or all inputs merged
// by time (--merge), in parallel when --jobs allows, into one AuditResult.

#include <csignal>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/audio/export.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/session/zid_ledger.hpp"

namespace zaudit::cli {

struct AuditPlan {
    std::vector<capture::Source> sources;
    bool merge = false;  ///< one audit over every source, merged by timestamp
    /// The cores to use (--jobs): up to this many inputs audited at once (independent mode), one
    /// thread each, and an input's reading and hashing threads beside its audit when there are
    /// cores to spare (run_audit says when); 1 is one thread.
    std::size_t jobs = 1;
    bool progress = false;  ///< progress line on stderr (a terminal, one job)
    bool quiet = false;
    analysis::Policy policy;
    session::UserHints hints;                                   ///< --decode-as and --srtp-key, for every audit
    session::Limits limits;                                     ///< --dialog-timeout, --max-dialogs
    const std::vector<session::LedgerEntry>* ledger = nullptr;  ///< --ledger, loaded
    const volatile std::sig_atomic_t* stop = nullptr;           ///< set by SIGINT/SIGTERM
    /// --export-audio / zaudit export --audio: the folder for the WAV files and manifest.json;
    /// empty for no export. The export runs before the rules, whose evidence then cites it.
    std::string export_audio;
};

struct AuditRun {
    report::AuditResult result;
    bool input_failed = false;  ///< some input could not be read at all: exit 2 after the report
    /// With an audio export: what became of each group's streams (in input order), and whether
    /// the export failed somewhere (the reason is on stderr).
    std::vector<std::vector<audio::StreamExport>> exports;
    bool export_failed = false;
};

/// Audits as planned. Warnings and errors go to `err` in input order, whatever the job count.
AuditRun run_audit(const AuditPlan& plan, report::ToolInfo tool, std::ostream& err);

}  // namespace zaudit::cli
