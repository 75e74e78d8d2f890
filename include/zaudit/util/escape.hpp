#pragma once
/// \file Text from a capture made safe to show. Whoever controls the network writes Call-IDs,
/// URIs, client ids and SDP lines: they are bytes, not text, until escaped here.

#include <string>
#include <string_view>

namespace zaudit::util {

/// Valid UTF-8 that shows exactly what was captured and nothing more: well-formed UTF-8 passes,
/// except control characters (C0, DEL, C1) and the backslash; those, and every byte that is not
/// part of well-formed UTF-8 (overlong forms, surrogates, stray continuation bytes), become
/// `\xNN` (a backslash becomes `\\`), as tshark and tcpdump show them. Lossless: the bytes can be
/// recovered from the result. Safe for a terminal and for JSON/SARIF.
std::string printable(std::string_view bytes);

/// True when `bytes` needs no escaping (the common case, checked without allocating).
bool is_printable(std::string_view bytes);

}  // namespace zaudit::util
