#include "zaudit/util/hex.hpp"

#include <array>

namespace zaudit::util {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

constexpr std::string_view k_base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string to_hex(Bytes bytes) {
    static constexpr std::string_view k_digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t b : bytes) {
        out.push_back(k_digits[b >> 4]);
        out.push_back(k_digits[b & 0x0f]);
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : text) {
        if (c == ' ' || c == ':' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        const int digit = hex_digit(c);
        if (digit < 0) {
            return std::nullopt;
        }
        if (high < 0) {
            high = digit;
        } else {
            out.push_back(static_cast<std::uint8_t>((high << 4) | digit));
            high = -1;
        }
    }
    if (high >= 0) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text) {
    std::array<int, 256> value{};
    value.fill(-1);
    for (std::size_t i = 0; i < k_base64_alphabet.size(); ++i) {
        value[static_cast<unsigned char>(k_base64_alphabet[i])] = static_cast<int>(i);
    }
    std::vector<std::uint8_t> out;
    unsigned int accumulator = 0;
    int bits = 0;
    std::size_t padding = 0;
    for (const char c : text) {
        if (c == '=') {
            ++padding;
            continue;
        }
        const int v = value[static_cast<unsigned char>(c)];
        if (v < 0 || padding > 0) {
            return std::nullopt;
        }
        accumulator = (accumulator << 6) | static_cast<unsigned int>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((accumulator >> bits) & 0xff));
        }
    }
    if (padding > 2) {
        return std::nullopt;
    }
    return out;
}

std::string to_base64(Bytes bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned int n = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8) | bytes[i + 2];
        out.push_back(k_base64_alphabet[(n >> 18) & 63]);
        out.push_back(k_base64_alphabet[(n >> 12) & 63]);
        out.push_back(k_base64_alphabet[(n >> 6) & 63]);
        out.push_back(k_base64_alphabet[n & 63]);
    }
    const std::size_t left = bytes.size() - i;
    if (left > 0) {
        unsigned int n = unsigned{bytes[i]} << 16;
        if (left == 2) {
            n |= unsigned{bytes[i + 1]} << 8;
        }
        out.push_back(k_base64_alphabet[(n >> 18) & 63]);
        out.push_back(k_base64_alphabet[(n >> 12) & 63]);
        out.push_back(left == 2 ? k_base64_alphabet[(n >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

}  // namespace zaudit::util
