// Reads a scenario file into a validated Scenario with every default filled in, or lists every problem found,
// each with the file and the JSON pointer of the offending value. Also writes a Scenario back as resolved JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/scenario.h"

namespace kafkasim {

struct Diagnostic {
  std::string file;     // the scenario file, or "--set PATH=VALUE" for a problem with an override
  std::string pointer;  // RFC 6901 JSON pointer ("/topics/0/replication_factor"); "" for the whole document
  std::string message;
};

// "scenario.json: /topics/0/replication_factor: 4 exceeds the 3 brokers" (the pointer part is left out when empty).
std::string format_diagnostic(const Diagnostic& diagnostic);

struct LoadResult {
  std::optional<Scenario> scenario;  // set exactly when there are no errors
  std::vector<Diagnostic> errors;    // in the order found: overrides, then the document section by section
  std::vector<Diagnostic> warnings;  // the scenario runs, but probably not as its author meant
  bool ok() const { return errors.empty() && scenario.has_value(); }
};

// Reads `path`, applies `overrides` ("PATH=VALUE" strings from --set, see apply_overrides) and validates.
// Diagnostics name the file as given in `path`.
LoadResult load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});

// Same, from text already read; `file_name` names it in diagnostics and gives the default scenario name (its stem).
// JSON with // and /* */ comments is accepted.
LoadResult parse_scenario_text(const std::string& text, const std::string& file_name,
                               const std::vector<std::string>& overrides = {});

// Validates a parsed document.
LoadResult parse_scenario_json(const nlohmann::json& doc, const std::string& file_name);

// Applies --set overrides to a document in order. PATH is slash-separated ("producers/0/config/acks", a leading
// "/" is fine, "~1" and "~0" escape "/" and "~"); the last step may be "-" to append to an array. VALUE is JSON
// when it parses as JSON, a string otherwise. A missing parent or array element is an error naming the override.
// Returns the errors; `doc` holds every override that applied.
std::vector<Diagnostic> apply_overrides(nlohmann::json& doc, const std::vector<std::string>& overrides);

// The scenario with every default written out: units in canonical form, config maps complete (simulated keys
// only), references by name. parse_scenario_json of the result gives back an equal Scenario.
nlohmann::json to_resolved_json(const Scenario& scenario);

}  // namespace kafkasim
