// A finding's evidence and examples packed as CBOR once the rules are done with them: every value
// comes back as it was, the report's bytes do not change, and what the rules return is packed.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "model_builder.hpp"
#include "zaudit/analysis/fingerprint.hpp"
#include "zaudit/analysis/registry.hpp"

using namespace zaudit;
using nlohmann::ordered_json;

namespace {

analysis::Finding finding_with_every_kind_of_value() {
    analysis::Finding f;
    f.rule = "sdes.key-exposed";
    f.frames = {4, 9};
    // Members in an order that is not sorted, as rules write them; a string from the capture that
    // is not UTF-8 (reports make it printable when they write it, not before).
    f.evidence["zeta"] = "first member";
    f.evidence["alpha"] = std::string{"sip:\xff\xfe@bad\x01"};
    f.evidence["negative"] = -42;
    f.evidence["largest"] = std::numeric_limits<std::uint64_t>::max();
    f.evidence["seconds"] = 0.086482;
    f.evidence["share"] = 0.25;  // exact in a float: CBOR writes it in four bytes
    f.evidence["offer"] = true;
    f.evidence["suite"] = "AES_CM_128_HMAC_SHA1_80";  // facts a fingerprint keeps
    f.evidence["reuse"] = ordered_json::array({1, 2});
    f.evidence["sent_by"] = "192.0.2.10:5060";  // a party, without a call
    f.evidence["missing"] = nullptr;
    f.evidence["nested"] = {{"stream", 1}, {"ssrc", "0xb49f0ff1"}, {"checked", 15}};
    f.evidence["frames"] = ordered_json::array({4, 9});
    f.count = 12;
    f.examples = ordered_json::array({{{"call_id", "flood-1"}}, {{"call_id", "flood-2"}}});
    return f;
}

}  // namespace

TEST_CASE("packed evidence and examples come back value for value, in their order") {
    analysis::Finding f = finding_with_every_kind_of_value();
    const ordered_json evidence = f.evidence;
    const ordered_json examples = f.examples;
    std::vector<analysis::Finding> findings{f};
    analysis::pack_details(findings);
    const analysis::Finding& packed = findings[0];
    REQUIRE_FALSE(packed.packed_details.empty());
    CHECK(packed.evidence.is_null());  // nothing stale left for a reader that skips evidence_of()
    CHECK(packed.examples.is_null());
    CHECK(analysis::evidence_of(packed) == evidence);
    CHECK(analysis::examples_of(packed) == examples);
    // The report's text: the same bytes, members in the rules' order, strings byte for byte.
    const auto dump = [](const ordered_json& value) {
        return value.dump(2, ' ', false, ordered_json::error_handler_t::replace);
    };
    CHECK(dump(analysis::evidence_of(packed)) == dump(evidence));
    CHECK(dump(analysis::examples_of(packed)) == dump(examples));
    CHECK(analysis::evidence_of(packed)["alpha"].get<std::string>() == "sip:\xff\xfe@bad\x01");
    // Packing twice leaves them as they are.
    analysis::pack_details(findings);
    CHECK(analysis::evidence_of(findings[0]) == evidence);
}

TEST_CASE("a finding's fingerprint is the same packed or not") {
    const session::Model model;
    analysis::Finding f = finding_with_every_kind_of_value();
    const std::string before = analysis::fingerprint(f, model);
    std::vector<analysis::Finding> findings{f};
    analysis::pack_details(findings);
    CHECK(analysis::fingerprint(findings[0], model) == before);
    // ... and it is read from the evidence: without its facts it is another fingerprint.
    findings.push_back(f);
    findings.back().evidence = ordered_json::object();
    analysis::pack_details(findings);
    CHECK(analysis::fingerprint(findings.back(), model) != before);
}

TEST_CASE("the rules hand their findings back packed, fingerprinted from the evidence") {
    // A call signalled over UDP with an SDES key in its offer: SIP in clear, the key exposed.
    session::Call call = test::call(1);
    test::add(call,
              test::sdp_snapshot(1, test::ep("192.0.2.10", 5060), test::ep("198.51.100.20", 5060), "INVITE", 1, true,
                                 {test::audio(test::ep("192.0.2.10", 4000), "RTP/SAVP",
                                              {test::sdes(1, "AES_CM_128_HMAC_SHA1_80", 7)})}));
    const session::Model model = test::model_of({call});
    const auto findings = analysis::run_rules(model, {});
    REQUIRE(findings.size() >= 2);
    for (const auto& f : findings) {
        CAPTURE(f.rule);
        CHECK_FALSE(f.packed_details.empty());
        CHECK(f.evidence.is_null());
        CHECK(analysis::evidence_of(f).is_object());
        CHECK(analysis::examples_of(f).is_array());
        CHECK(f.fingerprint == analysis::fingerprint(f, model));
    }
}
