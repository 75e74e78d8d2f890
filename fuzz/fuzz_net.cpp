// Link layer, IPv4/IPv6, fragment reassembly and TCP stream reassembly: a sequence of frames
// through one Decoder (so fragments meet across frames), TCP payloads through one TcpStream per
// direction. Each record is `u8 link type, u8 seconds since the previous frame, frame bytes`.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/net/tcp_stream.hpp"

namespace {

using namespace zaudit;

constexpr std::size_t k_max_directions = 16;  // enough to interleave streams, small enough to scan

struct CountingSink {
    std::uint64_t bytes = 0;
    std::uint64_t gaps = 0;
    void on_data(util::Bytes data) { bytes += data.size(); }
    void on_gap(std::uint64_t missing) { gaps += missing; }
};

struct Direction {
    util::Endpoint src;
    util::Endpoint dst;
    net::TcpStream stream;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Small limits so that timeouts, eviction and the size cap are reached by short inputs.
    net::Decoder decoder{
        net::DefragLimits{.timeout_micros = 30'000'000, .max_datagram_bytes = 65'535 + 8, .max_pending = 8}};
    std::vector<Direction> directions;
    CountingSink sink;
    fuzz::Records records{util::Bytes{data, size}};
    util::Bytes record;
    capture::Frame frame;
    net::Packet packet;
    while (records.next(record)) {
        util::ByteReader reader{record};
        const std::uint8_t link = reader.u8();
        const std::uint8_t seconds = reader.u8();
        frame.number += 1;
        frame.time.micros += std::int64_t{seconds} * 1'000'000;
        frame.link_type = static_cast<int>(fuzz::k_link_types[link % fuzz::k_link_types.size()]);
        frame.data = reader.rest();
        frame.original_length = static_cast<std::uint32_t>(frame.data.size() + (link >> 7) * 100U);
        if (decoder.decode(frame, packet) != net::DecodeStatus::ok || packet.transport != net::Transport::tcp) {
            continue;
        }
        auto it = std::find_if(directions.begin(), directions.end(),
                               [&](const Direction& d) { return d.src == packet.src && d.dst == packet.dst; });
        if (it == directions.end()) {
            if (directions.size() == k_max_directions) {
                continue;
            }
            directions.push_back({packet.src, packet.dst, {}});
            it = directions.end() - 1;
        }
        it->stream.on_segment(packet.tcp_seq, packet.tcp_flags, packet.payload, sink);
    }
    for (auto& direction : directions) {
        direction.stream.flush(sink);
    }
    return 0;
}
