#pragma once
/// \file Reading frames from pcap / pcapng files, stdin and live interfaces through libpcap.

#include <cstdint>
#include <future>
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
    std::string path;               ///< as the user gave it ("-" for stdin, "if:eth0" for live)
    std::string sha256;             ///< of the file's bytes; empty for live capture
    std::string format;             ///< "pcap", "pcap-ns", "pcapng" or "live"
    std::string link_type;          ///< name of the (first) link type
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;        ///< sum of original lengths
    std::uint64_t first_frame = 0;  ///< frame number of its first packet (0 if none)
    std::optional<util::Timestamp> first_time;
    std::optional<util::Timestamp> last_time;
    bool truncated = false;         ///< reading stopped early: a cut-off or corrupt record
    std::vector<std::string> warnings;
};

/// Where frames come from.
struct Source {
    std::string path;        ///< file path, "-" for stdin; empty when interface is set
    std::string interface;   ///< live capture device
    std::string bpf_filter;  ///< optional BPF filter (live or offline)
    double duration_seconds = 0;  ///< live: stop after this long (0 = no limit)
    std::uint64_t max_packets = 0;  ///< live: stop after this many (0 = no limit)

    static Source file(std::string path) {
        Source source;
        source.path = std::move(path);
        return source;
    }
};

/// Reads the sources one after another. Frame numbers continue across inputs, as if the files
/// had been concatenated (mergecap -a); each InputInfo says where its frames start.
class Reader {
public:
    /// Opens every source up front, so that an unreadable one fails the run before any output.
    static util::Expected<Reader> open(const std::vector<Source>& sources);

    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;
    ~Reader();

    /// The next frame, or nullopt at the end of the last input. The frame's bytes stay valid
    /// until the next call.
    std::optional<Frame> next();

    /// Per-input facts; waits for the inputs' SHA-256, which is computed on another thread
    /// while frames are read (hashing a large file costs as much as auditing it).
    [[nodiscard]] const std::vector<InputInfo>& inputs();
    /// True when any input stopped early (the results are partial).
    [[nodiscard]] bool partial() const;
    /// Bytes read so far of the current file and its size, for progress (0/0 when unknown).
    [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> progress() const;

private:
    struct Handle;
    Reader() = default;
    bool advance_input();

    std::vector<std::unique_ptr<Handle>> m_handles;
    std::vector<InputInfo> m_inputs;
    std::vector<std::future<util::Expected<std::string>>> m_pending_hashes;  ///< one per input, or invalid
    std::size_t m_current = 0;
    std::uint64_t m_next_number = 1;
};

}  // namespace zaudit::capture
