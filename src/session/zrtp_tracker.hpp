#pragma once
// Collects ZRTP packets per flow into handshakes, then resolves roles and recomputes the
// checks a passive observer can make. Private to the session area.

#include "zaudit/net/packet.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/zrtp/fragment.hpp"

namespace zaudit::session {

class AnomalyLog;

/// Adds one ZRTP packet (a UDP payload classified as ZRTP) to a handshake, and what was
/// malformed in it to `anomalies`. Returns false, and adds nothing, when the packet starts a
/// new handshake on the same flow: a different Hello from an endpoint after this handshake
/// completed (a new call reusing the ports, or a re-key after GoClear).
bool add_zrtp_packet(ZrtpHandshake& handshake, zrtp::FragmentAssembler& fragments, const net::Packet& packet,
                     AnomalyLog& anomalies);

/// Roles, completion and every recomputable check (hash chain, MACs, hvi, negotiation, public
/// values, SDP a=zrtp-hash of `call`, the call the handshake is bound to or nullptr).
void finish_handshake(ZrtpHandshake& handshake, const Call* call);

}  // namespace zaudit::session
