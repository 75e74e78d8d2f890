#pragma once
/// \file ZRTP wire encoding for the sample generator: packet framing, CRC-32C, fragmentation and
/// one builder per RFC 6189 section 5 message. Written from the RFC, independently of the parser in
/// src/zrtp (the point is that writer and reader do not share a misunderstanding).
///
/// A "message" here is what RFC 6189 calls the ZRTP message: from the 0x505a preamble through the
/// MAC or last field, without the 12-byte packet header and without the CRC. a=zrtp-hash,
/// hvi and total_hash are computed over messages.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::gen {

using ZrtpBytes = std::vector<std::uint8_t>;
using ZrtpZid = std::array<std::uint8_t, 12>;
using ZrtpHashImage = std::array<std::uint8_t, 32>;

/// RFC 6189 section 5 packet header: first byte 0x10, second byte 0, then sequence number.
inline constexpr std::uint8_t k_zrtp_packet_first_byte = 0x10;
/// bzrtp's fragmented packet (not in RFC 6189): first byte 0x11, header grows to 20 bytes.
inline constexpr std::uint8_t k_zrtp_fragment_first_byte = 0x11;
inline constexpr std::uint32_t k_zrtp_magic_cookie = 0x5a525450;  // "ZRTP"
inline constexpr std::size_t k_zrtp_packet_header_size = 12;
inline constexpr std::size_t k_zrtp_fragment_header_size = 20;
inline constexpr std::size_t k_zrtp_crc_size = 4;
inline constexpr std::size_t k_zrtp_mac_size = 8;

/// CRC-32C (Castagnoli, RFC 3309 / RFC 4960 appendix B): reflected, init and final XOR 0xFFFFFFFF.
/// The standard value: 32 zero bytes give 0x8A9136AA (RFC 3720 B.4).
std::uint32_t zrtp_crc32c(util::Bytes data);

/// A whole ZRTP packet (UDP payload): header with the sequence number and SSRC, the message,
/// and the CRC over both. The CRC is written least significant byte first; see zrtp_wire.cpp.
ZrtpBytes zrtp_packet(std::uint16_t sequence, std::uint32_t ssrc, util::Bytes message);

/// Recomputes the CRC of a packet in place (after a deliberate change to its bytes).
void zrtp_refresh_crc(ZrtpBytes& packet);

/// One fragment of a message as bzrtp 5.x sends it (packetParser.c, bzrtp_packetBuild): first
/// byte 0x11; after the SSRC four 16-bit big-endian fields: message id, the message's total
/// length in 32-bit words, this fragment's offset in words and its length in words; then the
/// fragment bytes and the CRC over all of it.
struct ZrtpFragmentSpec {
    std::uint16_t message_id = 0;
    std::size_t max_packet_size = 0;  ///< the largest UDP payload allowed, header and CRC included
};
/// Splits a message into fragment packets; sequence numbers start at first_sequence and rise by
/// one per fragment. Each fragment carries floor((max - 24) / 4) words at most.
std::vector<ZrtpBytes> zrtp_fragment_packets(std::uint16_t first_sequence, std::uint32_t ssrc, util::Bytes message,
                                             const ZrtpFragmentSpec& spec);

/// Preamble 0x505a, length in 32-bit words (of the whole message), 8-character type, then body.
/// The body's size must be a multiple of 4.
ZrtpBytes zrtp_message(std::string_view type, util::Bytes body);

/// HMAC-SHA-256 keyed by a hash image, over the message without its last 8 bytes, truncated to
/// 64 bits, written into those last 8 bytes (Hello/H2, Commit/H1, DHPart/H0: RFC 6189 section 9).
void zrtp_set_hash_image_mac(ZrtpBytes& message, util::Bytes key);
/// The value zrtp_set_hash_image_mac() would write (for checks).
std::array<std::uint8_t, 8> zrtp_hash_image_mac(util::Bytes message, util::Bytes key);

