// Cross-check of the ZRTP generator against an independent implementation: libbzrtp (Debian's
// libbzrtp-dev 5.1) receives the generator's Hello packets and must accept them, including its
// a=zrtp-hash check, and must refuse the tampered and CRC-corrupted variants.
//
// Not part of the CMake build (bzrtp is not a project dependency; the .cc suffix keeps it out of
// the tests/unit/gen/*.cpp glob). Build and run, after building zaudit_gen in build-zgen:
//   g++ -std=c++20 -Iinclude tests/unit/gen/zrtp_bzrtp_interop.cc build-zgen/libzaudit_gen.a \
//       build-zgen/libzaudit_crypto.a build-zgen/libzaudit_util.a -lbzrtp -lbctoolbox -lcrypto -lfmt \
//       -o /tmp/zrtp_bzrtp_interop && /tmp/zrtp_bzrtp_interop
// (add -fsanitize=address,undefined when the libraries were built with ZAUDIT_SANITIZE=ON).
// Exit status 0 and "N passed, 0 failed" when bzrtp agrees.

#include <bzrtp/bzrtp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "zaudit/gen/zrtp_handshake.hpp"

namespace {

using namespace zaudit::gen;

int g_passed = 0;
int g_failed = 0;

void expect(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    (ok ? g_passed : g_failed)++;
}

int count_sent(void* client, const uint8_t* packet, uint16_t length) {
    auto* sent = static_cast<std::vector<std::string>*>(client);
    sent->emplace_back(reinterpret_cast<const char*>(packet) + 16, 8);  // message type
    (void)length;
    return 0;
}

/// A fresh bzrtp responder context that expects the given a=zrtp-hash; feeds it one packet.
int feed(const ZrtpBytes& packet, const std::string& zrtp_hash_hex, std::vector<std::string>& sent) {
    constexpr uint32_t self_ssrc = 0x22222222;
    bzrtpContext_t* ctx = bzrtp_createBzrtpContext();
    bzrtpCallbacks_t callbacks{};
    callbacks.bzrtp_sendData = count_sent;
    bzrtp_setCallbacks(ctx, &callbacks);
    bzrtp_initBzrtpContext(ctx, self_ssrc);
    bzrtp_setClientData(ctx, self_ssrc, &sent);
    std::string hash = zrtp_hash_hex;
    bzrtp_setPeerHelloHash(ctx, self_ssrc, reinterpret_cast<uint8_t*>(hash.data()), hash.size());
    bzrtp_startChannelEngine(ctx, self_ssrc);
    ZrtpBytes copy = packet;
    const int rc = bzrtp_processMessage(ctx, self_ssrc, copy.data(), static_cast<uint16_t>(copy.size()));
    bzrtp_destroyBzrtpContext(ctx, self_ssrc);
    return rc;
}

ZrtpEndpointConfig endpoint(uint8_t zid_byte, uint32_t ssrc, uint64_t seed, std::vector<std::string> kas) {
    ZrtpEndpointConfig c;
    c.zid.fill(zid_byte);
    c.ssrc = ssrc;
    c.seed = seed;
    c.key_agreements = std::move(kas);
    return c;
}

}  // namespace

int main() {
    for (const char* ka : {"DH3k", "X255", "DH2k"}) {
        ZrtpHandshakeOptions options;
        const auto i = endpoint(0xa1, 0x11111111, 1, {ka});
        const auto r = endpoint(0xb2, 0x22222222, 2, {ka});
        const auto h = ZrtpHandshakeGenerator{i, r, options}.run();
        if (!h) {
            std::printf("generator failed: %s\n", h.error().message.c_str());
            return 2;
        }
        const std::string hash_hex = h->zrtp_hash_attribute(ZrtpSide::initiator).substr(5);
        std::vector<std::string> sent;
        const int rc = feed(h->main.packets.front().udp_payload, hash_hex, sent);
        expect(rc == 0, (std::string{"bzrtp accepts the generated Hello ("} + ka + ") and its a=zrtp-hash").c_str());
        bool acked = false;
        for (const auto& type : sent) {
            acked = acked || type == "HelloACK";
        }
        expect(acked, "bzrtp answers it with HelloACK");

        ZrtpHandshakeOptions tamper;
        tamper.tamper_hello = true;
        const auto t = ZrtpHandshakeGenerator{i, r, tamper}.run();
        std::vector<std::string> ignored;
        expect(feed(t->main.packets.front().udp_payload, hash_hex, ignored) == BZRTP_ERROR_HELLOHASH_MISMATCH,
               "bzrtp refuses the tampered Hello against the genuine a=zrtp-hash");
        ZrtpBytes bad_crc = h->main.packets.front().udp_payload;
        bad_crc.back() ^= 0xFF;
        expect(feed(bad_crc, hash_hex, ignored) != 0, "bzrtp refuses a corrupted CRC");  // its code is internal
    }
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
