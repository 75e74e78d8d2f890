#include "zaudit/util/hex.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <string>

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
    // SDP keys and Basic credentials are often written without their '=' padding (RFC 4648
    // section 3.2 allows it where the length is known); OpenSSL's block decoder wants it.
    const std::size_t padding = text.size() - std::min(text.size(), text.find_last_not_of('=') + 1);
    const std::string_view digits = text.substr(0, text.size() - padding);
    if (padding > 2 || (digits.empty() && padding > 0) || digits.find('=') != std::string_view::npos ||
        digits.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string block{digits};
    block.append((4 - digits.size() % 4) % 4, '=');
    std::vector<std::uint8_t> out(block.size() / 4 * 3);
    // EVP_DecodeBlock also skips leading/trailing blanks; a key or token never has any.
    if (block.find_first_of(" \t\r\n") != std::string::npos ||
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(block.data()),
                        static_cast<int>(block.size())) < 0) {
        return std::nullopt;
    }
    // It decodes the padding as zero bytes: drop them.
    out.resize(digits.size() * 6 / 8);
    return out;
}

std::string to_base64(Bytes bytes) {
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

}  // namespace zaudit::util
