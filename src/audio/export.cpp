// The audio export's second pass (audio/export.hpp): which streams, with which key and codec,
// then every packet of those streams decrypted, decoded and written as it is read.
#include "zaudit/audio/export.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "zaudit/audio/codec.hpp"
#include "zaudit/audio/sequencer.hpp"
#include "zaudit/audio/wav_writer.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/rtp/rtp_header.hpp"
#include "zaudit/srtp/srtp_session.hpp"
#include "zaudit/util/escape.hpp"

namespace zaudit::audio {
namespace {

/// A stream's state is kept this long (capture time) after its last RTP packet, for the SRTCP
/// that follows it (a last report, a BYE), then its file is closed.
constexpr std::int64_t k_linger_micros = 10'000'000;
/// How often (in frames) streams past their end are looked for.
constexpr std::uint64_t k_sweep_every = 1024;
/// RTCP packet types 192-223 share RTP's second byte with payload types 64-95 (RFC 5761 section 4).
constexpr std::uint8_t k_rtcp_first_type = 192;
constexpr std::uint8_t k_rtcp_last_type = 223;

/// Whether a packet that failed SRTCP authentication is plain RTCP: a compound of version-2
/// packets whose length words add up to the datagram exactly (RFC 3550 section 6.1). SRTCP's
/// encrypted part, index and tag (RFC 3711 section 3.4) make that sum miss but by chance.
bool is_plain_rtcp(util::Bytes bytes) {
    std::size_t at = 0;
    while (at + 4 <= bytes.size()) {
        if ((bytes[at] >> 6U) != 2 || bytes[at + 1] < k_rtcp_first_type || bytes[at + 1] > k_rtcp_last_type) {
            return false;
        }
        const std::size_t words = (static_cast<std::size_t>(bytes[at + 2]) << 8U) | bytes[at + 3];
        at += 4 * (words + 1);
    }
    return at == bytes.size();
}

struct KeyChoice {
    const session::SdesKey* key = nullptr;
    session::SrtpKeySource source = session::SrtpKeySource::sdp;
};

/// The key to decrypt with: the one libsrtp2 authenticated most of the stream's sample with; when
/// none authenticated anything, the first one tried, so that its failures are counted.
std::optional<KeyChoice> key_for(const session::Model& model, const session::MediaStream& stream,
                                 const std::vector<session::GivenSrtpKey>& given) {
    const session::SrtpKeyCheck* best = nullptr;
    for (const auto& check : stream.srtp_checks) {
        if (check.error.empty() && (best == nullptr || check.authenticated > best->authenticated)) {
            best = &check;
        }
    }
    if (best == nullptr) {
        return std::nullopt;
    }
    if (best->source == session::SrtpKeySource::given) {
        for (const auto& user_key : given) {
            if (user_key.key.fingerprint == best->key_fingerprint && user_key.keys(stream.src, stream.ssrc)) {
                return KeyChoice{&user_key.key, session::SrtpKeySource::given};
            }
        }
        return std::nullopt;
    }
    const session::Call* call = stream.call ? model.call(*stream.call) : nullptr;
    if (call == nullptr) {
        return std::nullopt;
    }
    for (const auto& sdp : call->sdps) {
        for (const auto& media : sdp.media) {
            for (const auto& key : media.cryptos) {
                if (key.fingerprint == best->key_fingerprint && !key.key_salt.empty()) {
                    return KeyChoice{&key, session::SrtpKeySource::sdp};
                }
            }
        }
    }
    return std::nullopt;
}

/// One stream to export: what the model says about it.
struct Plan {
    std::size_t index = 0;  ///< in Model::media
    Codec codec = Codec::pcmu;
    std::uint8_t payload_type = 0;
    std::optional<KeyChoice> key;
    std::string file;
};

/// A stream being written: made at its first packet, dropped after its last.
struct Live {
    std::optional<srtp::SrtpVerifier> verifier;
    std::optional<Decoder> decoder;
    std::optional<WavWriter> wav;
    Sequencer sequencer;
    util::Timestamp last_played;
    std::uint64_t samples_per_packet = 0;
    std::vector<std::int16_t> pcm;  ///< one packet's samples, reused
};

class Exporter {
public:
    Exporter(session::Model& model, const ExportOptions& options) : m_model{model}, m_options{options} {}

