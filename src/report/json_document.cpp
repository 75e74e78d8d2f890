#include "zaudit/report/json_document.hpp"

#include "zaudit/report/report.hpp"

namespace zaudit::report {

/// nlohmann-json's own serializer (what dump uses) takes the depth to start at, and appends to
/// a string.
void append_at(std::string& text, nlohmann::ordered_json& value, unsigned int indent) {
    make_printable(value);  // every string from a capture is bytes until escaped
    nlohmann::detail::serializer<nlohmann::ordered_json> serializer{nlohmann::detail::output_adapter<char>(text), ' ',
                                                                    nlohmann::detail::error_handler_t::strict};
    serializer.dump(value, true, false, 2, indent);
}

/// The stream gets the item in one piece, which costs less than the serializer's many small
/// writes to a stream; `buffer` is reused, so that its memory is allocated once.
void write_at(std::ostream& out, std::string& buffer, nlohmann::ordered_json& value, unsigned int indent) {
    buffer.clear();
    append_at(buffer, value, indent);
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace zaudit::report
