#pragma once
/// \file The JSON report written as a stream: each member and list item serialised as it is
/// built and dropped, with the bytes of the whole document's dump(2).

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

namespace zaudit::report {

/// A JSON object built field by field, in order. nlohmann's initializer lists build every
/// `{"key", value}` as a two-element array first and copy lvalues in, three allocations or more
/// a field; the report's lists build some 30,000 objects of 10 to 25 fields on a large capture.
/// Keys must differ (they are not looked up, as operator[] would, for the same reason).
class JsonObject {
public:
    explicit JsonObject(std::size_t fields) { m_fields().reserve(fields); }

    JsonObject& add(std::string_view key, nlohmann::ordered_json value) {
        m_fields().emplace_back(std::string{key}, std::move(value));
        return *this;
    }
    /// `value`, or null when it is absent.
    template <typename T>
    JsonObject& add_optional(std::string_view key, const std::optional<T>& value) {
        return add(key, value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr));
    }

    /// The object built; this builder is left empty.
    nlohmann::ordered_json take() { return std::move(m_json); }

private:
    nlohmann::ordered_json::object_t& m_fields() { return m_json.get_ref<nlohmann::ordered_json::object_t&>(); }

    nlohmann::ordered_json m_json = nlohmann::ordered_json::object();
};

/// Appends `value` (made printable first) to `text` as it sits `indent` spaces deep in a dump(2)
/// document.
void append_at(std::string& text, nlohmann::ordered_json& value, unsigned int indent);

/// Writes `value` as append_at() serialises it, through `buffer` (reused between calls).
void write_at(std::ostream& out, std::string& buffer, nlohmann::ordered_json& value, unsigned int indent);

/// The document's members written in their order as they are built, the long lists one item
/// at a time: memory holds one call, stream or finding of the report, not the whole document.
/// The bytes are those of the whole document's dump(2). `depth` is how deep the object sits in
/// a larger document (SARIF's run object sits at 2, in the document's "runs" list): its
/// members are written `depth` + 1 levels deep, its lists' items `depth` + 2. `threads` is 1
/// or 2: with 1 (--jobs 1), indexed_list() builds every item on the calling thread.
class DocumentWriter {
public:
    explicit DocumentWriter(std::ostream& out, unsigned int depth = 0, unsigned int threads = 2)
        : m_out{out},
          m_depth{depth},
          m_threads{threads},
          m_member_start{line_at(depth + 1)},
          m_item_start{line_at(depth + 2)} {
        m_out << '{';
    }

    void member(std::string_view key, nlohmann::ordered_json value) {
        start(key);
        write_at(m_out, m_buffer, value, member_indent());
    }

    /// A list whose items `each(emit)` builds and hands to `emit` one by one.
    template <typename Each>
    void list(std::string_view key, Each&& each) {
        start(key);
        bool empty = true;
        each([&](nlohmann::ordered_json item) {
            m_out << (empty ? "[" : ",") << m_item_start;
            empty = false;
            write_at(m_out, m_buffer, item, item_indent());
        });
        if (empty) {
            m_out << "[]";
        } else {
            m_out << m_member_start << ']';
        }
    }

    /// A list of `count` items, item i built by `make(i)`, with the bytes list() would write. The
    /// items are built and serialised in blocks of k_block by this thread and, unless the writer
    /// has one thread, a helper, which take the next block as they finish one, at most
    /// k_in_flight blocks ahead of the output; this thread writes the blocks in order between
    /// its own. Building a large report's items is most of its cost, and the second core is idle
    /// by then. `make` must be safe to call from two threads at once: it reads the audit's
    /// results and changes nothing they share.
    template <typename Make>
    void indexed_list(std::string_view key, std::size_t count, Make&& make) {
        start(key);
        if (count == 0) {
            m_out << "[]";
            return;
        }
        m_out << '[' << m_item_start;
        auto render = [&make, count, this](std::size_t block, std::string& text) {
            text.clear();
            const std::size_t first = block * k_block;
            for (std::size_t i = first; i < std::min(count, first + k_block); ++i) {
                if (i != 0) {
                    text += ',';
                    text += m_item_start;
                }
                nlohmann::ordered_json item = make(i);
                append_at(text, item, item_indent());
            }
        };
        const std::size_t blocks = (count + k_block - 1) / k_block;
        if (blocks == 1 || m_threads < 2) {  // small, or one thread allowed: no helper
            for (std::size_t block = 0; block < blocks; ++block) {
                render(block, m_buffer);
                m_out << m_buffer;
            }
        } else {
            BlockPipeline pipeline{blocks};
            std::thread helper{[&] { pipeline.help(render); }};
            try {
                pipeline.lead(render, m_out);
            } catch (...) {
                pipeline.fail(std::current_exception());
                helper.join();
                throw;
            }
            helper.join();
            pipeline.rethrow();
        }
        m_out << m_member_start << ']';
    }

