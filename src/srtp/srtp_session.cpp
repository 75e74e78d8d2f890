#include "zaudit/srtp/srtp_session.hpp"

#include <srtp2/crypto_types.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>

#include <fmt/format.h>

namespace zaudit::srtp {

namespace {

// libsrtp2's replay window for the verifier, in packets (libsrtp accepts 64..0x8000; its default
// is 128). A capture point sees little reordering, but a wide window keeps a late packet from
// being reported as a replay; a verbatim replay is caught at any distance up to this window and
// as "replay_old" (also replay_fail here) beyond it.
constexpr unsigned long k_replay_window = 1024;

// srtp_init() must run once before any other call. A function-local static is initialised
// exactly once even with threads (C++11 "magic statics"), which is the guard libsrtp2 needs;
// the status is immutable afterwards, so this is not mutable global state.
srtp_err_status_t library_status() {
    static const srtp_err_status_t status = srtp_init();
    return status;
}

void clear_service(srtp_crypto_policy_t& policy, srtp_sec_serv_t service) {
    policy.sec_serv = static_cast<srtp_sec_serv_t>(policy.sec_serv & ~service);
}

using PolicySetter = void (*)(srtp_crypto_policy_t*);

/// libsrtp2's policy for each suite it implements, SRTP and SRTCP.
struct Policies {
    CryptoSuite suite;
    PolicySetter rtp;
    PolicySetter rtcp;
};

// RFC 4568 section 6.2.1: the _32 suites keep an 80-bit tag on SRTCP. libsrtp2 has no setter for
// NULL with a 32-bit tag: it is NULL_HMAC_SHA1_80 with the tag cut, which set_suite does from the
// suite table's tag size. No f8: libsrtp2 does not implement it. AES_CM_128_HMAC_SHA1_80 is
// libsrtp2's default policy (its setter of that name is a macro for set_rtp_default).
// clang-format off: laid out as a table
constexpr std::array<Policies, 10> k_policies{{
    {CryptoSuite::aes_cm_128_hmac_sha1_80, srtp_crypto_policy_set_rtp_default, srtp_crypto_policy_set_rtp_default},
    {CryptoSuite::aes_cm_128_hmac_sha1_32, srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
     srtp_crypto_policy_set_rtp_default},
    {CryptoSuite::aes_192_cm_hmac_sha1_80, srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80,
     srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80},
    {CryptoSuite::aes_192_cm_hmac_sha1_32, srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32,
     srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80},
    {CryptoSuite::aes_256_cm_hmac_sha1_80, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
     srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80},
    {CryptoSuite::aes_256_cm_hmac_sha1_32, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32,
     srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80},
    {CryptoSuite::aead_aes_128_gcm, srtp_crypto_policy_set_aes_gcm_128_16_auth,
     srtp_crypto_policy_set_aes_gcm_128_16_auth},
    {CryptoSuite::aead_aes_256_gcm, srtp_crypto_policy_set_aes_gcm_256_16_auth,
     srtp_crypto_policy_set_aes_gcm_256_16_auth},
    {CryptoSuite::null_hmac_sha1_80, srtp_crypto_policy_set_null_cipher_hmac_sha1_80,
     srtp_crypto_policy_set_null_cipher_hmac_sha1_80},
    {CryptoSuite::null_hmac_sha1_32, srtp_crypto_policy_set_null_cipher_hmac_sha1_80,
     srtp_crypto_policy_set_null_cipher_hmac_sha1_80},
}};
// clang-format on

/// False when libsrtp2 does not implement the suite.
bool set_suite(CryptoSuite suite, srtp_crypto_policy_t& rtp, srtp_crypto_policy_t& rtcp) {
    const auto* it =
        std::find_if(k_policies.begin(), k_policies.end(), [&](const Policies& p) { return p.suite == suite; });
    if (it == k_policies.end()) {
        return false;
    }
    it->rtp(&rtp);
    it->rtcp(&rtcp);
    rtp.auth_tag_len = static_cast<int>(suite_info(suite).rtp_tag_size);
    return true;
}

void apply_params(const SessionParams& params, srtp_policy_t& policy) {
    if (params.unencrypted_srtp) {
        clear_service(policy.rtp, sec_serv_conf);
    }
    if (params.unencrypted_srtcp) {
        clear_service(policy.rtcp, sec_serv_conf);
    }
    if (params.unauthenticated_srtp) {  // RFC 4568 section 6.3.3: no SRTP tag at all
        policy.rtp.auth_type = SRTP_NULL_AUTH;
        policy.rtp.auth_key_len = 0;
        policy.rtp.auth_tag_len = 0;
        clear_service(policy.rtp, sec_serv_auth);
    }
}

util::Expected<detail::SessionHandle> make_session(CryptoSuite suite, util::Bytes key_salt, const SessionParams& params,
                                                   srtp_ssrc_type_t direction) {
    if (library_status() != srtp_err_status_ok) {
        return util::Error{
            fmt::format("libsrtp2 failed to initialise (status {})", static_cast<int>(library_status()))};
    }
    const SuiteInfo info = suite_info(suite);
    if (key_salt.size() != info.key_salt_size()) {
        return util::Error{fmt::format("{} needs {} bytes of master key and salt, got {}", to_string(suite),
                                       info.key_salt_size(), key_salt.size())};
    }
    // libsrtp2 takes a non-const key pointer and copies the key into the session.
    std::vector<unsigned char> key(key_salt.begin(), key_salt.end());
    srtp_policy_t policy;
    std::memset(&policy, 0, sizeof policy);
    if (!set_suite(suite, policy.rtp, policy.rtcp)) {
        return util::Error{fmt::format("libsrtp2 does not implement {}", to_string(suite))};
    }
    apply_params(params, policy);
    policy.ssrc.type = direction;
    policy.key = key.data();
    policy.window_size = k_replay_window;
    policy.allow_repeat_tx = 0;
    policy.next = nullptr;
    srtp_t raw = nullptr;
    const srtp_err_status_t status = srtp_create(&raw, &policy);
    std::fill(key.begin(), key.end(), std::uint8_t{0});
    if (status != srtp_err_status_ok) {
        return util::Error{fmt::format("libsrtp2 refused {} (status {})", to_string(suite), static_cast<int>(status))};
    }
    return detail::SessionHandle{raw};
}

Outcome outcome_of(srtp_err_status_t status) {
    switch (status) {
        case srtp_err_status_ok: return Outcome::ok;
        case srtp_err_status_auth_fail: return Outcome::auth_fail;
        case srtp_err_status_replay_fail:
        case srtp_err_status_replay_old: return Outcome::replay_fail;
        case srtp_err_status_bad_param:
        case srtp_err_status_parse_err: return Outcome::malformed;
        default: return Outcome::other;
    }
}

// Room libsrtp2 may write past a packet: tag, MKI, and the SRTCP E+index word.
constexpr std::size_t k_slack = SRTP_MAX_TRAILER_LEN + 4;

// Copies a packet into a reusable buffer that only grows (no allocation once warmed up).
bool load(std::vector<std::uint8_t>& buffer, util::Bytes packet) {
    if (packet.size() > static_cast<std::size_t>(INT_MAX) - k_slack) {
        return false;
    }
    if (buffer.size() < packet.size() + k_slack) {
        buffer.resize(packet.size() + k_slack);
    }
    std::copy(packet.begin(), packet.end(), buffer.begin());
    return true;
}

}  // namespace

void detail::SessionDeleter::operator()(srtp_ctx_t_* session) const {
    srtp_dealloc(session);
}

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::ok: return "ok";
        case Outcome::auth_fail: return "auth_fail";
        case Outcome::replay_fail: return "replay_fail";
        case Outcome::malformed: return "malformed";
        case Outcome::other: return "other";
    }
    return "other";
}

