#pragma once
// The key exchanges of the JSON report, each handshake as its object in `zrtp[]` or `dtls[]`
// (docs/JSON.md); private to the report area.

#include <nlohmann/json.hpp>

#include "zaudit/session/dtls_handshake.hpp"
#include "zaudit/session/zrtp_handshake.hpp"

namespace zaudit::report {

nlohmann::ordered_json handshake_to_json(const session::ZrtpHandshake& h);
nlohmann::ordered_json dtls_to_json(const session::DtlsHandshake& h);

}  // namespace zaudit::report
