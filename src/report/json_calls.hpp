#pragma once
// The calls, media streams and flows of the JSON report, each as its object in `calls[]`,
// `media[]` or `flows[]` (docs/JSON.md); private to the report area.

#include <nlohmann/json.hpp>

#include "zaudit/session/model.hpp"

namespace zaudit::report {

nlohmann::ordered_json flow_to_json(const session::FlowRecord& flow);
nlohmann::ordered_json media_to_json(const session::MediaStream& m);
/// The call with its media streams (each as media_to_json writes it), legs, path and links.
nlohmann::ordered_json call_to_json(const session::Call& call, const session::Model& model);

}  // namespace zaudit::report
