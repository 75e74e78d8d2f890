// ZRTP (RFC 6189): each record as a UDP payload through the packet parser; fragments (bzrtp's
// 0x11 packets) through the assembler, whole messages and assembled ones through the hash-chain,
// MAC and negotiation checks that a passive tap runs over a handshake.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "fuzz_support.hpp"
#include "zaudit/zrtp/fragment.hpp"
#include "zaudit/zrtp/message.hpp"
#include "zaudit/zrtp/verify.hpp"

namespace {

using namespace zaudit;

/// The first message of each handshake role, as the tracker would pair them.
struct Seen {
    std::vector<zrtp::Message> messages;
    zrtp::HandshakeMessages handshake;

    void keep(zrtp::Message message) {
        if (messages.size() < 16) {
            messages.push_back(std::move(message));
        }
    }
    void pair_up() {
        for (const auto& message : messages) {
            const zrtp::Message** slot = nullptr;
            switch (message.type) {
                case zrtp::MessageType::hello:
                    slot =
                        handshake.initiator_hello == nullptr ? &handshake.initiator_hello : &handshake.responder_hello;
                    break;
                case zrtp::MessageType::commit: slot = &handshake.commit; break;
                case zrtp::MessageType::dhpart1: slot = &handshake.dhpart1; break;
                case zrtp::MessageType::dhpart2: slot = &handshake.dhpart2; break;
                default: break;
            }
            if (slot != nullptr && *slot == nullptr) {
                *slot = &message;
            }
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    zrtp::FragmentAssembler assembler{zrtp::AssemblerLimits{.max_message_bytes = 4096, .max_pending = 4}};
    Seen seen;
    fuzz::Records records{util::Bytes{data, size}};
    util::Bytes payload;
    while (records.next(payload)) {
        (void)zrtp::looks_like_zrtp(payload);
        zrtp::Packet packet = zrtp::parse_packet(payload);
        if (packet.fragment) {
            auto assembled = assembler.add(packet.header.ssrc, *packet.fragment);
            if (assembled.message) {
                seen.keep(std::move(*assembled.message));
            }
        } else if (packet.message) {
            (void)zrtp::mac_input(*packet.message);
            seen.keep(std::move(*packet.message));
        }
    }
    seen.pair_up();
    for (const auto& message : seen.messages) {
        (void)zrtp::check_dhpart_mac(message);
        (void)zrtp::hello_hash_hex(message);
        (void)zrtp::check_zrtp_hash(message, "1.10 0000000000000000000000000000000000000000000000000000000000000000");
    }
    (void)zrtp::verify_handshake(seen.handshake);
    return 0;
}
