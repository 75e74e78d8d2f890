// SIP: the message parser on the whole input as one datagram, then the same bytes through the
// TCP stream framer in two pieces (cut where the first byte says), each framed message parsed
// again, with the helpers the call tracker applies to a parsed message.

#include <cstddef>
#include <cstdint>

#include "zaudit/sip/credentials.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/sip/multipart.hpp"
#include "zaudit/sip/stream_framer.hpp"

namespace {

using namespace zaudit;

void inspect(const sip::SipMessage& message) {
    (void)message.media_type();
    (void)message.transaction_method_kind();
    (void)sip::find_sdp_body(message);
    (void)sip::credentials_of(message);
    for (const auto& contact : message.contacts) {
        (void)sip::uri_ip_address(contact.uri);
    }
    (void)sip::uri_ip_address(message.request_uri);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const util::Bytes input{data, size};
    (void)sip::looks_like_sip(input);
    (void)sip::is_keepalive(input);
    (void)sip::looks_like_tls_record(input);
    if (auto parsed = sip::parse_message(input)) {
        inspect(*parsed);
    }

    // Small framer limits so that oversized headers and bodies are reached by short inputs.
    sip::StreamFramer framer{sip::FramerLimits{.max_header_bytes = 4096, .max_body_bytes = 8192}};
    const std::size_t cut = size == 0 ? 0 : data[0] % size;
    for (const util::Bytes piece : {input.first(cut), input.subspan(cut)}) {
        for (const auto& framed : framer.feed(piece).messages) {
            if (auto parsed = sip::parse_message(framed.text)) {
                inspect(*parsed);
            }
        }
    }
    return 0;
}
