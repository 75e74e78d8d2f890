#include "zaudit/net/flow_key.hpp"

#include <cstring>

namespace zaudit::net {
namespace {

std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// The finaliser of MurmurHash3 / splitmix64: good avalanche for a few multiplications.
std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

}  // namespace

std::uint64_t hash_value(const FlowKey& key) {
    const auto& a = key.low.address.bytes();
    const auto& b = key.high.address.bytes();
    std::uint64_t h = load64(a.data()) * 0x9e3779b97f4a7c15ULL;
    h = (h ^ load64(a.data() + 8)) * 0x9e3779b97f4a7c15ULL;
    h = (h ^ load64(b.data())) * 0x9e3779b97f4a7c15ULL;
    h = (h ^ load64(b.data() + 8)) * 0x9e3779b97f4a7c15ULL;
    h ^= (std::uint64_t{key.low.port} << 24) | (std::uint64_t{key.high.port} << 8) |
         static_cast<std::uint64_t>(key.transport);
    return mix(h);
}

}  // namespace zaudit::net
