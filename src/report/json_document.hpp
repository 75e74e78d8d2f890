#pragma once
/// \file The JSON report written as a stream: each member and list item serialised as it is
/// built and dropped, with the bytes of the whole document's dump(2).

#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace zaudit::report {

/// Writes `value` (made printable first) as it sits `indent` spaces deep in a dump(2) document.
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

    void finish() { m_out << "\n}\n"; }

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
