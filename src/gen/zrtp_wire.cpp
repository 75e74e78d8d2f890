#include "zaudit/gen/zrtp_wire.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <boost/crc.hpp>

namespace zaudit::gen {
namespace {

void put_u16(ZrtpBytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(ZrtpBytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<std::uint8_t>(v >> shift));
    }
}

void put(ZrtpBytes& out, util::Bytes bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

/// A text field of exactly `size` characters, padded with spaces (algorithm names, client id).
void put_text(ZrtpBytes& out, std::string_view text, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(static_cast<std::uint8_t>(i < text.size() ? text[i] : ' '));
    }
}

/// RFC 6189 section 5: the CRC sits in the last word of the packet. The RFC does not spell out the
/// byte order, and the real stacks agree on least significant byte first, i.e. the standard
/// CRC-32C value in little-endian order (as SCTP, RFC 4960 appendix B, transmits it):
/// - bzrtp (cryptoUtils.c bzrtp_CRC32) computes the reflected CRC, byte-swaps it, and
///   packetParser.c writes that swapped value most significant byte first;
/// - GNU ZRTP (zrtpEndCksum, from RFC 4960 appendix C) byte-swaps and stores with htonl;
/// - Wireshark packet-zrtp.c compares ~crc32c_tvb_offset_calculate() (Wireshark's CRC-32C
///   routine returns the byte-swapped register) with the field read big-endian;
/// - tests/interop/zrtp-linphone.pcap (linphone/bzrtp 5.1): the Hello of frame 7 has standard
///   CRC-32C 0xd9768256 and carries bytes 56 82 76 d9.
void put_crc_le(ZrtpBytes& out, std::uint32_t crc) {
    for (int shift = 0; shift <= 24; shift += 8) {
        out.push_back(static_cast<std::uint8_t>(crc >> shift));
    }
}

void put_header(ZrtpBytes& out, std::uint8_t first_byte, std::uint16_t sequence, std::uint32_t ssrc) {
    out.push_back(first_byte);
    out.push_back(0);
    put_u16(out, sequence);
    put_u32(out, k_zrtp_magic_cookie);
    put_u32(out, ssrc);
}

std::array<std::uint8_t, 8> truncated_hmac(crypto::HashAlgorithm hash, util::Bytes key, util::Bytes data) {
    const auto full = crypto::hmac(hash, key, data);
    std::array<std::uint8_t, 8> out{};
    std::copy_n(full.begin(), out.size(), out.begin());
    return out;
}

/// Confirm and SASrelay share one shape: MAC, IV, then the encrypted part, whose MAC is over
/// the ciphertext (RFC 6189 sections 5.7 and 5.13).
ZrtpBytes sealed_message(std::string_view type, util::Bytes plaintext, const std::array<std::uint8_t, 16>& iv,
                         const ZrtpSealKeys& keys) {
    const ZrtpBytes ciphertext = zrtp_aes_cfb(keys.zrtp_key, iv, plaintext, true);
    const auto mac = truncated_hmac(keys.hash, keys.mac_key, ciphertext);
    ZrtpBytes body;
    put(body, mac);
    put(body, iv);
    put(body, ciphertext);
    return zrtp_message(type, body);
}

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

}  // namespace

