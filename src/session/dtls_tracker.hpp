#pragma once
// Collects DTLS records per flow into a handshake, then holds each certificate against its
// sender's SDP a=fingerprint. Private to the session area.

#include <array>

#include "zaudit/dtls/handshake.hpp"
#include "zaudit/net/packet.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::session {

class AnomalyLog;

/// One flow's handshake reassembly: one assembler per direction ([from a, from b]).
struct DtlsFlow {
    std::array<dtls::MessageAssembler, 2> assemblers;
};

/// Adds one datagram classified as DTLS (`from_a`: sent by the flow's first sender).
void add_dtls_packet(DtlsHandshake& handshake, DtlsFlow& flow, const net::Packet& packet, bool from_a,
                     AnomalyLog& anomalies);

/// Completion, and each certificate held against the a=fingerprint of its sender's SDP in
/// `call` (the call the handshake is bound to, or nullptr).
void finish_dtls_handshake(DtlsHandshake& handshake, const Call* call);

}  // namespace zaudit::session
