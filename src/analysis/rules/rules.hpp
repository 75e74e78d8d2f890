#pragma once
// Every rule is one file in this folder that defines one function returning its RuleInfo
// (id, severity, texts, reference, check). catalogue.cpp lists them: the registry table.

#include <span>

#include <fmt/format.h>

#include "zaudit/analysis/registry.hpp"

namespace zaudit::analysis::rules {

std::span<const RuleInfo> catalogue();

RuleInfo sip_cleartext_signaling();
RuleInfo policy_protection_required();
RuleInfo sdes_key_exposed();
RuleInfo sdp_srtp_declined();
RuleInfo sdes_key_reuse();
RuleInfo sdp_weak_crypto_suite();
RuleInfo sdp_security_stripped();
RuleInfo media_unencrypted();
RuleInfo media_null_cipher();
RuleInfo media_unauthenticated();
RuleInfo media_protection_mismatch();
RuleInfo srtp_auth_failure();
RuleInfo rtp_injection_suspected();
RuleInfo path_media_source_mismatch();
RuleInfo path_protection_changed();
RuleInfo rtp_unsignaled_stream();
RuleInfo media_unauditable();
RuleInfo zrtp_handshake_incomplete();
RuleInfo zrtp_stripped();
RuleInfo media_clear_before_secure();
RuleInfo zrtp_goclear();
RuleInfo zrtp_error();
RuleInfo zrtp_retransmission_mismatch();
RuleInfo zrtp_crc_invalid();
RuleInfo zrtp_hello_tampered();
RuleInfo zrtp_hash_chain_broken();
RuleInfo zrtp_hvi_mismatch();
RuleInfo zrtp_public_value_invalid();
RuleInfo zrtp_zrtp_hash_mismatch();
RuleInfo zrtp_algorithm_downgrade();
RuleInfo zrtp_weak_algorithms();
RuleInfo zrtp_trusted_mitm();
RuleInfo zrtp_zid_conflict();
RuleInfo call_security_downgraded();
RuleInfo dtls_fingerprint_mismatch();
RuleInfo sip_cleartext_credentials();
RuleInfo path_media_relay();
RuleInfo path_vantage_divergence();

/// A summarised dialog (session::SummarisedDialogs) as an example in a counted finding.
nlohmann::ordered_json summarised_example(const session::SummarisedDialog& dialog);

/// The one finding that counts `count` summarised dialogs (verified: read from their SIP), with
/// their first examples and frames; the caller adds its evidence.
Finding& add_summarised_finding(FindingSink& sink, std::string message, std::uint64_t count,
                                const std::vector<session::SummarisedDialog>& examples);

/// The first `n` frames of a list, for evidence that stays readable.
std::vector<std::uint64_t> first_frames(const std::vector<std::uint64_t>& frames, std::size_t n = 8);

}  // namespace zaudit::analysis::rules
