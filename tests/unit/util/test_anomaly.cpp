#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "zaudit/util/anomaly.hpp"

using zaudit::util::anomaly_code_from_string;
using zaudit::util::AnomalyCode;

TEST_CASE("anomaly codes: one distinct name per code, area-prefixed snake_case, and back") {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < static_cast<std::size_t>(AnomalyCode::count_); ++i) {
        const auto code = static_cast<AnomalyCode>(i);
        const std::string_view name = to_string(code);
        INFO(i << " " << name);
        CHECK(names.insert(name).second);
        CHECK(anomaly_code_from_string(name) == code);
        const auto dot = name.find('.');
        REQUIRE(dot != std::string_view::npos);
        const std::string area{name.substr(0, dot)};
        CHECK(std::set<std::string>{"dtls", "flow", "iax2", "rtcp", "rtp", "sdp", "sip", "zrtp"}.count(area) == 1);
        CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_", dot + 1) == std::string_view::npos);
    }
    CHECK(names.size() == static_cast<std::size_t>(AnomalyCode::count_));
}

TEST_CASE("anomaly codes: the names reports show") {
    CHECK(to_string(AnomalyCode::sip_bad_start_line) == "sip.bad_start_line");
    CHECK(to_string(AnomalyCode::sdp_bad_crypto_key) == "sdp.bad_crypto_key");
    CHECK(to_string(AnomalyCode::zrtp_bad_length) == "zrtp.bad_length");
    CHECK(to_string(AnomalyCode::zrtp_crc_mismatch) == "zrtp.crc_mismatch");
    CHECK(to_string(AnomalyCode::rtp_bad_version) == "rtp.bad_version");
    CHECK_FALSE(anomaly_code_from_string("crc_mismatch").has_value());  // the area prefix is part of the name
    CHECK(to_string(AnomalyCode::count_).empty());
}
