#include "zaudit/util/anomaly.hpp"

#include "zaudit/util/name_table.hpp"

namespace zaudit::util {
namespace {

using C = AnomalyCode;

constexpr NameTable<AnomalyCode, static_cast<std::size_t>(C::count_)> k_names{{{
    {C::rtcp_truncated_header, "rtcp.truncated_header"},
    {C::rtcp_bad_version, "rtcp.bad_version"},
    {C::rtcp_length_overrun, "rtcp.length_overrun"},
    {C::rtcp_trailing_bytes, "rtcp.trailing_bytes"},
    {C::rtp_truncated_header, "rtp.truncated_header"},
    {C::rtp_bad_version, "rtp.bad_version"},
    {C::rtp_truncated_csrc, "rtp.truncated_csrc"},
    {C::rtp_truncated_extension, "rtp.truncated_extension"},
    {C::rtp_bad_padding, "rtp.bad_padding"},
    {C::rtp_unconfirmed, "rtp.unconfirmed"},
    {C::rtp_too_many_ssrcs, "rtp.too_many_ssrcs"},
    {C::flow_cap_reached, "flow.cap_reached"},
    {C::sdp_bad_line, "sdp.bad_line"},
    {C::sdp_unknown_line_type, "sdp.unknown_line_type"},
    {C::sdp_bad_origin, "sdp.bad_origin"},
    {C::sdp_bad_connection, "sdp.bad_connection"},
    {C::sdp_bad_media, "sdp.bad_media"},
    {C::sdp_bad_rtpmap, "sdp.bad_rtpmap"},
    {C::sdp_bad_rtcp, "sdp.bad_rtcp"},
    {C::sdp_bad_zrtp_hash, "sdp.bad_zrtp_hash"},
    {C::sdp_bad_fingerprint, "sdp.bad_fingerprint"},
    {C::sdp_bad_attribute, "sdp.bad_attribute"},
    {C::sdp_session_crypto, "sdp.session_crypto"},
    {C::sdp_bad_crypto, "sdp.bad_crypto"},
    {C::sdp_bad_crypto_key, "sdp.bad_crypto_key"},
    {C::sdp_bad_crypto_param, "sdp.bad_crypto_param"},
    {C::sdp_crypto_key_size, "sdp.crypto_key_size"},
    {C::sdp_too_many_media, "sdp.too_many_media"},
    {C::sdp_too_many_cryptos, "sdp.too_many_cryptos"},
    {C::sip_no_start_line, "sip.no_start_line"},
    {C::sip_bad_start_line, "sip.bad_start_line"},
    {C::sip_bad_version, "sip.bad_version"},
    {C::sip_orphan_continuation, "sip.orphan_continuation"},
    {C::sip_bad_header_line, "sip.bad_header_line"},
    {C::sip_unterminated_headers, "sip.unterminated_headers"},
    {C::sip_bad_header_value, "sip.bad_header_value"},
    {C::sip_repeated_header, "sip.repeated_header"},
    {C::sip_trailing_bytes, "sip.trailing_bytes"},
    {C::sip_body_truncated, "sip.body_truncated"},
    {C::sip_too_many_messages, "sip.too_many_messages"},
    {C::sip_too_many_credentials, "sip.too_many_credentials"},
    {C::sip_stream_not_sip, "sip.stream_not_sip"},
    {C::sip_headers_too_large, "sip.headers_too_large"},
    {C::sip_bad_content_length, "sip.bad_content_length"},
    {C::sip_body_too_large, "sip.body_too_large"},
    {C::zrtp_packet_truncated, "zrtp.packet_truncated"},
    {C::zrtp_bad_first_byte, "zrtp.bad_first_byte"},
    {C::zrtp_nonzero_reserved, "zrtp.nonzero_reserved"},
    {C::zrtp_bad_magic, "zrtp.bad_magic"},
    {C::zrtp_crc_mismatch, "zrtp.crc_mismatch"},
    {C::zrtp_fragment_length_mismatch, "zrtp.fragment_length_mismatch"},
    {C::zrtp_message_truncated, "zrtp.message_truncated"},
    {C::zrtp_bad_preamble, "zrtp.bad_preamble"},
    {C::zrtp_bad_length, "zrtp.bad_length"},
    {C::zrtp_trailing_bytes, "zrtp.trailing_bytes"},
    {C::zrtp_unknown_type, "zrtp.unknown_type"},
    {C::zrtp_unexpected_length, "zrtp.unexpected_length"},
    {C::zrtp_body_truncated, "zrtp.body_truncated"},
    {C::zrtp_hello_count_above_7, "zrtp.hello_count_above_7"},
    {C::zrtp_hello_length_mismatch, "zrtp.hello_length_mismatch"},
    {C::zrtp_commit_unexpected_length, "zrtp.commit_unexpected_length"},
    {C::zrtp_fragment_evicted, "zrtp.fragment_evicted"},
    {C::zrtp_fragment_total_invalid, "zrtp.fragment_total_invalid"},
    {C::zrtp_fragment_out_of_range, "zrtp.fragment_out_of_range"},
    {C::zrtp_fragment_total_mismatch, "zrtp.fragment_total_mismatch"},
    {C::zrtp_fragment_overlap_conflict, "zrtp.fragment_overlap_conflict"},
    {C::zrtp_too_many_messages, "zrtp.too_many_messages"},
    {C::iax2_truncated, "iax2.truncated"},
    {C::iax2_ie_overrun, "iax2.ie_overrun"},
    {C::iax2_ie_bad_size, "iax2.ie_bad_size"},
    {C::dtls_record_truncated, "dtls.record_truncated"},
    {C::dtls_bad_version, "dtls.bad_version"},
    {C::dtls_fragment_truncated, "dtls.fragment_truncated"},
    {C::dtls_fragment_out_of_range, "dtls.fragment_out_of_range"},
    {C::dtls_fragment_conflict, "dtls.fragment_conflict"},
    {C::dtls_fragment_evicted, "dtls.fragment_evicted"},
    {C::dtls_hello_truncated, "dtls.hello_truncated"},
    {C::dtls_certificate_truncated, "dtls.certificate_truncated"},
    {C::dtls_too_many_handshakes, "dtls.too_many_handshakes"},
}}};
static_assert(k_names.complete(), "every AnomalyCode has one distinct name, in declaration order");

}  // namespace

std::string_view to_string(AnomalyCode code) {
    return k_names.name(code);
}

std::optional<AnomalyCode> anomaly_code_from_string(std::string_view name) {
    return k_names.find(name);
}

}  // namespace zaudit::util
