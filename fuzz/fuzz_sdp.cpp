// SDP: the session parser (which parses every a=crypto with the SDES parser) and the
// connection-line parser on the whole input.

#include <cstddef>
#include <cstdint>

#include "zaudit/sdp/crypto_attribute.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/util/byte_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    const std::string_view text = util::as_text(util::Bytes{data, size});
    const sdp::SdpSession session = sdp::parse(text);
    for (const auto& media : session.media) {
        for (const auto& format : media.formats) {
            (void)format;
        }
        (void)media.rtpmap(0);
    }
    (void)sdp::parse_connection(text);
    (void)sdp::parse_crypto(text);
    return 0;
}
