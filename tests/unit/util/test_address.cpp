#include <algorithm>
#include <compare>
#include <vector>

#include <catch2/catch.hpp>

#include "zaudit/util/address.hpp"

using zaudit::util::Endpoint;
using zaudit::util::IpAddress;

namespace {

IpAddress address(const char* text) {
    const auto parsed = IpAddress::parse(text);
    REQUIRE(parsed);
    return *parsed;
}

}  // namespace

// Reports list addresses in this order (maps keyed by address), so the word-wise comparison must
// order exactly as the bytes do, across both words and both families.
TEST_CASE("addresses order as their bytes do") {
    const std::vector<IpAddress> addresses{
        address("10.0.0.2"), address("10.0.0.10"), address("192.0.2.1"),        address("9.255.255.255"),
        address("::"),       address("::1"),       address("2001:db8::1"),      address("2001:db8::1:0"),
        address("fe80::1"),  address("ff02::1"),   address("2001:db8:0:0:1::"), address("2001:db8:0:0:0:0:0:2")};
    for (const auto& a : addresses) {
        for (const auto& b : addresses) {
            const std::strong_ordering by_bytes = std::lexicographical_compare_three_way(
                a.bytes().begin(), a.bytes().end(), b.bytes().begin(), b.bytes().end());
            INFO(a.to_string() << " against " << b.to_string());
            CHECK((a <=> b) == by_bytes);
            CHECK((a == b) == (a.bytes() == b.bytes()));
        }
    }
    CHECK(address("10.0.0.2") < address("10.0.0.10"));
    CHECK(address("255.255.255.255") < address("2001:db8::1"));  // IPv4-mapped sorts first
    CHECK(Endpoint{address("10.0.0.2"), 9000} < Endpoint{address("10.0.0.2"), 9001});
    CHECK(Endpoint{address("10.0.0.2"), 9001} < Endpoint{address("10.0.0.3"), 1});
}