std::uint32_t zrtp_crc32c(util::Bytes data) {
    boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

ZrtpBytes zrtp_packet(std::uint16_t sequence, std::uint32_t ssrc, util::Bytes message) {
    ZrtpBytes out;
    out.reserve(k_zrtp_packet_header_size + message.size() + k_zrtp_crc_size);
    put_header(out, k_zrtp_packet_first_byte, sequence, ssrc);
    put(out, message);
    put_crc_le(out, zrtp_crc32c(out));
    return out;
}

void zrtp_refresh_crc(ZrtpBytes& packet) {
    if (packet.size() < k_zrtp_packet_header_size + k_zrtp_crc_size) {
        return;
    }
    packet.resize(packet.size() - k_zrtp_crc_size);
    put_crc_le(packet, zrtp_crc32c(packet));
}

std::vector<ZrtpBytes> zrtp_fragment_packets(std::uint16_t first_sequence, std::uint32_t ssrc, util::Bytes message,
                                             const ZrtpFragmentSpec& spec) {
    constexpr std::size_t overhead = k_zrtp_fragment_header_size + k_zrtp_crc_size;
    if (spec.max_packet_size < overhead + 4 || message.size() % 4 != 0) {
        throw std::invalid_argument("zrtp_fragment_packets: packet size too small or message not in words");
    }
    const std::size_t chunk = (spec.max_packet_size - overhead) / 4 * 4;
    std::vector<ZrtpBytes> packets;
    std::uint16_t sequence = first_sequence;
    for (std::size_t offset = 0; offset < message.size(); offset += chunk) {
        const std::size_t size = std::min(chunk, message.size() - offset);
        ZrtpBytes out;
        put_header(out, k_zrtp_fragment_first_byte, sequence++, ssrc);
        put_u16(out, spec.message_id);
        put_u16(out, static_cast<std::uint16_t>(message.size() / 4));
        put_u16(out, static_cast<std::uint16_t>(offset / 4));
        put_u16(out, static_cast<std::uint16_t>(size / 4));
        put(out, message.subspan(offset, size));
        put_crc_le(out, zrtp_crc32c(out));
        packets.push_back(std::move(out));
    }
    return packets;
}

ZrtpBytes zrtp_message(std::string_view type, util::Bytes body) {
    if (body.size() % 4 != 0) {
        throw std::invalid_argument("zrtp_message: body is not a whole number of words");
    }
    ZrtpBytes out;
    out.reserve(12 + body.size());
    put_u16(out, 0x505a);
    put_u16(out, static_cast<std::uint16_t>((12 + body.size()) / 4));
    put_text(out, type, 8);
    put(out, body);
    return out;
}

std::array<std::uint8_t, 8> zrtp_hash_image_mac(util::Bytes message, util::Bytes key) {
    return truncated_hmac(crypto::HashAlgorithm::sha256, key, message.first(message.size() - k_zrtp_mac_size));
}

void zrtp_set_hash_image_mac(ZrtpBytes& message, util::Bytes key) {
    const auto mac = zrtp_hash_image_mac(message, key);
    std::copy(mac.begin(), mac.end(), message.end() - static_cast<std::ptrdiff_t>(k_zrtp_mac_size));
}

ZrtpBytes zrtp_hello_message(const ZrtpHelloFields& f, util::Bytes h2) {
    ZrtpBytes body;
    put_text(body, f.version, 4);
    put_text(body, f.client_id, 16);
    put(body, f.h3);
    put(body, f.zid);
    // |0|S|M|P| unused | hc | cc | ac | kc | sc |: one nibble per count, four unused bits before hc.
    body.push_back(
        static_cast<std::uint8_t>((f.signature_capable ? 0x40 : 0) | (f.mitm ? 0x20 : 0) | (f.passive ? 0x10 : 0)));
    body.push_back(static_cast<std::uint8_t>(f.hashes.size() & 0x0F));
    body.push_back(static_cast<std::uint8_t>(((f.ciphers.size() & 0x0F) << 4) | (f.auth_tags.size() & 0x0F)));
    body.push_back(static_cast<std::uint8_t>(((f.key_agreements.size() & 0x0F) << 4) | (f.sas_types.size() & 0x0F)));
    for (const auto* list : {&f.hashes, &f.ciphers, &f.auth_tags, &f.key_agreements, &f.sas_types}) {
        for (const auto& name : *list) {
            put_text(body, name, 4);
        }
    }
    body.insert(body.end(), k_zrtp_mac_size, 0);
    ZrtpBytes message = zrtp_message("Hello   ", body);
    zrtp_set_hash_image_mac(message, h2);
    return message;
}

ZrtpBytes zrtp_commit_message(const ZrtpCommitFields& f, util::Bytes h1) {
    ZrtpBytes body;
    put(body, f.h2);
    put(body, f.zid);
    for (const auto* name : {&f.hash, &f.cipher, &f.auth_tag, &f.key_agreement, &f.sas}) {
        put_text(body, *name, 4);
    }
    put(body, f.hvi_or_nonce);
    body.insert(body.end(), k_zrtp_mac_size, 0);
    ZrtpBytes message = zrtp_message("Commit  ", body);
    zrtp_set_hash_image_mac(message, h1);
    return message;
}

ZrtpBytes zrtp_dhpart_message(const ZrtpDhPartFields& f, util::Bytes h0) {
    ZrtpBytes body;
    put(body, f.h1);
    put(body, f.rs1_id);
    put(body, f.rs2_id);
    put(body, f.auxsecret_id);
    put(body, f.pbxsecret_id);
    put(body, f.pv);
    body.insert(body.end(), k_zrtp_mac_size, 0);
    ZrtpBytes message = zrtp_message(f.part2 ? "DHPart2 " : "DHPart1 ", body);
    zrtp_set_hash_image_mac(message, h0);
    return message;
}

ZrtpBytes zrtp_confirm_message(const ZrtpConfirmFields& f, const ZrtpSealKeys& keys) {
    ZrtpBytes plain;
    put(plain, f.h0);
    // | unused (15 bits) | sig len (9 bits) | 0 0 0 0 | E | V | A | D |: no signature here.
    plain.push_back(0);
    plain.push_back(0);
    plain.push_back(0);
    plain.push_back(static_cast<std::uint8_t>((f.enrollment ? 8 : 0) | (f.sas_verified ? 4 : 0) |
                                              (f.allow_clear ? 2 : 0) | (f.disclosure ? 1 : 0)));
    put_u32(plain, f.cache_expiration);
    return sealed_message(f.confirm2 ? "Confirm2" : "Confirm1", plain, f.iv, keys);
}

ZrtpBytes zrtp_sasrelay_message(const ZrtpSasRelayFields& f, const ZrtpSealKeys& keys) {
    ZrtpBytes plain;
    plain.push_back(0);
    plain.push_back(0);
    plain.push_back(0);
    plain.push_back(
        static_cast<std::uint8_t>((f.sas_verified ? 4 : 0) | (f.allow_clear ? 2 : 0) | (f.disclosure ? 1 : 0)));
    put_text(plain, f.rendering, 4);
    put(plain, f.relayed_sashash);
    return sealed_message("SASrelay", plain, f.iv, keys);
}

ZrtpBytes zrtp_error_message(std::uint32_t code) {
    ZrtpBytes body;
    put_u32(body, code);
    return zrtp_message("Error   ", body);
}

ZrtpBytes zrtp_goclear_message(const ZrtpSealKeys& keys) {
    const auto mac = truncated_hmac(keys.hash, keys.mac_key, util::as_bytes("GoClear "));
    return zrtp_message("GoClear ", mac);
}

ZrtpBytes zrtp_ack_message(std::string_view type) {
    return zrtp_message(type, {});
}

ZrtpBytes zrtp_aes_cfb(util::Bytes key, util::Bytes iv, util::Bytes data, bool encrypt) {
    const EVP_CIPHER* cipher = key.size() == 16   ? EVP_aes_128_cfb128()
                               : key.size() == 24 ? EVP_aes_192_cfb128()
                               : key.size() == 32 ? EVP_aes_256_cfb128()
                                                  : nullptr;
    if (cipher == nullptr || iv.size() != 16) {
        throw std::invalid_argument("zrtp_aes_cfb: key must be 16/24/32 bytes and IV 16");
    }
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx{EVP_CIPHER_CTX_new()};
    ZrtpBytes out(data.size() + 16);
    int len = 0;
    int tail = 0;
    if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data(), encrypt ? 1 : 0) != 1 ||
        EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), out.data() + len, &tail) != 1) {
        throw std::runtime_error("zrtp_aes_cfb: OpenSSL failure");
    }
    out.resize(static_cast<std::size_t>(len) + static_cast<std::size_t>(tail));
    return out;
}

}  // namespace zaudit::gen
