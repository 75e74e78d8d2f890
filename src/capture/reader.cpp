#include "zaudit/capture/reader.hpp"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio_ext.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "zaudit/capture/hashed_file.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::capture {
namespace {

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapPtr = std::unique_ptr<pcap_t, PcapCloser>;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

constexpr std::size_t k_file_buffer_size = std::size_t{256} << 10;  ///< per file input

/// The capture format from the file's magic number (libpcap reads both, but the report names it).
/// Read where it is, so that the file's offset stays at its start for libpcap.
std::string format_from_magic(int fd) {
    std::array<unsigned char, 4> magic{};
    if (::pread(fd, magic.data(), magic.size(), 0) != static_cast<ssize_t>(magic.size())) {
        return "unknown";
    }
    const std::uint32_t be =
        (std::uint32_t{magic[0]} << 24) | (std::uint32_t{magic[1]} << 16) | (std::uint32_t{magic[2]} << 8) | magic[3];
    switch (be) {
        case 0xa1b2c3d4:
        case 0xd4c3b2a1: return "pcap";
        case 0xa1b23c4d:
        case 0x4d3cb2a1: return "pcap-ns";
        case 0x0a0d0d0a: return "pcapng";
        default: return "unknown";
    }
}

/// A record's time in microseconds. pcapng stores 64-bit timestamps, so libpcap can return
/// seconds whose microseconds overflow 64 bits; times beyond +-2^40 s (some 35,000 years) are
/// clamped there, which also keeps the differences and sums of times the audit computes in range.
util::Timestamp record_time(const timeval& ts) {
    constexpr std::int64_t k_limit_seconds = std::int64_t{1} << 40;
    const std::int64_t seconds = std::clamp<std::int64_t>(ts.tv_sec, -k_limit_seconds, k_limit_seconds);
    return util::Timestamp{seconds * 1'000'000 + ts.tv_usec};
}

std::uint64_t size_of(std::FILE* file) {
    struct stat status {};
    return ::fstat(fileno(file), &status) == 0 ? static_cast<std::uint64_t>(status.st_size) : 0;
}

/// libpcap's messages for a file it cannot open are terse; say what a person can act on.
std::string explain_open_failure(const std::string& path, std::uint64_t size, const std::string& format,
                                 const char* pcap_message) {
    if (size == 0) {
        return fmt::format("{}: empty file, not a capture", path);
    }
    if (format == "unknown") {
        return fmt::format("{}: not a pcap or pcapng capture ({})", path, pcap_message);
    }
    return fmt::format("{}: {}", path, pcap_message);
}

/// A file descriptor, closed unless handed on.
class OwnedFd {
public:
    explicit OwnedFd(int fd) : m_fd{fd} {}
    ~OwnedFd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    OwnedFd(OwnedFd&&) = delete;
    OwnedFd& operator=(OwnedFd&&) = delete;
    [[nodiscard]] int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

/// Copies a stream that cannot be read twice nor seeked (stdin, a pipe such as bash's <(...)) to
/// an anonymous temporary file while hashing it: libpcap needs a seekable file for pcapng, and
/// the report needs the input's SHA-256. Disk, not memory, holds it.
util::Expected<std::pair<FilePtr, std::string>> spool(std::FILE* in, const std::string& path) {
    FilePtr spooled{std::tmpfile()};
    if (!spooled) {
        return util::Error{fmt::format("{}: cannot create a temporary file: {}", path, std::strerror(errno))};
    }
    crypto::Hasher hasher{crypto::HashAlgorithm::sha256};
    std::vector<std::uint8_t> block(1 << 16);
    while (const std::size_t n = std::fread(block.data(), 1, block.size(), in)) {
        hasher.update(util::Bytes{block.data(), n});
        if (std::fwrite(block.data(), 1, n, spooled.get()) != n) {
            return util::Error{fmt::format("{}: cannot write its temporary copy", path)};
        }
    }
    if (std::ferror(in) != 0) {
        return util::Error{fmt::format("{}: read error", path)};
    }
    std::rewind(spooled.get());
    return std::pair{std::move(spooled), util::to_hex(hasher.finish())};
}

/// A compiled BPF program, freed with pcap_freecode.
class BpfProgram {
public:
    BpfProgram() = default;
    ~BpfProgram() { pcap_freecode(&m_program); }
    BpfProgram(const BpfProgram&) = delete;
    BpfProgram& operator=(const BpfProgram&) = delete;
    BpfProgram(BpfProgram&&) = delete;
    BpfProgram& operator=(BpfProgram&&) = delete;
    bpf_program* get() { return &m_program; }

private:
    bpf_program m_program{};
};

}  // namespace

struct Reader::Handle {
    // stdio's buffer for a file input (declared first, so it outlives the FILE that pcap_close
    // closes): glibc's default is the file system's block size, 4 KiB, which costs one read(2)
    // per 4 KiB, and on a virtual machine a system call is dear.
    std::unique_ptr<char[]> file_buffer;
    std::unique_ptr<FileDigest> digest;  ///< a file's SHA-256, from its frames' reads or beside them
    PcapPtr pcap;
    std::unique_ptr<BpfProgram> offline_filter;  ///< files only: tested per record after numbering
    std::uint64_t file_size = 0;
    bool live = false;
    std::chrono::steady_clock::time_point deadline{};
    std::uint64_t max_packets = 0;
    // The record read ahead for merging; its bytes stay valid until the next pcap_next_ex.
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    bool pending = false;
    bool done = false;
    std::uint64_t records = 0;  ///< records read, filtered or not: the input's own frame numbers
    /// Audited records the capture's snap length cut (fewer bytes captured than were on the wire),
    /// and the most bytes kept of one of them: what the warning says when the input ends.
    std::uint64_t cut = 0;
    std::uint32_t cut_at = 0;
};

const char* link_type_name(int dlt) {
    switch (static_cast<LinkType>(dlt)) {
        case LinkType::null_bsd: return "NULL";
        case LinkType::ethernet: return "EN10MB";
        case LinkType::raw_ip:
        case LinkType::raw_ip_14: return "RAW";
        case LinkType::loop: return "LOOP";
        case LinkType::linux_sll: return "LINUX_SLL";
        case LinkType::ipv4: return "IPV4";
        case LinkType::ipv6: return "IPV6";
        case LinkType::linux_sll2: return "LINUX_SLL2";
    }
    return "unsupported";
}

bool is_supported_link_type(int dlt) {
    return std::string_view{link_type_name(dlt)} != "unsupported";
}

namespace {

/// Compiles the filter for this input's link type. A live capture filters in the kernel; a file
/// keeps the program and tests each record after numbering it, because a filter set on the
/// handle would hide the skipped records and renumber every frame after them.
util::Expected<std::unique_ptr<BpfProgram>> compile_filter(pcap_t* pcap, bool live, const std::string& name,
                                                           const std::string& filter) {
    if (filter.empty()) {
        return std::unique_ptr<BpfProgram>{};
    }
    auto program = std::make_unique<BpfProgram>();
    if (pcap_compile(pcap, program->get(), filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        (live && pcap_setfilter(pcap, program->get()) != 0)) {
        return util::Error{fmt::format("{}: bad filter '{}': {}", name, filter, pcap_geterr(pcap))};
    }
    if (live) {
        return std::unique_ptr<BpfProgram>{};  // the kernel has it now
    }
    return program;
}

util::Expected<PcapPtr> open_live(const Source& source) {
    std::array<char, PCAP_ERRBUF_SIZE> error{};
    PcapPtr pcap{pcap_create(source.interface.c_str(), error.data())};
    if (!pcap) {
        return util::Error{fmt::format("{}: {}", source.interface, error.data())};
    }
    pcap_set_snaplen(pcap.get(), 65535);
    pcap_set_promisc(pcap.get(), 1);
    pcap_set_timeout(pcap.get(), 100);  // ms: lets the duration limit be checked while idle
    pcap_set_tstamp_precision(pcap.get(), PCAP_TSTAMP_PRECISION_MICRO);
    if (pcap_activate(pcap.get()) < 0) {
        return util::Error{fmt::format("{}: {}", source.interface, pcap_geterr(pcap.get()))};
    }
    // Non-blocking, with our own poll(): on Linux (TPACKET_V3) a blocking read on a quiet
    // interface never returns, read timeout or not, so --duration could never end.
    if (pcap_setnonblock(pcap.get(), 1, error.data()) != 0) {
        return util::Error{fmt::format("{}: {}", source.interface, error.data())};
    }
    return pcap;
}

}  // namespace

util::Expected<Reader> Reader::open(const std::vector<Source>& sources, ReaderOptions options) {
    Reader reader;
    reader.m_stop = options.stop;
    for (const Source& source : sources) {
        auto handle = std::make_unique<Handle>();
        InputInfo info;
        std::array<char, PCAP_ERRBUF_SIZE> error{};
        if (!source.interface.empty()) {
            auto live = open_live(source);
            if (!live) {
                return live.error();
            }
            handle->pcap = std::move(*live);
            handle->live = true;
            if (source.duration_seconds > 0) {
                handle->deadline = std::chrono::steady_clock::now() +
                                   std::chrono::milliseconds(static_cast<long>(source.duration_seconds * 1000));
            }
            handle->max_packets = source.max_packets;
            info.path = "if:" + source.interface;
            info.format = "live";
        } else {
            FilePtr file;
            if (source.path == "-") {
                auto spooled = spool(stdin, "-");
                if (!spooled) {
                    return spooled.error();
                }
                file = std::move(spooled->first);
                info.sha256 = std::move(spooled->second);
                info.format = format_from_magic(fileno(file.get()));
            } else {
                OwnedFd fd{::open(source.path.c_str(), O_RDONLY | O_CLOEXEC)};
                if (fd.get() < 0) {
                    return util::Error{fmt::format("{}: {}", source.path, std::strerror(errno))};
                }
                struct stat status {};
                if (::fstat(fd.get(), &status) != 0) {
                    return util::Error{fmt::format("{}: {}", source.path, std::strerror(errno))};
                }
                if (S_ISDIR(status.st_mode)) {
                    return util::Error{fmt::format("{}: is a directory, not a capture", source.path)};
                }
                handle->file_size = static_cast<std::uint64_t>(status.st_size);
                info.format = format_from_magic(fd.get());
                if (S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode)) {
                    // A pipe: it can be read only once, and not where one likes. Read to its end
                    // before the audit starts, as stdin is.
                    const FilePtr in{::fdopen(fd.get(), "rb")};
                    if (!in) {
                        return util::Error{fmt::format("{}: {}", source.path, std::strerror(errno))};
                    }
                    (void)fd.release();
                    auto spooled = spool(in.get(), source.path);
                    if (!spooled) {
                        return spooled.error();
                    }
                    file = std::move(spooled->first);
                    info.sha256 = std::move(spooled->second);
                    info.format = format_from_magic(fileno(file.get()));
                    handle->file_size = 0;  // as stdin's: progress shows no share of it (docs/CLI.md)
                } else if (options.hash) {
                    // The digest from the frames' reads, or beside them (capture/hashed_file.hpp).
                    auto hashed = open_hashed(fd.release(), source.path,
                                              options.hash_on_thread ? Hashing::on_thread : Hashing::with_reads);
                    if (!hashed) {
                        return hashed.error();
                    }
                    file.reset(hashed->stream.release());
                    handle->digest = std::move(hashed->digest);
                } else {
                    file.reset(::fdopen(fd.get(), "rb"));
                    if (!file) {
                        return util::Error{fmt::format("{}: {}", source.path, std::strerror(errno))};
                    }
                    (void)fd.release();  // the stream's now
                }
                handle->file_buffer = std::make_unique<char[]>(k_file_buffer_size);
                (void)std::setvbuf(file.get(), handle->file_buffer.get(), _IOFBF, k_file_buffer_size);
            }
            // One thread at a time reads a Reader (the audit's, or the one reading ahead of it),
            // so stdio need not lock the stream. libpcap makes two freads per record, and each
            // lock is an atomic instruction: 0.1 s of a bare read loop over the 5 M-packet mix.
            (void)::__fsetlocking(file.get(), FSETLOCKING_BYCALLER);
            info.path = source.path;
            PcapPtr pcap{
                pcap_fopen_offline_with_tstamp_precision(file.get(), PCAP_TSTAMP_PRECISION_MICRO, error.data())};
            if (!pcap) {
                // A copy aside (stdin, a pipe) has its size only in the copy.
                const std::uint64_t size = handle->file_size != 0 ? handle->file_size : size_of(file.get());
                return util::Error{explain_open_failure(source.path, size, info.format, error.data())};
            }
            (void)file.release();  // pcap_close closes it now
            handle->pcap = std::move(pcap);
        }
        const int dlt = pcap_datalink(handle->pcap.get());
        if (!is_supported_link_type(dlt)) {
            const char* name = pcap_datalink_val_to_name(dlt);
            return util::Error{fmt::format("{}: link type {} ({}) is not supported", info.path, dlt,
                                           name != nullptr ? name : "unknown")};
        }
        info.link_type = link_type_name(dlt);
        auto filter = compile_filter(handle->pcap.get(), handle->live, info.path, source.bpf_filter);
        if (!filter) {
            return filter.error();
        }
        handle->offline_filter = std::move(*filter);
        reader.m_handles.push_back(std::move(handle));
        reader.m_inputs.push_back(std::move(info));
    }
    return reader;
}

Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

const std::vector<InputInfo>& Reader::inputs() {
    for (std::size_t i = 0; i < m_handles.size(); ++i) {
        auto& file_digest = m_handles[i]->digest;
        if (!file_digest) {
            continue;  // live, stdin or a pipe (hashed as copied), or not hashed; or done already
        }
        auto digest = file_digest->finish();
        file_digest.reset();
        if (digest) {
            m_inputs[i].sha256 = std::move(*digest);
        } else {
            m_inputs[i].warnings.push_back("SHA-256 not computed: " + digest.error().message);
        }
    }
    return m_inputs;
}

void Reader::hash_on_thread() {
    for (const auto& handle : m_handles) {
        if (handle->digest) {
            handle->digest->hash_rest_on_thread();
        }
    }
}

bool Reader::partial() const {
    return std::any_of(m_inputs.begin(), m_inputs.end(), [](const InputInfo& input) { return input.truncated; }) ||
           std::any_of(m_handles.begin(), m_handles.end(), [](const auto& handle) { return handle->cut > 0; });
}

std::pair<std::uint64_t, std::uint64_t> Reader::progress() const {
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    for (const auto& handle : m_handles) {
        if (handle->live) {
            return {0, 0};
        }
        total += handle->file_size;
        if (handle->done || !handle->pcap) {
            done += handle->file_size;
            continue;
        }
        std::FILE* file = pcap_file(handle->pcap.get());
        const long position = file != nullptr ? std::ftell(file) : -1;
        done += position > 0 ? static_cast<std::uint64_t>(position) : 0;
    }
    return {done, total};
}

void Reader::close_input(std::size_t index) {
    Handle& handle = *m_handles[index];
    if (handle.cut > 0 && !handle.done) {
        // tcpdump -s 96, a switch's mirror port with a short snap length: the packets' headers are
        // there, what they carried is not. The parsers see that payloads end early (and say so,
        // packet by packet), but the reader alone knows it was the capture, not the sender.
        m_inputs[index].warnings.push_back(
            fmt::format("{} packets were cut short by the capture (at most {} bytes of each were kept): what "
                        "lay past the cut (SIP bodies, ZRTP messages and their CRCs, SRTP authentication tags) "
                        "is not audited; capture without a snap length (tcpdump -s 0) to audit it",
                        handle.cut, handle.cut_at));
    }
    handle.done = true;
    handle.pending = false;
    handle.pcap.reset();  // release the file as soon as it is read
}

/// Makes sure input `index` has its next record read ahead; false when it has no more.
bool Reader::fill(std::size_t index) {
    Handle& handle = *m_handles[index];
    InputInfo& info = m_inputs[index];
    while (!handle.done && !handle.pending) {
        if (m_stop != nullptr && *m_stop != 0) {
            info.truncated = true;
            info.warnings.push_back(fmt::format("interrupted after {} packets", handle.records));
            close_input(index);
            break;
        }
        if (handle.live && ((handle.max_packets > 0 && info.packets >= handle.max_packets) ||
                            (handle.deadline != std::chrono::steady_clock::time_point{} &&
                             std::chrono::steady_clock::now() >= handle.deadline))) {
            close_input(index);
            break;
        }
        const int status = pcap_next_ex(handle.pcap.get(), &handle.header, &handle.data);
        if (status == 1) {
            handle.pending = true;
            ++handle.records;
            break;
        }
        if (status == 0) {  // live, non-blocking: nothing yet; wait a little, then look at the clock
            pollfd ready{pcap_get_selectable_fd(handle.pcap.get()), POLLIN, 0};
            (void)::poll(&ready, 1, 100);
            continue;
        }
        if (status == PCAP_ERROR) {
            // A record cut short or with an impossible length: keep what was read, say so.
            info.truncated = true;
            info.warnings.push_back(
                fmt::format("stopped after {} packets: {}", handle.records, pcap_geterr(handle.pcap.get())));
        }
        close_input(index);
    }
    return handle.pending;
}

std::optional<Frame> Reader::next() {
    for (;;) {
        // Only the input whose record was handed out last needs reading ahead again: every other
        // input still holds its pending record, untouched since the previous call.
        std::optional<std::size_t> earliest;
        for (std::size_t i = 0; i < m_handles.size(); ++i) {
            if (!fill(i)) {
                continue;
            }
            const pcap_pkthdr& h = *m_handles[i]->header;
            if (!earliest) {
                earliest = i;
                continue;
            }
            const pcap_pkthdr& best = *m_handles[*earliest]->header;
            if (h.ts.tv_sec < best.ts.tv_sec || (h.ts.tv_sec == best.ts.tv_sec && h.ts.tv_usec < best.ts.tv_usec)) {
                earliest = i;  // strictly earlier: on a tie the input named first stays first
            }
        }
        if (!earliest) {
            return std::nullopt;
        }
        Handle& handle = *m_handles[*earliest];
        InputInfo& info = m_inputs[*earliest];
        handle.pending = false;
        const pcap_pkthdr& header = *handle.header;
        const std::uint64_t number = m_next_number++;
        if (info.first_frame == 0) {
            info.first_frame = number;
        }
        // packets, bytes and times describe the file, as capinfos does, whatever the filter keeps
        const util::Timestamp time = record_time(header.ts);
        ++info.packets;
        info.bytes += header.len;
        if (!info.first_time) {
            info.first_time = time;
        }
        info.last_time = time;
        if (handle.offline_filter &&
            pcap_offline_filter(handle.offline_filter->get(), handle.header, handle.data) == 0) {
            ++info.filtered_out;
            continue;  // counted and numbered, not audited
        }
        if (header.caplen < header.len) {
            ++handle.cut;
            handle.cut_at = std::max(handle.cut_at, header.caplen);
        }
        Frame frame;
        frame.number = number;
        frame.input_frame = handle.records;
        frame.time = time;
        frame.data = util::Bytes{handle.data, header.caplen};
        frame.original_length = header.len;
        frame.link_type = pcap_datalink(handle.pcap.get());
        frame.input_index = *earliest;
        return frame;
    }
}

bool readable_again(const Source& source) {
    if (!source.interface.empty() || source.path == "-") {
        return false;
    }
    struct stat status {};
    if (::stat(source.path.c_str(), &status) != 0) {
        return true;  // not there now: reading it says why
    }
    return !S_ISFIFO(status.st_mode) && !S_ISSOCK(status.st_mode);
}

util::Expected<std::vector<std::pair<std::uint64_t, FrameOrigin>>> locate_merged_frames(
    const std::vector<Source>& sources, std::vector<std::uint64_t> merged_frames) {
    for (const Source& source : sources) {
        if (!readable_again(source)) {
            return util::Error{
                fmt::format("{} cannot be read a second time", source.path.empty() ? "an interface" : source.path)};
        }
    }
    std::sort(merged_frames.begin(), merged_frames.end());
    merged_frames.erase(std::unique(merged_frames.begin(), merged_frames.end()), merged_frames.end());
    std::vector<Source> unfiltered = sources;  // numbering does not depend on the filter
    for (Source& source : unfiltered) {
        source.bpf_filter.clear();
    }
    auto reader = Reader::open(unfiltered, ReaderOptions{.hash = false});
    if (!reader) {
        return reader.error();
    }
    std::vector<std::pair<std::uint64_t, FrameOrigin>> found;
    found.reserve(merged_frames.size());
    auto wanted = merged_frames.begin();
    while (wanted != merged_frames.end()) {
        const auto frame = reader->next();
        if (!frame) {
            break;
        }
        if (frame->number == *wanted) {
            found.emplace_back(frame->number, FrameOrigin{frame->input_index, frame->input_frame});
            ++wanted;
        }
    }
    return found;
}

}  // namespace zaudit::capture
