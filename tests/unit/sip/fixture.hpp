#pragma once
// Reads a committed fixture: a SIP message extracted byte for byte from a public
// sample capture (Wireshark's SampleCaptures collection, see tests/data/README.md) with `tshark -T fields -e udp.payload | xxd -r -p`.

#include <fstream>
#include <sstream>
#include <string>

namespace zaudit::sip::test {

inline std::string fixture(const std::string& name) {
    std::ifstream in(std::string{ZAUDIT_SOURCE_DIR} + "/tests/unit/sip/fixtures/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace zaudit::sip::test
