#pragma once
// A small verifier written from RFC 6189 for the generator's tests: it reads the generated
// packets by the RFC's field offsets (not through the generator's own code) and recomputes each
// check an auditor can make from a capture.

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/zrtp_handshake.hpp"
#include "zaudit/util/hex.hpp"

namespace zrtp_test {

using zaudit::util::Bytes;
using Blob = std::vector<std::uint8_t>;

inline Blob cut(Bytes b, std::size_t at, std::size_t n) {
    return {b.begin() + at, b.begin() + at + n};
}
inline Blob join(std::initializer_list<Bytes> parts) {
    Blob out;
    for (auto p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}
inline Blob be32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}
inline Blob text(std::string_view s) {
    return {s.begin(), s.end()};
}
inline Blob sha256(Bytes b) {
    const auto d = zaudit::crypto::sha256(b);
    return {d.begin(), d.end()};
}
inline Blob hmac8(zaudit::crypto::HashAlgorithm h, Bytes key, Bytes data) {
    Blob m = zaudit::crypto::hmac(h, key, data);
    m.resize(8);
    return m;
}
/// RFC 6189 4.5.1 KDF, written out in the test.
inline Blob kdf(zaudit::crypto::HashAlgorithm h, Bytes key, std::string_view label, Bytes context, std::uint32_t bits) {
    Blob m = zaudit::crypto::hmac(h, key, join({be32(1), text(label), Blob{0}, context, be32(bits)}));
    m.resize(bits / 8);
    return m;
}

inline std::uint32_t wire_crc(const Blob& p) {
    const auto n = p.size();
    return std::uint32_t{p[n - 4]} | (std::uint32_t{p[n - 3]} << 8) | (std::uint32_t{p[n - 2]} << 16) |
           (std::uint32_t{p[n - 1]} << 24);
}
inline bool crc_ok(const Blob& p) {
    return zaudit::gen::zrtp_crc32c(Bytes(p).first(p.size() - 4)) == wire_crc(p);
}
inline Blob message_of(const Blob& p) {
    return {p.begin() + 12, p.end() - 4};
}
inline bool mac_ok(const Blob& message, Bytes key) {
    return hmac8(zaudit::crypto::HashAlgorithm::sha256, key, Bytes(message).first(message.size() - 8)) ==
           cut(message, message.size() - 8, 8);
}

/// The last whole (unfragmented, CRC-valid) message of each type from each side.
struct Messages {
    std::map<std::string, Blob> from_i, from_r;
    explicit Messages(const std::vector<zaudit::gen::ZrtpWirePacket>& packets) {
        for (const auto& p : packets) {
            if (!p.fragment && crc_ok(p.udp_payload)) {
                (p.from_initiator ? from_i : from_r)[p.message_type] = message_of(p.udp_payload);
            }
        }
    }
};

/// What a verifier of the capture concludes. Field offsets from RFC 6189 section 5.
struct Checks {
    bool all_crc = true;
    bool hello_i_h3 = false, hello_i_mac = false;
    bool hello_r_h3 = false, hello_r_mac = false;
    bool chain_i = false;     ///< SHA-256(H1 of DHPart2) == H2 of the Commit
    bool commit_mac = false;  ///< under H1 of DHPart2
    bool hvi = false;
    bool confirm_chain = false;  ///< Confirm H0s hash to the DHPart H1s and the DHPart MACs hold

    bool operator==(const Checks&) const = default;
};

inline Checks run_checks(const zaudit::gen::ZrtpStreamResult& s) {
    using zaudit::crypto::HashAlgorithm;
    Checks c;
    for (const auto& p : s.packets) {
        c.all_crc = c.all_crc && crc_ok(p.udp_payload);
    }
    const Messages m{s.packets};
    const Blob& hello_i = m.from_i.at("Hello");
    const Blob& hello_r = m.from_r.at("Hello");
    const Blob& commit = m.from_i.at("Commit");
    const Blob& dh1 = m.from_r.at("DHPart1");
    const Blob& dh2 = m.from_i.at("DHPart2");
    const Blob h2_i = cut(commit, 12, 32);
    const Blob h1_i = cut(dh2, 12, 32);
    const Blob h1_r = cut(dh1, 12, 32);
    const Blob h2_r = sha256(h1_r);  // the responder sends no Commit: its H2 is SHA-256(H1)
    c.hello_i_h3 = sha256(h2_i) == cut(hello_i, 32, 32);
    c.hello_i_mac = mac_ok(hello_i, h2_i);
    c.hello_r_h3 = sha256(h2_r) == cut(hello_r, 32, 32);
    c.hello_r_mac = mac_ok(hello_r, h2_r);
    c.chain_i = sha256(h1_i) == h2_i;
    c.commit_mac = mac_ok(commit, h1_i);
    const auto hash = cut(commit, 56, 4) == text("S384") ? HashAlgorithm::sha384 : HashAlgorithm::sha256;
    Blob hvi = zaudit::crypto::digest(hash, join({dh2, hello_r}));
    hvi.resize(32);
    c.hvi = hvi == cut(commit, 76, 32);
    // Confirm: decrypt with the keys (checked independently in the key schedule test).
    const auto h0_of = [&](const Blob& confirm, const Blob& key) {
        return cut(zaudit::gen::zrtp_aes_cfb(key, cut(confirm, 20, 16), Bytes(confirm).subspan(36), false), 0, 32);
    };
    if (m.from_r.count("Confirm1") != 0 && m.from_i.count("Confirm2") != 0) {
        const Blob h0_r = h0_of(m.from_r.at("Confirm1"), s.keys.zrtpkey_r);
        const Blob h0_i = h0_of(m.from_i.at("Confirm2"), s.keys.zrtpkey_i);
        c.confirm_chain = sha256(h0_r) == h1_r && sha256(h0_i) == h1_i && mac_ok(dh1, h0_r) && mac_ok(dh2, h0_i);
    }
    return c;
}

inline Checks all_pass() {
    return {true, true, true, true, true, true, true, true, true};
}

inline zaudit::gen::ZrtpEndpointConfig alice() {
    zaudit::gen::ZrtpEndpointConfig c;
    c.zid = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac};
    c.client_id = "alice-phone";
    c.ssrc = 0x11111111;
    c.seed = 1;
    return c;
}

inline zaudit::gen::ZrtpEndpointConfig bob() {
    zaudit::gen::ZrtpEndpointConfig c;
    c.zid = {0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc};
    c.client_id = "bob-phone";
    c.ssrc = 0x22222222;
    c.seed = 2;
    return c;
}

inline zaudit::gen::ZrtpHandshake run(zaudit::gen::ZrtpHandshakeOptions options = {},
                                      zaudit::gen::ZrtpEndpointConfig i = alice(),
                                      zaudit::gen::ZrtpEndpointConfig r = bob()) {
    auto result = zaudit::gen::ZrtpHandshakeGenerator{std::move(i), std::move(r), std::move(options)}.run();
    if (!result) {
        FAIL(result.error().message);
    }
    return std::move(result).value();
}

inline std::vector<std::string> types(const std::vector<zaudit::gen::ZrtpWirePacket>& packets) {
    std::vector<std::string> out;
    for (const auto& p : packets) {
        out.push_back((p.from_initiator ? "I:" : "R:") + p.message_type);
    }
    return out;
}

}  // namespace zrtp_test
