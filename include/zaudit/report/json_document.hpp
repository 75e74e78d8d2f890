#pragma once
/// \file The JSON report written as a stream: each member and list item serialised as it is
/// built and dropped, with the bytes of the whole document's dump(2).

#include <algorithm>
#include <array>
#include <cstddef>
#include <exception>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

namespace zaudit::report {

/// Appends `value` (made printable first) to `text` as it sits `indent` spaces deep in a dump(2)
/// document.
void append_at(std::string& text, nlohmann::ordered_json& value, unsigned int indent);

/// Writes `value` as append_at() serialises it, through `buffer` (reused between calls).
void write_at(std::ostream& out, std::string& buffer, nlohmann::ordered_json& value, unsigned int indent);

/// The document's members written in their order as they are built, the long lists one item
/// at a time: memory holds one call, stream or finding of the report, not the whole document.
/// The bytes are those of the whole document's dump(2).
class DocumentWriter {
public:
    explicit DocumentWriter(std::ostream& out) : m_out{out} { m_out << '{'; }

    void member(std::string_view key, nlohmann::ordered_json value) {
        start(key);
        write_at(m_out, m_buffer, value, 2);
    }

    /// A list whose items `each(emit)` builds and hands to `emit` one by one.
    template <typename Each>
    void list(std::string_view key, Each&& each) {
        start(key);
        bool empty = true;
        each([&](nlohmann::ordered_json item) {
            m_out << (empty ? "[\n    " : ",\n    ");
            empty = false;
            write_at(m_out, m_buffer, item, 4);
        });
        m_out << (empty ? "[]" : "\n  ]");
    }

    /// A list of `count` items, item i built by `make(i)`, with the bytes list() would write. The
    /// items are built and serialised in blocks of k_block, two blocks at a time on two threads
    /// (building and serialising a large report's items costs a quarter of an audit, and the
    /// second core is idle by then), and written in order. `make` must be safe to call from two
    /// threads at once: it reads the audit's results and changes nothing they share.
    template <typename Make>
    void indexed_list(std::string_view key, std::size_t count, Make&& make) {
        start(key);
        if (count == 0) {
            m_out << "[]";
            return;
        }
        m_out << "[\n    ";
        auto render = [&make](std::size_t first, std::size_t last, std::string& text) {
            text.clear();
            for (std::size_t i = first; i < last; ++i) {
                if (i != 0) {
                    text += ",\n    ";
                }
                nlohmann::ordered_json item = make(i);
                append_at(text, item, 4);
            }
        };
        std::array<std::string, 2> blocks;
        for (std::size_t first = 0; first < count; first += 2 * k_block) {
            const std::size_t middle = std::min(count, first + k_block);
            const std::size_t last = std::min(count, first + 2 * k_block);
            std::exception_ptr helper_error;
            std::thread helper;
            if (middle < last) {
                helper = std::thread{[&] {
                    try {
                        render(middle, last, blocks[1]);
                    } catch (...) {
                        helper_error = std::current_exception();
                    }
                }};
            }
            try {
                render(first, middle, blocks[0]);
            } catch (...) {
                if (helper.joinable()) {
                    helper.join();
                }
                throw;
            }
            if (helper.joinable()) {
                helper.join();
            }
            if (helper_error) {
                std::rethrow_exception(helper_error);
            }
            m_out << blocks[0];
            if (middle < last) {
                m_out << blocks[1];
            }
        }
        m_out << "\n  ]";
    }

    void finish() { m_out << "\n}\n"; }

    /// Items per block of indexed_list(): small reports (under one block) stay on one thread.
    static constexpr std::size_t k_block = 256;

private:
    void start(std::string_view key) {
        m_out << (m_first ? "\n  \"" : ",\n  \"") << key << "\": ";
        m_first = false;
    }

    std::ostream& m_out;
    std::string m_buffer;
    bool m_first = true;
};

}  // namespace zaudit::report
