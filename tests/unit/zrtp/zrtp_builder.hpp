#pragma once
// Test-side ZRTP builders written from RFC 6189 section 5, with their own bitwise CRC-32C and
// OpenSSL called directly, so the parser and the checks are held against code they do not share.

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zrtp_test {

using Blob = std::vector<std::uint8_t>;

inline void put(Blob& b, std::string_view text) {
    b.insert(b.end(), text.begin(), text.end());
}
inline void put(Blob& b, const Blob& more) {
    b.insert(b.end(), more.begin(), more.end());
}
template <std::size_t N>
void put(Blob& b, const std::array<std::uint8_t, N>& more) {
    b.insert(b.end(), more.begin(), more.end());
}
inline void put16(Blob& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Blob& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}
inline Blob filled(std::size_t n, std::uint8_t value) {
    return Blob(n, value);
}

/// Bit-at-a-time CRC-32C (reflected polynomial 0x82F63B78), the textbook definition.
inline std::uint32_t reference_crc32c(const Blob& data) {
    std::uint32_t crc = 0xFFFFFFFF;
    for (const std::uint8_t byte : data) {
        crc ^= byte;
        for (int i = 0; i < 8; ++i) {
            crc = (crc & 1u) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
    }
    return ~crc;
}

/// Preamble, length in words (of the whole message), 8-character type, body.
inline Blob message(std::string_view type, const Blob& body) {
    Blob m;
    put16(m, 0x505a);
    put16(m, static_cast<std::uint16_t>((12 + body.size()) / 4));
    put(m, type);
    put(m, body);
    return m;
}

/// 12-byte header, message, CRC least significant byte first.
inline Blob packet(const Blob& msg, std::uint16_t sequence = 1, std::uint32_t ssrc = 0x01020304) {
    Blob p{0x10, 0x00};
    put16(p, sequence);
    put32(p, 0x5a525450);
    put32(p, ssrc);
    put(p, msg);
    const std::uint32_t crc = reference_crc32c(p);
    for (int i = 0; i < 4; ++i) {
        p.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
    }
    return p;
}

inline Blob sha256(const Blob& data) {
    Blob out(32);
    SHA256(data.data(), data.size(), out.data());
    return out;
}
inline Blob sha384_256(const Blob& data) {
    Blob out(48);
    SHA384(data.data(), data.size(), out.data());
    out.resize(32);
    return out;
}
/// HMAC-SHA-256 over the message without its last 8 bytes, truncated to 8, written there.
inline void set_mac(Blob& msg, const Blob& key) {
    std::array<std::uint8_t, 32> mac{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), msg.data(), msg.size() - 8, mac.data(), &size);
    std::copy(mac.begin(), mac.begin() + 8, msg.end() - 8);
}

struct HelloSpec {
    std::string version = "1.10";
    std::string client_id = "zaudit-test     ";  // 16 characters
    Blob h3 = filled(32, 0);
    Blob zid = filled(12, 0xaa);
    std::uint8_t flags = 0;  // 0x40 S, 0x20 M, 0x10 P
    std::vector<std::string> hashes{"S256"}, ciphers{"AES1"}, auths{"HS32", "HS80"}, kas{"DH3k"}, sas{"B32 "};
};

/// Section 5.2 Hello; MAC keyed by h2.
inline Blob hello(const HelloSpec& s, const Blob& h2) {
    Blob body;
    put(body, s.version);
    put(body, s.client_id);
    put(body, s.h3);
    put(body, s.zid);
    body.push_back(s.flags);
    body.push_back(static_cast<std::uint8_t>(s.hashes.size()));
    body.push_back(static_cast<std::uint8_t>((s.ciphers.size() << 4) | s.auths.size()));
    body.push_back(static_cast<std::uint8_t>((s.kas.size() << 4) | s.sas.size()));
    for (const auto* list : {&s.hashes, &s.ciphers, &s.auths, &s.kas, &s.sas}) {
        for (const auto& name : *list) {
            put(body, name);
        }
    }
    put(body, filled(8, 0));
    Blob m = message("Hello   ", body);
    set_mac(m, h2);
    return m;
}

struct CommitSpec {
    Blob h2 = filled(32, 0);
    Blob zid = filled(12, 0xbb);
    std::string hash = "S256", cipher = "AES1", auth = "HS32", ka = "DH3k", sas = "B32 ";
    Blob tail = filled(32, 0);  // hvi, or nonce (+ keyID)
};

/// Section 5.4 Commit; MAC keyed by h1.
inline Blob commit(const CommitSpec& s, const Blob& h1) {
    Blob body;
    put(body, s.h2);
    put(body, s.zid);
    for (const auto* name : {&s.hash, &s.cipher, &s.auth, &s.ka, &s.sas}) {
        put(body, *name);
    }
    put(body, s.tail);
    put(body, filled(8, 0));
    Blob m = message("Commit  ", body);
    set_mac(m, h1);
    return m;
}

/// Sections 5.5/5.6 DHPart; MAC keyed by h0.
inline Blob dhpart(bool part2, const Blob& h1, const Blob& pv, const Blob& h0) {
    Blob body;
    put(body, h1);
    for (std::uint8_t id = 1; id <= 4; ++id) {
        put(body, filled(8, id));
    }
    put(body, pv);
    put(body, filled(8, 0));
    Blob m = message(part2 ? "DHPart2 " : "DHPart1 ", body);
    set_mac(m, h0);
    return m;
}

}  // namespace zrtp_test
