// The Kafka configs a scenario may set: one table entry per key, with Kafka's name, type, default and range.
// Validation, defaulting, the resolved scenario, schema.json and the README's key table all derive from it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "scenario/scenario.h"

namespace kafkasim {

enum class ConfigScope { producer, consumer, broker, topic };
enum class ConfigType { boolean, integer, real, string, enumeration, list };

std::string_view to_string(ConfigScope scope);  // "producer", "consumer", "broker", "topic"
std::string_view to_string(ConfigType type);    // "bool", "int", "double", "string", "enum", "list"

struct ConfigDef {
  std::string name;  // Kafka's key, e.g. "linger.ms"
  ConfigScope scope = ConfigScope::producer;
  ConfigType type = ConfigType::string;
  ConfigValue default_value;  // topic keys: the default of the broker key they inherit (for documentation)
  std::optional<double> min;  // integer and real
  std::optional<double> max;
  std::vector<std::string> allowed;                            // enumeration values / list items, canonical
  std::vector<std::pair<std::string, std::string>> aliases;    // accepted spelling -> canonical value
  std::string description;  // one line
  bool simulated = true;    // false: accepted so real .properties files paste, but warned as having no effect
  std::string inherited_from;  // topic keys: the broker key whose resolved value is the default
  // Topic keys: computes the default from the resolved broker config (set when not a plain copy).
  std::function<ConfigValue(const ConfigMap& broker)> inherit;
  // Extra check on a converted value; returns an error message, empty when fine.
  std::function<std::string(const ConfigValue&)> check;
};

// Every key of one scope, in alphabetical order.
const std::vector<ConfigDef>& config_defs(ConfigScope scope);
// nullptr when `name` is not a key of that scope.
const ConfigDef* find_config(ConfigScope scope, std::string_view name);

// Converts a value as written in a scenario (JSON number/bool/array, or a string as in a .properties file) to the
// key's type, applying aliases and range checks. On failure returns the reason ("expected an integer, got \"x\"").
struct ConfigConversion {
  std::optional<ConfigValue> value;
  std::string error;
};
ConfigConversion convert_config_value(const ConfigDef& def, const nlohmann::json& raw);

// A resolved value as JSON (bool, integer, number, string or array of strings).
nlohmann::json config_value_to_json(const ConfigValue& value);
// Human-readable text of a value, as in a .properties file ("all", "5", "range,cooperative-sticky").
std::string config_value_text(const ConfigValue& value);

// A Kafka release number as inter.broker.protocol.version writes it: "3.7", "0.10.2", "2.8-IV1".
struct KafkaVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const KafkaVersion&) const = default;
};
std::optional<KafkaVersion> parse_kafka_version(std::string_view text);

// True when followers truncate by leader epoch (KIP-101, Kafka 0.11+); false selects the old truncation to the
// follower's own high watermark. REQUIRES a resolved broker config.
bool uses_leader_epoch_truncation(const ConfigMap& broker_config);

}  // namespace kafkasim
