#pragma once
/// \file A RIFF/WAVE file of 16-bit mono PCM written as samples come: the 44-byte header is
/// written first with sizes of zero and rewritten by finish() (or the destructor), so memory does
/// not grow with the stream. Our own header rather than libsndfile: PCM16 mono is the one format
/// written, its header is 44 fixed bytes, and one more library would buy nothing for it.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>

#include "zaudit/util/expected.hpp"

namespace zaudit::audio {

class WavWriter {
public:
    /// Creates (or truncates) `path`; fails when it cannot be written.
    static util::Expected<WavWriter> create(const std::filesystem::path& path, std::uint32_t sample_rate);

    /// Appends samples. Beyond what a WAV's 32-bit sizes hold (about 4 GiB of data), further
    /// samples are dropped and counted in dropped_samples().
    void write(std::span<const std::int16_t> samples);
    /// Appends `count` samples of silence, without allocating for them.
    void write_silence(std::uint64_t count);
    /// Rewrites the header with the final sizes and closes the file; false on a write error.
    bool finish();

    [[nodiscard]] std::uint64_t samples() const { return m_samples; }
    [[nodiscard]] std::uint64_t dropped_samples() const { return m_dropped; }

    WavWriter(WavWriter&&) = default;
    WavWriter& operator=(WavWriter&&) = default;
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;
    ~WavWriter();

private:
    WavWriter(std::ofstream file, std::uint32_t sample_rate) : m_file{std::move(file)}, m_rate{sample_rate} {}
    void write_header();
    /// How many of `count` samples still fit under the 32-bit size limit.
    std::uint64_t room_for(std::uint64_t count);

    std::ofstream m_file;
    std::uint32_t m_rate = 0;
    std::uint64_t m_samples = 0;
    std::uint64_t m_dropped = 0;
    bool m_finished = false;
};

}  // namespace zaudit::audio
