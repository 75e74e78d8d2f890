#pragma once
/// \file Reading and decoding a capture on a thread of its own, ahead of the audit that consumes
/// its packets.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "zaudit/capture/frame.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/net/packet.hpp"

namespace zaudit::net {

/// A frame and what the Decoder made of it.
struct DecodedFrame {
    capture::Frame frame;
    DecodeStatus status = DecodeStatus::not_ip;
    Packet packet;  ///< filled when status is ok
};

/// Runs a Reader and a Decoder on a second thread and hands their frames and packets over in
/// batches, in the Reader's order and with the Reader's numbers: libpcap's record reading and
/// copying and the decoding of the link, IP and transport headers (together a third of a
/// single-threaded audit) then overlap the audit instead of preceding each packet. Memory stays
/// bounded: at most k_batches batches of about k_batch_bytes each are in flight.
///
/// For files only: a live capture delivers packets slower than one thread audits them, and a
/// batch would hold them back from the audit until it filled.
class ReadAhead {
public:
    /// `decoder` is used by the reading thread alone until reader() returns (its stats are then
    /// complete); it must outlive this object.
    ReadAhead(capture::Reader reader, Decoder& decoder);
    ~ReadAhead();
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;
    ReadAhead(ReadAhead&&) = delete;
    ReadAhead& operator=(ReadAhead&&) = delete;

    /// The next frame and its packet, or nullptr after the last. The frame's bytes and the
    /// packet's payload stay valid until the next call. Rethrows what the reading thread threw.
    const DecodedFrame* next();

    /// The Reader, once every frame has been handed out (next() returned nullptr): for its
    /// inputs() and partial(). The reading thread has ended by then, and with it the decoding.
    capture::Reader& reader();

    /// Bytes read so far and the total, as Reader::progress() (published once per batch).
    [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> progress() const;

    static constexpr std::size_t k_batch_bytes = std::size_t{1} << 20;
    static constexpr std::size_t k_batch_frames = 4096;
    static constexpr std::size_t k_batches = 4;

private:
    /// A frame as kept in a batch: its bytes, and its packet's payload, at offsets of the
    /// batch's buffer (a reassembled datagram's payload is copied there after the frame's bytes).
    struct Slot {
        DecodedFrame decoded;  ///< next() points its spans into the buffer before handing it out
        std::size_t offset = 0;
        std::size_t size = 0;
        std::size_t payload_offset = 0;
        std::size_t payload_size = 0;
    };
    struct Batch {
        std::vector<Slot> slots;  ///< k_batch_frames of them, the first `frames` in use
        std::size_t frames = 0;
        std::vector<std::uint8_t> bytes;
        std::pair<std::uint64_t, std::uint64_t> progress;
        bool last = false;  ///< the reader had no more frames after these
    };

    void read_all();
    std::optional<Batch> take_free_batch();  ///< nullopt when the consumer is gone
    bool publish(Batch batch);               ///< false when the consumer is gone

    capture::Reader m_reader;
    Decoder& m_decoder;
    mutable std::mutex m_mutex;
    std::condition_variable m_filled;   ///< a batch became ready, or reading ended
    std::condition_variable m_drained;  ///< a batch came back empty, or the consumer left
    std::deque<Batch> m_ready;
    std::vector<Batch> m_free;
    std::exception_ptr m_error;
    std::pair<std::uint64_t, std::uint64_t> m_progress{0, 0};
    bool m_cancelled = false;  ///< the consumer is being destroyed: stop reading
    bool m_ended = false;      ///< the reading thread has published its last batch

    // The consumer's side: the batch being handed out, frame by frame.
    std::optional<Batch> m_current;
    std::size_t m_position = 0;
    bool m_finished = false;

    std::thread m_thread;  ///< last: started once every member above exists
};

}  // namespace zaudit::net
