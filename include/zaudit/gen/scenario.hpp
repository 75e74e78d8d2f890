#pragma once
/// \file Scenarios: each sample capture is a function of a seed, described in code.

#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/zrtp_handshake.hpp"

namespace zaudit::gen {

/// Deterministic bytes for a scenario (keys, nonces, payloads): std::mt19937_64 is specified
/// exactly by the standard, so the same seed gives the same stream everywhere.
class SeededBytes {
public:
    explicit SeededBytes(std::uint64_t seed) : m_engine{seed} {}
    /// The scenario's own stream: the seed mixed with the scenario's name (FNV-1a), so that no
    /// two samples share a key, ZID, tag or Call-ID (an audit of several samples at once would
    /// otherwise see key reuse and one call across files).
    static SeededBytes for_scenario(std::uint64_t seed, std::string_view scenario);
    ByteVector bytes(std::size_t n);
    std::uint32_t u32() { return static_cast<std::uint32_t>(m_engine()); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(m_engine()); }

private:
    std::mt19937_64 m_engine;
};

struct Scenario {
    std::string_view name;      ///< file name without extension
    std::string_view shows;     ///< what the sample shows (samples/README.md)
    std::string_view expected;  ///< findings expected, by rule id ("none" for clean ones)
    bool pcapng = false;
    std::function<CaptureBuilder(std::uint64_t seed)> build;
};

/// Every scenario the generator knows, in a fixed order.
std::span<const Scenario> scenarios();

/// The ZRTP handshake behind a ZRTP scenario ("zrtp-goclear"...) as the scenario draws it from
/// `seed`, its secrets and SRTP keys included: for tests that hold a capture against what was sent.
util::Expected<ZrtpHandshake> zrtp_scenario_handshake(std::string_view name, std::uint64_t seed);

/// An RTP packet (RFC 3550 section 5.1) with no CSRC and no extension.
ByteVector build_rtp(std::uint8_t payload_type, std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc,
                     util::Bytes payload, bool marker = false);

/// 20 ms of G.711 mu-law (160 bytes) of a 440 Hz tone, starting at sample `offset`: codec data
/// that looks like codec data (not random bytes).
ByteVector g711_tone(std::uint32_t offset);

}  // namespace zaudit::gen
