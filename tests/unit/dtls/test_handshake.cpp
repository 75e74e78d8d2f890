// DTLS records, handshake fragments, reassembly, Hellos and Certificate over hand-built bytes.
#include "zaudit/dtls/handshake.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

namespace {

using namespace zaudit;
using Buffer = std::vector<std::uint8_t>;

void put16(Buffer& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put24(Buffer& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 16));
    put16(b, v & 0xffff);
}

/// A record: type, version 0xfefd, epoch, sequence, length, fragment.
Buffer record(std::uint8_t type, std::uint16_t epoch, std::uint64_t seq, const Buffer& fragment,
              std::uint16_t version = 0xfefd) {
    Buffer b{type};
    put16(b, version);
    put16(b, epoch);
    put16(b, static_cast<std::uint32_t>(seq >> 32));
    put16(b, static_cast<std::uint32_t>((seq >> 16) & 0xffff));
    put16(b, static_cast<std::uint32_t>(seq & 0xffff));
    put16(b, static_cast<std::uint32_t>(fragment.size()));
    b.insert(b.end(), fragment.begin(), fragment.end());
    return b;
}

/// A handshake fragment of `message` (the whole body) from `offset`, `length` bytes.
Buffer fragment(std::uint8_t type, std::uint16_t seq, const Buffer& message, std::size_t offset, std::size_t length) {
    Buffer b{type};
    put24(b, static_cast<std::uint32_t>(message.size()));
    put16(b, seq);
    put24(b, static_cast<std::uint32_t>(offset));
    put24(b, static_cast<std::uint32_t>(length));
    b.insert(b.end(), message.begin() + static_cast<std::ptrdiff_t>(offset),
             message.begin() + static_cast<std::ptrdiff_t>(offset + length));
    return b;
}

Buffer concat(const Buffer& a, const Buffer& b) {
    Buffer out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

/// A Certificate message body with these DER blobs.
Buffer certificate_body(const std::vector<Buffer>& certificates) {
    Buffer list;
    for (const Buffer& der : certificates) {
        put24(list, static_cast<std::uint32_t>(der.size()));
        list.insert(list.end(), der.begin(), der.end());
    }
    Buffer body;
    put24(body, static_cast<std::uint32_t>(list.size()));
    return concat(body, list);
}

Buffer use_srtp_extension(const std::vector<std::uint16_t>& profiles) {
    Buffer data;
    put16(data, static_cast<std::uint32_t>(profiles.size() * 2));
    for (const std::uint16_t p : profiles) {
        put16(data, p);
    }
    data.push_back(0);  // no MKI
    Buffer ext;
    put16(ext, 14);
    put16(ext, static_cast<std::uint32_t>(data.size()));
    return concat(ext, data);
}

Buffer client_hello(const std::vector<std::uint16_t>& profiles) {
    Buffer b;
    put16(b, 0xfefd);
    b.insert(b.end(), 32, 0xaa);  // random
    b.push_back(0);               // session_id
    b.push_back(0);               // cookie
    put16(b, 4);
    put16(b, 0xc02b);
    put16(b, 0xc02f);
    b.push_back(1);
    b.push_back(0);  // null compression
    const Buffer ext = use_srtp_extension(profiles);
    put16(b, static_cast<std::uint32_t>(ext.size()));
    return concat(b, ext);
}

Buffer server_hello(std::uint16_t profile, std::optional<std::uint16_t> selected_version = std::nullopt) {
    Buffer b;
    put16(b, 0xfefd);
    b.insert(b.end(), 32, 0xbb);
    b.push_back(0);
    put16(b, 0xc02b);
    b.push_back(0);
    Buffer ext = use_srtp_extension({profile});
    if (selected_version) {
        put16(ext, 43);
        put16(ext, 2);
        put16(ext, *selected_version);
    }
    put16(b, static_cast<std::uint32_t>(ext.size()));
    return concat(b, ext);
}

util::Bytes view(const Buffer& b) {
    return {b.data(), b.size()};
}

}  // namespace

TEST_CASE("dtls records: two records in one datagram, header fields read") {
    const Buffer hs = fragment(1, 0, client_hello({1}), 0, client_hello({1}).size());
    const Buffer datagram = concat(record(22, 0, 5, hs), record(20, 0, 6, Buffer{1}));
    const dtls::RecordScan scan = dtls::parse_records(view(datagram));
    REQUIRE(scan.anomalies.empty());
    REQUIRE(scan.records.size() == 2);
    CHECK(scan.records[0].content_type == 22);
    CHECK(scan.records[0].version == 0xfefd);
    CHECK(scan.records[0].sequence == 5);
    CHECK(scan.records[0].fragment.size() == hs.size());
    CHECK(scan.records[1].content_type == 20);
    CHECK(scan.records[1].offset == 13 + hs.size());
    CHECK_FALSE(scan.unified_header);
}

