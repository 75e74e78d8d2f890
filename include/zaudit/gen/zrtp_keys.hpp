#pragma once
/// \file ZRTP key schedule for the sample generator (RFC 6189 sections 4.4.1.4, 4.5.1-4.5.3 and
/// 4.4.3.2), SAS rendering (5.1.6), and the seeded byte source that makes samples reproducible.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/zrtp_wire.hpp"

namespace zaudit::gen {

/// Deterministic bytes for a seed: block k of label L is SHA-256(seed (8 bytes, big-endian) ‖ L ‖
/// k (4 bytes, big-endian)). Stateless, so one value (say the responder's H0) does not change
/// when a variant draws other values.
class ZrtpSeededBytes {
public:
    explicit ZrtpSeededBytes(std::uint64_t seed) : m_seed{seed} {}
    [[nodiscard]] ZrtpBytes take(std::string_view label, std::size_t size) const;
    template <std::size_t N>
    [[nodiscard]] std::array<std::uint8_t, N> take_array(std::string_view label) const {
        const ZrtpBytes bytes = take(label, N);
        std::array<std::uint8_t, N> out{};
        std::copy(bytes.begin(), bytes.end(), out.begin());
        return out;
    }

private:
    std::uint64_t m_seed;
};

/// The negotiated hash for a ZRTP name: "S256" → SHA-256, "S384" → SHA-384; nullopt otherwise.
std::optional<crypto::HashAlgorithm> zrtp_hash_from_name(std::string_view name);
/// AES key size in bytes for "AES1"/"AES2"/"AES3" (16/24/32); nullopt otherwise.
std::optional<std::size_t> zrtp_cipher_key_size(std::string_view name);

/// KDF(KI, Label, Context, L) = HMAC(KI, i ‖ Label ‖ 0x00 ‖ Context ‖ L) with i = 1 and L the
/// output length in bits, both 32-bit big-endian; the result is the leftmost L bits (4.5.1).
ZrtpBytes zrtp_kdf(crypto::HashAlgorithm hash, util::Bytes key, std::string_view label, util::Bytes context,
                   std::size_t bits);

/// s0 for DH mode without shared secrets (4.4.1.4): hash(counter=1 ‖ DHResult ‖ "ZRTP-HMAC-KDF" ‖
/// ZIDi ‖ ZIDr ‖ total_hash ‖ len(s1)=0 ‖ len(s2)=0 ‖ len(s3)=0).
ZrtpBytes zrtp_s0_dh(crypto::HashAlgorithm hash, util::Bytes dh_result, const ZrtpZid& zidi, const ZrtpZid& zidr,
                     util::Bytes total_hash);

/// KDF_Context = ZIDi ‖ ZIDr ‖ total_hash (4.4.1.4, and 4.4.3.2 for multistream).
ZrtpBytes zrtp_kdf_context(const ZrtpZid& zidi, const ZrtpZid& zidr, util::Bytes total_hash);

/// Everything derived from s0 (4.5.2, 4.5.3).
struct ZrtpSessionKeys {
    ZrtpBytes s0;
    ZrtpBytes zrtp_session;              ///< ZRTPSess: "ZRTP Session Key", hash length
    ZrtpBytes mackey_i, mackey_r;        ///< "Initiator/Responder HMAC key", hash length
    ZrtpBytes zrtpkey_i, zrtpkey_r;      ///< "Initiator/Responder ZRTP key", AES key length
    ZrtpBytes srtp_key_i, srtp_key_r;    ///< "Initiator/Responder SRTP master key", AES key length
    ZrtpBytes srtp_salt_i, srtp_salt_r;  ///< "Initiator/Responder SRTP master salt", 112 bits
    ZrtpBytes sashash;                   ///< "SAS", 256 bits
    std::uint32_t sas_value = 0;         ///< leftmost 32 bits of sashash
};
ZrtpSessionKeys zrtp_derive_keys(crypto::HashAlgorithm hash, std::size_t cipher_key_size, ZrtpBytes s0,
                                 util::Bytes kdf_context);

/// Multistream s0 (4.4.3.2): KDF(ZRTPSess, "ZRTP MSK", KDF_Context, hash length).
ZrtpBytes zrtp_s0_multistream(crypto::HashAlgorithm hash, util::Bytes zrtp_session, util::Bytes kdf_context);

/// B32 rendering (5.1.6): the leftmost 20 bits of sasvalue as four z-base-32 characters.
std::string zrtp_sas_b32(std::uint32_t sas_value);

}  // namespace zaudit::gen
