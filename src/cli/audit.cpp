#include "audit.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/cli/progress.hpp"
#include "zaudit/cli/start_order.hpp"
#include "zaudit/net/read_ahead.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/util/huge_pages.hpp"

namespace zaudit::cli {
namespace {

/// Progress for long reads, on a terminal only (never in pipes or CI logs): the line of
/// progress_line(), redrawn at most four times a second. The clock is read only every 4096
/// frames, so a fast read pays for it once per millions of packets, not per packet.
class Progress {
public:
    Progress(bool enabled, std::ostream& err) : m_enabled{enabled}, m_err{err} {}
    /// `frames_source` is the Reader or ReadAhead the frames come from: asked for its progress.
    void update(const auto& frames_source, std::uint64_t frames) {
        if (!m_enabled || (frames & k_clock_read_mask) != 0) {
            return;
        }
        const auto now = Clock::now();
        if (now - m_last_shown < k_redraw_interval) {
            return;
        }
        m_last_shown = now;
        const auto [done, total] = frames_source.progress();
        const ProgressCounts counts{frames, done, total, std::chrono::duration<double>(now - m_start).count()};
        // \x1b[K erases what a longer previous line left at the end.
        m_err << '\r' << progress_line(counts) << "\x1b[K" << std::flush;
        m_shown = true;
    }
    ~Progress() {
        if (m_shown) {
            m_err << "\r\x1b[K";
        }
    }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    Progress(Progress&&) = delete;
    Progress& operator=(Progress&&) = delete;

private:
    using Clock = std::chrono::steady_clock;
    static constexpr std::uint64_t k_clock_read_mask = 4096 - 1;  // the clock is read when frames % 4096 == 0
    static constexpr auto k_redraw_interval = std::chrono::milliseconds{250};

    bool m_enabled;
    std::ostream& m_err;
    Clock::time_point m_start = Clock::now();
    Clock::time_point m_last_shown = m_start;  // the first line after a quarter second: short reads show none
    bool m_shown = false;
};

/// How often the frame loop lets the heap's new pages be advised (util/huge_pages.hpp): every
/// 65,536 frames, a system call per 10-20 MB of capture.
constexpr std::uint64_t k_heap_advice_mask = (std::uint64_t{1} << 16) - 1;

/// How often an audit on one thread looks for a core to spare: every 4,096 frames, a few
/// milliseconds of audit, and one atomic load.
constexpr std::uint64_t k_spare_core_mask = (std::uint64_t{1} << 12) - 1;

/// The cores of --jobs that no input's audit holds: those beyond one per worker, and each
/// worker's once no input is left for it. An audit on one thread claims one to read ahead and
/// hash beside itself, from its start or midway, and gives it back when it ends; without this,
/// the inputs that end last run alone on one core while the others sit idle.
class SpareCores {
public:
    explicit SpareCores(std::size_t cores) : m_cores{cores} {}

