#include "zaudit/capture/hashed_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::capture {

struct FileDigest::State {
    State(int file, std::string name) : fd{file}, path{std::move(name)} {}
    ~State() { ::close(fd); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    State(State&&) = delete;
    State& operator=(State&&) = delete;

    const int fd;
    const std::string path;  ///< for messages
    /// The stream's reads under `mutex` until `handed_over`; then the one who finishes it. Made
    /// at the first bytes, by whoever hashes them: OpenSSL's first use in a process costs some
    /// 5 M instructions (bench/check_cost.py counts them), which a thread that hashes from the
    /// start pays off the audit's own threads.
    std::optional<crypto::Hasher> hasher;
    std::mutex mutex;
    // Under `mutex`:
    bool handed_over = false;       ///< the rest is hashed apart: the stream reads unhashed
    std::uint64_t position = 0;     ///< bytes the stream read, all hashed unless handed_over
    int read_error = 0;             ///< errno of a stream's read that failed while it hashed
    std::atomic<bool> stop{false};  ///< the thread hashing the rest is to stop
};

namespace {

using State = FileDigest::State;
constexpr std::size_t k_block_size = std::size_t{256} << 10;  ///< as the Reader's stdio buffer

util::Error read_failure(const std::string& path, int error) {
    return util::Error{fmt::format("{}: read error: {}", path, std::strerror(error))};
}

crypto::Hasher& hasher_of(State& state) {
    if (!state.hasher) {
        state.hasher.emplace(crypto::HashAlgorithm::sha256);
    }
    return *state.hasher;
}

/// Hands the rest over to whoever finishes the digest: where it starts, or the stream's error.
util::Expected<std::uint64_t> hand_over(State& state) {
    const std::lock_guard lock{state.mutex};
    state.handed_over = true;
    if (state.read_error != 0) {
        return read_failure(state.path, state.read_error);
    }
    return state.position;
}

// The stdio stream's functions (fopencookie); its cookie is a std::shared_ptr<State>.

ssize_t stream_read(void* cookie, char* into, std::size_t size) {
    State& state = **static_cast<std::shared_ptr<State>*>(cookie);
    auto* bytes = reinterpret_cast<std::uint8_t*>(into);
    const std::lock_guard lock{state.mutex};
    ssize_t n = 0;
    do {
        n = ::read(state.fd, bytes, size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        state.read_error = state.handed_over ? 0 : errno;
        return -1;
    }
    if (!state.handed_over) {
        FileDigest::hash(state, util::Bytes{bytes, static_cast<std::size_t>(n)});
    }
    state.position += static_cast<std::uint64_t>(n);
    return n;
}

/// Forwards only: where the stream is (ftell), or a seek to there.
int stream_seek(void* cookie, off64_t* offset, int whence) {
    State& state = **static_cast<std::shared_ptr<State>*>(cookie);
    const std::lock_guard lock{state.mutex};
    const auto here = static_cast<off64_t>(state.position);
    if (!((whence == SEEK_SET && *offset == here) || (whence == SEEK_CUR && *offset == 0))) {
        errno = ESPIPE;
        return -1;
    }
    *offset = here;
    return 0;
}

int stream_close(void* cookie) {
    const std::unique_ptr<std::shared_ptr<State>> owned{static_cast<std::shared_ptr<State>*>(cookie)};
    return 0;
}

}  // namespace

void FileDigest::hash(State& state, util::Bytes bytes) {
    hasher_of(state).update(bytes);
}

/// With pread(2), which leaves the file's offset to the stream. Reads no further once `stop` is
/// set.
util::Expected<std::string> FileDigest::hash_rest(State& state, std::uint64_t offset) {
    std::vector<std::uint8_t> block(k_block_size);
    while (!state.stop.load(std::memory_order_relaxed)) {
        const ssize_t n = ::pread(state.fd, block.data(), block.size(), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return read_failure(state.path, errno);
        }
        if (n == 0) {
            return util::to_hex(hasher_of(state).finish());
        }
        hash(state, util::Bytes{block.data(), static_cast<std::size_t>(n)});
        offset += static_cast<std::uint64_t>(n);
    }
    return util::Error{fmt::format("{}: hashing stopped", state.path)};
}

FileDigest::FileDigest(std::shared_ptr<State> state) : m_state{std::move(state)} {}

FileDigest::~FileDigest() {
    if (m_thread.joinable()) {
        m_state->stop = true;
        m_thread.join();
    }
}

void FileDigest::hash_rest_on_thread() {
    if (std::exchange(m_handed_over, true)) {
        return;
    }
    auto from = hand_over(*m_state);
    if (!from) {
        m_thread_digest = from.error();
        return;
    }
    m_thread = std::thread{[this, offset = *from] { m_thread_digest = hash_rest(*m_state, offset); }};
}

util::Expected<std::string> FileDigest::finish() {
    if (m_thread.joinable()) {
        m_thread.join();
    }
    if (m_thread_digest) {
        return std::move(*std::exchange(m_thread_digest, std::nullopt));
    }
    if (std::exchange(m_handed_over, true)) {
        return util::Error{fmt::format("{}: the SHA-256 was finished already", m_state->path)};
    }
    auto from = hand_over(*m_state);
    if (!from) {
        return from.error();
    }
    return hash_rest(*m_state, *from);
}

util::Expected<HashedFile> open_hashed(int fd, const std::string& path, Hashing hashing) {
    HashedFile file;
    if (hashing == Hashing::on_thread) {
        // A plain stream, and the thread reads beside it (pread on a descriptor of its own).
        const int beside = ::dup(fd);
        if (beside < 0) {
            ::close(fd);
            return util::Error{fmt::format("{}: {}", path, std::strerror(errno))};
        }
        auto state = std::make_shared<State>(beside, path);
        file.stream.reset(::fdopen(fd, "rb"));
        if (!file.stream) {
            ::close(fd);
            return util::Error{fmt::format("{}: {}", path, std::strerror(errno))};
        }
        file.digest = std::make_unique<FileDigest>(std::move(state));
        file.digest->hash_rest_on_thread();
        return file;
    }
    auto state = std::make_shared<State>(fd, path);
    auto cookie = std::make_unique<std::shared_ptr<State>>(state);
    file.stream.reset(::fopencookie(cookie.get(), "rb", {stream_read, nullptr, stream_seek, stream_close}));
    if (!file.stream) {
        return util::Error{fmt::format("{}: cannot open a stream: {}", path, std::strerror(errno))};
    }
    (void)cookie.release();  // the stream's now: stream_close frees it
    file.digest = std::make_unique<FileDigest>(std::move(state));
    return file;
}

}  // namespace zaudit::capture
