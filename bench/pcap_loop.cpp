// Reads a capture with libpcap and touches each packet's first and last byte: the fastest a
// reader built on libpcap can go, against which bench/run compares zaudit.
//
// usage: bench_pcap_loop CAPTURE [BUFFER_KIB]
// With BUFFER_KIB, the file is opened with a stdio buffer of that size (as zaudit opens its
// inputs, 256 KiB) rather than glibc's default of one file system block (4 KiB): libpcap reads
// each record with two fread calls, so the default costs a read(2) every 4 KiB.
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: bench_pcap_loop CAPTURE [BUFFER_KIB]\n");
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    std::unique_ptr<char[]> buffer;  // outlives the FILE, which pcap_close closes
    pcap_t* handle = nullptr;
    if (argc == 2) {
        handle = pcap_open_offline(argv[1], errbuf);
    } else {
        const std::size_t size = std::strtoul(argv[2], nullptr, 10) * 1024;
        std::FILE* file = std::fopen(argv[1], "rb");
        if (file == nullptr || size == 0) {
            std::fprintf(stderr, "cannot open %s (or a zero buffer)\n", argv[1]);
            return 2;
        }
        buffer = std::make_unique<char[]>(size);
        std::setvbuf(file, buffer.get(), _IOFBF, size);
        handle = pcap_fopen_offline(file, errbuf);
        if (handle == nullptr) {
            std::fclose(file);
        }
    }
    if (handle == nullptr) {
        std::fprintf(stderr, "%s\n", errbuf);
        return 2;
    }
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    unsigned long packets = 0;
    unsigned long checksum = 0;
    while (pcap_next_ex(handle, &header, &data) == 1) {
        ++packets;
        if (header->caplen > 0) {
            checksum += data[0] + data[header->caplen - 1];
        }
    }
    pcap_close(handle);
    std::printf("%lu packets (checksum %lu)\n", packets, checksum);
    return 0;
}