void OutcomeCounts::add(Outcome outcome) {
    switch (outcome) {
        case Outcome::ok: ++ok; return;
        case Outcome::auth_fail: ++auth_fail; return;
        case Outcome::replay_fail: ++replay_fail; return;
        case Outcome::malformed: ++malformed; return;
        case Outcome::other: ++other; return;
    }
}

util::Expected<SrtpVerifier> SrtpVerifier::create(CryptoSuite suite, util::Bytes master_key_salt,
                                                  SessionParams params) {
    auto session = make_session(suite, master_key_salt, params, ssrc_any_inbound);
    if (!session) {
        return session.error();
    }
    return SrtpVerifier{suite, std::move(*session)};
}

util::Expected<SrtpVerifier> SrtpVerifier::create(std::string_view suite_name, util::Bytes master_key_salt,
                                                  SessionParams params) {
    const std::optional<CryptoSuite> suite = parse_crypto_suite(suite_name);
    if (!suite) {
        return util::Error{fmt::format("unknown SRTP crypto suite '{}'", suite_name)};
    }
    return create(*suite, master_key_salt, params);
}

Outcome SrtpVerifier::unprotect(util::Bytes packet) {
    return run(packet, false);
}

Outcome SrtpVerifier::unprotect_rtcp(util::Bytes packet) {
    return run(packet, true);
}

