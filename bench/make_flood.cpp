// Writes the adversarial captures of issue 12: floods shaped to hurt an auditor, all packed into
// 60 s of capture time so that no timeout can do the work of a bound. Streamed to disk, so the
// generator's memory stays flat whatever the count.
//
//   one-key        COUNT INVITEs, each its own Call-ID, all offering the same SDES key
//                  (a scanner, or a PBX with a static key)
//   distinct-keys  COUNT INVITEs with distinct Call-IDs and distinct SDES keys
//   random-udp     COUNT random UDP datagrams between random hosts on RTP-like even ports,
//                  a quarter of them with an RTP-looking first byte
//   ssrc-flood     COUNT RTP packets on one flow, each with a new SSRC
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/gen/sip_builder.hpp"

using namespace zaudit;

namespace {

constexpr std::int64_t flood_start_micros = 1'790'000'000'000'000;
constexpr std::int64_t flood_span_micros = 60'000'000;

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

util::IpAddress host(std::uint32_t base, std::uint64_t i) {
    return util::IpAddress::v4(base + static_cast<std::uint32_t>(i % 0xfffff));
}

std::string invite(std::uint64_t i, const util::Endpoint& caller, const util::Endpoint& callee,
                   const gen::ByteVector& key_salt) {
    gen::SdpSpec sdp;
    sdp.session_id = i + 1;
    sdp.address = caller.address;
    sdp.port = static_cast<std::uint16_t>(10000 + 2 * (i % 20000));
    sdp.savp = true;
    gen::SdpCrypto crypto;
    crypto.key_salt = key_salt;
    sdp.cryptos.push_back(std::move(crypto));
    const std::string host_text = caller.address.to_string();
    return gen::SipWriter::request("INVITE", fmt::format("sip:100@{}", callee.address.to_string()))
        .header("Via", fmt::format("SIP/2.0/UDP {}:5060;branch=z9hG4bK{:016x}", host_text, i))
        .header("Max-Forwards", "70")
        .header("From", fmt::format("<sip:scanner@{}>;tag={:010x}", host_text, i))
        .header("To", fmt::format("<sip:100@{}>", callee.address.to_string()))
        .header("Call-ID", fmt::format("{:024x}@{}", i, host_text))
        .header("CSeq", "1 INVITE")
        .header("Contact", fmt::format("<sip:scanner@{}:5060>", host_text))
        .body("application/sdp", gen::build_sdp(sdp))
        .text();
}

gen::ByteVector random_bytes(std::mt19937_64& random, std::size_t size) {
    gen::ByteVector bytes(size);
    for (auto& byte : bytes) {
        byte = static_cast<std::uint8_t>(random());
    }
    return bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_make_flood OUT.pcap one-key|distinct-keys|random-udp|ssrc-flood COUNT\n");
        return 2;
    }
    const std::string_view kind = argv[2];
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
    std::mt19937_64 random{12};  // fixed seed: the same flood every time
    const gen::ByteVector shared_key = random_bytes(random, 30);
    const gen::ByteVector tone = gen::g711_tone(0);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::int64_t time =
            flood_start_micros + static_cast<std::int64_t>(i * static_cast<std::uint64_t>(flood_span_micros) / count);
        if (kind == "one-key" || kind == "distinct-keys") {
            const util::Endpoint caller{host(0x0a000000, i), 5060};
            const util::Endpoint callee{util::IpAddress::v4(0xc0000201), 5060};
            const std::string text =
                invite(i, caller, callee, kind == "one-key" ? shared_key : random_bytes(random, 30));
            out.udp(caller, callee, util::as_bytes(text), time);
        } else if (kind == "random-udp") {
            const util::Endpoint src{host(0x0b000000, random()),
                                     static_cast<std::uint16_t>(10000 + 2 * (random() % 20000))};
            const util::Endpoint dst{host(0x0c000000, random()),
                                     static_cast<std::uint16_t>(10000 + 2 * (random() % 20000))};
            gen::ByteVector payload = random_bytes(random, 40 + random() % 160);
            if (i % 4 == 0) {
                payload[0] = 0x80;
            }
            out.udp(src, dst, payload, time);
        } else if (kind == "ssrc-flood") {
            // 100,000 SSRCs on one flow, in turn (RTP is expected there: an SDP-less flood would
            // not pass probation, so the bench names the port with --decode-as).
            const util::Endpoint src{util::IpAddress::v4(0xc0000202), 40000};
            const util::Endpoint dst{util::IpAddress::v4(0xc0000203), 40002};
            const auto rtp = gen::build_rtp(0, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160),
                                            static_cast<std::uint32_t>(0x10000000 + i % 100000), tone);
            out.udp(src, dst, rtp, time);
        } else {
            std::fprintf(stderr, "bench_make_flood: unknown kind '%s'\n", argv[2]);
            return 2;
        }
    }
    return 0;
}
