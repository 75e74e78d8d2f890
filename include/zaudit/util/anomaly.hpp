#pragma once
/// \file Anomalies: what a parser noticed about malformed input. Every parser (sip, sdp, rtp,
/// rtcp, zrtp, dtls) reports through this one type; the session collects them into
/// Model::anomalies with the frame filled in, and the report counts them per code. A malformed
/// packet is data (it may be evidence), never a silent drop and never an exception.
///
/// Codes are stable snake_case names with an area prefix ("sip.bad_start_line",
/// "zrtp.crc_mismatch"): reports and tests show the names, code compares the enum.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zaudit::util {

enum class AnomalyCode : std::uint8_t {
    // RTCP compound packets (RFC 3550 section 6).
    rtcp_truncated_header,  ///< fewer than 8 bytes, or a packet header cut short
    rtcp_bad_version,       ///< the first packet is not version 2
    rtcp_length_overrun,    ///< a packet's length field runs past the datagram
    rtcp_trailing_bytes,    ///< bytes after the last good packet (what SRTCP looks like)
    // RTP fixed header (RFC 3550 section 5.1).
    rtp_truncated_header,     ///< fewer than the 12 fixed bytes
    rtp_bad_version,          ///< V is not 2
    rtp_truncated_csrc,       ///< CC announces more CSRC words than the packet holds
    rtp_truncated_extension,  ///< X set, but the extension header or its words overrun the packet
    rtp_bad_padding,          ///< P set, but the count is 0 or exceeds the payload (not fatal)
    rtp_unconfirmed,          ///< RTP-looking packets on a flow no SDP announced, never a run of one SSRC
    rtp_too_many_ssrcs,       ///< a flow with more SSRCs than Limits::max_streams_per_flow: the rest counted only
    // Flows.
    flow_cap_reached,  ///< more flows live than Limits::max_live_flows: the oldest closed early
    // SDP (RFC 8866) and SDES a=crypto (RFC 4568).
    sdp_bad_line,           ///< not a <type>=<value> line
    sdp_unknown_line_type,  ///< a type letter RFC 8866 does not define
    sdp_bad_origin,         ///< o= without its 6 fields
    sdp_bad_connection,     ///< c= without <nettype> <addrtype> <address>
    sdp_bad_media,          ///< m= without media, port or proto: the media section is skipped
    sdp_bad_rtpmap,         ///< a=rtpmap without payload type, encoding or clock rate
    sdp_bad_rtcp,           ///< a=rtcp without a port (RFC 3605)
    sdp_bad_zrtp_hash,      ///< a=zrtp-hash without version and hash (RFC 6189 section 8.1)
    sdp_bad_fingerprint,    ///< a=fingerprint without hash function and value (RFC 8122)
    sdp_bad_attribute,      ///< a= line without an attribute name
    sdp_session_crypto,     ///< a=crypto at session level, where RFC 4568 does not allow it
    sdp_bad_crypto,         ///< a=crypto without tag, suite and key-params: the line is skipped
    sdp_bad_crypto_key,     ///< a malformed key-param (method, base64, lifetime, MKI): line skipped
    sdp_bad_crypto_param,   ///< an unknown or malformed session parameter (the line is kept)
    sdp_crypto_key_size,    ///< key||salt not the size the suite needs (the line is kept)
    sdp_too_many_media,     ///< media sections beyond sdp::k_max_media_sections: skipped
    sdp_too_many_cryptos,   ///< a=crypto lines beyond sdp::k_max_cryptos in one description: skipped
    // SIP messages (RFC 3261 section 7) and SIP over TCP framing (section 18.3).
    sip_no_start_line,         ///< nothing but line ends
    sip_bad_start_line,        ///< neither a request line nor a status line: not parsed
    sip_bad_version,           ///< a SIP version other than SIP/2.0
    sip_orphan_continuation,   ///< a folded line with no header before it
    sip_bad_header_line,       ///< a header line without a colon or with an invalid name
    sip_unterminated_headers,  ///< the header section has no empty line after it
    sip_bad_header_value,      ///< a well-known header whose value cannot be read
    sip_repeated_header,       ///< a single-valued header repeated (the first one is kept)
    sip_trailing_bytes,        ///< bytes after Content-Length in a datagram (dropped)
    sip_body_truncated,        ///< fewer body bytes than Content-Length
    sip_too_many_messages,  ///< a dialog with more messages than Limits::max_messages_per_call: the rest counted only
    sip_too_many_credentials,  ///< requests with credentials beyond Limits::max_credential_uses: counted only
    sip_stream_not_sip,        ///< TCP bytes that do not begin with a SIP start line (dropped)
    sip_headers_too_large,     ///< a TCP header section over the framer's limit (dropped)
    sip_bad_content_length,    ///< a TCP message's Content-Length is unusable (dropped)
    sip_body_too_large,        ///< a TCP message's Content-Length over the framer's limit (dropped)
    // ZRTP packets and messages (RFC 6189 section 5) and bzrtp's fragments.
    zrtp_packet_truncated,           ///< too short for the packet header and the CRC
    zrtp_bad_first_byte,             ///< neither 0x10 nor 0x11
    zrtp_nonzero_reserved,           ///< the second byte is not zero
    zrtp_bad_magic,                  ///< the magic cookie is not "ZRTP"
    zrtp_crc_mismatch,               ///< the CRC-32C does not match (endpoints drop the packet)
    zrtp_fragment_length_mismatch,   ///< a fragment's length field disagrees with its bytes
    zrtp_message_truncated,          ///< fewer bytes than the message header or length says
    zrtp_bad_preamble,               ///< the message does not start with 0x505a
    zrtp_bad_length,                 ///< a length below the 3-word message header
    zrtp_trailing_bytes,             ///< bytes after the declared message length
    zrtp_unknown_type,               ///< a type block that is none of the sixteen
    zrtp_unexpected_length,          ///< a fixed-size message of another size
    zrtp_body_truncated,             ///< a body that ends before its fields
    zrtp_hello_count_above_7,        ///< a Hello algorithm count above 7
    zrtp_hello_length_mismatch,      ///< a Hello whose counts disagree with its length
    zrtp_commit_unexpected_length,   ///< bytes after a Commit's fields
    zrtp_fragment_evicted,           ///< an incomplete fragmented message dropped for space
    zrtp_fragment_total_invalid,     ///< a fragment's total length is 0 or over the limit
    zrtp_fragment_out_of_range,      ///< a fragment that does not fit its message
    zrtp_fragment_total_mismatch,    ///< fragments of one message announce different totals
    zrtp_fragment_overlap_conflict,  ///< a fragment rewrites bytes already received
    zrtp_too_many_messages,          ///< a flow past Limits::max_zrtp_records_per_flow: its further ZRTP counted only
    // IAX2 frames (RFC 5456 section 8).
    iax2_truncated,    ///< a datagram on the IAX2 port too short for any frame
    iax2_ie_overrun,   ///< an information element runs past the frame: the rest is not read
    iax2_ie_bad_size,  ///< a fixed-size information element of another size (skipped)
    // DTLS records and handshake messages (RFC 6347 section 4, RFC 5764 section 4.1.1).
    dtls_record_truncated,       ///< a record header or its length overruns the datagram
    dtls_bad_version,            ///< a record version that is no DTLS version (0xfeXX)
    dtls_fragment_truncated,     ///< a handshake fragment header or length overruns its record
    dtls_fragment_out_of_range,  ///< a fragment that does not fit its message, or a message over the limit
    dtls_fragment_conflict,      ///< a fragment rewrites bytes already received, or changes the message type
    dtls_fragment_evicted,       ///< an incomplete message dropped for space
    dtls_hello_truncated,        ///< a ClientHello or ServerHello whose fields or extensions overrun it
    dtls_certificate_truncated,  ///< a Certificate message whose lengths overrun it
    dtls_too_many_handshakes,    ///< a flow past k_max_dtls_handshakes_per_flow: further ClientHellos join its last
    count_
};

/// The stable name, e.g. "sip.bad_start_line".
std::string_view to_string(AnomalyCode code);
/// The code with this name; nullopt for an unknown name.
std::optional<AnomalyCode> anomaly_code_from_string(std::string_view name);

/// One anomaly. Parsers leave `frame` 0; the session fills it in.
struct Anomaly {
    AnomalyCode code = AnomalyCode::count_;
    std::uint64_t frame = 0;  ///< Wireshark's frame number of the packet that showed it
    /// Byte offset where it was seen: in the parser's input, which the session makes relative to
    /// the UDP payload (for SIP over TCP: to the direction's byte stream).
    std::size_t offset = 0;
    std::string detail;  ///< one human line
};

}  // namespace zaudit::util
