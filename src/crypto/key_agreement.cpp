#include "zaudit/crypto/key_agreement.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <memory>

#include <fmt/format.h>

#include "openssl_handles.hpp"

namespace zaudit::crypto {
namespace {

using util::Error;
using util::Expected;
using ByteVector = std::vector<std::uint8_t>;

using openssl::Bn;
using openssl::BnCtx;
using openssl::EcGroup;
using openssl::EcPoint;
using openssl::Pkey;
using openssl::PkeyCtx;

Bn bn_from(util::Bytes bytes) {
    return Bn{BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr)};
}

ByteVector bn_to_padded(const BIGNUM* bn, std::size_t size) {
    ByteVector out(size);
    BN_bn2binpad(bn, out.data(), static_cast<int>(size));
    return out;
}

Bn modp_prime(KeyAgreementAlgorithm algorithm) {
    // RFC 3526 groups 14 (2048-bit) and 15 (3072-bit); ZRTP uses generator 2 for both.
    return Bn{algorithm == KeyAgreementAlgorithm::dh2k ? BN_get_rfc3526_prime_2048(nullptr)
                                                       : BN_get_rfc3526_prime_3072(nullptr)};
}

int curve_nid(KeyAgreementAlgorithm algorithm) {
    return algorithm == KeyAgreementAlgorithm::ec25 ? NID_X9_62_prime256v1 : NID_secp384r1;
}

bool is_dh(KeyAgreementAlgorithm a) {
    return a == KeyAgreementAlgorithm::dh2k || a == KeyAgreementAlgorithm::dh3k;
}
bool is_nist(KeyAgreementAlgorithm a) {
    return a == KeyAgreementAlgorithm::ec25 || a == KeyAgreementAlgorithm::ec38;
}

Expected<KeyPair> dh_key_pair(KeyAgreementAlgorithm algorithm, util::Bytes private_key) {
    const Bn p = modp_prime(algorithm);
    const Bn x = bn_from(private_key);
    Bn g{BN_new()};
    Bn y{BN_new()};
    BnCtx ctx{BN_CTX_new()};
    if (!p || !x || !g || !y || !ctx || BN_set_word(g.get(), 2) != 1 ||
        BN_mod_exp(y.get(), g.get(), x.get(), p.get(), ctx.get()) != 1) {
        return Error{"DH: OpenSSL failed to compute the public value"};
    }
    return KeyPair{algorithm, ByteVector(private_key.begin(), private_key.end()),
                   bn_to_padded(y.get(), public_value_size(algorithm))};
}

Expected<ByteVector> dh_shared(const KeyPair& self, util::Bytes peer) {
    const Bn p = modp_prime(self.algorithm);
    const Bn x = bn_from(self.private_key);
    const Bn pv = bn_from(peer);
    Bn p_minus_1{BN_dup(p.get())};
    Bn z{BN_new()};
    BnCtx ctx{BN_CTX_new()};
    if (!p || !x || !pv || !p_minus_1 || !z || !ctx || BN_sub_word(p_minus_1.get(), 1) != 1) {
        return Error{"DH: OpenSSL allocation failed"};
    }
    // Section 4.4.1.1: pv of 1 or p-1 (or outside 1 < pv < p-1) gives away the result.
    if (BN_cmp(pv.get(), BN_value_one()) <= 0 || BN_cmp(pv.get(), p_minus_1.get()) >= 0) {
        return Error{"DH: peer public value out of range (must be 1 < pv < p-1)"};
    }
    if (BN_mod_exp(z.get(), pv.get(), x.get(), p.get(), ctx.get()) != 1) {
        return Error{"DH: OpenSSL failed to compute the shared secret"};
    }
    return bn_to_padded(z.get(), shared_secret_size(self.algorithm));
}

/// The scalar for a NIST curve: the private bytes reduced modulo the group order; zero refused.
Expected<Bn> ec_scalar(const EC_GROUP* group, util::Bytes private_key, BN_CTX* ctx) {
    const Bn raw = bn_from(private_key);
    Bn d{BN_new()};
    if (!raw || !d || BN_nnmod(d.get(), raw.get(), EC_GROUP_get0_order(group), ctx) != 1) {
        return Error{"EC: OpenSSL failed to reduce the private key"};
    }
    if (BN_is_zero(d.get())) {
        return Error{"EC: private key is zero modulo the group order"};
    }
    return d;
}

Expected<KeyPair> ec_key_pair(KeyAgreementAlgorithm algorithm, util::Bytes private_key) {
    const EcGroup group{EC_GROUP_new_by_curve_name(curve_nid(algorithm))};
    BnCtx ctx{BN_CTX_new()};
    if (!group || !ctx) {
        return Error{"EC: OpenSSL failed to create the group"};
    }
    auto d = ec_scalar(group.get(), private_key, ctx.get());
    if (!d) {
        return d.error();
    }
    EcPoint q{EC_POINT_new(group.get())};
    Bn x{BN_new()};
    Bn y{BN_new()};
    if (!q || !x || !y || EC_POINT_mul(group.get(), q.get(), d->get(), nullptr, nullptr, ctx.get()) != 1 ||
        EC_POINT_get_affine_coordinates(group.get(), q.get(), x.get(), y.get(), ctx.get()) != 1) {
        return Error{"EC: OpenSSL failed to compute the public value"};
    }
    const std::size_t coordinate = public_value_size(algorithm) / 2;
    ByteVector pv = bn_to_padded(x.get(), coordinate);
    const ByteVector y_bytes = bn_to_padded(y.get(), coordinate);
    pv.insert(pv.end(), y_bytes.begin(), y_bytes.end());
    return KeyPair{algorithm, ByteVector(private_key.begin(), private_key.end()), std::move(pv)};
}

Expected<ByteVector> ec_shared(const KeyPair& self, util::Bytes peer) {
    const EcGroup group{EC_GROUP_new_by_curve_name(curve_nid(self.algorithm))};
    BnCtx ctx{BN_CTX_new()};
    if (!group || !ctx) {
        return Error{"EC: OpenSSL failed to create the group"};
    }
    auto d = ec_scalar(group.get(), self.private_key, ctx.get());
    if (!d) {
        return d.error();
    }
    const std::size_t coordinate = peer.size() / 2;
    const Bn px = bn_from(peer.first(coordinate));
    const Bn py = bn_from(peer.subspan(coordinate));
    EcPoint q{EC_POINT_new(group.get())};
    EcPoint r{EC_POINT_new(group.get())};
    Bn x{BN_new()};
    if (!px || !py || !q || !r || !x) {
        return Error{"EC: OpenSSL allocation failed"};
    }
    if (EC_POINT_set_affine_coordinates(group.get(), q.get(), px.get(), py.get(), ctx.get()) != 1 ||
        EC_POINT_is_on_curve(group.get(), q.get(), ctx.get()) != 1) {
        return Error{"EC: peer public value is not a point on the curve"};
    }
    if (EC_POINT_mul(group.get(), r.get(), nullptr, q.get(), d->get(), ctx.get()) != 1 ||
        EC_POINT_get_affine_coordinates(group.get(), r.get(), x.get(), nullptr, ctx.get()) != 1) {
        return Error{"EC: OpenSSL failed to compute the shared point"};
    }
    // Section 4.4.1.4 / RFC 5903: DHResult for ECDH is the x-coordinate only.
    return bn_to_padded(x.get(), shared_secret_size(self.algorithm));
}

Expected<KeyPair> x25519_key_pair(util::Bytes private_key) {
    const Pkey key{EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size())};
    ByteVector pv(32);
    std::size_t size = pv.size();
    if (!key || EVP_PKEY_get_raw_public_key(key.get(), pv.data(), &size) != 1 || size != 32) {
        return Error{"X25519: OpenSSL failed to compute the public value"};
    }
    return KeyPair{KeyAgreementAlgorithm::x255, ByteVector(private_key.begin(), private_key.end()), std::move(pv)};
}