Outcome SrtpVerifier::run(util::Bytes packet, bool rtcp) {
    m_plaintext = {};
    Outcome outcome = Outcome::malformed;
    if (load(m_buffer, packet)) {
        int length = static_cast<int>(packet.size());
        const srtp_err_status_t status = rtcp ? srtp_unprotect_rtcp(m_session.get(), m_buffer.data(), &length)
                                              : srtp_unprotect(m_session.get(), m_buffer.data(), &length);
        m_last_status = static_cast<int>(status);
        outcome = outcome_of(status);
        if (outcome == Outcome::ok) {
            m_plaintext = util::Bytes{m_buffer.data(), static_cast<std::size_t>(length)};
        }
    }
    (rtcp ? m_rtcp_counts : m_rtp_counts).add(outcome);
    // SSRC at offset 8 of RTP, 4 of RTCP (the sender SSRC); too short a packet has none.
    util::ByteReader reader{packet};
    reader.skip(rtcp ? 4 : 8);
    const std::uint32_t ssrc = reader.u32be();
    if (reader.ok()) {
        StreamOutcomes& stream = stream_for(ssrc);
        (rtcp ? stream.rtcp : stream.rtp).add(outcome);
    }
    return outcome;
}

StreamOutcomes& SrtpVerifier::stream_for(std::uint32_t ssrc) {
    // A handful of SSRCs per key: a linear scan beats a map, and only a new SSRC allocates.
    const auto it =
        std::find_if(m_streams.begin(), m_streams.end(), [&](const StreamOutcomes& s) { return s.ssrc == ssrc; });
    if (it != m_streams.end()) {
        return *it;
    }
    m_streams.push_back(StreamOutcomes{ssrc, {}, {}});
    return m_streams.back();
}

util::Expected<SrtpProtector> SrtpProtector::create(CryptoSuite suite, util::Bytes master_key_salt,
                                                    SessionParams params) {
    auto session = make_session(suite, master_key_salt, params, ssrc_any_outbound);
    if (!session) {
        return session.error();
    }
    return SrtpProtector{std::move(*session)};
}

util::Expected<util::Bytes> SrtpProtector::protect(util::Bytes rtp_packet) {
    return run(rtp_packet, false);
}

util::Expected<util::Bytes> SrtpProtector::protect_rtcp(util::Bytes rtcp_packet) {
    return run(rtcp_packet, true);
}

util::Expected<util::Bytes> SrtpProtector::run(util::Bytes packet, bool rtcp) {
    if (!load(m_buffer, packet)) {
        return util::Error{"packet too large for libsrtp2"};
    }
    int length = static_cast<int>(packet.size());
    const srtp_err_status_t status = rtcp ? srtp_protect_rtcp(m_session.get(), m_buffer.data(), &length)
                                          : srtp_protect(m_session.get(), m_buffer.data(), &length);
    if (status != srtp_err_status_ok) {
        return util::Error{fmt::format("libsrtp2 could not protect the {} packet (status {})", rtcp ? "RTCP" : "RTP",
                                       static_cast<int>(status))};
    }
    return util::Bytes{m_buffer.data(), static_cast<std::size_t>(length)};
}

std::string library_version() {
    return fmt::format("{} ({})", srtp_get_version_string(), ZAUDIT_LIBSRTP2_BUILD);
}

}  // namespace zaudit::srtp
