// The adversarial floods (flood.hpp): the INVITEs are what a scanner sends, with an SDES key
// each; the datagrams are random but seeded, so every run sees the same flood.
#include "zaudit/gen/flood.hpp"

#include <algorithm>
#include <random>
#include <string>

#include <fmt/format.h>

#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/name_table.hpp"

namespace zaudit::gen {
namespace {

constexpr util::NameTable<FloodKind, 8> k_kind_names{{{
    {FloodKind::one_key, "one-key"},
    {FloodKind::distinct_keys, "distinct-keys"},
    {FloodKind::random_udp, "random-udp"},
    {FloodKind::ssrc_flood, "ssrc-flood"},
    {FloodKind::one_dialog, "one-dialog"},
    {FloodKind::zrtp_hellos, "zrtp-hellos"},
    {FloodKind::sdp_media, "sdp-media"},
    {FloodKind::short_streams, "short-streams"},
}}};
static_assert(k_kind_names.complete());

constexpr std::int64_t flood_start_micros = 1'790'000'000'000'000;
constexpr std::int64_t flood_span_micros = 60'000'000;
constexpr std::uint64_t flood_ssrcs = 100'000;
constexpr std::size_t flood_media_sections = 48;

util::IpAddress host(std::uint32_t base, std::uint64_t i) {
    return util::IpAddress::v4(base + static_cast<std::uint32_t>(i % 0xfffff));
}

/// The INVITE of flood message `i`: for a scanner, the first of a dialog of its own; in
/// `one_dialog`, request `i` of the one dialog (a re-INVITE after the first).
std::string invite(std::uint64_t i, const util::Endpoint& caller, const util::Endpoint& callee,
                   const ByteVector& key_salt, bool one_dialog, const std::string& more_media = {}) {
    SdpSpec sdp;
    sdp.session_id = i + 1;
    sdp.address = caller.address;
    sdp.port = static_cast<std::uint16_t>(10000 + 2 * (i % 20000));
    sdp.savp = true;
    SdpCrypto crypto;
    crypto.key_salt = key_salt;
    sdp.cryptos.push_back(std::move(crypto));
    const std::string host_text = caller.address.to_string();
    const std::uint64_t dialog = one_dialog ? 0 : i;
    const bool in_dialog = one_dialog && i > 0;
    return SipWriter::request("INVITE", fmt::format("sip:100@{}", callee.address.to_string()))
        .header("Via", fmt::format("SIP/2.0/UDP {}:5060;branch=z9hG4bK{:016x}", host_text, i))
        .header("Max-Forwards", "70")
        .header("From", fmt::format("<sip:scanner@{}>;tag={:010x}", host_text, dialog))
        .header("To", fmt::format("<sip:100@{}>{}", callee.address.to_string(), in_dialog ? ";tag=callee" : ""))
        .header("Call-ID", fmt::format("{:024x}@{}", dialog, host_text))
        .header("CSeq", fmt::format("{} INVITE", one_dialog ? i + 1 : 1))
        .header("Contact", fmt::format("<sip:scanner@{}:5060>", host_text))
        .body("application/sdp", build_sdp(sdp) + more_media)
        .text();
}

ByteVector random_bytes(std::mt19937_64& random, std::size_t size) {
    ByteVector bytes(size);
    for (auto& byte : bytes) {
        byte = static_cast<std::uint8_t>(random());
    }
    return bytes;
}

/// `count` more media sections after the first, each on its own port with a key of its own.
std::string keyed_media_sections(std::mt19937_64& random, std::size_t count) {
    std::string sections;
    for (std::size_t m = 0; m < count; ++m) {
        sections += fmt::format("m=audio {} RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{}\r\n",
                                30000 + 2 * m, util::to_base64(random_bytes(random, 30)));
    }
    return sections;
}

}  // namespace

std::optional<FloodKind> parse_flood_kind(std::string_view name) {
    return k_kind_names.find(name);
}

void generate_flood(FloodKind kind, std::uint64_t count, const FloodSink& sink) {
    std::mt19937_64 random{12};
    const ByteVector shared_key = random_bytes(random, 30);
    const ByteVector tone = g711_tone(0);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::int64_t time =
            flood_start_micros + static_cast<std::int64_t>(i * static_cast<std::uint64_t>(flood_span_micros) / count);
        switch (kind) {
            case FloodKind::one_key:
            case FloodKind::distinct_keys: {
                const util::Endpoint caller{host(0x0a000000, i), 5060};
                const util::Endpoint callee{util::IpAddress::v4(0xc0000201), 5060};
                const std::string text = invite(
                    i, caller, callee, kind == FloodKind::one_key ? shared_key : random_bytes(random, 30), false);
                sink(caller, callee, util::as_bytes(text), time);
                break;
            }
            case FloodKind::zrtp_hellos: {
                const util::Endpoint src{util::IpAddress::v4(0xc0000204), 40004};
                const util::Endpoint dst{util::IpAddress::v4(0xc0000205), 40006};
                ZrtpHelloFields hello;
                hello.client_id = "flood";
                const ByteVector h3 = random_bytes(random, hello.h3.size());
                std::copy(h3.begin(), h3.end(), hello.h3.begin());
                hello.zid.fill(0x5a);
                const ByteVector h2 = random_bytes(random, 32);
                const ZrtpBytes message = zrtp_hello_message(hello, h2);
                sink(src, dst, zrtp_packet(static_cast<std::uint16_t>(i), 0x2000, message), time);
                break;
            }
            case FloodKind::one_dialog: {
                const util::Endpoint caller{util::IpAddress::v4(0x0a000001), 5060};
                const util::Endpoint callee{util::IpAddress::v4(0xc0000201), 5060};
                const std::string text = invite(i, caller, callee, random_bytes(random, 30), true);
                sink(caller, callee, util::as_bytes(text), time);
                break;
            }
            case FloodKind::sdp_media: {
                const util::Endpoint caller{host(0x0a000000, i), 5060};
                const util::Endpoint callee{util::IpAddress::v4(0xc0000201), 5060};
                const std::string text = invite(i, caller, callee, random_bytes(random, 30), false,
                                                keyed_media_sections(random, flood_media_sections - 1));
                sink(caller, callee, util::as_bytes(text), time);
                break;
            }
            case FloodKind::short_streams: {
                const util::Endpoint callee{util::IpAddress::v4(0xc0000201), 5060};
                const util::Endpoint caller{util::IpAddress::v4(0x0a000001), 5060};
                if (i == 0) {  // the call, announcing 10.0.0.1:10000 (the INVITE of dialog 0)
                    sink(caller, callee, util::as_bytes(invite(0, caller, callee, shared_key, false)), time);
                    break;
                }
                const std::uint64_t source = (i - 1) / 2;
                const util::Endpoint src{host(0x0d000000, source / 50'000),
                                         static_cast<std::uint16_t>(1024 + source % 50'000)};
                const util::Endpoint dst{caller.address, 10000};
                const auto rtp =
                    build_rtp(0, static_cast<std::uint16_t>(i % 2), static_cast<std::uint32_t>(i % 2 * 160),
                              static_cast<std::uint32_t>(0x20000000 + source), tone);
                sink(src, dst, rtp, time);
                break;
            }
            case FloodKind::random_udp: {
                const util::Endpoint src{host(0x0b000000, random()),
                                         static_cast<std::uint16_t>(10000 + 2 * (random() % 20000))};
                const util::Endpoint dst{host(0x0c000000, random()),
                                         static_cast<std::uint16_t>(10000 + 2 * (random() % 20000))};
                ByteVector payload = random_bytes(random, 40 + random() % 160);
                if (i % 4 == 0) {
                    payload[0] = 0x80;
                }
                sink(src, dst, payload, time);
                break;
            }
            case FloodKind::ssrc_flood: {
                const util::Endpoint src{util::IpAddress::v4(0xc0000202), 40000};
                const util::Endpoint dst{util::IpAddress::v4(0xc0000203), 40002};
                const auto rtp = build_rtp(0, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160),
                                           static_cast<std::uint32_t>(0x10000000 + i % flood_ssrcs), tone);
                sink(src, dst, rtp, time);
                break;
            }
        }
    }
}

}  // namespace zaudit::gen