    [[nodiscard]] bool claim() {
        std::size_t cores = m_cores.load(std::memory_order_relaxed);
        while (cores > 0) {
            if (m_cores.compare_exchange_weak(cores, cores - 1, std::memory_order_relaxed)) {
                return true;
            }
        }
        return false;
    }
    void give_back() { m_cores.fetch_add(1, std::memory_order_relaxed); }

private:
    std::atomic<std::size_t> m_cores;
};

std::string display_name(const capture::Source& source) {
    return source.interface.empty() ? source.path : "if:" + source.interface;
}

/// The audit of an input that could not be read: it is still listed, with the reason.
report::InputAudit unreadable(const capture::Source& source, std::string message) {
    capture::InputInfo info;
    info.path = display_name(source);
    info.error = std::move(message);
    report::InputAudit audit;
    audit.model.inputs.push_back(std::move(info));
    return audit;
}

/// Under --merge, findings cite frames of the merged capture; name each one's input and the frame
/// number Wireshark shows there too.
void locate_frames(const std::vector<capture::Source>& sources, std::vector<analysis::Finding>& findings,
                   std::string& messages) {
    std::vector<std::uint64_t> cited;
    for (const auto& finding : findings) {
        cited.insert(cited.end(), finding.frames.begin(), finding.frames.end());
    }
    if (cited.empty()) {
        return;
    }
    auto located = capture::locate_merged_frames(sources, std::move(cited));
    if (!located) {
        messages += fmt::format("zaudit: warning: frames not mapped to their inputs: {}\n", located.error().message);
        return;
    }
    const std::map<std::uint64_t, capture::FrameOrigin> origin(located->begin(), located->end());
    for (auto& finding : findings) {
        for (const std::uint64_t frame : finding.frames) {
            if (const auto it = origin.find(frame); it != origin.end()) {
                finding.frames_by_input.push_back(
                    {static_cast<std::uint32_t>(it->second.input_index + 1), it->second.frame});
            }
        }
    }
}

struct GroupOutcome {
    report::InputAudit audit;
    std::vector<audio::StreamExport> exports;
    std::optional<nlohmann::ordered_json> manifest;  ///< this group's manifest entry, once exported
    bool export_failed = false;
    std::string messages;  ///< for stderr, printed in input order
    bool failed = false;
};

/// Audits one group of sources (one input, or every input merged): read, track, judge.
/// The audio export of one group's model (audio/export.hpp): before the rules, which cite it.
void export_group(const AuditPlan& plan, const std::vector<capture::Source>& sources, const std::string& prefix,
                  GroupOutcome& outcome) {
    const audio::ExportOptions options{plan.export_audio, prefix, plan.hints.srtp_keys};
    auto exported = audio::export_streams(outcome.audit.model, sources, options);
    if (!exported) {
        outcome.messages += fmt::format("zaudit: audio export: {}\n", exported.error().message);
        outcome.export_failed = true;
        return;
    }
    outcome.manifest = audio::manifest_entry(outcome.audit.model, *exported);
    outcome.exports = std::move(*exported);
}

/// With a core claimed from `spare`, at the start or midway, the reading and decoding and the
/// input's SHA-256 run on threads of their own beside the audit; without, all of it runs on the
/// calling thread.
GroupOutcome audit_group(const AuditPlan& plan, const std::vector<capture::Source>& sources, SpareCores& spare,
                         bool show_progress, std::ostream& err, const std::string& export_prefix) {
    GroupOutcome outcome;
    // Live captures are read frame by frame: a batch would hold packets back from the audit.
    const bool live = std::any_of(sources.begin(), sources.end(), [](const auto& s) { return !s.interface.empty(); });
    bool helpers = !live && spare.claim();
    auto reader = capture::Reader::open(
        sources, capture::ReaderOptions{.hash = true, .hash_on_thread = helpers, .stop = plan.stop});
    if (!reader) {
        if (helpers) {
            spare.give_back();
        }
        outcome.messages = fmt::format("zaudit: {}\n", reader.error().message);
        outcome.failed = true;
        outcome.audit = unreadable(sources.front(), reader.error().message);
        return outcome;
    }
    session::Tracker tracker{plan.limits, plan.hints};
    if (plan.ledger != nullptr) {
        tracker.use_ledger(*plan.ledger);
    }
    // Frames are audited as they are read and decoded, on this thread, until a core is spare;
    // from then on they are read and decoded on a thread of their own, ahead of the audit.
    std::optional<net::ReadAhead> read_ahead;
    capture::Reader* finished_reader = &*reader;
    util::HugePageHeap heap;
    {
        Progress progress{show_progress, err};
        std::uint64_t frames = 0;
        while (!helpers) {
            auto frame = reader->next();
            if (!frame) {
                break;
            }
            tracker.on_frame(*frame);
            progress.update(*reader, ++frames);
            if ((frames & k_heap_advice_mask) == 0) {
                heap.advise();
            }
            if ((frames & k_spare_core_mask) == 0 && !live && spare.claim()) {
                helpers = true;
                reader->hash_on_thread();
            }
        }
        if (helpers) {
            read_ahead.emplace(std::move(*reader), tracker.decoder());
            while (const net::DecodedFrame* decoded = read_ahead->next()) {
                tracker.on_decoded(decoded->frame, decoded->status, decoded->packet);
                progress.update(*read_ahead, ++frames);
                if ((frames & k_heap_advice_mask) == 0) {
                    heap.advise();
                }
            }
        }
    }
    if (read_ahead) {
        finished_reader = &read_ahead->reader();
    }
    std::vector<capture::InputInfo> inputs = finished_reader->inputs();
    for (auto& input : inputs) {
        // A file with no complete record showed nothing: an error, not a clean audit.
        if (input.format != "live" && input.packets == 0) {
            input.error = fmt::format("{}: no complete packet could be read", input.path);
            outcome.messages += fmt::format("zaudit: {}\n", *input.error);
            outcome.failed = true;
        }
        if (!plan.quiet) {
            for (const auto& warning : input.warnings) {
                outcome.messages += fmt::format("zaudit: warning: {}: {}\n", input.path, warning);
            }
        }
    }
    const bool partial = finished_reader->partial();
    if (!plan.quiet && partial) {
        outcome.messages +=
            "zaudit: warning: results are partial (an input stopped early or the capture cut packets "
            "short)\n";
    }
    // The read-ahead batches (8 MB) and the reader it holds are done with: free them before the
    // model, the rules and the report take their share.
    finished_reader = nullptr;
    read_ahead.reset();
    if (helpers) {
        spare.give_back();  // the helpers have ended: finishing the model and the rules take one thread
    }
    outcome.audit.model = std::move(tracker).finish(std::move(inputs), partial);
    heap.advise();  // what finishing the model grew the heap by, before the rules and the report
    if (!plan.export_audio.empty() && !outcome.failed) {
        export_group(plan, sources, export_prefix, outcome);
    }
    outcome.audit.findings = analysis::run_rules(outcome.audit.model, plan.policy);
    if (sources.size() > 1) {
        locate_frames(sources, outcome.audit.findings, outcome.messages);
    }
    return outcome;
}

}  // namespace

AuditRun run_audit(const AuditPlan& plan, report::ToolInfo tool, std::ostream& err) {
    AuditRun run;
    run.result.tool = std::move(tool);
    run.result.merged = plan.merge && plan.sources.size() > 1;
    std::vector<std::vector<capture::Source>> groups;
    if (plan.merge) {
        groups.push_back(plan.sources);
    } else {
        for (const auto& source : plan.sources) {
            groups.push_back({source});
        }
    }
    std::vector<GroupOutcome> outcomes(groups.size());
    const std::size_t workers = std::clamp<std::size_t>(plan.jobs, 1, groups.size());
    // --jobs counts cores. An audit's helpers (reading ahead, hashing) need a core of their own
    // to gain anything: with one per worker, each worker audits alone, and the cores are busy
    // with inputs instead, without the handovers. A worker that finds no input left gives its
    // core to an audit still running (bench/run jobs, three inputs on two cores: 0.88-1.02 s;
    // with no helpers at all, 1.13 s).
    SpareCores spare{std::max(plan.jobs, workers) - workers};
    std::vector<std::optional<std::uint64_t>> sizes(groups.size());
    std::transform(groups.begin(), groups.end(), sizes.begin(), input_size);
    const std::vector<std::size_t> order = largest_first(sizes);
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(workers);
    // Each worker takes the next input, the largest first; results land in input order, so output
    // does not depend on the number of jobs or on which input finished first.
    auto work = [&](std::size_t worker) {
        try {
            for (std::size_t started = next++; started < order.size(); started = next++) {
                const std::size_t i = order[started];
                // Several inputs exported on their own share the folder: their file names say which.
                const std::string prefix = groups.size() > 1 ? fmt::format("in{}-", i + 1) : std::string{};
                outcomes[i] = audit_group(plan, groups[i], spare, plan.progress && workers == 1, err, prefix);
            }
            spare.give_back();
        } catch (...) {
            errors[worker] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t worker = 1; worker < workers; ++worker) {
        threads.emplace_back(work, worker);
    }
    work(0);
    for (auto& thread : threads) {
        thread.join();
    }
    for (const auto& error : errors) {
        if (error) {
            std::rethrow_exception(error);
        }
    }
    std::vector<nlohmann::ordered_json> manifest;
    for (auto& outcome : outcomes) {
        err << outcome.messages;
        run.input_failed = run.input_failed || outcome.failed;
        run.export_failed = run.export_failed || outcome.export_failed;
        run.result.audits.push_back(std::move(outcome.audit));
        run.exports.push_back(std::move(outcome.exports));
        if (outcome.manifest) {
            manifest.push_back(std::move(*outcome.manifest));
        }
    }
    if (!plan.export_audio.empty()) {
        if (auto written = audio::write_manifest(plan.export_audio, manifest); !written) {
            err << fmt::format("zaudit: audio export: {}\n", written.error().message);
            run.export_failed = true;
        }
    }
    return run;
}

}  // namespace zaudit::cli
