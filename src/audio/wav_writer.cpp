#include "zaudit/audio/wav_writer.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace zaudit::audio {
namespace {

constexpr std::uint32_t k_header_size = 44;
/// The data chunk's size is a 32-bit count of bytes, and RIFF's adds 36 to it.
constexpr std::uint64_t k_max_data_bytes = 0xFFFFFFFFULL - 36;
constexpr std::uint64_t k_bytes_per_sample = 2;

void put_u16(std::array<char, k_header_size>& h, std::size_t at, std::uint32_t v) {
    h[at] = static_cast<char>(v & 0xFFU);
    h[at + 1] = static_cast<char>((v >> 8U) & 0xFFU);
}
void put_u32(std::array<char, k_header_size>& h, std::size_t at, std::uint32_t v) {
    put_u16(h, at, v & 0xFFFFU);
    put_u16(h, at + 2, v >> 16U);
}
void put_tag(std::array<char, k_header_size>& h, std::size_t at, const char (&tag)[5]) {
    std::copy(tag, tag + 4, h.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace

util::Expected<WavWriter> WavWriter::create(const std::filesystem::path& path, std::uint32_t sample_rate) {
    std::ofstream file{path, std::ios::binary | std::ios::trunc};
    if (!file) {
        return util::Error{fmt::format("{}: cannot write", path.string())};
    }
    WavWriter writer{std::move(file), sample_rate};
    writer.write_header();
    return writer;
}

WavWriter::~WavWriter() {
    if (!m_finished && m_file.is_open()) {
        finish();
    }
}

// RIFF header, then "fmt " (PCM: format 1, 1 channel, 16 bits) and "data" chunks; little endian.
void WavWriter::write_header() {
    const auto data_bytes = static_cast<std::uint32_t>(m_samples * k_bytes_per_sample);
    std::array<char, k_header_size> h{};
    put_tag(h, 0, "RIFF");
    put_u32(h, 4, 36 + data_bytes);
    put_tag(h, 8, "WAVE");
    put_tag(h, 12, "fmt ");
    put_u32(h, 16, 16);                                                       // fmt chunk size
    put_u16(h, 20, 1);                                                        // PCM
    put_u16(h, 22, 1);                                                        // mono
    put_u32(h, 24, m_rate);                                                   // samples per second
    put_u32(h, 28, m_rate * static_cast<std::uint32_t>(k_bytes_per_sample));  // bytes per second
    put_u16(h, 32, static_cast<std::uint32_t>(k_bytes_per_sample));           // block align
    put_u16(h, 34, 16);                                                       // bits per sample
    put_tag(h, 36, "data");
    put_u32(h, 40, data_bytes);
    m_file.seekp(0);
    m_file.write(h.data(), h.size());
    m_file.seekp(0, std::ios::end);
}

std::uint64_t WavWriter::room_for(std::uint64_t count) {
    const std::uint64_t room = k_max_data_bytes / k_bytes_per_sample - m_samples;
    const std::uint64_t fits = std::min(count, room);
    m_dropped += count - fits;
    return fits;
}

void WavWriter::write(std::span<const std::int16_t> samples) {
    const std::uint64_t fits = room_for(samples.size());
    std::array<char, 2048> buffer{};
    std::size_t used = 0;
    for (std::uint64_t i = 0; i < fits; ++i) {
        const auto v = static_cast<std::uint16_t>(samples[i]);
        buffer[used++] = static_cast<char>(v & 0xFFU);
        buffer[used++] = static_cast<char>(v >> 8U);
        if (used == buffer.size()) {
            m_file.write(buffer.data(), static_cast<std::streamsize>(used));
            used = 0;
        }
    }
    m_file.write(buffer.data(), static_cast<std::streamsize>(used));
    m_samples += fits;
}

void WavWriter::write_silence(std::uint64_t count) {
    const std::uint64_t fits = room_for(count);
    const std::array<char, 4096> zeros{};
    for (std::uint64_t left = fits * k_bytes_per_sample; left > 0;) {
        const std::uint64_t chunk = std::min<std::uint64_t>(left, zeros.size());
        m_file.write(zeros.data(), static_cast<std::streamsize>(chunk));
        left -= chunk;
    }
    m_samples += fits;
}

bool WavWriter::finish() {
    m_finished = true;
    write_header();
    m_file.close();
    return !m_file.fail();
}

}  // namespace zaudit::audio
