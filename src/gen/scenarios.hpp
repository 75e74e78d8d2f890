#pragma once
// The generator's scenario functions, one group per file; listed in scenarios.cpp.

#include "zaudit/gen/scenario.hpp"

namespace zaudit::gen::scenario_builders {

/// The scenarios' fixed epoch (2026-09-21T...Z): a capture is a function of its seed alone.
inline constexpr std::int64_t k_start = 1'790'000'000'000'000;
/// An address written as text (the scenarios' addresses are literals that parse) and a port.
util::Endpoint ep(const char* address, std::uint16_t port);
/// So many microseconds after k_start.
util::Timestamp at(std::int64_t micros_after_start);

CaptureBuilder rtp_over_vlan(std::uint64_t seed);
CaptureBuilder opaque_p2p_call(std::uint64_t seed);
CaptureBuilder ipv6_fragments_sll(std::uint64_t seed);
CaptureBuilder tcp_reordered_pcapng(std::uint64_t seed);

// scenarios_sip.cpp: SIP, SDP, SDES and SRTP between two parties
CaptureBuilder sip_plain_call(std::uint64_t seed);
CaptureBuilder sdes_call_udp(std::uint64_t seed);
CaptureBuilder srtp_auth_failure(std::uint64_t seed);
CaptureBuilder dtls_never_completes(std::uint64_t seed);
CaptureBuilder sdes_call_tls(std::uint64_t seed);
CaptureBuilder srtp_declined(std::uint64_t seed);
CaptureBuilder reinvite_drops_crypto(std::uint64_t seed);
CaptureBuilder sdes_key_reuse(std::uint64_t seed);
CaptureBuilder weak_suite(std::uint64_t seed);
CaptureBuilder null_cipher(std::uint64_t seed);
CaptureBuilder sip_fragmented_ipv6(std::uint64_t seed);

// scenarios_sip_paths.cpp: proxies, B2BUAs, media relays and PBXs between the parties
CaptureBuilder b2bua_two_legs(std::uint64_t seed);
CaptureBuilder proxy_strips_crypto(std::uint64_t seed);
CaptureBuilder relay_sdes_to_plain(std::uint64_t seed);
CaptureBuilder pbx_direct_media(std::uint64_t seed);
CaptureBuilder sip_over_tcp_split(std::uint64_t seed);

// scenarios_sip_auth.cpp: digest authentication, failed and unfinished calls
CaptureBuilder sip_digest_register_calls(std::uint64_t seed);

// scenarios_zrtp.cpp: SIP calls with a=zrtp-hash, ZRTP handshakes (clean and attacked), SRTP
CaptureBuilder zrtp_clean_call(std::uint64_t seed);
CaptureBuilder zrtp_clear_before_secure(std::uint64_t seed);
CaptureBuilder zrtp_hello_tampered(std::uint64_t seed);
CaptureBuilder zrtp_hello_forged_h3(std::uint64_t seed);
CaptureBuilder zrtp_mitm_dhpart2(std::uint64_t seed);
CaptureBuilder zrtp_hash_chain_broken(std::uint64_t seed);
CaptureBuilder zrtp_sdp_hash_mismatch(std::uint64_t seed);
CaptureBuilder zrtp_goclear(std::uint64_t seed);
CaptureBuilder zrtp_error(std::uint64_t seed);
CaptureBuilder zrtp_stripped(std::uint64_t seed);
CaptureBuilder zrtp_pbx_mitm(std::uint64_t seed);
CaptureBuilder zrtp_multistream(std::uint64_t seed);
CaptureBuilder zrtp_crc_corrupt(std::uint64_t seed);
CaptureBuilder zrtp_retransmit_changed(std::uint64_t seed);
CaptureBuilder zrtp_fragmented(std::uint64_t seed);
CaptureBuilder zrtp_dh2k(std::uint64_t seed);
CaptureBuilder zrtp_no_sip(std::uint64_t seed);

// scenarios_zrtp_contention.cpp: a Hello-editing box under Commit contention, seen from both sides
CaptureBuilder zrtp_hello_edited_contention(std::uint64_t seed);
CaptureBuilder zrtp_hello_edited_contention_skewed(std::uint64_t seed);

// scenarios_zrtp_vantage.cpp: a box that terminates ZRTP, seen on each side of it and on both
CaptureBuilder zrtp_mitm_vantage_a(std::uint64_t seed);
CaptureBuilder zrtp_mitm_vantage_b(std::uint64_t seed);
CaptureBuilder zrtp_mitm_vantage_merged(std::uint64_t seed);

// scenarios_iax2.cpp: IAX2 calls, plain and encrypted
CaptureBuilder iax2_plain_call(std::uint64_t seed);
CaptureBuilder iax2_encrypted_call(std::uint64_t seed);
}  // namespace zaudit::gen::scenario_builders
