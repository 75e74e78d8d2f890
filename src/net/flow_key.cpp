#include "zaudit/net/flow_key.hpp"

#include <cstring>

#include "zaudit/util/mix.hpp"

namespace zaudit::net {
namespace {

std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
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
    return util::fmix64(h);  // good avalanche for a few multiplications
}

}  // namespace zaudit::net
