// Builds the fuzzers' seed corpora from the repository's captures, so that no corpus is
// committed: `fuzz_seed_extractor OUTDIR CAPTURE...` writes OUTDIR/<target>/<hash> files.
//   capture, pipeline  each capture slimmed to its signalling, ZRTP, RTCP and first RTP frames
//   net                each capture's first frames as fuzz_net records
//   sip, sdp           every SIP payload, every SDP body
//   rtp, zrtp, dtls    each flow's RTP/RTCP payloads, each capture's ZRTP and DTLS payloads, as records
//   iax2               each capture's datagrams to or from UDP 4569, as records
// It decodes with the project's own reader, decoder and classifier.

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/demux/classify.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/sip/multipart.hpp"
#include "zaudit/util/hex.hpp"

namespace {

using namespace zaudit;
using ByteVector = std::vector<std::uint8_t>;

constexpr std::size_t k_rtp_frames_kept = 24;  // per capture, in the slimmed captures
constexpr std::size_t k_net_frames = 48;       // per capture, in the net seeds
constexpr std::size_t k_rtp_records = 16;      // per flow, in the rtp seeds
constexpr std::size_t k_max_record = 0xffff;   // the records' u16 length

void append_record(ByteVector& out, util::Bytes record) {
    const std::size_t length = std::min(record.size(), k_max_record);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
    out.insert(out.end(), record.begin(), record.begin() + static_cast<std::ptrdiff_t>(length));
}

/// Writes a seed named after its content, so that the same bytes from two captures are one seed.
void write_seed(const std::filesystem::path& dir, util::Bytes bytes) {
    if (bytes.empty()) {
        return;
    }
    std::filesystem::create_directories(dir);
    const std::string name = util::to_hex(crypto::sha256(bytes)).substr(0, 16);
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT: bytes to a byte stream
              static_cast<std::streamsize>(bytes.size()));
}

std::uint8_t link_index(int dlt) {
    for (std::size_t i = 0; i < fuzz::k_link_types.size(); ++i) {
        if (static_cast<int>(fuzz::k_link_types[i]) == dlt) {
            return static_cast<std::uint8_t>(i);
        }
    }
    return 0;
}

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumperCloser {
    void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};

/// The frames kept for the slimmed capture, written as pcap with the capture's link type.
class SlimCapture {
public:
    void keep(const capture::Frame& frame) {
        m_link_type = frame.link_type;
        m_frames.push_back({frame.time, ByteVector(frame.data.begin(), frame.data.end()), frame.original_length});
    }
    void write(const std::filesystem::path& dir) const {
        if (m_frames.empty()) {
            return;
        }
        std::filesystem::create_directories(dir);
        const auto scratch = dir / "slim.tmp";
        {
            const std::unique_ptr<pcap_t, PcapCloser> dead{pcap_open_dead(m_link_type, 262144)};
            const std::unique_ptr<pcap_dumper_t, DumperCloser> dumper{pcap_dump_open(dead.get(), scratch.c_str())};
            if (!dumper) {
                return;
            }
            for (const auto& frame : m_frames) {
                pcap_pkthdr header{};
                header.ts.tv_sec = frame.time.micros / 1'000'000;
                header.ts.tv_usec = frame.time.micros % 1'000'000;
                header.caplen = static_cast<bpf_u_int32>(frame.bytes.size());
                header.len = frame.original_length;
                pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &header,
                          frame.bytes.data());  // NOLINT: libpcap's API
            }
        }
        std::ifstream in(scratch, std::ios::binary);
        const ByteVector bytes{std::istreambuf_iterator<char>(in), {}};
        std::filesystem::remove(scratch);
        write_seed(dir, bytes);
    }

private:
    struct Kept {
        util::Timestamp time;
        ByteVector bytes;
        std::uint32_t original_length = 0;
    };
    int m_link_type = 1;
    std::vector<Kept> m_frames;
};

void extract(const std::string& path, const std::filesystem::path& out) {
    auto reader = capture::Reader::open({capture::Source::file(path)}, capture::ReaderOptions{.hash = false});
    if (!reader) {
        std::fprintf(stderr, "fuzz_seed_extractor: %s\n", reader.error().message.c_str());
        return;
    }
    net::Decoder decoder;
    net::Packet packet;
    SlimCapture slim;
    ByteVector net_records;
    ByteVector zrtp_records;
    ByteVector iax2_records;
    ByteVector dtls_records;
    std::map<std::pair<util::Endpoint, util::Endpoint>, ByteVector> rtp_flows;
    std::map<std::pair<util::Endpoint, util::Endpoint>, std::size_t> rtp_counts;
    std::size_t rtp_frames = 0;
    std::size_t frames = 0;
    util::Timestamp previous;
    while (auto frame = reader->next()) {
        if (frames++ < k_net_frames) {
            ByteVector record{link_index(frame->link_type),
                              static_cast<std::uint8_t>(std::clamp<std::int64_t>(
                                  (frame->time.micros - previous.micros) / 1'000'000, 0, 255))};
            record.insert(record.end(), frame->data.begin(), frame->data.end());
            append_record(net_records, record);
            previous = frame->time;
        }
        if (decoder.decode(*frame, packet) != net::DecodeStatus::ok) {
            slim.keep(*frame);  // fragments and oddities are what the framing fuzzers want
            continue;
        }
        const demux::PayloadKind kind = demux::classify(packet.payload);
        const bool media = kind == demux::PayloadKind::rtp || kind == demux::PayloadKind::rtcp;
        if (kind != demux::PayloadKind::rtp || rtp_frames++ < k_rtp_frames_kept) {
            slim.keep(*frame);
        }
        if (kind == demux::PayloadKind::sip || packet.transport == net::Transport::tcp) {
            write_seed(out / "sip", packet.payload);
            if (auto message = sip::parse_message(packet.payload)) {
                if (auto body = sip::find_sdp_body(*message)) {
                    write_seed(out / "sdp", util::as_bytes(*body));
                }
            }
        } else if (kind == demux::PayloadKind::zrtp) {
            append_record(zrtp_records, packet.payload);
        } else if (packet.src.port == 4569 ||
                   packet.dst.port == 4569) {  // IAX2 (classify() alone does not know the port)
            append_record(iax2_records, packet.payload);
        } else if (kind == demux::PayloadKind::dtls) {
            append_record(dtls_records, packet.payload);
        } else if (media) {
            const auto flow = std::pair{packet.src, packet.dst};
            if (rtp_counts[flow]++ < k_rtp_records) {
                append_record(rtp_flows[flow], packet.payload);
            }
        }
    }
    slim.write(out / "capture");
    slim.write(out / "pipeline");
    write_seed(out / "net", net_records);
    write_seed(out / "zrtp", zrtp_records);
    write_seed(out / "iax2", iax2_records);
    write_seed(out / "dtls", dtls_records);
    for (const auto& [flow, records] : rtp_flows) {
        write_seed(out / "rtp", records);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: fuzz_seed_extractor OUTDIR CAPTURE...\n");
        return 2;
    }
    const std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 1; i < args.size(); ++i) {
        extract(args[i], args[0]);
    }
    return 0;
}
