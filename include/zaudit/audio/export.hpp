#pragma once
/// \file Audio export: the streams of an audited capture written as WAV files, to prove by
/// listening what a key exposure means (`zaudit export --audio DIR`, `--export-audio DIR`).
///
/// A second pass over the capture files: the audit's model says which streams exist, their
/// codecs and which SRTP key (an SDES key from clear SDP, or --srtp-key) libsrtp2 authenticated
/// on them; the second read decrypts every packet of those streams (one libsrtp2 session per
/// stream, made when its first packet comes), decodes it and appends it to the stream's WAV file
/// at once. State lives only while a stream does (until a few seconds after its last packet), so
/// memory and open files follow the streams live at one time, not the capture's size. Standard
/// input and live interfaces cannot be read twice: they are refused before anything is read.
///
/// File names come from numbers only (input, call, stream, SSRC), never from capture text.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zaudit/capture/reader.hpp"
#include "zaudit/session/given_key.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::audio {

/// What became of one stream.
struct StreamExport {
    std::uint32_t stream = 0;
    std::uint32_t call = 0;  ///< 0: the stream belongs to no call
    std::uint32_t ssrc = 0;
    std::string src;
    std::string dst;
    std::string file;  ///< the WAV's name in the export folder; empty when no sound came out
    std::string codec;
    std::uint8_t payload_type = 0;
    std::uint32_t sample_rate = 0;
    std::string protection;  ///< "none" or "srtp"
    std::string key_source;  ///< "sdp" or "given"; empty for plain RTP
    std::string key_fingerprint;
    std::uint64_t packets = 0;      ///< RTP packets of the stream read in the second pass
    std::uint64_t first_frame = 0;  ///< first and last frame whose sound is in the file
    std::uint64_t last_frame = 0;
    std::uint64_t decrypted = 0;
    std::uint64_t decrypt_failed = 0;  ///< authentication failed (wrong key, altered packet)
    std::uint64_t replayed = 0;        ///< refused by libsrtp2's replay window
    std::uint64_t decoded = 0;
    std::uint64_t undecodable = 0;    ///< decrypted, but the codec refused the payload
    std::uint64_t other_payload = 0;  ///< another payload type (telephone-event, comfort noise)
    std::uint64_t late = 0;           ///< dropped: late or duplicate
    std::uint64_t resyncs = 0;        ///< sequence jumps too large to fill
    std::uint64_t gaps = 0;           ///< losses filled with silence
    std::uint64_t silence_samples = 0;
    std::uint64_t samples = 0;  ///< in the file, silence included
    std::uint64_t srtcp_authenticated = 0;
    std::uint64_t srtcp_failed = 0;  ///< neither authenticated nor plain RTCP
    std::uint64_t rtcp_plain = 0;    ///< plain RTCP from the sender of an SRTP stream (baresip's BYE)
    std::string skipped;             ///< why the stream was not exported; empty when it was
};

struct ExportOptions {
    std::filesystem::path dir;
    /// Prefix of every file name ("in2-" when several inputs are exported on their own).
    std::string prefix;
    std::vector<session::GivenSrtpKey> given_keys;
};

/// Exports the streams of `model`, read again from `sources` (the same sources, in the same
/// order, that made the model), and records each exported stream's counts in
/// MediaStream::audio_export. Fails when a source is standard input or live, or cannot be read,
/// or the folder cannot be made; a WAV that cannot be written is a skipped stream.
util::Expected<std::vector<StreamExport>> export_streams(session::Model& model,
                                                         const std::vector<capture::Source>& sources,
                                                         const ExportOptions& options);

/// Why these sources cannot be exported (standard input, a live interface), or nullopt.
std::optional<std::string> unexportable(const std::vector<capture::Source>& sources);

/// The manifest's entry for one input group: its inputs (path, sha256) and its streams.
nlohmann::ordered_json manifest_entry(const session::Model& model, const std::vector<StreamExport>& streams);

/// Writes DIR/manifest.json: {"schema": "zaudit-audio/1", "exports": [entries]}.
util::Status write_manifest(const std::filesystem::path& dir, const std::vector<nlohmann::ordered_json>& entries);

}  // namespace zaudit::audio
