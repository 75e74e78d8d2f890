#pragma once
/// \file A capture file and its SHA-256, read for the digest as the frames are read.
///
/// Hashing a file apart from libpcap's reads reads every byte twice: a copy of the whole file
/// from the page cache (0.2 s of a core for the 1.2 GB mix of bench/) and, for a file not in the
/// cache, twice the reads from the disk. On one core that is the audit's time; so there the
/// stream's own reads hash what they read, and the file is read once. With a core to spare the
/// digest runs on a thread of its own that reads the file beside libpcap, so that neither waits
/// for the other: tying the two to one read made the audit of the mix 10 % slower on two cores.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::capture {

/// Where a file's digest is computed.
enum class Hashing {
    with_reads,  ///< by the stream's reads, on the thread that reads the frames; a thread may take over
    on_thread,   ///< on a thread of its own from the start, which reads the file beside the stream
};

/// The SHA-256 of a file that a HashedFile stream reads.
class FileDigest {
public:
    struct State;
    explicit FileDigest(std::shared_ptr<State> state);
    /// Stops the thread, if any, without finishing the digest.
    ~FileDigest();
    FileDigest(const FileDigest&) = delete;
    FileDigest& operator=(const FileDigest&) = delete;
    FileDigest(FileDigest&&) = delete;
    FileDigest& operator=(FileDigest&&) = delete;

    /// From where the stream is, the rest of the file is hashed on a thread of its own (reading
    /// it beside the stream), and the stream reads on unhashed. Once only; does nothing more.
    void hash_rest_on_thread();
    /// Hex SHA-256 of the whole file: what the stream read and the rest of the file, when it
    /// stopped before the end (an interrupted or cut-off audit) or has not read it yet. A stream
    /// still open reads on, unhashed. Once only.
    util::Expected<std::string> finish();

    /// Every byte of the file the digest takes, whoever reads it. Never inlined: the cost guards
    /// of bench/ (check_cost.py, check_scaling.py) find the SHA-256's instructions by this name,
    /// to leave them out of the audit's.
    [[gnu::noinline]] static void hash(State& state, util::Bytes bytes);

private:
    /// Hashes the file from `offset` to its end, and finishes the digest.
    static util::Expected<std::string> hash_rest(State& state, std::uint64_t offset);

    std::shared_ptr<State> m_state;
    std::thread m_thread;
    std::optional<util::Expected<std::string>> m_thread_digest;  ///< set by the thread before it ends
    bool m_handed_over = false;  ///< the rest of the file was hashed, or is being hashed, apart
};

struct HashedFile {
    /// Reads the file from its start; fclose (pcap_close) closes it. With Hashing::with_reads it
    /// reads forwards only: ftell works, a seek elsewhere fails (libpcap reads an offline file
    /// forwards).
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream{nullptr, &std::fclose};
    std::unique_ptr<FileDigest> digest;
};

/// Reads the open file `fd` (its own from now on, at offset 0), hashed as `hashing` says.
util::Expected<HashedFile> open_hashed(int fd, const std::string& path, Hashing hashing);

}  // namespace zaudit::capture