Expected<ByteVector> x25519_shared(const KeyPair& self, util::Bytes peer) {
    const Pkey key{
        EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, self.private_key.data(), self.private_key.size())};
    const Pkey peer_key{EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer.data(), peer.size())};
    if (!key || !peer_key) {
        return Error{"X25519: OpenSSL refused a key"};
    }
    const PkeyCtx ctx{EVP_PKEY_CTX_new(key.get(), nullptr)};
    ByteVector out(32);
    std::size_t size = out.size();
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer_key.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), out.data(), &size) != 1 || size != 32) {
        // OpenSSL refuses an all-zero result (a small-order peer point), as RFC 7748 section 6.1 allows.
        return Error{"X25519: key derivation failed (small-order peer value?)"};
    }
    return out;
}

}  // namespace

std::optional<KeyAgreementAlgorithm> key_agreement_from_name(std::string_view name) {
    if (name == "DH2k") {
        return KeyAgreementAlgorithm::dh2k;
    }
    if (name == "DH3k") {
        return KeyAgreementAlgorithm::dh3k;
    }
    if (name == "EC25") {
        return KeyAgreementAlgorithm::ec25;
    }
    if (name == "EC38") {
        return KeyAgreementAlgorithm::ec38;
    }
    if (name == "X255") {
        return KeyAgreementAlgorithm::x255;
    }
    return std::nullopt;
}

