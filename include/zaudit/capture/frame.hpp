#pragma once
/// \file A captured frame as the rest of the pipeline sees it.

#include <cstddef>
#include <cstdint>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::capture {

/// Link-layer header types we decode (values are libpcap's DLT_ numbers as pcap_datalink()
/// returns them, which for raw IP differ from the LINKTYPE_ numbers in the file header).
enum class LinkType : int {
    null_bsd = 0,      ///< DLT_NULL: 4-byte address family in the writer's byte order
    ethernet = 1,      ///< DLT_EN10MB, with 802.1Q / QinQ tags
    raw_ip = 12,       ///< DLT_RAW (LINKTYPE_RAW 101): IPv4 or IPv6 by version nibble
    raw_ip_14 = 14,    ///< DLT_RAW as some BSDs number it
    loop = 108,        ///< DLT_LOOP: like NULL, family in network byte order
    linux_sll = 113,   ///< Linux cooked capture v1 (tcpdump -i any)
    ipv4 = 228,        ///< DLT_IPV4
    ipv6 = 229,        ///< DLT_IPV6
    linux_sll2 = 276,  ///< Linux cooked capture v2
};

/// The link-type's name as users know it (tcpdump -L), or "DLT_<n>" when we do not decode it.
const char* link_type_name(int dlt);
bool is_supported_link_type(int dlt);

/// One captured frame. `data` is a view into the reader's buffer, valid until the next read.
struct Frame {
    /// 1-based, Wireshark's frame.number: of the file it came from, or, when several inputs are
    /// merged by time, of the merged capture (as mergecap would write it). Records a BPF filter
    /// skips still count, so numbers match the file under any filter.
    std::uint64_t number = 0;
    util::Timestamp time;
    util::Bytes data;  ///< captured bytes (may be shorter than original_length)
    std::uint32_t original_length = 0;
    int link_type = 0;              ///< DLT_ value
    std::size_t input_index = 0;    ///< which input it came from (0-based)
    std::uint64_t input_frame = 0;  ///< the same frame's number within its own input
};

}  // namespace zaudit::capture
