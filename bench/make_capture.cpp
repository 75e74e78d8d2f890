// Writes a large capture for the benchmark: many concurrent RTP calls (G.711, 20 ms packets,
// both directions), streamed to disk so memory stays flat whatever the size.
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/gen/scenario.hpp"

using namespace zaudit;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_make_capture OUT.pcap PACKETS CALLS\n");
        return 2;
    }
    const std::uint64_t packets = std::strtoull(argv[2], nullptr, 10);
    const std::uint32_t calls = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
    std::unique_ptr<pcap_t, void (*)(pcap_t*)> dead{pcap_open_dead(DLT_EN10MB, 65535), &pcap_close};
    std::unique_ptr<pcap_dumper_t, void (*)(pcap_dumper_t*)> dumper{pcap_dump_open(dead.get(), argv[1]),
                                                                    &pcap_dump_close};
    if (!dumper) {
        std::fprintf(stderr, "%s\n", pcap_geterr(dead.get()));
        return 1;
    }
    const gen::Framing framing;
    const gen::ByteVector tone = gen::g711_tone(0);
    std::int64_t time = 1'790'000'000'000'000;
    for (std::uint64_t i = 0; i < packets; ++i) {
        const std::uint32_t call = static_cast<std::uint32_t>(i % (2 * calls)) / 2;
        const bool reverse = (i % 2) == 1;
        const std::uint64_t round = i / (2 * calls);
        const util::Endpoint a{util::IpAddress::v4(0x0a000000 + call),
                               static_cast<std::uint16_t>(20000 + 2 * (call % 20000))};
        const util::Endpoint b{util::IpAddress::v4(0x0b000000 + call), 30000};
        const auto rtp = gen::build_rtp(0, static_cast<std::uint16_t>(round), static_cast<std::uint32_t>(round * 160),
                                        0x1000 + call * 2 + (reverse ? 1 : 0), tone);
        const auto udp = reverse ? gen::build_udp(b, a, rtp) : gen::build_udp(a, b, rtp);
        const auto frames =
            gen::build_ip_frames(framing, reverse ? b.address : a.address, reverse ? a.address : b.address, 17, udp,
                                 static_cast<std::uint32_t>(i));
        time += 20'000 / (2 * calls) + 1;
        pcap_pkthdr header{};
        header.ts.tv_sec = time / 1'000'000;
        header.ts.tv_usec = time % 1'000'000;
        header.caplen = header.len = static_cast<bpf_u_int32>(frames[0].size());
        pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &header, frames[0].data());  // NOLINT: libpcap API
    }
    return 0;
}
