#pragma once
// Collects DTLS records per flow into a handshake, then holds each certificate against its
// sender's SDP a=fingerprint. Private to the session area.

#include <array>
#include <optional>

#include "zaudit/dtls/handshake.hpp"
#include "zaudit/net/packet.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::session {

class AnomalyLog;

/// One flow's handshake reassembly: one assembler per direction ([from a, from b]).
struct DtlsFlow {
    std::array<dtls::MessageAssembler, 2> assemblers;
    /// The random of the ClientHello that began the handshake (RFC 5246 section 7.4.1.2). Every
    /// association draws a fresh one; the ClientHello resent with a cookie after
    /// HelloVerifyRequest keeps it (RFC 6347 section 4.2.1), as a retransmission or a duplicate does.
    std::optional<std::array<std::uint8_t, 32>> client_random;
};

/// Whether `scan` (a datagram's records) holds a ClientHello whose random differs from the one
/// that began the flow's handshake: a new DTLS association on the same addresses (RFC 8842
/// section 5: after an SDP exchange that changed a=fingerprint or a=setup, say). Its messages
/// number from 0 again, so the handshake before it cannot take them.
bool starts_new_dtls_handshake(const DtlsFlow& flow, const dtls::RecordScan& scan);

/// Adds one datagram classified as DTLS, whose records are `scan` (`from_a`: sent by the flow's
/// first sender).
void add_dtls_packet(DtlsHandshake& handshake, DtlsFlow& flow, const net::Packet& packet, const dtls::RecordScan& scan,
                     bool from_a, AnomalyLog& anomalies);

/// Completion, and each certificate held against the a=fingerprint of its sender's SDP in
/// `call` (the call the handshake is bound to, or nullptr).
void finish_dtls_handshake(DtlsHandshake& handshake, const Call* call);

}  // namespace zaudit::session
