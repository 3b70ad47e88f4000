// Documentation generated from the config table, so it cannot drift from what the loader accepts:
// the JSON Schema of scenario files (scenarios/schema.json) and the config-key tables of scenarios/README.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kafkasim {

// JSON Schema (draft 2020-12) of a scenario file, for editors. Slightly stricter than the loader in places it
// cannot express (e.g. enum values are listed in their canonical case only).
nlohmann::json scenario_json_schema();

// Markdown tables of every config key, one section per scope, for scenarios/README.md.
std::string config_reference_markdown();

}  // namespace kafkasim
