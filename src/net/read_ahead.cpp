#include "zaudit/net/read_ahead.hpp"

namespace zaudit::net {

ReadAhead::ReadAhead(capture::Reader reader, Decoder& decoder) : m_reader{std::move(reader)}, m_decoder{decoder} {
    for (std::size_t i = 0; i < k_batches; ++i) {
        Batch batch;
        batch.slots.resize(k_batch_frames);
        // Room for the largest frame libpcap hands out past the fill mark and the largest
        // datagram reassembled from fragments, so that a full batch is seldom copied to grow.
        batch.bytes.reserve(k_batch_bytes + 262'144 + 65'536);
        m_free.push_back(std::move(batch));
    }
    m_thread = std::thread{[this] { read_all(); }};
}

ReadAhead::~ReadAhead() {
    {
        const std::lock_guard lock{m_mutex};
        m_cancelled = true;
    }
    m_drained.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

std::optional<ReadAhead::Batch> ReadAhead::take_free_batch() {
    std::unique_lock lock{m_mutex};
    m_drained.wait(lock, [this] { return !m_free.empty() || m_cancelled; });
    if (m_cancelled) {
        return std::nullopt;
    }
    Batch batch = std::move(m_free.back());
    m_free.pop_back();
    return batch;
}

bool ReadAhead::publish(Batch batch) {
    {
        const std::lock_guard lock{m_mutex};
        if (m_cancelled) {
            return false;
        }
        m_ended = batch.last;
        m_ready.push_back(std::move(batch));
    }
    m_filled.notify_one();
    return true;
}

void ReadAhead::read_all() {
    try {
        for (;;) {
            auto batch = take_free_batch();
            if (!batch) {
                return;
            }
            batch->frames = 0;
            batch->bytes.clear();
            batch->last = false;
            while (batch->frames < k_batch_frames && batch->bytes.size() < k_batch_bytes) {
                auto frame = m_reader.next();
                if (!frame) {
                    batch->last = true;
                    break;
                }
                // Slots are reused as they are: decode() sets what a packet of its kind has.
                Slot& slot = batch->slots[batch->frames++];
                slot.offset = batch->bytes.size();
                slot.size = frame->data.size();
                batch->bytes.insert(batch->bytes.end(), frame->data.begin(), frame->data.end());
                // Decoded from the batch's copy, so that the payload is a part of it; a reassembled
                // datagram's lives in the defragmenter until the next decode, and is copied too.
                // The spans are set again when the frame is handed out: the buffer may have moved.
                DecodedFrame& decoded = slot.decoded;
                decoded.frame = *frame;
                decoded.frame.data = util::Bytes{batch->bytes.data() + slot.offset, slot.size};
                decoded.status = m_decoder.decode(decoded.frame, decoded.packet);
                slot.payload_offset = 0;
                slot.payload_size = 0;
                if (decoded.status == DecodeStatus::ok) {
                    const util::Bytes payload = decoded.packet.payload;
                    slot.payload_size = payload.size();
                    if (decoded.packet.reassembled) {
                        slot.payload_offset = batch->bytes.size();
                        batch->bytes.insert(batch->bytes.end(), payload.begin(), payload.end());
                    } else {
                        slot.payload_offset = static_cast<std::size_t>(payload.data() - batch->bytes.data());
                    }
                }
            }
            batch->progress = m_reader.progress();
            const bool last = batch->last;
            if (!publish(std::move(*batch)) || last) {
                return;
            }
        }
    } catch (...) {
        {
            const std::lock_guard lock{m_mutex};
            m_error = std::current_exception();
            m_ended = true;
        }
        m_filled.notify_one();
    }
}

const DecodedFrame* ReadAhead::next() {
    for (;;) {
        if (m_current && m_position < m_current->frames) {
            Slot& slot = m_current->slots[m_position++];
            slot.decoded.frame.data = util::Bytes{m_current->bytes.data() + slot.offset, slot.size};
            slot.decoded.packet.payload = util::Bytes{m_current->bytes.data() + slot.payload_offset, slot.payload_size};
            return &slot.decoded;
        }
        if (m_finished) {
            return nullptr;
        }
        std::unique_lock lock{m_mutex};
        if (m_current) {  // handed out: give its buffers back to the reading thread
            const bool last = m_current->last;
            m_free.push_back(std::move(*m_current));
            m_current.reset();
            m_drained.notify_one();
            if (last) {
                m_finished = true;
                return nullptr;
            }
        }
        m_filled.wait(lock, [this] { return !m_ready.empty() || m_ended; });
        if (!m_ready.empty()) {  // frames read before an error still come first
            m_current = std::move(m_ready.front());
            m_ready.pop_front();
            m_position = 0;
            m_progress = m_current->progress;
            continue;
        }
        m_finished = true;
        if (m_error) {
            std::rethrow_exception(m_error);
        }
        return nullptr;
    }
}

capture::Reader& ReadAhead::reader() {
    if (m_thread.joinable()) {
        {
            const std::lock_guard lock{m_mutex};
            m_cancelled = !m_finished;  // asked early: stop reading rather than wait for the end
        }
        m_drained.notify_all();
        m_thread.join();
    }
    return m_reader;
}

std::pair<std::uint64_t, std::uint64_t> ReadAhead::progress() const {
    return m_progress;
}

}  // namespace zaudit::net