TEST_CASE("dtls records: a record length past the datagram is an anomaly and ends the scan") {
    Buffer datagram = record(22, 0, 1, Buffer(20, 0));
    datagram.resize(datagram.size() - 5);
    const dtls::RecordScan scan = dtls::parse_records(view(datagram));
    CHECK(scan.records.empty());
    REQUIRE(scan.anomalies.size() == 1);
    CHECK(scan.anomalies[0].code == util::AnomalyCode::dtls_record_truncated);
}

TEST_CASE("dtls records: a header cut short, a non-DTLS version, a DTLS 1.3 unified header") {
    const Buffer short_header{22, 0xfe, 0xfd, 0, 0};
    CHECK(dtls::parse_records(view(short_header)).anomalies.at(0).code == util::AnomalyCode::dtls_record_truncated);
    const Buffer tls = record(22, 0, 0, Buffer{1, 2}, 0x0303);
    CHECK(dtls::parse_records(view(tls)).anomalies.at(0).code == util::AnomalyCode::dtls_bad_version);
    const Buffer unified = concat(record(22, 0, 0, Buffer{}), Buffer{0x2c, 0x01, 0x02, 0x00, 0x04, 9, 9, 9, 9});
    const dtls::RecordScan scan = dtls::parse_records(view(unified));
    CHECK(scan.unified_header);
    CHECK(scan.records.size() == 1);
    CHECK(scan.anomalies.empty());
}

TEST_CASE("dtls handshake: a Certificate fragmented over three records reassembles") {
    Buffer der(700);
    for (std::size_t i = 0; i < der.size(); ++i) {
        der[i] = static_cast<std::uint8_t>(i * 7);
    }
    const Buffer body = certificate_body({der, Buffer{1, 2, 3}});
    dtls::MessageAssembler assembler;
    std::vector<util::Anomaly> anomalies;
    std::optional<dtls::HandshakeMessage> done;
    // Out of order: the tail first, then the head, then the middle.
    for (const auto& [offset, length] :
         std::vector<std::pair<std::size_t, std::size_t>>{{500, body.size() - 500}, {0, 250}, {250, 250}}) {
        CHECK_FALSE(done);
        const Buffer rec = record(22, 0, offset, fragment(11, 3, body, offset, length));
        const dtls::RecordScan scan = dtls::parse_records(view(rec));
        REQUIRE(scan.records.size() == 1);
        for (const auto& f : dtls::parse_handshake_fragments(scan.records[0].fragment, anomalies)) {
            auto step = assembler.add(f);
            if (step.completed) {
                done = std::move(step.completed);
            }
        }
    }
    REQUIRE(done);
    CHECK(anomalies.empty());
    CHECK(done->msg_type == 11);
    CHECK(done->message_seq == 3);
    CHECK(done->body == body);
    const auto certificates = dtls::parse_certificate(view(done->body), anomalies);
    REQUIRE(certificates);
    REQUIRE(certificates->size() == 2);
    CHECK(Buffer((*certificates)[0].begin(), (*certificates)[0].end()) == der);
}

TEST_CASE("dtls handshake: a retransmitted flight is recognised, not rebuilt twice") {
    const Buffer body = certificate_body({Buffer(40, 0x30)});
    dtls::MessageAssembler assembler;
    std::vector<util::Anomaly> anomalies;
    const Buffer bytes = fragment(11, 2, body, 0, body.size());
    const auto fragments = dtls::parse_handshake_fragments(view(bytes), anomalies);
    REQUIRE(fragments.size() == 1);
    const auto first = assembler.add(fragments[0]);
    CHECK(first.completed);
    CHECK_FALSE(first.retransmission);
    const auto again = assembler.add(fragments[0]);
    CHECK_FALSE(again.completed);
    CHECK(again.retransmission);
}

TEST_CASE("dtls handshake: overlapping fragments that disagree are flagged, the first bytes kept") {
    const Buffer body(100, 0x11);
    Buffer other = body;
    other[60] = 0x22;
    dtls::MessageAssembler assembler;
    std::vector<util::Anomaly> anomalies;
    const Buffer first = fragment(11, 0, body, 0, 70);
    const Buffer second = fragment(11, 0, other, 50, 50);
    auto a = dtls::parse_handshake_fragments(view(first), anomalies);
    auto b = dtls::parse_handshake_fragments(view(second), anomalies);
    CHECK_FALSE(assembler.add(a.at(0)).completed);
    const auto step = assembler.add(b.at(0));
    REQUIRE(step.completed);
    CHECK(step.completed->body == body);
    REQUIRE(step.anomalies.size() == 1);
    CHECK(step.anomalies[0].code == util::AnomalyCode::dtls_fragment_conflict);
}

