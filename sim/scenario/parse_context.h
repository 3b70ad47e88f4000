// Internal to the scenario loader: collecting diagnostics, reading typed fields of a JSON object with precise
// messages, "did you mean" suggestions, and exact unit formatting for the resolved output.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/kafka_configs.h"
#include "scenario/scenario_loader.h"

namespace kafkasim::scenario_detail {

using nlohmann::json;

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void error(const std::string& pointer, std::string message) { errors.push_back({file_, pointer, std::move(message)}); }
  void warning(const std::string& pointer, std::string message) {
    warnings.push_back({file_, pointer, std::move(message)});
  }
  const std::string& file() const { return file_; }

  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;

 private:
  std::string file_;
};

// RFC 6901: "~" is written "~0" and "/" is written "~1" inside a token.
std::string pointer_child(const std::string& parent, std::string_view key);
std::string pointer_child(const std::string& parent, size_t index);

// A JSON value as shown after "got " in messages (shortened when long).
std::string shown(const json& value);
// "1.5", "3", "0.25" for messages.
std::string number_text(double value);
std::string in_quotes(std::string_view text);

// Restricted Damerau-Levenshtein distance (a swap of neighbours counts 1).
size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word` when it is close enough to be a likely typo.
std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean \"x\"?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Bounds of a numeric field; messages state them.
struct NumberRange {
  std::optional<double> min;
  bool min_exclusive = false;
  std::optional<double> max;
};
std::string range_violation(double value, const NumberRange& range);  // "" when inside

// Typed access to the members of one JSON object. Unknown members are reported when it is built, each with the
// nearest known name. Every reader reports its own type or range error and returns nothing on error or absence.
class Fields {
 public:
  // `what` names the object in messages: "unknown field \"x\" in <what>".
  Fields(const json& object, std::string pointer, std::vector<std::string> known, std::string what,
         Diagnostics& diagnostics);

  const json* get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
  std::string at(std::string_view key) const { return pointer_child(pointer_, key); }
  const std::string& pointer() const { return pointer_; }
  void missing(std::string_view key, const std::string& why = "") const;  // "missing required field \"x\""

  std::optional<std::string> string(std::string_view key, bool required = false) const;
  std::optional<std::string> choice(std::string_view key, const std::vector<std::string>& allowed,
                                    bool required = false) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max, bool required = false) const;
  std::optional<double> number(std::string_view key, const NumberRange& range, bool required = false) const;
  std::optional<double> duration_s(std::string_view key, bool required = false) const;
  std::optional<double> bytes(std::string_view key, bool required = false) const;
  std::optional<double> bandwidth_Bps(std::string_view key, bool required = false) const;

 private:
  const json* object_;
  std::string pointer_;
  Diagnostics& diagnostics_;
};

// Unit-typed values outside a Fields object (array items, distribution members).
enum class UnitKind { duration, bytes, bandwidth };
std::optional<double> read_unit(const json& value, UnitKind kind, const std::string& pointer, Diagnostics& d);

// Canonical text that parses back to exactly `value`: the shortest among the unit's usual forms, else the base
// unit. Bandwidths use bits per second unless `byte_units` (disks).
std::string exact_text(double value, UnitKind kind, bool byte_units = false);

// Resolves a config map of one scope: every simulated key, given values converted, defaults filled in (topic
// defaults from `broker`). Unknown keys are errors with suggestions; ignored keys are warnings. `explicit_keys`
// receives the keys the document set.
ConfigMap read_config(ConfigScope scope, const json* given, const std::string& pointer, Diagnostics& diagnostics,
                      std::set<std::string>* explicit_keys, const ConfigMap* broker = nullptr);

}  // namespace kafkasim::scenario_detail
