#pragma once
// RAII owners for the OpenSSL objects the crypto area uses. Private to src/crypto.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>

namespace zaudit::crypto::openssl {

struct BnDeleter {
    void operator()(BIGNUM* bn) const { BN_clear_free(bn); }  // clears: some hold private keys
};
struct BnCtxDeleter {
    void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
struct EcGroupDeleter {
    void operator()(EC_GROUP* group) const { EC_GROUP_free(group); }
};
struct EcPointDeleter {
    void operator()(EC_POINT* point) const { EC_POINT_free(point); }
};
struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct PkeyCtxDeleter {
    void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxDeleter>;
using EcGroup = std::unique_ptr<EC_GROUP, EcGroupDeleter>;
using EcPoint = std::unique_ptr<EC_POINT, EcPointDeleter>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;

}  // namespace zaudit::crypto::openssl
