#pragma once
/// \file Bounds-checked reading of wire data: the only code that touches packet bytes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace zaudit::util {

using Bytes = std::span<const std::uint8_t>;

/// Reads big-endian integers and byte runs from a view, never past its end.
///
/// Failure is sticky: the first read that would overrun marks the reader failed, records the
/// offset where it happened, and every later read returns zero or an empty view. A parser reads
/// a whole header and checks `ok()` once, which keeps parsers short without ever reading out of
/// bounds (the same pattern as Go's cryptobyte.String).
class ByteReader {
public:
    ByteReader() = default;
    explicit ByteReader(Bytes data) : m_data{data} {}

    [[nodiscard]] std::uint8_t u8() {
        if (!take(1)) {
            return 0;
        }
        return m_data[m_offset - 1];
    }
    [[nodiscard]] std::uint16_t u16be() {
        if (!take(2)) {
            return 0;
        }
        const auto* p = &m_data[m_offset - 2];
        return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
    }
    [[nodiscard]] std::uint16_t u16le() {
        if (!take(2)) {
            return 0;
        }
        const auto* p = &m_data[m_offset - 2];
        return static_cast<std::uint16_t>((p[1] << 8) | p[0]);
    }
    [[nodiscard]] std::uint32_t u24be() {
        if (!take(3)) {
            return 0;
        }
        const auto* p = &m_data[m_offset - 3];
        return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
    }
    [[nodiscard]] std::uint32_t u32be() {
        if (!take(4)) {
            return 0;
        }
        const auto* p = &m_data[m_offset - 4];
        return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    }
    [[nodiscard]] std::uint32_t u32le() {
        if (!take(4)) {
            return 0;
        }
        const auto* p = &m_data[m_offset - 4];
        return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
    }
    [[nodiscard]] std::uint64_t u48be() {
        const std::uint64_t high = u16be();
        return (high << 32) | u32be();
    }
    [[nodiscard]] std::uint64_t u64be() {
        const std::uint64_t high = u32be();
        return (high << 32) | u32be();
    }
    /// The next n bytes as a view into the same buffer.
    [[nodiscard]] Bytes bytes(std::size_t n) {
        if (!take(n)) {
            return {};
        }
        return m_data.subspan(m_offset - n, n);
    }
    /// The next n bytes as text (for ZRTP's ASCII fields, SIP tokens).
    [[nodiscard]] std::string_view text(std::size_t n) {
        const Bytes b = bytes(n);
        return {reinterpret_cast<const char*>(b.data()), b.size()};  // NOLINT: byte view as chars
    }
    /// Everything not yet read; the reader is then at its end.
    [[nodiscard]] Bytes rest() { return bytes(remaining()); }
    void skip(std::size_t n) { (void)take(n); }
    /// A reader over the next n bytes; this reader moves past them.
    [[nodiscard]] ByteReader sub(std::size_t n) { return ByteReader{bytes(n)}; }
    [[nodiscard]] std::uint8_t peek_u8() const {
        return (!m_failed && m_offset < m_data.size()) ? m_data[m_offset] : std::uint8_t{0};
    }

    [[nodiscard]] std::size_t offset() const { return m_offset; }
    [[nodiscard]] std::size_t remaining() const { return m_failed ? 0 : m_data.size() - m_offset; }
    [[nodiscard]] bool empty() const { return remaining() == 0; }
    [[nodiscard]] bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    /// Where the first overrun happened (meaningful when !ok()).
    [[nodiscard]] std::size_t failed_at() const { return m_failed_at; }
    [[nodiscard]] Bytes data() const { return m_data; }

private:
    bool take(std::size_t n) {
        if (m_failed || n > m_data.size() - m_offset) {
            if (!m_failed) {
                m_failed = true;
                m_failed_at = m_offset;
            }
            return false;
        }
        m_offset += n;
        return true;
    }

    Bytes m_data;
    std::size_t m_offset = 0;
    std::size_t m_failed_at = 0;
    bool m_failed = false;
};

/// Text view over bytes, for parsers of textual protocols (SIP, SDP).
inline std::string_view as_text(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};  // NOLINT: byte view as chars
}
inline Bytes as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};  // NOLINT: chars as bytes
}

}  // namespace zaudit::util
