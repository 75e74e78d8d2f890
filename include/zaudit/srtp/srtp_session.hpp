#pragma once
/// \file The one seam to libsrtp2 (RFC 3711): authenticate and decrypt captured SRTP/SRTCP with
/// a known key (SrtpVerifier), and protect packets for the sample generator (SrtpProtector).
///
/// libsrtp2 works in place, so both classes copy each packet into a member buffer that grows to
/// the largest packet seen and is then reused: no allocation per packet in the steady state.
/// libsrtp2 itself is initialised once per process by the first session created (a guarded
/// function-local static in srtp_session.cpp); it is never shut down, which is harmless.
///
/// Cost: Debian 12's libsrtp2 uses the NSS crypto backend (scripts/libsrtp2-openssl builds the same
/// source on OpenSSL instead, and CMake's ZAUDIT_LIBSRTP2 links that), which sets up a PKCS#11 operation per
/// packet (mutexes and mallocs inside NSS). Measured on this project's machine (2.3 GHz, loaded):
/// about 2.5-9 us per AES_CM_128_HMAC_SHA1_80 packet and 2.5 us per AEAD_AES_128_GCM packet,
/// that is 100-400 k packets/s, far below the audit's 3.5 M packets/s. Callers should verify a
/// sample of each stream (say the first few hundred packets, then one in N); libsrtp2 estimates
/// the rollover counter from the sequence number, which tolerates gaps up to 2^15 packets.
///
/// Limits: a capture that starts after a stream's sequence number wrapped has a rollover counter
/// libsrtp2 cannot know (it assumes 0), so every packet fails authentication; a rule must not
/// read that as tampering without saying so. MKIs are not supported.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/srtp/crypto_suite.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/expected.hpp"

struct srtp_ctx_t_;  // libsrtp2's opaque session, kept out of this header

namespace zaudit::srtp {

/// What libsrtp2 said about one packet.
enum class Outcome : std::uint8_t {
    ok,           ///< authenticated (and decrypted)
    auth_fail,    ///< the tag did not match: wrong key, altered or injected packet
    replay_fail,  ///< index already seen or older than the replay window (libsrtp checks this
                  ///< before the tag, so a verbatim retransmission lands here, not in auth_fail)
    malformed,    ///< too short for a header and tag, or otherwise unparseable for libsrtp2
    other,        ///< any other libsrtp2 error (see last_status())
};

/// Stable snake_case name of an outcome.
std::string_view to_string(Outcome outcome);

/// Counts of outcomes.
struct OutcomeCounts {
    std::uint64_t ok = 0;
    std::uint64_t auth_fail = 0;
    std::uint64_t replay_fail = 0;
    std::uint64_t malformed = 0;
    std::uint64_t other = 0;

    void add(Outcome outcome);
    [[nodiscard]] std::uint64_t total() const { return ok + auth_fail + replay_fail + malformed + other; }
};

/// libsrtp2's version and which build of it zaudit links, e.g. "libsrtp2 2.5.0 (openssl)": the
/// system's package ("system"; Debian 12 builds it on NSS) or scripts/libsrtp2-openssl's.
std::string library_version();

/// Outcomes for one SSRC (RTP SSRC, or the SRTCP sender SSRC).
struct StreamOutcomes {
    std::uint32_t ssrc = 0;
    OutcomeCounts rtp;
    OutcomeCounts rtcp;
};

namespace detail {
struct SessionDeleter {
    void operator()(srtp_ctx_t_* session) const;
};
using SessionHandle = std::unique_ptr<srtp_ctx_t_, SessionDeleter>;
}  // namespace detail

/// Checks captured SRTP/SRTCP against one master key (one direction of a call; the key may
/// cover several SSRCs, each with its own replay window and rollover counter in libsrtp2).
class SrtpVerifier {
public:
    /// Fails when the key‖salt length does not fit the suite or libsrtp2 refuses the policy
    /// (for example a suite its crypto backend lacks).
    static util::Expected<SrtpVerifier> create(CryptoSuite suite, util::Bytes master_key_salt,
                                               SessionParams params = {});
    /// Same, from an a=crypto suite name; fails on unknown names.
    static util::Expected<SrtpVerifier> create(std::string_view suite_name, util::Bytes master_key_salt,
                                               SessionParams params = {});

    /// Authenticates and decrypts a copy of an SRTP packet; the original is not touched.
    Outcome unprotect(util::Bytes packet);
    /// Same for an SRTCP packet.
    Outcome unprotect_rtcp(util::Bytes packet);

    /// The packet the last call produced when it returned ok (RTP or RTCP, header included,
    /// tag and trailer removed); empty otherwise. Valid until the next call.
    [[nodiscard]] util::Bytes plaintext() const { return m_plaintext; }
    /// libsrtp2's srtp_err_status_t of the last call, for evidence.
    [[nodiscard]] int last_status() const { return m_last_status; }

    [[nodiscard]] const OutcomeCounts& rtp_counts() const { return m_rtp_counts; }
    [[nodiscard]] const OutcomeCounts& rtcp_counts() const { return m_rtcp_counts; }
    /// Per-SSRC outcomes, in order of first appearance.
    [[nodiscard]] const std::vector<StreamOutcomes>& streams() const { return m_streams; }
    [[nodiscard]] CryptoSuite suite() const { return m_suite; }

private:
    SrtpVerifier(CryptoSuite suite, detail::SessionHandle session) : m_suite{suite}, m_session{std::move(session)} {}
    Outcome run(util::Bytes packet, bool rtcp);
    StreamOutcomes& stream_for(std::uint32_t ssrc);

    CryptoSuite m_suite;
    detail::SessionHandle m_session;
    std::vector<std::uint8_t> m_buffer;
    util::Bytes m_plaintext;
    int m_last_status = 0;
    OutcomeCounts m_rtp_counts;
    OutcomeCounts m_rtcp_counts;
    std::vector<StreamOutcomes> m_streams;
};

/// Protects RTP/RTCP with one master key, as a sender would (for the sample generator).
class SrtpProtector {
public:
    static util::Expected<SrtpProtector> create(CryptoSuite suite, util::Bytes master_key_salt,
                                                SessionParams params = {});

    /// The SRTP packet for a plain RTP packet, a view of the member buffer valid until the next
    /// call. Fails on a malformed packet, or a sequence number protected before (libsrtp2
    /// refuses to reuse a keystream; copy an earlier output to make a replay sample).
    util::Expected<util::Bytes> protect(util::Bytes rtp_packet);
    /// The SRTCP packet for a plain RTCP compound packet (index and E flag added by libsrtp2).
    util::Expected<util::Bytes> protect_rtcp(util::Bytes rtcp_packet);

private:
    explicit SrtpProtector(detail::SessionHandle session) : m_session{std::move(session)} {}
    util::Expected<util::Bytes> run(util::Bytes packet, bool rtcp);

    detail::SessionHandle m_session;
    std::vector<std::uint8_t> m_buffer;
};

}  // namespace zaudit::srtp
