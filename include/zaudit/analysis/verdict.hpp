#pragma once
/// \file One verdict per call, for the human reports' first lines: what protection its media
/// achieved, worded for what one capture point can know, its path, and its worst finding.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::analysis {

/// What a call's media achieved, weakest stream first: a call is as safe as its weakest stream.
enum class Achieved : std::uint8_t {
    no_media,         ///< no stream of it was seen here
    plain,            ///< some media went as plain RTP
    sdes_exposed,     ///< SRTP whose SDES keys crossed the wire in clear SIP
    sdes_tls,         ///< SRTP with SDES keys sent over TLS: every SIP hop holds them
    iax2_aes128,      ///< IAX2's own AES-128, keyed from the peers' shared secret: no forward secrecy
    srtp_unknown,     ///< SRTP whose keying this capture does not show
    dtls_failed,      ///< DTLS-SRTP whose certificate does not match its SDP a=fingerprint
    dtls_unverified,  ///< DTLS-SRTP; certificate fingerprints not verifiable here (not both seen in clear)
    dtls_verified,    ///< DTLS-SRTP whose two certificates match their SDP a=fingerprint
    zrtp_failed,      ///< ZRTP whose handshake failed a check, or with a critical finding about its call
    zrtp_verified,    ///< ZRTP whose handshake passed every check made here
    count_,
};

/// Its stable name ("zrtp-verified"), as JSON carries it.
std::string_view to_string(Achieved achieved);
/// The sentence a reader sees: "SDES keys exposed: anyone on the path can listen".
std::string_view describe(Achieved achieved);

struct CallVerdict {
    std::uint32_t call = 0;  ///< session::Call::id
    Achieved achieved = Achieved::no_media;
    bool relayed = false;              ///< a media relay or B2BUA sits in its media path
    std::size_t findings = 0;          ///< findings about this call
    std::optional<std::size_t> worst;  ///< index into the findings of its worst one
};

/// The verdict of every call of `model`, in call order; `findings` are the model's.
std::vector<CallVerdict> call_verdicts(const session::Model& model, const std::vector<Finding>& findings);

}  // namespace zaudit::analysis
