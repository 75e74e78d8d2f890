// DTLS (RFC 6347): each record a UDP payload, alternately from either side, through the record
// scanner, the handshake fragment parser and one reassembler per side; every completed
// message through the Hello and Certificate parsers, as the session's DTLS tracker does.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "zaudit/dtls/handshake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    std::array<dtls::MessageAssembler, 2> assemblers;
    fuzz::Records records{util::Bytes{data, size}};
    util::Bytes datagram;
    std::size_t side = 0;
    while (records.next(datagram)) {
        side ^= 1U;
        const dtls::RecordScan scan = dtls::parse_records(datagram);
        std::vector<util::Anomaly> anomalies;
        for (const dtls::Record& record : scan.records) {
            if (record.epoch > 0 || record.content_type != static_cast<std::uint8_t>(dtls::ContentType::handshake)) {
                continue;
            }
            for (const dtls::HandshakeFragment& fragment :
                 dtls::parse_handshake_fragments(record.fragment, anomalies)) {
                const dtls::AssemblyStep step = assemblers[side].add(fragment);
                if (!step.completed) {
                    continue;
                }
                const util::Bytes body{step.completed->body.data(), step.completed->body.size()};
                (void)dtls::parse_client_hello(body, anomalies);
                if (const auto hello = dtls::parse_server_hello(body, anomalies)) {
                    for (const std::uint16_t profile : hello->srtp_profiles) {
                        (void)dtls::profile_name(profile);
                        (void)dtls::profile_is_null(profile);
                    }
                }
                (void)dtls::parse_certificate(body, anomalies);
            }
        }
    }
    return 0;
}