    void plan();
    void on_packet(const net::Packet& packet);
    void sweep(util::Timestamp now);
    std::vector<StreamExport> finish();

private:
    void on_rtp(const net::Packet& packet, const rtp::RtpHeader& header);
    void on_rtcp(const net::Packet& packet);
    /// The stream's live state, made when first needed; null once it is closed or failed.
    Live* live(std::size_t plan);
    void play(std::size_t plan, Live& state, const net::Packet& packet, util::Bytes rtp_packet);
    void close(std::size_t plan);

    session::Model& m_model;
    const ExportOptions& m_options;
    std::vector<Plan> m_plans;
    std::vector<StreamExport> m_results;        ///< parallel to m_plans, then the skipped streams
    std::vector<std::unique_ptr<Live>> m_live;  ///< parallel to m_plans
    std::vector<bool> m_closed;
    std::map<std::tuple<util::Endpoint, util::Endpoint, std::uint32_t>, std::vector<std::size_t>> m_by_rtp;
    std::map<std::uint32_t, std::vector<std::size_t>> m_by_ssrc;  ///< SRTP plans, for SRTCP
    std::vector<StreamExport> m_skipped;
};

StreamExport describe(const session::MediaStream& stream) {
    StreamExport out;
    out.stream = stream.id;
    out.call = stream.call.value_or(0);
    out.ssrc = stream.ssrc;
    out.src = stream.src.to_string();
    out.dst = stream.dst.to_string();
    return out;
}

void Exporter::plan() {
    std::set<std::string> names;
    for (std::size_t i = 0; i < m_model.media.size(); ++i) {
        const session::MediaStream& stream = m_model.media[i];
        StreamExport result = describe(stream);
        std::optional<std::pair<Codec, std::uint8_t>> codec;
        for (const auto& c : stream.codecs) {
            if (auto known = codec_named(c.name); known && !codec) {
                codec = std::pair{*known, c.payload_type};
            }
        }
        if (!codec) {
            result.skipped = "no payload type of a codec zaudit decodes (PCMU, PCMA, G722, opus)";
            m_skipped.push_back(std::move(result));
            continue;
        }
        Plan plan{i, codec->first, codec->second, std::nullopt, {}};
        if (stream.protection != session::Protection::none) {
            plan.key = key_for(m_model, stream, m_options.given_keys);
            if (!plan.key) {
                result.skipped =
                    fmt::format("protected ({}) and no SRTP key known for it", session::to_string(stream.protection));
                m_skipped.push_back(std::move(result));
                continue;
            }
        }
        // Numbers only: nothing from the capture's text reaches a file name.
        std::string name = stream.call ? fmt::format("{}call{}-ssrc{:08x}", m_options.prefix, *stream.call, stream.ssrc)
                                       : fmt::format("{}nocall-ssrc{:08x}", m_options.prefix, stream.ssrc);
        if (names.contains(name)) {
            name += fmt::format("-stream{}", stream.id);
        }
        names.insert(name);
        plan.file = name + ".wav";
        result.codec = to_string(plan.codec);
        result.payload_type = plan.payload_type;
        result.sample_rate = sample_rate(plan.codec);
        result.protection = plan.key ? "srtp" : "none";
        if (plan.key) {
            result.key_source = session::to_string(plan.key->source);
            result.key_fingerprint = plan.key->key->fingerprint;
            m_by_ssrc[stream.ssrc].push_back(m_plans.size());
        }
        m_by_rtp[{stream.src, stream.dst, stream.ssrc}].push_back(m_plans.size());
        m_plans.push_back(std::move(plan));
        m_results.push_back(std::move(result));
    }
    m_live.resize(m_plans.size());
    m_closed.assign(m_plans.size(), false);
}

Live* Exporter::live(std::size_t plan) {
    if (m_closed[plan]) {
        return nullptr;
    }
    if (m_live[plan]) {
        return m_live[plan].get();
    }
    const Plan& p = m_plans[plan];
    auto state = std::make_unique<Live>();
    if (p.key) {
        // One libsrtp2 session for the whole stream: making one costs far more than a packet.
        const session::SdesKey& key = *p.key->key;
        srtp::SessionParams params;
        params.unencrypted_srtp = key.unencrypted_srtp;
        params.unencrypted_srtcp = key.unencrypted_srtcp;
        params.unauthenticated_srtp = key.unauthenticated_srtp;
        auto verifier = srtp::SrtpVerifier::create(key.suite, key.key_salt, params);
        if (!verifier) {
            m_results[plan].skipped = fmt::format("libsrtp2 refused the key: {}", verifier.error().message);
            m_closed[plan] = true;
            return nullptr;
        }
        state->verifier.emplace(std::move(*verifier));
    }
    state->decoder = Decoder::create(p.codec);
    if (!state->decoder) {
        m_results[plan].skipped = "the codec library could not make a decoder";
        m_closed[plan] = true;
        return nullptr;
    }
    m_live[plan] = std::move(state);
    return m_live[plan].get();
}

void Exporter::on_packet(const net::Packet& packet) {
    const util::Bytes bytes = packet.payload;
    if (packet.transport != net::Transport::udp || bytes.size() < 8 || (bytes[0] >> 6U) != 2) {
        return;
    }
    if (bytes[1] >= k_rtcp_first_type && bytes[1] <= k_rtcp_last_type) {
        on_rtcp(packet);
    } else if (const auto header = rtp::parse_rtp(bytes)) {
        on_rtp(packet, *header);
    }
}

void Exporter::on_rtp(const net::Packet& packet, const rtp::RtpHeader& header) {
    const auto it = m_by_rtp.find({packet.src, packet.dst, header.ssrc});
    if (it == m_by_rtp.end()) {
        return;
    }
    // The same addresses and SSRC can make two streams (a flow closed while idle, then reopened):
    // the one whose frames hold this packet.
    for (const std::size_t plan : it->second) {
        const session::MediaStream& stream = m_model.media[m_plans[plan].index];
        if (packet.frame < stream.first_frame || packet.frame > stream.last_frame) {
            continue;
        }
        ++m_results[plan].packets;
        if (Live* state = live(plan)) {
            play(plan, *state, packet, packet.payload);
        }
        return;
    }
}

void Exporter::play(std::size_t plan, Live& state, const net::Packet& packet, util::Bytes rtp_packet) {
    StreamExport& result = m_results[plan];
    if (state.verifier) {
        switch (state.verifier->unprotect(rtp_packet)) {
            case srtp::Outcome::ok: ++result.decrypted; break;
            case srtp::Outcome::replay_fail: ++result.replayed; return;
            default: ++result.decrypt_failed; return;
        }
        rtp_packet = state.verifier->plaintext();
    }
    const auto header = rtp::parse_rtp(rtp_packet);
    if (!header || header->payload_type != m_plans[plan].payload_type) {
        ++result.other_payload;
        return;
    }
    const Sequencer::Placement placement = state.sequencer.place(header->sequence);
    if (placement.action == Sequencer::Action::drop_late) {
        ++result.late;
        return;
    }
    if (placement.action == Sequencer::Action::resync) {
        ++result.resyncs;
    }
    state.pcm.clear();
    if (!state.decoder->decode(header->payload(rtp_packet), state.pcm)) {
        ++result.undecodable;
        return;
    }
    if (!state.wav) {
        auto wav = WavWriter::create(m_options.dir / m_plans[plan].file, result.sample_rate);
        if (!wav) {
            result.skipped = wav.error().message;
            m_live[plan].reset();
            m_closed[plan] = true;
            return;
        }
        state.wav.emplace(std::move(*wav));
        result.file = m_plans[plan].file;
        result.first_frame = packet.frame;
    } else if (placement.missing > 0) {
        const std::uint64_t silence =
            Sequencer::silence_for(placement.missing, state.samples_per_packet,
                                   packet.time.micros - state.last_played.micros, result.sample_rate);
        if (silence > 0) {
            ++result.gaps;
            result.silence_samples += silence;
            state.wav->write_silence(silence);
        }
    }
    state.wav->write(state.pcm);
    state.samples_per_packet = state.pcm.size();
    state.last_played = packet.time;
    result.last_frame = packet.frame;
    ++result.decoded;
}

void Exporter::on_rtcp(const net::Packet& packet) {
    // The sender's SSRC follows the first RTCP header (RFC 3550 section 6.4.1); SRTCP leaves
    // the first eight bytes in clear (RFC 3711 section 3.4).
    const util::Bytes bytes = packet.payload;
    const std::uint32_t ssrc = (static_cast<std::uint32_t>(bytes[4]) << 24U) |
                               (static_cast<std::uint32_t>(bytes[5]) << 16U) |
                               (static_cast<std::uint32_t>(bytes[6]) << 8U) | bytes[7];
    const auto it = m_by_ssrc.find(ssrc);
    if (it == m_by_ssrc.end()) {
        return;
    }
    for (const std::size_t plan : it->second) {
        const session::MediaStream& stream = m_model.media[m_plans[plan].index];
        // The stream's sender sends its RTCP (from its RTCP port, or the RTP port with rtcp-mux).
        // RTCP may come before the first RTP packet (baresip sends an APP packet at once).
        if (stream.src.address != packet.src.address ||
            packet.time.micros > stream.last_time.micros + k_linger_micros) {
            continue;
        }
        if (Live* state = live(plan)) {
            if (state->verifier->unprotect_rtcp(bytes) == srtp::Outcome::ok) {
                ++m_results[plan].srtcp_authenticated;
            } else if (is_plain_rtcp(bytes)) {
                ++m_results[plan].rtcp_plain;
            } else {
                ++m_results[plan].srtcp_failed;
            }
        }
        return;
    }
}

void Exporter::close(std::size_t plan) {
    if (auto& state = m_live[plan]) {
        if (state->wav) {
            m_results[plan].samples = state->wav->samples();
            if (!state->wav->finish()) {
                m_results[plan].skipped = fmt::format("{}: write failed", m_plans[plan].file);
            }
        }
        state.reset();
    }
    m_closed[plan] = true;
}

void Exporter::sweep(util::Timestamp now) {
    for (std::size_t plan = 0; plan < m_plans.size(); ++plan) {
        if (m_live[plan] && now.micros > m_model.media[m_plans[plan].index].last_time.micros + k_linger_micros) {
            close(plan);
        }
    }
}

std::vector<StreamExport> Exporter::finish() {
    for (std::size_t plan = 0; plan < m_plans.size(); ++plan) {
        close(plan);
    }
    for (std::size_t plan = 0; plan < m_plans.size(); ++plan) {
        const StreamExport& r = m_results[plan];
        session::MediaStream& stream = m_model.media[m_plans[plan].index];
        stream.audio_export = session::AudioExport{r.key_fingerprint,     r.decrypted,    r.decrypt_failed, r.decoded,
                                                   r.srtcp_authenticated, r.srtcp_failed, r.rtcp_plain};
    }
    std::vector<StreamExport> all = std::move(m_results);
    all.insert(all.end(), std::make_move_iterator(m_skipped.begin()), std::make_move_iterator(m_skipped.end()));
    std::sort(all.begin(), all.end(), [](const StreamExport& a, const StreamExport& b) { return a.stream < b.stream; });
    return all;
}

}  // namespace

std::optional<std::string> unexportable(const std::vector<capture::Source>& sources) {
    for (const auto& source : sources) {
        if (!source.interface.empty()) {
            return "audio export reads the capture a second time: a live interface cannot be read again (capture "
                   "to a file, then export it)";
        }
        if (source.path == "-") {
            return "audio export reads the capture a second time: standard input ('-') cannot be read again (save it "
                   "to a file, then export it)";
        }
        if (!capture::readable_again(source)) {
            return fmt::format(
                "audio export reads the capture a second time: {} is a pipe and cannot be read again "
                "(save it to a file, then export it)",
                util::printable(source.path));
        }
    }
    return std::nullopt;
}

util::Expected<std::vector<StreamExport>> export_streams(session::Model& model,
                                                         const std::vector<capture::Source>& sources,
                                                         const ExportOptions& options) {
    if (auto why = unexportable(sources)) {
        return util::Error{*why};
    }
    std::error_code ec;
    std::filesystem::create_directories(options.dir, ec);
    if (ec) {
        return util::Error{fmt::format("{}: cannot make the folder: {}", options.dir.string(), ec.message())};
    }
    auto reader = capture::Reader::open(sources, capture::ReaderOptions{.hash = false});
    if (!reader) {
        return reader.error();
    }
    Exporter exporter{model, options};
    exporter.plan();
    net::Decoder decoder;
    net::Packet packet;
    std::uint64_t frames = 0;
    while (auto frame = reader->next()) {
        if (decoder.decode(*frame, packet) == net::DecodeStatus::ok) {
            exporter.on_packet(packet);
        }
        if (++frames % k_sweep_every == 0) {
            exporter.sweep(frame->time);
        }
    }
    return exporter.finish();
}

nlohmann::ordered_json manifest_entry(const session::Model& model, const std::vector<StreamExport>& streams) {
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const auto& input : model.inputs) {
        inputs.push_back({{"path", input.path}, {"sha256", input.sha256}});
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StreamExport& s : streams) {
        nlohmann::ordered_json j{{"stream", s.stream},
                                 {"call", s.call == 0 ? nlohmann::ordered_json{} : nlohmann::ordered_json(s.call)},
                                 {"ssrc", fmt::format("0x{:08x}", s.ssrc)},
                                 {"src", s.src},
                                 {"dst", s.dst}};
        if (!s.skipped.empty() && s.file.empty()) {
            j["skipped"] = s.skipped;
            list.push_back(std::move(j));
            continue;
        }
        j["file"] = s.file.empty() ? nlohmann::ordered_json{} : nlohmann::ordered_json(s.file);
        j["codec"] = s.codec;
        j["payload_type"] = s.payload_type;
        j["sample_rate"] = s.sample_rate;
        j["protection"] = s.protection;
        if (s.protection == "srtp") {
            j["key_source"] = s.key_source;
            j["key_fingerprint"] = s.key_fingerprint;
        }
        j["frames"] = {{"first", s.first_frame}, {"last", s.last_frame}};
        j["packets"] = {{"read", s.packets},
                        {"decrypted", s.decrypted},
                        {"decrypt_failed", s.decrypt_failed},
                        {"replayed", s.replayed},
                        {"decoded", s.decoded},
                        {"undecodable", s.undecodable},
                        {"other_payload", s.other_payload},
                        {"late", s.late}};
        j["gaps"] = {{"filled", s.gaps}, {"silence_samples", s.silence_samples}, {"resyncs", s.resyncs}};
        j["samples"] = s.samples;
        j["seconds"] = s.sample_rate == 0 ? 0.0 : static_cast<double>(s.samples) / s.sample_rate;
        if (s.protection == "srtp") {
            j["srtcp"] = {
                {"authenticated", s.srtcp_authenticated}, {"failed", s.srtcp_failed}, {"plain_rtcp", s.rtcp_plain}};
        }
        if (!s.skipped.empty()) {
            j["error"] = s.skipped;
        }
        list.push_back(std::move(j));
    }
    return {{"inputs", std::move(inputs)}, {"streams", std::move(list)}};
}

util::Status write_manifest(const std::filesystem::path& dir, const std::vector<nlohmann::ordered_json>& entries) {
    const std::filesystem::path path = dir / "manifest.json";
    std::ofstream out{path};
    out << nlohmann::ordered_json{{"schema", "zaudit-audio/1"}, {"exports", entries}}.dump(2) << '\n';
    out.close();
    if (!out) {
        return util::Error{fmt::format("{}: cannot write", path.string())};
    }
    return {};
}

}  // namespace zaudit::audio
