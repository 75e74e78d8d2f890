#include "json_document.hpp"

#include "zaudit/report/report.hpp"

namespace zaudit::report {

/// Writes `value` as nlohmann-json's dump(2) writes it inside a document, where it sits `indent`
/// spaces deep: nlohmann-json's own serializer (what dump uses) takes the depth to start at. It
/// writes into `buffer` (reused, so that its memory is allocated once) and the stream gets it in
/// one piece, which costs less than the serializer's many small writes to a stream.
void write_at(std::ostream& out, std::string& buffer, nlohmann::ordered_json& value, unsigned int indent) {
    make_printable(value);  // every string from a capture is bytes until escaped
    buffer.clear();
    nlohmann::detail::serializer<nlohmann::ordered_json> serializer{nlohmann::detail::output_adapter<char>(buffer), ' ',
                                                                    nlohmann::detail::error_handler_t::strict};
    serializer.dump(value, true, false, 2, indent);
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace zaudit::report
