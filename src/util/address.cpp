#include "zaudit/util/address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <string>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace zaudit::util {
namespace {
constexpr std::array<std::uint8_t, 12> k_v4_mapped_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}

IpAddress IpAddress::v4(std::uint32_t host_order) {
    const std::array<std::uint8_t, 4> b{
        static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
        static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order)};
    return v4_bytes(b.data());
}

IpAddress IpAddress::v4_bytes(const std::uint8_t* four) {
    IpAddress a;
    std::memcpy(a.m_bytes.data(), k_v4_mapped_prefix.data(), 12);
    std::memcpy(a.m_bytes.data() + 12, four, 4);
    return a;
}

IpAddress IpAddress::v6_bytes(const std::uint8_t* sixteen) {
    IpAddress a;
    std::memcpy(a.m_bytes.data(), sixteen, 16);
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.size() > 63) {
        return std::nullopt;
    }
    const std::string s{text};
    std::array<std::uint8_t, 16> buffer{};
    if (inet_pton(AF_INET, s.c_str(), buffer.data()) == 1) {
        return v4_bytes(buffer.data());
    }
    if (inet_pton(AF_INET6, s.c_str(), buffer.data()) == 1) {
        return v6_bytes(buffer.data());
    }
    return std::nullopt;
}

bool IpAddress::is_v4() const {
    return std::memcmp(m_bytes.data(), k_v4_mapped_prefix.data(), 12) == 0;
}

bool IpAddress::is_private() const {
    const auto& b = m_bytes;
    if (is_v4()) {
        const std::uint8_t a0 = b[12];
        const std::uint8_t a1 = b[13];
        return a0 == 10 || a0 == 127 || (a0 == 172 && (a1 & 0xf0U) == 16) || (a0 == 192 && a1 == 168) ||
               (a0 == 169 && a1 == 254) || (a0 == 100 && (a1 & 0xc0U) == 64);
    }
    const bool loopback = std::all_of(b.begin(), b.end() - 1, [](std::uint8_t x) { return x == 0; }) && b[15] == 1;
    return loopback || (b[0] & 0xfeU) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0U) == 0x80);
}

bool IpAddress::is_unspecified() const {
    if (is_v4()) {
        return m_bytes[12] == 0 && m_bytes[13] == 0 && m_bytes[14] == 0 && m_bytes[15] == 0;
    }
    return *this == IpAddress{};
}

std::string IpAddress::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (is_v4()) {
        inet_ntop(AF_INET, m_bytes.data() + 12, text, sizeof text);
    } else {
        inet_ntop(AF_INET6, m_bytes.data(), text, sizeof text);
    }
    return text;
}

std::string Endpoint::to_string() const {
    // fmt rather than operator+: GCC 12 warns falsely (-Wrestrict) on the string concatenation.
    if (address.is_v4()) {
        return fmt::format(FMT_COMPILE("{}:{}"), address.to_string(), port);
    }
    return fmt::format(FMT_COMPILE("[{}]:{}"), address.to_string(), port);
}

}  // namespace zaudit::util
