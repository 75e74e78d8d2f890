#pragma once
/// \file SDES a=crypto (RFC 4568 section 9.1). The crypto-suite names and sizes are srtp/crypto_suite.hpp's.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/util/anomaly.hpp"

namespace zaudit::sdp {

/// One key-params: "inline:" key||salt [ "|" lifetime ] [ "|" MKI ":" length ] (RFC 4568 6.1).
struct KeyParam {
    std::string method;                     ///< "inline"
    std::string key_salt_base64;            ///< as written
    std::vector<std::uint8_t> key_salt;     ///< decoded master key followed by master salt
    std::string lifetime_text;              ///< "2^31", "1048576", or empty when absent
    std::optional<std::uint64_t> lifetime;  ///< packets; 2^n computed (nullopt when absent or n > 63)
    std::optional<std::uint64_t> mki_value;
    std::optional<std::uint32_t> mki_length;  ///< bytes, 1-128
};

/// One a=crypto line.
struct CryptoAttribute {
    std::uint32_t tag = 0;
    std::string suite;  ///< crypto-suite as written, known or not (srtp::parse_crypto_suite)
    std::vector<KeyParam> keys;
    std::vector<std::string> session_params;  ///< as written, in order
    // Session parameters of RFC 4568 section 6.3, decoded.
    bool unencrypted_srtp = false;
    bool unencrypted_srtcp = false;
    bool unauthenticated_srtp = false;
    std::optional<unsigned> kdr;       ///< KDR=n: key derivation rate 2^n
    std::string fec_order;             ///< FEC_ORDER=FEC_SRTP / SRTP_FEC
    std::optional<std::uint32_t> wsh;  ///< WSH=n: replay window size
};

/// The result of parsing an a=crypto value: the attribute, or none and the anomaly that stopped
/// it (sdp.bad_crypto, sdp.bad_crypto_key); plus what did not stop parsing (sdp.crypto_key_size,
/// sdp.bad_crypto_param). Offsets are into the value.
struct CryptoParse {
    std::optional<CryptoAttribute> crypto;
    std::vector<util::Anomaly> anomalies;
};

/// Parses the value of an a=crypto attribute (the text after "a=crypto:").
CryptoParse parse_crypto(std::string_view value);

}  // namespace zaudit::sdp
