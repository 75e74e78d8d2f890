#pragma once
/// \file SRTP keys the user gives (`--srtp-key SPEC`), for streams whose keys the capture does
/// not show (SDES in SIP over TLS, keys from a softphone's log). They are tried like the SDES keys
/// seen in clear SDP, and reported by fingerprint only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "zaudit/session/call.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::session {

struct GivenSrtpKey {
    /// The streams it keys: those sent from this address and port (the party's key protects what
    /// it sends, as with SDES)...
    std::optional<util::Endpoint> endpoint;
    /// ...or those with this SSRC.
    std::optional<std::uint32_t> ssrc;
    SdesKey key;  ///< suite, key ‖ salt and fingerprint, as if SDP had carried it

    [[nodiscard]] bool keys(const util::Endpoint& src, std::uint32_t stream_ssrc) const;
};

/// Parses `ADDR:PORT=SUITE:KEY` or `0xSSRC=SUITE:KEY` (DESIGN.md section 6): ADDR is IPv4 or a
/// bracketed IPv6 address, SUITE an a=crypto suite name, KEY base64 of master key ‖ salt (an
/// "inline:" prefix and "|lifetime|MKI" suffix, as copied from SDP, are accepted). The error
/// names what is wrong and never repeats the key.
util::Expected<GivenSrtpKey> parse_given_srtp_key(std::string_view spec);

}  // namespace zaudit::session
