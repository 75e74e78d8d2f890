#include "zaudit/gen/iax2_wire.hpp"

#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>

namespace zaudit::gen {
namespace {

constexpr std::size_t k_block = 16;
constexpr std::uint16_t k_full_bit = 0x8000;

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

/// AES-128-CBC with a zero IV and no padding of OpenSSL's own (the data is a multiple of 16).
ByteVector aes128_cbc(util::Bytes data, const Iax2Key& key, bool encrypt) {
    const std::array<std::uint8_t, k_block> iv{};
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx{EVP_CIPHER_CTX_new()};
    ByteVector out(data.size() + k_block);
    int len = 0;
    int tail = 0;
    if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data(), encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), out.data() + len, &tail) != 1) {
        throw std::runtime_error("iax2 AES-128-CBC: OpenSSL failure");
    }
    out.resize(static_cast<std::size_t>(len) + static_cast<std::size_t>(tail));
    return out;
}

std::array<std::uint8_t, 16> md5(std::string_view challenge, std::string_view secret) {
    std::array<std::uint8_t, 16> digest{};
    const std::string input = std::string{challenge} + std::string{secret};
    unsigned int size = 0;
    if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_md5(), nullptr) != 1 || size != 16) {
        throw std::runtime_error("iax2 MD5: OpenSSL failure");
    }
    return digest;
}

std::size_t clear_header_size(util::Bytes frame) {
    return !frame.empty() && (frame[0] & (k_full_bit >> 8)) != 0 ? 4 : 2;
}

}  // namespace

ByteWriter& iax2_ie(ByteWriter& w, std::uint8_t type, util::Bytes value) {
    return w.u8(type).u8(static_cast<std::uint8_t>(value.size())).bytes(value);
}

ByteWriter& iax2_ie_text(ByteWriter& w, std::uint8_t type, std::string_view value) {
    return iax2_ie(w, type, util::as_bytes(value));
}

ByteWriter& iax2_ie_u16(ByteWriter& w, std::uint8_t type, std::uint16_t value) {
    return w.u8(type).u8(2).u16(value);
}

ByteWriter& iax2_ie_u32(ByteWriter& w, std::uint8_t type, std::uint32_t value) {
    return w.u8(type).u8(4).u32(value);
}

ByteVector iax2_full_frame(std::uint16_t source_call, std::uint16_t destination_call, std::uint32_t timestamp,
                           std::uint8_t oseqno, std::uint8_t iseqno, std::uint8_t type, std::uint8_t csub,
                           util::Bytes data) {
    ByteWriter w;
    w.u16(static_cast<std::uint16_t>(k_full_bit | (source_call & 0x7fff)))
        .u16(static_cast<std::uint16_t>(destination_call & 0x7fff))
        .u32(timestamp)
        .u8(oseqno)
        .u8(iseqno)
        .u8(type)
        .u8(csub)
        .bytes(data);
    return w.take();
}

ByteVector iax2_mini_frame(std::uint16_t source_call, std::uint16_t timestamp, util::Bytes media) {
    ByteWriter w;
    w.u16(static_cast<std::uint16_t>(source_call & 0x7fff)).u16(timestamp).bytes(media);
    return w.take();
}

Iax2Key iax2_key(std::string_view challenge, std::string_view secret) {
    return md5(challenge, secret);
}

std::string iax2_md5_result(std::string_view challenge, std::string_view secret) {
    std::string hex;
    for (const std::uint8_t b : md5(challenge, secret)) {
        hex += fmt::format("{:02x}", b);
    }
    return hex;
}

ByteVector iax2_encrypt(util::Bytes plain_frame, const Iax2Key& key, util::Bytes random) {
    const std::size_t header = clear_header_size(plain_frame);
    if (plain_frame.size() < header || random.size() < 2 * k_block - 1) {
        throw std::invalid_argument("iax2_encrypt: frame shorter than its call numbers, or too little padding");
    }
    const util::Bytes body = plain_frame.subspan(header);
    const std::size_t padding = k_block + ((k_block - body.size() % k_block) & 0xf);
    ByteVector workspace(random.begin(), random.begin() + static_cast<std::ptrdiff_t>(padding));
    workspace.insert(workspace.end(), body.begin(), body.end());
    workspace[15] = static_cast<std::uint8_t>((workspace[15] & 0xf0) | (padding & 0xf));
    ByteVector out(plain_frame.begin(), plain_frame.begin() + static_cast<std::ptrdiff_t>(header));
    const ByteVector ciphertext = aes128_cbc(workspace, key, true);
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    return out;
}

ByteVector iax2_decrypt(util::Bytes encrypted_frame, const Iax2Key& key) {
    const std::size_t header = clear_header_size(encrypted_frame);
    if (encrypted_frame.size() < header + 2 * k_block || (encrypted_frame.size() - header) % k_block != 0) {
        return {};
    }
    const ByteVector plain = aes128_cbc(encrypted_frame.subspan(header), key, false);
    const std::size_t padding = k_block + (plain[15] & 0xf);
    if (padding > plain.size()) {
        return {};
    }
    ByteVector out(encrypted_frame.begin(), encrypted_frame.begin() + static_cast<std::ptrdiff_t>(header));
    out.insert(out.end(), plain.begin() + static_cast<std::ptrdiff_t>(padding), plain.end());
    return out;
}

}  // namespace zaudit::gen
