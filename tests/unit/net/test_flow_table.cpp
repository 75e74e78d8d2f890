#include <catch2/catch.hpp>

#include <set>

#include "zaudit/net/flow_table.hpp"

using namespace zaudit;

namespace {
net::FlowKey key_for(std::uint32_t i) {
    return net::FlowKey{{util::IpAddress::v4(0x0a000000 + i), static_cast<std::uint16_t>(i)},
                        {util::IpAddress::v4(0x0b000000), 5060},
                        net::Transport::udp};
}
}  // namespace

TEST_CASE("both directions of a packet map to one key") {
    net::Packet forward;
    forward.src = {util::IpAddress::v4(1), 10};
    forward.dst = {util::IpAddress::v4(2), 20};
    net::Packet reverse = forward;
    std::swap(reverse.src, reverse.dst);
    bool is_forward = false;
    bool is_reverse_forward = true;
    CHECK(net::FlowKey::of(forward, is_forward) == net::FlowKey::of(reverse, is_reverse_forward));
    CHECK(is_forward != is_reverse_forward);
}

TEST_CASE("flow table finds, grows and evicts idle flows") {
    net::FlowTable<int> table{4};
    bool created = false;
    for (std::uint32_t i = 0; i < 1000; ++i) {
        table.find_or_insert(key_for(i), util::Timestamp{i}, created).state = static_cast<int>(i);
        CHECK(created);
    }
    CHECK(table.size() == 1000);
    CHECK(table.find_or_insert(key_for(500), util::Timestamp{2000}, created).state == 500);
    CHECK_FALSE(created);

    std::set<int> evicted;
    table.evict_idle(util::Timestamp{900}, [&](auto&& entry) { evicted.insert(entry.state); });
    CHECK(evicted.size() == 899);  // 0..899 idle, but 500 was touched at 2000
    CHECK(evicted.count(500) == 0);
    CHECK(table.size() == 101);
    // every survivor is still findable after backward-shift deletion
    for (std::uint32_t i = 900; i < 1000; ++i) {
        auto* entry = table.find(key_for(i));
        REQUIRE(entry != nullptr);
        CHECK(entry->state == static_cast<int>(i));
    }
    CHECK(table.find(key_for(500)) != nullptr);
    CHECK(table.find(key_for(3)) == nullptr);
}
