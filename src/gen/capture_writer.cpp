#include "zaudit/gen/capture_writer.hpp"

#include <pcap/pcap.h>

#include <cstdio>
#include <map>
#include <memory>

#include <fmt/format.h>

namespace zaudit::gen {
namespace {

constexpr std::uint8_t k_proto_tcp = 6;
constexpr std::uint8_t k_proto_udp = 17;

/// pcapng is little-endian here (the byte-order magic says so); ByteWriter writes big-endian.
struct LittleEndian {
    ByteVector out;
    void u16(std::uint16_t v) {
        out.push_back(static_cast<std::uint8_t>(v));
        out.push_back(static_cast<std::uint8_t>(v >> 8));
    }
    void u32(std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v));
        u16(static_cast<std::uint16_t>(v >> 16));
    }
    void bytes(util::Bytes b) { out.insert(out.end(), b.begin(), b.end()); }
    void pad4() {
        while (out.size() % 4 != 0) {
            out.push_back(0);
        }
    }
};

/// DLT values as returned by libpcap map to LINKTYPE values in files; only raw IP differs.
std::uint16_t linktype_for_file(int dlt) {
    return static_cast<std::uint16_t>(dlt == 12 || dlt == 14 ? 101 : dlt);
}

ByteVector block(std::uint32_t type, const ByteVector& body) {
    LittleEndian b;
    const auto total = static_cast<std::uint32_t>(12 + body.size());
    b.u32(type);
    b.u32(total);
    b.bytes(body);
    b.u32(total);
    return std::move(b.out);
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

std::size_t CaptureBuilder::add_udp(util::Timestamp time, const util::Endpoint& src, const util::Endpoint& dst,
                                    util::Bytes payload) {
    return add_udp(time, src, dst, payload, m_framing);
}

std::size_t CaptureBuilder::add_udp(util::Timestamp time, const util::Endpoint& src, const util::Endpoint& dst,
                                    util::Bytes payload, const Framing& framing) {
    const ByteVector udp = build_udp(src, dst, payload);
    auto frames = build_ip_frames(framing, src.address, dst.address, k_proto_udp, udp, m_next_ip_id++);
    for (auto& bytes : frames) {
        m_frames.push_back(GeneratedFrame{time, std::move(bytes), framing.link_type, 0});
        time.micros += 1;  // fragments leave one after the other
    }
    return frames.size();
}

void CaptureBuilder::add_tcp(util::Timestamp time, const util::Endpoint& src, const util::Endpoint& dst,
                             std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, util::Bytes payload) {
    const ByteVector tcp = build_tcp(src, dst, seq, ack, flags, payload);
    for (auto& bytes : build_ip_frames(m_framing, src.address, dst.address, k_proto_tcp, tcp, m_next_ip_id++)) {
        m_frames.push_back(GeneratedFrame{time, std::move(bytes), m_framing.link_type, 0});
    }
}

util::Status CaptureBuilder::write_pcap(const std::string& path) const {
    const int dlt = m_frames.empty() ? m_framing.link_type : m_frames.front().link_type;
    std::unique_ptr<pcap_t, void (*)(pcap_t*)> dead{
        pcap_open_dead_with_tstamp_precision(dlt, 262144, PCAP_TSTAMP_PRECISION_MICRO), &pcap_close};
    if (!dead) {
        return util::Error{"pcap_open_dead failed"};
    }
    std::unique_ptr<pcap_dumper_t, void (*)(pcap_dumper_t*)> dumper{pcap_dump_open(dead.get(), path.c_str()),
                                                                    &pcap_dump_close};
    if (!dumper) {
        return util::Error{fmt::format("{}: {}", path, pcap_geterr(dead.get()))};
    }
    for (const GeneratedFrame& frame : m_frames) {
        if (frame.link_type != dlt) {
            return util::Error{fmt::format("{}: pcap holds one link type; use pcapng", path)};
        }
        pcap_pkthdr header{};
        header.ts.tv_sec = frame.time.micros / 1'000'000;
        header.ts.tv_usec = frame.time.micros % 1'000'000;
        header.caplen = static_cast<bpf_u_int32>(frame.bytes.size());
        header.len = header.caplen;
        pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &header, frame.bytes.data());  // NOLINT: libpcap API
    }
    return {};
}

util::Status CaptureBuilder::write_pcapng(const std::string& path) const {
    LittleEndian file;
    {  // Section Header Block: byte-order magic, version 1.0, section length unknown (-1)
        LittleEndian body;
        body.u32(0x1a2b3c4d);
        body.u16(1);
        body.u16(0);
        body.u32(0xffffffff);
        body.u32(0xffffffff);
        file.bytes(block(0x0a0d0d0a, body.out));
    }
    std::map<std::pair<std::uint32_t, int>, std::uint32_t> interface_ids;
    for (const GeneratedFrame& frame : m_frames) {
        const auto key = std::pair{frame.interface, frame.link_type};
        auto [it, inserted] = interface_ids.try_emplace(key, static_cast<std::uint32_t>(interface_ids.size()));
        if (inserted) {  // Interface Description Block; default resolution is microseconds
            LittleEndian body;
            body.u16(linktype_for_file(frame.link_type));
            body.u16(0);
            body.u32(262144);
            file.bytes(block(0x00000001, body.out));
        }
        LittleEndian body;  // Enhanced Packet Block
        const auto ts = static_cast<std::uint64_t>(frame.time.micros);
        body.u32(it->second);
        body.u32(static_cast<std::uint32_t>(ts >> 32));
        body.u32(static_cast<std::uint32_t>(ts));
        body.u32(static_cast<std::uint32_t>(frame.bytes.size()));
        body.u32(static_cast<std::uint32_t>(frame.bytes.size()));
        body.bytes(frame.bytes);
        body.pad4();
        file.bytes(block(0x00000006, body.out));
    }
    std::unique_ptr<std::FILE, FileCloser> out{std::fopen(path.c_str(), "wb")};
    if (!out || std::fwrite(file.out.data(), 1, file.out.size(), out.get()) != file.out.size()) {
        return util::Error{fmt::format("{}: cannot write", path)};
    }
    return {};
}

}  // namespace zaudit::gen
