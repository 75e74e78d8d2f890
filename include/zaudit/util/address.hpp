#pragma once
/// \file IP addresses and transport endpoints, as values that fit a flat flow table.

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace zaudit::util {

/// An IPv4 or IPv6 address. IPv4 is stored as an IPv4-mapped IPv6 address so that both
/// families compare and hash the same way.
class IpAddress {
public:
    IpAddress() = default;
    static IpAddress v4(std::uint32_t host_order);
    static IpAddress v4_bytes(const std::uint8_t* four);
    static IpAddress v6_bytes(const std::uint8_t* sixteen);
    /// "192.0.2.1" or "2001:db8::1"; nullopt when it is neither.
    static std::optional<IpAddress> parse(std::string_view text);

    [[nodiscard]] bool is_v4() const;
    [[nodiscard]] bool is_unspecified() const;
    /// Not routed on the Internet: RFC 1918, loopback, link-local, CGNAT (RFC 6598), IPv6 ULA.
    [[nodiscard]] bool is_private() const;
    [[nodiscard]] std::string to_string() const;
    [[nodiscard]] const std::array<std::uint8_t, 16>& bytes() const { return m_bytes; }
    /// Byte by byte, as the defaulted comparison would, but on two 64-bit words: the defaulted one
    /// calls memcmp, and the calls' map of announced endpoints compares addresses for every
    /// packet whose flow looks its call up again.
    std::strong_ordering operator<=>(const IpAddress& other) const {
        const auto mine = ordered_words();
        const auto theirs = other.ordered_words();
        return mine[0] != theirs[0] ? mine[0] <=> theirs[0] : mine[1] <=> theirs[1];
    }
    /// Two 64-bit words each: the defaulted equality calls memcmp, and every packet compares
    /// addresses several times (flow lookup, direction, call matching).
    bool operator==(const IpAddress& other) const {
        const auto mine = words();
        const auto theirs = other.words();
        return ((mine[0] ^ theirs[0]) | (mine[1] ^ theirs[1])) == 0;
    }
    /// The 16 bytes as two 64-bit words in the machine's byte order: for equality and hashing.
    [[nodiscard]] std::array<std::uint64_t, 2> words() const {
        std::array<std::uint64_t, 2> native{};
        std::memcpy(native.data(), m_bytes.data(), sizeof native);
        return native;
    }

private:
    /// The address as two big-endian words: comparing them orders as comparing the bytes.
    [[nodiscard]] std::array<std::uint64_t, 2> ordered_words() const {
        auto ordered = words();
        if constexpr (std::endian::native == std::endian::little) {
            ordered[0] = __builtin_bswap64(ordered[0]);
            ordered[1] = __builtin_bswap64(ordered[1]);
        }
        return ordered;
    }

    std::array<std::uint8_t, 16> m_bytes{};
};

/// Address and port. Printed "192.0.2.1:4000" or "[2001:db8::1]:4000" (DESIGN.md section 5).
struct Endpoint {
    IpAddress address;
    std::uint16_t port = 0;
    [[nodiscard]] std::string to_string() const;
    auto operator<=>(const Endpoint&) const = default;  // NOLINT(modernize-use-nullptr): v14 bug
};

}  // namespace zaudit::util

template <>
struct fmt::formatter<zaudit::util::IpAddress> : fmt::formatter<std::string_view> {
    auto format(const zaudit::util::IpAddress& a, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(a.to_string(), ctx);
    }
};
template <>
struct fmt::formatter<zaudit::util::Endpoint> : fmt::formatter<std::string_view> {
    auto format(const zaudit::util::Endpoint& e, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(e.to_string(), ctx);
    }
};
