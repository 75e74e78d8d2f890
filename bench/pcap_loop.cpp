// Reads a capture with libpcap and touches each packet's first and last byte: the fastest a
// reader built on libpcap can go, against which bench/run compares zaudit.
#include <pcap/pcap.h>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_pcap_loop CAPTURE\n");
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t* handle = pcap_open_offline(argv[1], errbuf);
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
