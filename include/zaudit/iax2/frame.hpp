#pragma once
/// \file IAX2 frames (RFC 5456 section 8): bytes in, values out, no judgements.
///
/// One UDP port (4569) carries signalling and media of every call between two peers; a call is
/// told by its 15-bit call numbers. Three shapes share it:
/// ```
///  full frame (section 8.1.1)                    mini frame (section 8.1.2)
///  |F|  source call number  |R| dest call number |   |0|  source call number  | timestamp (16) |
///  |          timestamp (32)                     |   |  media data ...                         |
///  | OSeqno | ISeqno | frame type | C| subclass |   meta frame (section 8.1.3): 16 zero bits,
///  |  data: information elements or media ...    |   then a meta command (trunk frames)
/// ```
/// With encryption (Asterisk's chan_iax2, which RFC 5456 leaves to the implementation), only the
/// first 4 bytes of a full frame (both call numbers) and the first 2 of a mini frame stay in
/// clear; the rest is AES-128-CBC ciphertext, a multiple of 16 bytes, of at least 16 bytes of
/// random padding followed by the plain frame's remaining fields. parse() therefore reads the
/// call numbers always and says whether the rest reads as a plain frame.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::iax2 {

inline constexpr std::uint16_t k_port = 4569;          ///< section 4 (IANA "iax")
inline constexpr std::size_t k_full_header_size = 12;  ///< section 8.1.1
inline constexpr std::size_t k_mini_header_size = 4;   ///< section 8.1.2
inline constexpr std::size_t k_aes_block = 16;

/// Frame types (RFC 5456's frame type table, section 8); Asterisk adds modem (11).
enum class FrameType : std::uint8_t {
    dtmf = 1,
    voice = 2,
    video = 3,
    control = 4,
    null = 5,
    iax = 6,
    text = 7,
    image = 8,
    html = 9,
    comfort_noise = 10,
    modem = 11,
};
inline constexpr std::uint8_t k_last_frame_type = 11;

/// IAX control subclasses (RFC 5456's IAX frame table, section 8): the ones the session follows.
enum class IaxSubclass : std::uint8_t {
    new_call = 1,
    ping = 2,
    pong = 3,
    ack = 4,
    hangup = 5,
    reject = 6,
    accept = 7,
    authreq = 8,
    authrep = 9,
    inval = 10,
    lagrq = 11,
    lagrp = 12,
    regreq = 13,
    regauth = 14,
    regack = 15,
    regrej = 16,
    regrel = 17,
    vnak = 18,
    calltoken = 40,
};
inline constexpr std::uint32_t k_last_iax_subclass = 40;
/// The name of an IAX control subclass ("NEW", "AUTHREQ"); "IAX <n>" for others.
std::string iax_subclass_name(std::uint32_t subclass);

/// Information element types (section 8.6) the session reads.
enum class IeType : std::uint8_t {
    called_number = 1,
    calling_number = 2,
    calling_name = 4,
    username = 6,
    capability = 8,
    format = 9,
    version = 11,
    auth_methods = 14,
    challenge = 15,
    md5_result = 16,
    rsa_result = 17,
    cause = 22,
    encryption = 38,
    enckey = 39,
    calltoken = 54,
};

/// ENCRYPTION IE bits (section 8.6): AES-128; Asterisk adds key rotation (bit 15).
inline constexpr std::uint16_t k_encrypt_aes128 = 0x0001;
/// AUTHMETHODS IE bits (section 8.6): plain text, MD5 challenge, RSA.
inline constexpr std::uint16_t k_auth_plaintext = 0x0001;
inline constexpr std::uint16_t k_auth_md5 = 0x0002;
inline constexpr std::uint16_t k_auth_rsa = 0x0004;

/// The values of a frame's information elements that the audit uses, owned. An element that
/// repeats keeps its first value.
struct InfoElements {
    std::optional<std::string> called_number;
    std::optional<std::string> calling_number;
    std::optional<std::string> calling_name;
    std::optional<std::string> username;
    std::optional<std::uint32_t> format;  ///< codec bitmask (section 8.7)
    std::optional<std::uint32_t> capability;
    std::optional<std::uint16_t> auth_methods;
    bool challenge = false;   ///< a CHALLENGE was sent (its value is not kept)
    bool md5_result = false;  ///< an MD5 RESULT was sent
    std::optional<std::uint16_t> encryption;
    std::optional<std::string> cause;
    std::size_t count = 0;  ///< elements read
};

/// Reads a frame's information elements (section 8.6: type, length, data); an element that runs
/// past the frame is an anomaly (iax2.ie_overrun) and ends the reading; a fixed-size element of
/// another size is an anomaly (iax2.ie_bad_size) and skipped.
InfoElements parse_ies(util::Bytes data, std::vector<util::Anomaly>& anomalies, std::size_t base = 0);

/// The codec of a voice frame's subclass or of a FORMAT bitmask's lowest bit ("ulaw",
/// "alaw", "gsm", "g722"...); empty for none, "0x..." for an unknown bit.
std::string codec_name(std::uint32_t format);

enum class FrameShape : std::uint8_t { full, mini, meta };

struct Frame {
    FrameShape shape = FrameShape::full;
    std::uint16_t source_call = 0;       ///< 15 bits
    std::uint16_t destination_call = 0;  ///< full frames, 15 bits
    bool retransmitted = false;          ///< the R bit
    /// The bytes after the clear call numbers read as a plain frame of a known type with
    /// well-formed elements (always true for mini frames, which have nothing to check).
    bool plain = false;
    // Of a plain full frame:
    std::uint32_t timestamp = 0;  ///< milliseconds since the call began (16 bits in a mini frame)
    std::uint8_t oseqno = 0;
    std::uint8_t iseqno = 0;
    std::uint8_t type = 0;       ///< FrameType value
    std::uint32_t subclass = 0;  ///< decoded: 1 << n when the C bit was set
    util::Bytes data;            ///< after the header (media, or elements); the whole rest when not plain
    /// The bytes after the clear call numbers (4 of a full frame, 2 of a mini frame): what an
    /// encrypting peer encrypts.
    util::Bytes after_call_numbers;
};

/// Parses one UDP payload: nullopt (with an anomaly) for one too short for any frame.
/// A full frame whose rest is not a plain frame comes back with `plain` false and no anomaly:
/// on an encrypted call that is what every frame looks like; the session decides.
std::optional<Frame> parse(util::Bytes payload, std::vector<util::Anomaly>& anomalies);

/// Whether a datagram on the IAX2 port can be IAX2: long enough for a mini frame, and a full
/// frame long enough for its header (or for an encrypted one's two clear words and a block).
bool looks_like_iax2(util::Bytes payload);

}  // namespace zaudit::iax2
