// IAX2: each record through the frame parser and, for a plain IAX frame, its information
// elements, as the tracker reads a datagram on UDP 4569.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "zaudit/iax2/frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    fuzz::Records records{util::Bytes{data, size}};
    util::Bytes packet;
    std::vector<util::Anomaly> anomalies;
    while (records.next(packet)) {
        anomalies.clear();
        (void)iax2::looks_like_iax2(packet);
        const auto frame = iax2::parse(packet, anomalies);
        if (!frame) {
            continue;
        }
        (void)iax2::parse_ies(frame->data, anomalies);
        (void)iax2::codec_name(frame->subclass);
        (void)iax2::iax_subclass_name(frame->subclass);
    }
    return 0;
}
