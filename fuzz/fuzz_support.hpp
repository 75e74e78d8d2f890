#pragma once
// What the fuzz targets share: the input as a scratch file (for the readers that take a path)
// and the input cut into records (for targets that feed several packets to one parser).

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "zaudit/capture/frame.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::fuzz {

/// The link types fuzz_net picks from by its records' first byte (modulo the count); the seed
/// extractor writes the index of the frame's own link type.
constexpr std::array k_link_types{
    capture::LinkType::ethernet, capture::LinkType::raw_ip, capture::LinkType::linux_sll, capture::LinkType::linux_sll2,
    capture::LinkType::null_bsd, capture::LinkType::loop,   capture::LinkType::ipv4,      capture::LinkType::ipv6};

/// The input written to a file of its own, removed afterwards. One name per process and
/// purpose, so that libFuzzer's -jobs/-workers runs do not write over each other.
class ScratchFile {
public:
    ScratchFile(util::Bytes data, const std::string& purpose)
        : m_path{std::filesystem::temp_directory_path() /
                 ("zaudit-fuzz-" + purpose + "-" + std::to_string(::getpid()))} {
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data.data()),  // NOLINT: bytes to a byte stream
                  static_cast<std::streamsize>(data.size()));
    }
    ~ScratchFile() {
        std::error_code ignored;
        std::filesystem::remove(m_path, ignored);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    ScratchFile(ScratchFile&&) = delete;
    ScratchFile& operator=(ScratchFile&&) = delete;

    [[nodiscard]] std::string path() const { return m_path.string(); }

private:
    std::filesystem::path m_path;
};

/// Cuts an input into records of `u16be length, bytes` (a length past the end takes what is
/// left), so that one input can carry a sequence of packets. The seed extractor writes this form.
class Records {
public:
    explicit Records(util::Bytes data) : m_reader{data} {}

    /// The next record, or false at the end of the input.
    bool next(util::Bytes& record) {
        if (m_reader.remaining() < 2) {
            return false;
        }
        const std::size_t length = m_reader.u16be();
        record = m_reader.bytes(std::min(length, m_reader.remaining()));
        return true;
    }

private:
    util::ByteReader m_reader;
};

}  // namespace zaudit::fuzz
