#include "zaudit/gen/zrtp_keys.hpp"

namespace zaudit::gen {
namespace {

void put_u32(ZrtpBytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<std::uint8_t>(v >> shift));
    }
}

void put(ZrtpBytes& out, util::Bytes bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

ZrtpBytes ZrtpSeededBytes::take(std::string_view label, std::size_t size) const {
    ZrtpBytes out;
    out.reserve(size + 32);
    for (std::uint32_t block = 0; out.size() < size; ++block) {
        ZrtpBytes input;
        put_u32(input, static_cast<std::uint32_t>(m_seed >> 32));
        put_u32(input, static_cast<std::uint32_t>(m_seed));
        put(input, util::as_bytes(label));
        put_u32(input, block);
        const auto digest = crypto::sha256(input);
        out.insert(out.end(), digest.begin(), digest.end());
    }
    out.resize(size);
    return out;
}

std::optional<crypto::HashAlgorithm> zrtp_hash_from_name(std::string_view name) {
    if (name == "S256") {
        return crypto::HashAlgorithm::sha256;
    }
    if (name == "S384") {
        return crypto::HashAlgorithm::sha384;
    }
    return std::nullopt;
}

std::optional<std::size_t> zrtp_cipher_key_size(std::string_view name) {
    if (name == "AES1") {
        return 16;
    }
    if (name == "AES2") {
        return 24;
    }
    if (name == "AES3") {
        return 32;
    }
    return std::nullopt;
}

ZrtpBytes zrtp_kdf(crypto::HashAlgorithm hash, util::Bytes key, std::string_view label, util::Bytes context,
                   std::size_t bits) {
    ZrtpBytes input;
    put_u32(input, 1);
    put(input, util::as_bytes(label));
    input.push_back(0);
    put(input, context);
    put_u32(input, static_cast<std::uint32_t>(bits));
    ZrtpBytes out = crypto::hmac(hash, key, input);
    out.resize(bits / 8);  // every length ZRTP asks for is whole bytes and at most the hash size
    return out;
}

ZrtpBytes zrtp_kdf_context(const ZrtpZid& zidi, const ZrtpZid& zidr, util::Bytes total_hash) {
    ZrtpBytes context;
    put(context, zidi);
    put(context, zidr);
    put(context, total_hash);
    return context;
}

ZrtpBytes zrtp_s0_dh(crypto::HashAlgorithm hash, util::Bytes dh_result, const ZrtpZid& zidi, const ZrtpZid& zidr,
                     util::Bytes total_hash) {
    ZrtpBytes input;
    put_u32(input, 1);
    put(input, dh_result);
    put(input, util::as_bytes("ZRTP-HMAC-KDF"));
    put(input, zidi);
    put(input, zidr);
    put(input, total_hash);
    // No cached secrets: s1, s2 and s3 are null, each present only as a 32-bit zero length.
    put_u32(input, 0);
    put_u32(input, 0);
    put_u32(input, 0);
    return crypto::digest(hash, input);
}

ZrtpSessionKeys zrtp_derive_keys(crypto::HashAlgorithm hash, std::size_t cipher_key_size, ZrtpBytes s0,
                                 util::Bytes kdf_context) {
    const std::size_t hash_bits = crypto::digest_size(hash) * 8;
    const std::size_t key_bits = cipher_key_size * 8;
    const auto kdf = [&](std::string_view label, std::size_t bits) {
        return zrtp_kdf(hash, s0, label, kdf_context, bits);
    };
    ZrtpSessionKeys keys;
    keys.zrtp_session = kdf("ZRTP Session Key", hash_bits);
    keys.mackey_i = kdf("Initiator HMAC key", hash_bits);
    keys.mackey_r = kdf("Responder HMAC key", hash_bits);
    keys.zrtpkey_i = kdf("Initiator ZRTP key", key_bits);
    keys.zrtpkey_r = kdf("Responder ZRTP key", key_bits);
    keys.srtp_key_i = kdf("Initiator SRTP master key", key_bits);
    keys.srtp_salt_i = kdf("Initiator SRTP master salt", 112);
    keys.srtp_key_r = kdf("Responder SRTP master key", key_bits);
    keys.srtp_salt_r = kdf("Responder SRTP master salt", 112);
    keys.sashash = kdf("SAS", 256);
    keys.sas_value = (std::uint32_t{keys.sashash[0]} << 24) | (std::uint32_t{keys.sashash[1]} << 16) |
                     (std::uint32_t{keys.sashash[2]} << 8) | std::uint32_t{keys.sashash[3]};
    keys.s0 = std::move(s0);
    return keys;
}

ZrtpBytes zrtp_s0_multistream(crypto::HashAlgorithm hash, util::Bytes zrtp_session, util::Bytes kdf_context) {
    return zrtp_kdf(hash, zrtp_session, "ZRTP MSK", kdf_context, crypto::digest_size(hash) * 8);
}

std::string zrtp_sas_b32(std::uint32_t sas_value) {
    // z-base-32 alphabet (RFC 6189 section 5.1.6 points to it), 5 bits per character.
    constexpr std::string_view alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";
    std::string out;
    for (int shift = 27; shift >= 12; shift -= 5) {
        out.push_back(alphabet[(sas_value >> shift) & 0x1F]);
    }
    return out;
}

}  // namespace zaudit::gen