/// The Hello's contents (RFC 6189 section 5.2). Algorithm names are 4 characters each.
struct ZrtpHelloFields {
    std::string_view version = "1.10";
    std::string_view client_id;  ///< padded with spaces (or cut) to 16 characters
    ZrtpHashImage h3{};
    ZrtpZid zid{};
    bool signature_capable = false;  ///< S
    bool mitm = false;               ///< M
    bool passive = false;            ///< P
    std::vector<std::string> hashes, ciphers, auth_tags, key_agreements, sas_types;
};
/// The Hello with its MAC keyed by H2.
ZrtpBytes zrtp_hello_message(const ZrtpHelloFields& fields, util::Bytes h2);

/// The Commit (section 5.4): DH mode with hvi (32 bytes) or multistream with a 16-byte nonce.
struct ZrtpCommitFields {
    ZrtpHashImage h2{};
    ZrtpZid zid{};
    std::string hash, cipher, auth_tag, key_agreement, sas;
    ZrtpBytes hvi_or_nonce;  ///< 32 bytes (hvi) or 16 bytes (nonce, "Mult")
};
/// The Commit with its MAC keyed by H1.
ZrtpBytes zrtp_commit_message(const ZrtpCommitFields& fields, util::Bytes h1);

/// DHPart1/DHPart2 (section 5.5/5.6) with the MAC keyed by the sender's H0.
struct ZrtpDhPartFields {
    bool part2 = false;
    ZrtpHashImage h1{};
    std::array<std::uint8_t, 8> rs1_id{}, rs2_id{}, auxsecret_id{}, pbxsecret_id{};
    ZrtpBytes pv;
};
ZrtpBytes zrtp_dhpart_message(const ZrtpDhPartFields& fields, util::Bytes h0);

/// Confirm1/Confirm2 (section 5.7) plaintext fields.
struct ZrtpConfirmFields {
    bool confirm2 = false;
    ZrtpHashImage h0{};
    bool enrollment = false;    ///< E
    bool sas_verified = false;  ///< V
    bool allow_clear = false;   ///< A
    bool disclosure = false;    ///< D
    std::uint32_t cache_expiration = 0xFFFFFFFF;
    std::array<std::uint8_t, 16> iv{};
};
/// The symmetric context that protects Confirm and SASrelay: the sender's zrtpkey (AES-CFB with
/// the negotiated key size) and mackey (HMAC with the negotiated hash, truncated to 64 bits).
struct ZrtpSealKeys {
    crypto::HashAlgorithm hash = crypto::HashAlgorithm::sha256;
    ZrtpBytes zrtp_key;
    ZrtpBytes mac_key;
};
ZrtpBytes zrtp_confirm_message(const ZrtpConfirmFields& fields, const ZrtpSealKeys& keys);

/// SASrelay (section 5.13): flags, rendering scheme and the relayed sashash, sealed like Confirm.
struct ZrtpSasRelayFields {
    bool sas_verified = false;
    bool allow_clear = false;
    bool disclosure = false;
    std::string rendering = "B32 ";
    ZrtpHashImage relayed_sashash{};
    std::array<std::uint8_t, 16> iv{};
};
ZrtpBytes zrtp_sasrelay_message(const ZrtpSasRelayFields& fields, const ZrtpSealKeys& keys);

/// Error (section 5.9) with its 32-bit code.
ZrtpBytes zrtp_error_message(std::uint32_t code);
/// GoClear (section 5.11): clear_hmac = HMAC(mackey, "GoClear ") truncated to 64 bits.
ZrtpBytes zrtp_goclear_message(const ZrtpSealKeys& keys);
/// The messages with no body: HelloACK, Conf2ACK, ErrorACK, ClearACK, RelayACK.
ZrtpBytes zrtp_ack_message(std::string_view type);

/// AES in 128-bit CFB mode with a 16, 24 or 32-byte key (the cipher of Confirm and SASrelay).
ZrtpBytes zrtp_aes_cfb(util::Bytes key, util::Bytes iv, util::Bytes data, bool encrypt);

}  // namespace zaudit::gen
