#include "zaudit/net/flow_key.hpp"

#include "zaudit/util/mix.hpp"

namespace zaudit::net {

std::uint64_t hash_value(const FlowKey& key) {
    const auto a = key.low.address.words();
    const auto b = key.high.address.words();
    std::uint64_t h = a[0] * 0x9e3779b97f4a7c15ULL;
    h = (h ^ a[1]) * 0x9e3779b97f4a7c15ULL;
    h = (h ^ b[0]) * 0x9e3779b97f4a7c15ULL;
    h = (h ^ b[1]) * 0x9e3779b97f4a7c15ULL;
    h ^= (std::uint64_t{key.low.port} << 24) | (std::uint64_t{key.high.port} << 8) |
         static_cast<std::uint64_t>(key.transport);
    return util::fmix64(h);  // good avalanche for a few multiplications
}

}  // namespace zaudit::net