std::string_view key_agreement_name(KeyAgreementAlgorithm algorithm) {
    switch (algorithm) {
        case KeyAgreementAlgorithm::dh2k: return "DH2k";
        case KeyAgreementAlgorithm::dh3k: return "DH3k";
        case KeyAgreementAlgorithm::ec25: return "EC25";
        case KeyAgreementAlgorithm::ec38: return "EC38";
        case KeyAgreementAlgorithm::x255: return "X255";
    }
    return "????";
}

std::size_t public_value_size(KeyAgreementAlgorithm algorithm) {
    switch (algorithm) {
        case KeyAgreementAlgorithm::dh2k: return 256;
        case KeyAgreementAlgorithm::dh3k: return 384;
        case KeyAgreementAlgorithm::ec25: return 64;
        case KeyAgreementAlgorithm::ec38: return 96;
        case KeyAgreementAlgorithm::x255: return 32;
    }
    return 0;
}

std::size_t shared_secret_size(KeyAgreementAlgorithm algorithm) {
    switch (algorithm) {
        case KeyAgreementAlgorithm::dh2k: return 256;
        case KeyAgreementAlgorithm::dh3k: return 384;
        case KeyAgreementAlgorithm::ec25: return 32;
        case KeyAgreementAlgorithm::ec38: return 48;
        case KeyAgreementAlgorithm::x255: return 32;
    }
    return 0;
}

std::size_t private_key_size(KeyAgreementAlgorithm algorithm) {
    switch (algorithm) {
        case KeyAgreementAlgorithm::dh2k: return 32;  // 2 x AES-128 key (section 5.1.5)
        case KeyAgreementAlgorithm::dh3k: return 64;  // 2 x AES-256 key
        case KeyAgreementAlgorithm::ec25: return 32;
        case KeyAgreementAlgorithm::ec38: return 48;
        case KeyAgreementAlgorithm::x255: return 32;
    }
    return 0;
}

Expected<KeyPair> key_pair_from_private(KeyAgreementAlgorithm algorithm, util::Bytes private_key) {
    if (private_key.empty()) {
        return Error{"key agreement: empty private key"};
    }
    if (is_dh(algorithm)) {
        return dh_key_pair(algorithm, private_key);
    }
    if (private_key.size() != private_key_size(algorithm)) {
        return Error{fmt::format("{}: private key must be {} bytes, got {}", key_agreement_name(algorithm),
                                 private_key_size(algorithm), private_key.size())};
    }
    if (is_nist(algorithm)) {
        return ec_key_pair(algorithm, private_key);
    }
    return x25519_key_pair(private_key);
}

Expected<std::vector<std::uint8_t>> shared_secret(const KeyPair& self, util::Bytes peer_public_value) {
    if (peer_public_value.size() != public_value_size(self.algorithm)) {
        return Error{fmt::format("{}: peer public value must be {} bytes, got {}", key_agreement_name(self.algorithm),
                                 public_value_size(self.algorithm), peer_public_value.size())};
    }
    if (is_dh(self.algorithm)) {
        return dh_shared(self, peer_public_value);
    }
    if (is_nist(self.algorithm)) {
        return ec_shared(self, peer_public_value);
    }
    return x25519_shared(self, peer_public_value);
}

}  // namespace zaudit::crypto
