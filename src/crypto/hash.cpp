#include "zaudit/crypto/hash.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "zaudit/util/hex.hpp"

namespace zaudit::crypto {
namespace {

const EVP_MD* evp_for(HashAlgorithm algorithm) {
    switch (algorithm) {
        case HashAlgorithm::sha1: return EVP_sha1();
        case HashAlgorithm::sha224: return EVP_sha224();
        case HashAlgorithm::sha256: return EVP_sha256();
        case HashAlgorithm::sha384: return EVP_sha384();
        case HashAlgorithm::sha512: return EVP_sha512();
    }
    throw std::logic_error("unknown hash algorithm");
}

struct EvpMdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

struct Hasher::Context {
    std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter> ctx;
};

Hasher::Hasher(HashAlgorithm algorithm) : m_context{std::make_unique<Context>()} {
    m_context->ctx.reset(EVP_MD_CTX_new());
    if (!m_context->ctx || EVP_DigestInit_ex(m_context->ctx.get(), evp_for(algorithm), nullptr) != 1) {
        throw std::runtime_error("EVP_DigestInit_ex failed");
    }
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

Hasher& Hasher::update(Bytes data) {
    EVP_DigestUpdate(m_context->ctx.get(), data.data(), data.size());
    return *this;
}

std::vector<std::uint8_t> Hasher::finish() {
    std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int size = 0;
    EVP_DigestFinal_ex(m_context->ctx.get(), out.data(), &size);
    out.resize(size);
    return out;
}

std::size_t digest_size(HashAlgorithm algorithm) {
    return static_cast<std::size_t>(EVP_MD_get_size(evp_for(algorithm)));
}

std::vector<std::uint8_t> digest(HashAlgorithm algorithm, Bytes data) {
    return Hasher{algorithm}.update(data).finish();
}

Sha256Digest sha256(Bytes data) {
    Sha256Digest out{};
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr);
    return out;
}

std::vector<std::uint8_t> hmac(HashAlgorithm algorithm, Bytes key, Bytes data) {
    std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int size = 0;
    HMAC(evp_for(algorithm), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &size);
    out.resize(size);
    return out;
}

util::Expected<std::string> sha256_file(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{std::fopen(path.c_str(), "rb"), &std::fclose};
    if (!file) {
        return util::Error{fmt::format("{}: {}", path, std::strerror(errno))};
    }
    Hasher hasher{HashAlgorithm::sha256};
    std::vector<std::uint8_t> block(1 << 16);
    while (const std::size_t n = std::fread(block.data(), 1, block.size(), file.get())) {
        hasher.update(Bytes{block.data(), n});
    }
    if (std::ferror(file.get()) != 0) {
        return util::Error{fmt::format("{}: read error", path)};
    }
    return util::to_hex(hasher.finish());
}

}  // namespace zaudit::crypto