TEST_CASE("dtls handshake: hostile lengths are refused without reading past the record") {
    std::vector<util::Anomaly> anomalies;
    // fragment_length beyond the record.
    Buffer f = fragment(11, 0, Buffer(10, 0), 0, 10);
    f.resize(f.size() - 3);
    CHECK(dtls::parse_handshake_fragments(view(f), anomalies).empty());
    CHECK(anomalies.back().code == util::AnomalyCode::dtls_fragment_truncated);
    // A fragment past the message's announced length.
    Buffer g{11, 0, 0, 4, 0, 0, 0, 0, 2, 0, 0, 4, 1, 2, 3, 4};
    CHECK(dtls::parse_handshake_fragments(view(g), anomalies).empty());
    CHECK(anomalies.back().code == util::AnomalyCode::dtls_fragment_out_of_range);
    // A message of 16 MiB: refused before any allocation.
    dtls::MessageAssembler assembler;
    dtls::HandshakeFragment huge;
    huge.msg_type = 11;
    huge.length = 0xffffff;
    const auto step = assembler.add(huge);
    CHECK_FALSE(step.completed);
    CHECK(step.anomalies.at(0).code == util::AnomalyCode::dtls_fragment_out_of_range);
    // Certificate lengths that overrun.
    const Buffer bad_list{0, 0, 9, 0, 0, 1};
    CHECK_FALSE(dtls::parse_certificate(view(bad_list), anomalies));
    CHECK(anomalies.back().code == util::AnomalyCode::dtls_certificate_truncated);
    const Buffer bad_cert{0, 0, 4, 0, 0, 9, 1};
    CHECK_FALSE(dtls::parse_certificate(view(bad_cert), anomalies));
    // Hellos cut anywhere but where the optional extensions begin (44 bytes in).
    const Buffer hello = client_hello({1, 2});
    constexpr std::size_t k_without_extensions = 44;
    for (std::size_t cut = 0; cut < hello.size(); ++cut) {
        const Buffer shorter(hello.begin(), hello.begin() + static_cast<std::ptrdiff_t>(cut));
        CHECK(dtls::parse_client_hello(view(shorter), anomalies).has_value() == (cut == k_without_extensions));
    }
    CHECK(anomalies.back().code == util::AnomalyCode::dtls_hello_truncated);
}

TEST_CASE("dtls handshake: more incomplete messages than the limit evicts the oldest") {
    dtls::MessageAssembler assembler;
    std::vector<util::Anomaly> anomalies;
    const Buffer body(10, 1);
    std::size_t evicted = 0;
    for (std::uint16_t seq = 0; seq < dtls::MessageAssembler::k_max_pending + 2; ++seq) {
        const Buffer bytes = fragment(11, seq, body, 0, 5);
        const auto f = dtls::parse_handshake_fragments(view(bytes), anomalies);
        evicted += assembler.add(f.at(0)).anomalies.size();
    }
    CHECK(evicted == 2);
}

TEST_CASE("dtls hellos: use_srtp profiles offered and selected, supported_versions") {
    std::vector<util::Anomaly> anomalies;
    const Buffer ch = client_hello({0x0007, 0x0001, 0x0005});
    const auto client = dtls::parse_client_hello(view(ch), anomalies);
    REQUIRE(client);
    CHECK(client->version == 0xfefd);
    CHECK(client->use_srtp);
    CHECK(client->srtp_profiles == std::vector<std::uint16_t>{0x0007, 0x0001, 0x0005});
    const Buffer sh = server_hello(0x0001);
    const auto server = dtls::parse_server_hello(view(sh), anomalies);
    REQUIRE(server);
    CHECK(server->srtp_profiles == std::vector<std::uint16_t>{0x0001});
    CHECK(server->supported_versions.empty());
    const Buffer sh13 = server_hello(0x0001, dtls::k_dtls_1_3);
    const auto server13 = dtls::parse_server_hello(view(sh13), anomalies);
    REQUIRE(server13);
    CHECK(server13->supported_versions == std::vector<std::uint16_t>{dtls::k_dtls_1_3});
    CHECK(anomalies.empty());
    CHECK(std::string{dtls::profile_name(0x0006)} == "SRTP_NULL_HMAC_SHA1_32");
    CHECK(dtls::profile_is_null(0x0005));
    CHECK_FALSE(dtls::profile_is_null(0x0001));
}