    /// Closes the object; at depth 0 the document, with the newline dump(2) output ends with in
    /// a file.
    void finish() {
        if (m_first) {
            m_out << '}';
        } else {
            m_out << line_at(m_depth) << '}';
        }
        if (m_depth == 0) {
            m_out << '\n';
        }
    }

    /// Items per block of indexed_list(): small reports (under one block) stay on one thread.
    /// The text of k_in_flight blocks and more is held at once, and a call with its SDP,
    /// messages and path is several KB of it. With 256 items a block, the JSON report of bench/'s
    /// 1 GB mix peaked at 51 MB RSS (JSONL: 42 MB); with 32, at 41-43 MB. An item takes tens of
    /// microseconds to build, so handing blocks of 32 between the threads costs no measurable time.
    static constexpr std::size_t k_block = 32;
    /// Blocks built and not yet written, at most: what indexed_list() holds in memory.
    static constexpr std::size_t k_in_flight = 4;

private:
    /// The blocks of one indexed_list() shared by its two threads: which to build next, which
    /// are built, and the first error.
    class BlockPipeline {
    public:
        explicit BlockPipeline(std::size_t blocks) : m_blocks{blocks} {}

        /// The helper: builds blocks until none is left to take or one failed.
        template <typename Render>
        void help(Render& render) {
            while (const auto block = take()) {
                if (!build(render, *block)) {
                    return;
                }
            }
        }

        /// This thread: writes the blocks in order, and builds the next one while the block
        /// due is not ready.
        template <typename Render>
        void lead(Render& render, std::ostream& out) {
            std::string text;
            for (std::size_t written = 0; written < m_blocks; ++written) {
                for (;;) {
                    std::unique_lock lock{m_mutex};
                    if (m_error) {
                        return;  // rethrow() reports it
                    }
                    if (m_ready[written % k_in_flight]) {
                        m_ready[written % k_in_flight] = false;
                        text.swap(m_texts[written % k_in_flight]);
                        m_written = written + 1;
                        lock.unlock();
                        m_changed.notify_all();
                        break;
                    }
                    if (m_next < m_blocks && m_next < m_written + k_in_flight) {
                        const std::size_t block = m_next++;
                        lock.unlock();
                        if (!build(render, block)) {
                            return;
                        }
                        continue;
                    }
                    m_changed.wait(lock);
                }
                out << text;
            }
        }

        void fail(std::exception_ptr error) {
            {
                const std::lock_guard lock{m_mutex};
                if (!m_error) {
                    m_error = std::move(error);
                }
            }
            m_changed.notify_all();
        }

        void rethrow() const {
            if (m_error) {
                std::rethrow_exception(m_error);
            }
        }

    private:
        /// The next block to build, waiting for room; nullopt when all are taken or one failed.
        std::optional<std::size_t> take() {
            std::unique_lock lock{m_mutex};
            m_changed.wait(lock, [this] { return m_error || m_next >= m_blocks || m_next < m_written + k_in_flight; });
            if (m_error || m_next >= m_blocks) {
                return std::nullopt;
            }
            return m_next++;
        }

        template <typename Render>
        bool build(Render& render, std::size_t block) {
            try {
                render(block, m_texts[block % k_in_flight]);
            } catch (...) {
                fail(std::current_exception());
                return false;
            }
            {
                const std::lock_guard lock{m_mutex};
                m_ready[block % k_in_flight] = true;
            }
            m_changed.notify_all();
            return true;
        }

        std::size_t m_blocks;
        std::mutex m_mutex;
        std::condition_variable m_changed;  ///< a block was taken, built or written, or one failed
        std::array<std::string, k_in_flight> m_texts;
        std::array<bool, k_in_flight> m_ready{};
        std::size_t m_next = 0;     ///< the next block to take
        std::size_t m_written = 0;  ///< blocks written out
        std::exception_ptr m_error;
    };

    void start(std::string_view key) {
        m_out << (m_first ? "" : ",") << m_member_start << '"' << key << "\": ";
        m_first = false;
    }
    /// A newline and the indent of `depth` levels, as dump(2) writes them.
    static std::string line_at(unsigned int depth) { return "\n" + std::string(std::size_t{2} * depth, ' '); }
    [[nodiscard]] unsigned int member_indent() const { return 2 * (m_depth + 1); }
    [[nodiscard]] unsigned int item_indent() const { return 2 * (m_depth + 2); }

    std::ostream& m_out;
    unsigned int m_depth;
    unsigned int m_threads;      ///< 1: indexed_list() starts no helper
    std::string m_member_start;  ///< newline and indent before a member
    std::string m_item_start;    ///< newline and indent before a list item
    std::string m_buffer;
    bool m_first = true;
};

}  // namespace zaudit::report
