#include "zaudit/crypto/public_value.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "openssl_handles.hpp"

namespace zaudit::crypto {
namespace {

using openssl::Bn;
using openssl::BnCtx;
using openssl::EcGroup;
using openssl::EcPoint;
using openssl::Pkey;
using openssl::PkeyCtx;

PublicValueCheck valid() {
    return {PublicValueStatus::valid, {}};
}
PublicValueCheck invalid(std::string reason) {
    return {PublicValueStatus::invalid, std::move(reason)};
}

PublicValueCheck wrong_size(std::string_view name, std::size_t want, std::size_t got) {
    return invalid(fmt::format("{} public value is {} bytes, expected {}", name, got, want));
}

/// Finite-field DH over the RFC 3526 MODP groups (RFC 6189 section 5.1.5: DH2k is group 14,
/// DH3k group 15, generator 2). Section 4.4.1.1 rejects 1 and p-1; 0 and values >= p are not
/// group elements at all.
PublicValueCheck check_modp(std::string_view name, bool is_3k, util::Bytes pv) {
    const std::size_t size = is_3k ? 384 : 256;
    if (pv.size() != size) {
        return wrong_size(name, size, pv.size());
    }
    const Bn p{is_3k ? BN_get_rfc3526_prime_3072(nullptr) : BN_get_rfc3526_prime_2048(nullptr)};
    const Bn value{BN_bin2bn(pv.data(), static_cast<int>(pv.size()), nullptr)};
    Bn p_minus_1{BN_dup(p.get())};
    if (!p || !value || !p_minus_1 || BN_sub_word(p_minus_1.get(), 1) != 1) {
        return {PublicValueStatus::unsupported, "OpenSSL could not set up the group"};
    }
    if (BN_is_zero(value.get())) {
        return invalid("pv is 0");
    }
    if (BN_is_one(value.get())) {
        return invalid("pv is 1");
    }
    const int vs_p_minus_1 = BN_cmp(value.get(), p_minus_1.get());
    if (vs_p_minus_1 == 0) {
        return invalid("pv is p-1");
    }
    if (vs_p_minus_1 > 0) {
        return invalid("pv is not below p");
    }
    return valid();
}

/// NIST curves (RFC 6189 section 5.1.5: EC25 P-256, EC38 P-384, EC52 P-521): the public value
/// is x‖y, each coordinate fixed to the field size, without the SEC1 0x04 prefix.
PublicValueCheck check_nist(std::string_view name, int nid, std::size_t coordinate, util::Bytes pv) {
    if (pv.size() != 2 * coordinate) {
        return wrong_size(name, 2 * coordinate, pv.size());
    }
    const EcGroup group{EC_GROUP_new_by_curve_name(nid)};
    const BnCtx ctx{BN_CTX_new()};
    const EcPoint point{group ? EC_POINT_new(group.get()) : nullptr};
    if (!group || !ctx || !point) {
        return {PublicValueStatus::unsupported, "OpenSSL could not set up the curve"};
    }
    std::vector<std::uint8_t> sec1;
    sec1.reserve(pv.size() + 1);
    sec1.push_back(0x04);
    sec1.insert(sec1.end(), pv.begin(), pv.end());
    // oct2point refuses coordinates >= p and points off the curve.
    if (EC_POINT_oct2point(group.get(), point.get(), sec1.data(), sec1.size(), ctx.get()) != 1 ||
        EC_POINT_is_on_curve(group.get(), point.get(), ctx.get()) != 1) {
        return invalid(fmt::format("{} public value is not a point on the curve", name));
    }
    return valid();
}

/// Montgomery curves: every clamped scalar is a multiple of the cofactor, so an X25519/X448 with
/// any fixed scalar gives the all-zero output exactly for the small-order points (RFC 7748
/// section 6); OpenSSL reports that output as a failed derivation.
PublicValueCheck check_montgomery(std::string_view name, int type, std::size_t size, util::Bytes pv) {
    if (pv.size() != size) {
        return wrong_size(name, size, pv.size());
    }
    if (std::all_of(pv.begin(), pv.end(), [](std::uint8_t b) { return b == 0; })) {
        return invalid("pv is all zeros");
    }
    std::array<std::uint8_t, 56> scalar{};
    scalar.fill(0x5a);
    const Pkey self{EVP_PKEY_new_raw_private_key(type, nullptr, scalar.data(), size)};
    const Pkey peer{EVP_PKEY_new_raw_public_key(type, nullptr, pv.data(), pv.size())};
    if (!self || !peer) {
        return {PublicValueStatus::unsupported, "OpenSSL could not load the key"};
    }
    const PkeyCtx ctx{EVP_PKEY_CTX_new(self.get(), nullptr)};
    std::array<std::uint8_t, 56> out{};
    std::size_t out_size = out.size();
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), out.data(), &out_size) != 1) {
        return invalid(fmt::format("{} public value is a point of small order", name));
    }
    return valid();
}

}  // namespace

PublicValueCheck check_public_value(std::string_view key_agreement, util::Bytes public_value) {
    if (key_agreement == "DH2k" || key_agreement == "DH3k") {
        return check_modp(key_agreement, key_agreement == "DH3k", public_value);
    }
    if (key_agreement == "EC25") {
        return check_nist(key_agreement, NID_X9_62_prime256v1, 32, public_value);
    }
    if (key_agreement == "EC38") {
        return check_nist(key_agreement, NID_secp384r1, 48, public_value);
    }
    if (key_agreement == "EC52") {
        return check_nist(key_agreement, NID_secp521r1, 66, public_value);
    }
    if (key_agreement == "X255" || key_agreement == "E255") {
        return check_montgomery(key_agreement, EVP_PKEY_X25519, 32, public_value);
    }
    if (key_agreement == "X448") {
        return check_montgomery(key_agreement, EVP_PKEY_X448, 56, public_value);
    }
    return {PublicValueStatus::unsupported,
            fmt::format("no public value check for key agreement \"{}\"", key_agreement)};
}

}  // namespace zaudit::crypto
