// Writes the adversarial captures of issue 12 (zaudit/gen/flood.hpp says what each is), streamed
// to disk so that the generator's memory stays flat whatever the count.
//
//   bench_make_flood OUT.pcap one-key|distinct-keys|random-udp|ssrc-flood|one-dialog|zrtp-hellos|sdp-media|short-streams COUNT
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "zaudit/gen/flood.hpp"
#include "zaudit/gen/frame_builder.hpp"

using namespace zaudit;

namespace {

class FloodWriter {
public:
    explicit FloodWriter(const char* path)
        : m_dead{pcap_open_dead(DLT_EN10MB, 262144), &pcap_close},
          m_dumper{pcap_dump_open(m_dead.get(), path), &pcap_dump_close} {}

    [[nodiscard]] bool ok() const { return m_dumper != nullptr; }
    [[nodiscard]] const char* error() const { return pcap_geterr(m_dead.get()); }

    void udp(const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload, std::int64_t time) {
        const auto frames =
            gen::build_ip_frames(m_framing, src.address, dst.address, 17, gen::build_udp(src, dst, payload), m_ip_id++);
        for (const auto& frame : frames) {
            pcap_pkthdr header{};
            header.ts.tv_sec = time / 1'000'000;
            header.ts.tv_usec = time % 1'000'000;
            header.caplen = header.len = static_cast<bpf_u_int32>(frame.size());
            pcap_dump(reinterpret_cast<u_char*>(m_dumper.get()), &header, frame.data());  // NOLINT: libpcap API
        }
    }

private:
    std::unique_ptr<pcap_t, void (*)(pcap_t*)> m_dead;
    std::unique_ptr<pcap_dumper_t, void (*)(pcap_dumper_t*)> m_dumper;
    gen::Framing m_framing;
    std::uint32_t m_ip_id = 1;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(
            stderr,
            "usage: bench_make_flood OUT.pcap "
            "one-key|distinct-keys|random-udp|ssrc-flood|one-dialog|zrtp-hellos|sdp-media|short-streams COUNT\n");
        return 2;
    }
    const auto kind = gen::parse_flood_kind(argv[2]);
    if (!kind) {
        std::fprintf(stderr, "bench_make_flood: unknown kind '%s'\n", argv[2]);
        return 2;
    }
    const std::uint64_t count = std::strtoull(argv[3], nullptr, 10);
    if (count == 0) {
        std::fprintf(stderr, "bench_make_flood: COUNT must be a positive number\n");
        return 2;
    }
    FloodWriter out{argv[1]};
    if (!out.ok()) {
        std::fprintf(stderr, "%s\n", out.error());
        return 1;
    }
    gen::generate_flood(*kind, count,
                        [&](const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload,
                            std::int64_t time) { out.udp(src, dst, payload, time); });
    return 0;
}
