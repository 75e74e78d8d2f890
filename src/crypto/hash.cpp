#include "zaudit/crypto/hash.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "zaudit/util/hex.hpp"

namespace zaudit::crypto {
namespace {

constexpr std::array<HashAlgorithm, 5> k_algorithms{HashAlgorithm::sha1, HashAlgorithm::sha224, HashAlgorithm::sha256,
                                                    HashAlgorithm::sha384, HashAlgorithm::sha512};

const char* name_of(HashAlgorithm algorithm) {
    switch (algorithm) {
        case HashAlgorithm::sha1: return "SHA1";
        case HashAlgorithm::sha224: return "SHA2-224";
        case HashAlgorithm::sha256: return "SHA2-256";
        case HashAlgorithm::sha384: return "SHA2-384";
        case HashAlgorithm::sha512: return "SHA2-512";
    }
    throw std::logic_error("unknown hash algorithm");
}

// OpenSSL 3 looks an algorithm up in its providers ("fetches" it) on every init from
// EVP_sha256() and the like, and on every HMAC() call: about a third of the instructions of
// verifying a ZRTP handshake (callgrind), paid again by every finding's fingerprint. Each
// algorithm is fetched once for the process instead. The handles are never changed after the
// fetch, and OpenSSL's fetched algorithms may be used from any thread.
const EVP_MD* evp_for(HashAlgorithm algorithm) {
    static const std::array<EVP_MD*, k_algorithms.size()> k_fetched = [] {
        std::array<EVP_MD*, k_algorithms.size()> fetched{};
        for (std::size_t i = 0; i < k_algorithms.size(); ++i) {
            fetched[i] = EVP_MD_fetch(nullptr, name_of(k_algorithms[i]), nullptr);
        }
        return fetched;
    }();
    const auto index = static_cast<std::size_t>(algorithm);
    if (index >= k_fetched.size() || k_fetched[index] == nullptr) {
        throw std::runtime_error(fmt::format("OpenSSL has no {}", index < k_fetched.size() ? name_of(algorithm) : "?"));
    }
    return k_fetched[index];
}

struct EvpMdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

struct EvpMacCtxDeleter {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

/// An HMAC context for `algorithm` with its digest set and no key yet: each hmac() call
/// starts from a copy, which skips the fetches HMAC() makes.
const EVP_MAC_CTX* hmac_template(HashAlgorithm algorithm) {
    static const std::array<EVP_MAC_CTX*, k_algorithms.size()> k_templates = [] {
        std::array<EVP_MAC_CTX*, k_algorithms.size()> templates{};
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        for (std::size_t i = 0; mac != nullptr && i < k_algorithms.size(); ++i) {
            EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
            std::array<OSSL_PARAM, 2> params{
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(name_of(k_algorithms[i])), 0),
                OSSL_PARAM_construct_end()};
            if (ctx != nullptr && EVP_MAC_CTX_set_params(ctx, params.data()) != 1) {
                EVP_MAC_CTX_free(ctx);
                ctx = nullptr;
            }
            templates[i] = ctx;
        }
        EVP_MAC_free(mac);  // the contexts hold their own reference
        return templates;
    }();
    const auto index = static_cast<std::size_t>(algorithm);
    if (index >= k_templates.size() || k_templates[index] == nullptr) {
        throw std::runtime_error("OpenSSL has no HMAC for this hash");
    }
    return k_templates[index];
}

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
    EVP_Digest(data.data(), data.size(), out.data(), &size, evp_for(HashAlgorithm::sha256), nullptr);
    return out;
}

std::vector<std::uint8_t> hmac(HashAlgorithm algorithm, Bytes key, Bytes data) {
    const std::unique_ptr<EVP_MAC_CTX, EvpMacCtxDeleter> ctx{EVP_MAC_CTX_dup(hmac_template(algorithm))};
    std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
    std::size_t size = 0;
    // An empty key is a valid HMAC key (RFC 2104); OpenSSL wants a non-null pointer for it.
    static constexpr unsigned char k_no_key = 0;
    if (!ctx || EVP_MAC_init(ctx.get(), key.empty() ? &k_no_key : key.data(), key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out.data(), &size, out.size()) != 1) {
        throw std::runtime_error("HMAC failed");
    }
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
