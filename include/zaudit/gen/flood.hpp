#pragma once
/// \file The adversarial floods of issue 12, shaped to hurt an auditor and packed into 60 s of
/// capture time so that no timeout can do the work of a bound. bench/make_flood writes them to
/// disk for the scale table; tests/scaling feeds them to the tracker to count allocations.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "zaudit/util/address.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::gen {

enum class FloodKind : std::uint8_t {
    one_key,        ///< INVITEs, each its own Call-ID, all offering one SDES key (a scanner, a static-key PBX)
    distinct_keys,  ///< INVITEs with distinct Call-IDs and distinct SDES keys
    random_udp,     ///< random datagrams between random hosts on RTP-like even ports, a quarter RTP-looking
    ssrc_flood,     ///< RTP on one flow (port 40002, to be named with --decode-as), each packet a new
                    ///< SSRC of 100,000 in turn
    one_dialog,     ///< one dialog's INVITE, then re-INVITEs without end, each its own CSeq, SDES key and
                    ///< media port (a peer, or a man in the middle, re-offering on one SIP flow)
    zrtp_hellos,    ///< ZRTP on one flow, each packet a Hello of its own (another H3 and MAC): an
                    ///< injector racing an endpoint without end
    sdp_media,      ///< INVITEs with distinct Call-IDs, each SDP of 48 media sections with a key of its
                    ///< own (some 5 KB a datagram): a body built to be kept and judged line by line
    short_streams,  ///< one call's INVITE, then RTP to the port it announced from a new source port
                    ///< every two packets: injectors (or a scan) each sending a stream of two
};

/// "one-key", "distinct-keys", "random-udp", "ssrc-flood", "one-dialog", "zrtp-hellos",
/// "sdp-media" or "short-streams".
std::optional<FloodKind> parse_flood_kind(std::string_view name);

/// One datagram of a flood: what to send and when (microseconds since the epoch).
using FloodSink = std::function<void(const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload,
                                     std::int64_t time_micros)>;

/// Hands the `count` datagrams of a flood to `sink` in time order; the same flood every time
/// (a fixed seed), built one datagram at a time so that memory stays flat.
void generate_flood(FloodKind kind, std::uint64_t count, const FloodSink& sink);

}  // namespace zaudit::gen
