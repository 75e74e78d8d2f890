#pragma once
/// \file Reading frames from pcap / pcapng files, stdin and live interfaces through libpcap.

#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zaudit/capture/frame.hpp"
#include "zaudit/util/expected.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::capture {

/// What the report says about one input: enough for a chain of evidence.
struct InputInfo {
    std::string path;                ///< as the user gave it ("-" for stdin, "if:eth0" for live)
    std::string sha256;              ///< of the file's bytes; empty for live capture
    std::string format;              ///< "pcap", "pcap-ns", "pcapng" or "live"
    std::string link_type;           ///< name of the (first) link type
    std::uint64_t packets = 0;       ///< records read (under a BPF filter too)
    std::uint64_t filtered_out = 0;  ///< records a BPF filter skipped (numbered, not audited)
    std::uint64_t bytes = 0;         ///< sum of original lengths
    std::uint64_t first_frame = 0;   ///< frame number of its first packet read (0 if none)
    std::optional<util::Timestamp> first_time;
    std::optional<util::Timestamp> last_time;
    bool truncated = false;  ///< reading stopped early: a cut-off or corrupt record
    std::vector<std::string> warnings;
    /// Set when the input could not be opened at all: the rest is empty, other inputs go on.
    std::optional<std::string> error;
};

/// Where frames come from.
struct Source {
    std::string path;       ///< file path, "-" for stdin; empty when interface is set
    std::string interface;  ///< live capture device
    /// Optional BPF filter. Files are filtered record by record after numbering (so frame numbers
    /// stay the file's); live captures filter in the kernel.
    std::string bpf_filter;
    double duration_seconds = 0;    ///< live: stop after this long (0 = no limit)
    std::uint64_t max_packets = 0;  ///< live: stop after this many (0 = no limit)

    static Source file(std::string path) {
        Source source;
        source.path = std::move(path);
        return source;
    }
};

struct ReaderOptions {
    bool hash = true;  ///< compute each file's SHA-256
    /// Hash each file on a thread of its own, which reads it beside the frames, so that neither
    /// waits for the other; false (--jobs 1, or every core auditing an input of its own): the
    /// frames' reads hash what they read, and the file is read once (capture/hashed_file.hpp).
    bool hash_on_thread = true;
    /// When it becomes non-zero (a signal handler sets it), reading stops as if every input had
    /// ended there; the inputs are marked truncated so that the report says it is partial.
    const volatile std::sig_atomic_t* stop = nullptr;
};

/// Reads one source, or several merged by timestamp as mergecap does: the earliest next record
/// of any input comes first, ties go to the input named first, and each input keeps its own
/// order. Frame numbers are those of the merged capture; Frame::input_frame is the input's own.
class Reader {
public:
    /// Opens every source up front, so that an unreadable one fails before any frame is read.
    static util::Expected<Reader> open(const std::vector<Source>& sources, ReaderOptions options = {});

    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;
    ~Reader();

    /// The next frame, or nullopt at the end of the last input. The frame's bytes stay valid
    /// until the next call.
    std::optional<Frame> next();

    /// Per-input facts. Finishes each file's SHA-256: it waits for the hashing thread, or hashes
    /// the part of the file no frame was read from yet (the digest is always the whole file's;
    /// the frames still come after it, but frames and counts are complete only at the end).
    [[nodiscard]] const std::vector<InputInfo>& inputs();
    /// Hashes the rest of each file on a thread of its own from where its frames' reads are, as
    /// hash_on_thread would have: for an audit that found a core to spare after it began.
    void hash_on_thread();
    /// True when any input stopped early, or the capture cut some of its packets short (its
    /// snap length): the results are partial.
    [[nodiscard]] bool partial() const;
    /// Bytes read so far of the current file and its size, for progress (0/0 when unknown).
    [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> progress() const;

private:
    struct Handle;
    Reader() = default;
    bool fill(std::size_t index);
    void close_input(std::size_t index);

    std::vector<std::unique_ptr<Handle>> m_handles;
    std::vector<InputInfo> m_inputs;
    const volatile std::sig_atomic_t* m_stop = nullptr;
    std::uint64_t m_next_number = 1;
};

/// False for a source that cannot be read a second time: a live interface, standard input, a
/// pipe (a FIFO, bash's <(...)). What reads the inputs again (audio export, --merge's
/// locate_merged_frames) asks first: a second open of a FIFO would wait for a writer. A path
/// that is not there is left to the read to report.
bool readable_again(const Source& source);

/// Where frames of a merged capture came from: (input, frame in that input) for each merged frame
/// number asked for, by reading the inputs' record headers once more in merge order. Used only
/// for the few frames findings cite, so that merging keeps no per-frame table in memory.
struct FrameOrigin {
    std::size_t input_index = 0;
    std::uint64_t frame = 0;
};
util::Expected<std::vector<std::pair<std::uint64_t, FrameOrigin>>> locate_merged_frames(
    const std::vector<Source>& sources, std::vector<std::uint64_t> merged_frames);

}  // namespace zaudit::capture
