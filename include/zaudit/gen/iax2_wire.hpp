#pragma once
/// \file IAX2 frames for the generator (RFC 5456 section 8), plain and encrypted as Asterisk's
/// chan_iax2 encrypts them: a writer of our own, so encrypted IAX2 is checked against it only.

#include <array>
#include <cstdint>
#include <string_view>

#include "zaudit/gen/frame_builder.hpp"

namespace zaudit::gen {

using Iax2Key = std::array<std::uint8_t, 16>;

/// One information element (section 8.6): type, length, value.
ByteWriter& iax2_ie(ByteWriter& w, std::uint8_t type, util::Bytes value);
ByteWriter& iax2_ie_text(ByteWriter& w, std::uint8_t type, std::string_view value);
ByteWriter& iax2_ie_u16(ByteWriter& w, std::uint8_t type, std::uint16_t value);
ByteWriter& iax2_ie_u32(ByteWriter& w, std::uint8_t type, std::uint32_t value);

/// A full frame (section 8.1.1): `csub` is the subclass byte as sent.
ByteVector iax2_full_frame(std::uint16_t source_call, std::uint16_t destination_call, std::uint32_t timestamp,
                           std::uint8_t oseqno, std::uint8_t iseqno, std::uint8_t type, std::uint8_t csub,
                           util::Bytes data);
/// A mini frame (section 8.1.2): the low 16 bits of the timestamp, then the media.
ByteVector iax2_mini_frame(std::uint16_t source_call, std::uint16_t timestamp, util::Bytes media);

/// The key both peers derive once the callee's AUTHREQ carried an MD5 CHALLENGE and both had
/// agreed on AES-128: MD5(challenge ‖ shared secret) (Asterisk's build_encryption_keys).
Iax2Key iax2_key(std::string_view challenge, std::string_view secret);
/// The MD5 RESULT of an AUTHREP (section 8.6): the same digest, in lower-case hex.
std::string iax2_md5_result(std::string_view challenge, std::string_view secret);

/// Encrypts a plain frame as Asterisk's encrypt_frame does: the call numbers (4 bytes of a full
/// frame, 2 of a mini frame) stay in clear; the rest gets 16-31 bytes of padding in front (the
/// low nibble of the 16th byte says how many beyond 16), so that the whole is a multiple of 16,
/// and is AES-128-CBC encrypted with a zero IV (the random padding plays the IV's part).
/// `random` supplies the padding (at least 31 bytes).
ByteVector iax2_encrypt(util::Bytes plain_frame, const Iax2Key& key, util::Bytes random);
/// The inverse: the plain frame, or an empty vector for bytes that are not such a frame.
ByteVector iax2_decrypt(util::Bytes encrypted_frame, const Iax2Key& key);

}  // namespace zaudit::gen
