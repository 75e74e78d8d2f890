#pragma once
/// \file Sanity checks of ZRTP key agreement public values (pvi/pvr of DHPart1/DHPart2) as a
/// passive observer can make them: no private key is needed, only the group's parameters.
/// RFC 6189 section 4.4.1.1 (DH: reject 1 and p-1) and section 5.1.5 (encodings).

#include <string>
#include <string_view>

#include "zaudit/util/byte_reader.hpp"

namespace zaudit::crypto {

/// What the check concluded about one public value.
enum class PublicValueStatus {
    valid,        ///< the right size and a member of the group (as far as the check goes)
    invalid,      ///< wrong size, out of range, a degenerate value or not on the curve
    unsupported,  ///< a key agreement this check does not know (KEMs, Mult, Prsh, unknown names)
};

struct PublicValueCheck {
    PublicValueStatus status = PublicValueStatus::unsupported;
    /// One line why (e.g. "pv equals p-1", "point is not on P-256"); empty when valid.
    std::string reason;
};

/// Checks a public value for the ZRTP key agreement named by its 4-character type:
/// - "DH2k"/"DH3k": exactly 256/384 bytes (RFC 6189 5.1.5: fixed to the prime's width, leading
///   zeros kept), and 1 < pv < p-1 against the RFC 3526 group 14/15 primes (0, 1, p-1 and values
///   >= p are rejected). No subgroup test: ZRTP does not require one.
/// - "EC25"/"EC38"/"EC52": x‖y without a prefix, 64/96/132 bytes, a point on P-256/P-384/P-521.
/// - "X255"/"E255" (bzrtp and GNU ZRTP names for Curve25519): 32 bytes, and not a point of small
///   order (found by an X25519 with a fixed scalar that yields the all-zero output, RFC 7748
///   section 6.1). "X448": 56 bytes, same test with X448.
PublicValueCheck check_public_value(std::string_view key_agreement, util::Bytes public_value);

}  // namespace zaudit::crypto
