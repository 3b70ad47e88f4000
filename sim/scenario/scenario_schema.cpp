#include "scenario/scenario_schema.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "scenario/kafka_configs.h"

namespace kafkasim {
namespace {

using nlohmann::json;

const char* const kNumber = "([0-9]+\\.?[0-9]*|\\.[0-9]+) *";
const char* const kDurationUnits = "(ns|us|µs|ms|s|m|min|h)";
const char* const kByteUnits = "(B|KB|kB|MB|GB|TB|KiB|MiB|GiB|TiB)";
const char* const kBandwidthUnits =
    "(bps|Kbps|kbps|Mbps|Gbps|Tbps|Bps|B/s|KBps|kBps|KB/s|MBps|MB/s|GBps|GB/s|KiBps|MiBps|MiB/s|GiBps|GiB/s)";

json unit_string(const char* units, const char* description) {
  return {{"type", "string"}, {"pattern", std::string("^") + kNumber + units + "$"}, {"description", description}};
}

json ref(const std::string& name) { return {{"$ref", "#/$defs/" + name}}; }

json with(json schema, const std::string& description, const json& default_value = nullptr) {
  schema["description"] = description;
  if (!default_value.is_null()) schema["default"] = default_value;
  return schema;
}

// A number as JSON: integers stay integers so "maximum" reads naturally.
json bound(double v) {
  if (std::fabs(v) < 9.2e18 && v == std::floor(v)) return static_cast<int64_t>(v);
  if (v >= 9.2e18) return std::numeric_limits<int64_t>::max();
  return v;
}

json config_property(const ConfigDef& def) {
  json p;
  switch (def.type) {
    case ConfigType::boolean:
      p["anyOf"] = json::array({{{"type", "boolean"}}, {{"type", "string"}, {"enum", {"true", "false"}}}});
      break;
    case ConfigType::integer: {
      json number = {{"type", "integer"}};
      if (def.min) number["minimum"] = bound(*def.min);
      if (def.max) number["maximum"] = bound(*def.max);
      p["anyOf"] = json::array({number, {{"type", "string"}, {"pattern", "^\\s*-?[0-9]+\\s*$"}}});
      break;
    }
    case ConfigType::real: {
      json number = {{"type", "number"}};
      if (def.min) number["minimum"] = bound(*def.min);
      if (def.max) number["maximum"] = bound(*def.max);
      p["anyOf"] = json::array({number, {{"type", "string"}, {"pattern", "^\\s*-?[0-9]*\\.?[0-9]+\\s*$"}}});
      break;
    }
    case ConfigType::string: p["type"] = "string"; break;
    case ConfigType::enumeration: {
      json values = json::array();
      for (const auto& v : def.allowed) values.push_back(v);
      for (const auto& [spelling, canonical] : def.aliases) values.push_back(spelling);
      // Integer-like values may be written as JSON numbers (acks: 1).
      for (const auto& v : json(values)) {
        const std::string s = v.get<std::string>();
        if (!s.empty() && s.find_first_not_of("-0123456789") == std::string::npos) values.push_back(std::stoll(s));
      }
      p["enum"] = values;
      break;
    }
    case ConfigType::list: {
      json item = {{"type", "string"}};
      if (!def.allowed.empty()) {
        json values = json::array();
        for (const auto& v : def.allowed) values.push_back(v);
        for (const auto& [spelling, canonical] : def.aliases) values.push_back(spelling);
        item["enum"] = values;
      }
      p["anyOf"] = json::array(
          {{{"type", "array"}, {"items", item}}, {{"type", "string"}, {"description", "comma-separated"}}});
      break;
    }
  }
  std::string description = def.description;
  if (!def.inherited_from.empty()) description += " Default: the broker's " + def.inherited_from + ".";
  if (!def.simulated) description = "No effect in the simulator (accepted for pasted .properties files). " +
                                    description;
  p["description"] = description;
  p["default"] = config_value_to_json(def.default_value);
  return p;
}

json config_object(ConfigScope scope, const std::string& description) {
  json properties = json::object();
  for (const auto& def : config_defs(scope)) properties[def.name] = config_property(def);
  return {{"type", "object"},
          {"description", description},
          {"additionalProperties", false},
          {"properties", properties}};
}

json distribution(const std::string& unit, const std::string& description) {
  json object = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"distribution",
         {{"enum", {"fixed", "exponential", "normal", "lognormal", "uniform"}}, {"default", "fixed"}}},
        {"mean", with(ref(unit), "fixed, exponential, normal, lognormal")},
        {"stddev", with(ref(unit), "normal, lognormal (of the values, not of their logarithm)")},
        {"min", with(ref(unit), "uniform")},
        {"max", with(ref(unit), "uniform")}}}};
  return {{"description", description}, {"oneOf", json::array({ref(unit), object})}};
}

json fault_branch(const std::string& kind, json properties, json required, const std::string& description) {
  properties["kind"] = {{"const", kind}};
  properties["at"] = with(ref("duration"), "when the fault starts");
  properties["duration"] = with(ref("duration"), "how long it lasts (absent: to the end of the run)");
  required.push_back("kind");
  required.push_back("at");
  return {{"description", description},
          {"properties", properties},
          {"required", required},
          {"additionalProperties", false}};
}

json fault_schema() {
  const json target_host = {{"type", "string"},
                            {"description",
                             "broker-<id>, controller-<i> (kraft), zookeeper-<i> (zookeeper), or a role: "
                             "leader:<topic>/<partition>, controller:active, broker:most-leaders, coordinator:<group>"}};
  const json consumer_target = {{"type", "string"}, {"pattern", "^consumer:"}, {"description", "consumer:<name>"}};
  json branches = json::array();
  branches.push_back(fault_branch("crash", {{"target", target_host}}, {"target"},
                                  "Process crash: the page cache survives; restarts after duration if given."));
  branches.push_back(fault_branch("power_loss", {{"target", target_host}}, {"target"},
                                  "Power loss: unflushed data is lost; back after duration if given."));
  branches.push_back(fault_branch(
      "partition",
      {{"groups",
        {{"type", "array"},
         {"minItems", 2},
         {"items", {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "string"}}}}},
         {"description", "host groups cut from each other: brokers, controllers, ZooKeeper nodes, client names"}}},
       {"one_way", {{"type", "boolean"}, {"default", false}, {"description", "cut only groups[0] -> groups[1]"}}},
       {"traffic", {{"enum", {"all", "replication", "client", "control"}}, {"default", "all"}}}},
      {"groups"}, "Network partition between groups of hosts."));
  branches.push_back(fault_branch(
      "link_degrade",
      {{"target", with(target_host, "a host or role; producer and consumer names too")},
       {"extra_latency", with(ref("duration"), "added one-way latency")},
       {"bandwidth_factor", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1}}},
       {"drop_probability", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}},
      {"target"}, "Slower, lossier link of one host (give at least one of the three effects)."));
  branches.push_back(fault_branch(
      "slow_disk",
      {{"target", {{"type", "string"}, {"description", "broker-<id>, leader:<topic>/<partition>, broker:most-leaders, coordinator:<group>"}}},
       {"factor", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1}}}},
      {"target", "factor"}, "A broker's disk runs at factor of its bandwidth."));
  branches.push_back(fault_branch("consumer_pause", {{"target", consumer_target}}, {"target", "duration"},
                                  "A consumer stops processing (a long GC pause) for duration."));
  branches.push_back(fault_branch("consumer_slow",
                                  {{"target", consumer_target},
                                   {"factor", {{"type", "number"}, {"exclusiveMinimum", 0}}}},
                                  {"target", "factor"}, "A consumer's processing time is multiplied by factor."));
  branches.push_back(fault_branch("consumer_crash", {{"target", consumer_target}}, {"target"},
                                  "A consumer process dies without leaving its group; restarts after duration if "
                                  "given, as a new member unless group.instance.id is set."));
  branches.push_back(fault_branch("consumer_leave", {{"target", consumer_target}}, {"target"},
                                  "A consumer closes cleanly (LeaveGroup, except static members) and stays gone."));
  branches.push_back(fault_branch(
      "rolling_restart",
      {{"target", {{"type", "string"}, {"pattern", "^group:"}, {"description", "group:<group.id>"}}},
       {"interval", with(ref("duration"), "from one member coming back to the next member going down (default 0s)")}},
      {"target", "duration"},
      "Every member of the group in turn (scenario order): clean close, down for duration, start again."));
  return {{"type", "object"},
          {"required", {"kind", "at"}},
          {"properties",
           {{"kind",
             {{"enum", {"crash", "power_loss", "partition", "link_degrade", "slow_disk", "consumer_pause",
                        "consumer_slow", "consumer_crash", "consumer_leave", "rolling_restart"}}}}}},
          {"oneOf", branches}};
}

std::string cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string number_text(double v) {
  if (std::fabs(v) < 9.2e18 && v == std::floor(v)) return std::to_string(static_cast<int64_t>(v));
  if (v >= 9.2e18) return "9223372036854775807";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

nlohmann::json scenario_json_schema() {
  json defs = json::object();
  defs["duration"] = unit_string(kDurationUnits, "a duration like \"250ms\" (ns, us, ms, s, m, min, h)");
  defs["bytes"] = unit_string(kByteUnits, "a size like \"16KB\" (SI: KB = 1000 B; IEC: KiB = 1024 B)");
  defs["bandwidth"] = unit_string(kBandwidthUnits, "a bandwidth like \"10Gbps\" (bits) or \"500MBps\" (bytes)");
  defs["brokerConfig"] = config_object(ConfigScope::broker, "Broker configs (server.properties keys).");
  defs["topicConfig"] = config_object(ConfigScope::topic, "Topic configs; defaults come from the broker configs.");
  defs["producerConfig"] = config_object(ConfigScope::producer, "Producer configs (producer.properties keys).");
  defs["consumerConfig"] = config_object(ConfigScope::consumer, "Consumer configs (consumer.properties keys).");
  defs["fault"] = fault_schema();

  json cluster = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"brokers", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"default", 3}}},
        {"network",
         {{"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"bandwidth", with(ref("bandwidth"), "per host link, each direction", "10Gbps")},
            {"latency", with(ref("duration"), "one way, host to host", "0.2ms")}}}}},
        {"disk",
         {{"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"write_bandwidth", with(ref("bandwidth"), "per broker disk", "500MBps")},
            {"dirty_limit", with(ref("bytes"), "page cache a broker may fill before appends wait for the disk",
                                 "6GiB")}}}}},
        {"control_plane",
         {{"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"mode", {{"enum", {"kraft", "zookeeper"}}, {"default", "kraft"}}},
            {"nodes", {{"enum", {1, 3, 5, 7}}, {"default", 3}, {"description", "KRaft controllers or ZooKeeper "
                                                                                   "servers"}}}}}}},
        {"config", ref("brokerConfig")}}}};

  json topic = {{"type", "object"},
                {"additionalProperties", false},
                {"properties",
                 {{"name",
                   {{"type", "string"},
                    {"pattern", "^[a-zA-Z0-9._-]{1,249}$"},
                    {"description", "default topic-<i>"}}},
                  {"partitions",
                   {{"type", "integer"}, {"minimum", 1}, {"description", "default: the broker's num.partitions"}}},
                  {"replication_factor",
                   {{"type", "integer"},
                    {"minimum", 1},
                    {"description", "at most the number of brokers; default: default.replication.factor"}}},
                  {"config", ref("topicConfig")}}}};

  json keys = {{"type", "object"},
               {"additionalProperties", false},
               {"properties",
                {{"distribution", {{"enum", {"none", "uniform", "zipf", "sequential"}}, {"default", "none"}}},
                 {"count", {{"type", "integer"}, {"minimum", 1}, {"description", "size of the key space"}}},
                 {"exponent", {{"type", "number"}, {"exclusiveMinimum", 0}, {"default", 1.0}}}}}};

  json producer = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "default producer-<i>"}}},
        {"topic", {{"type", "string"}, {"description", "required when the scenario has several topics"}}},
        {"rate", {{"type", "number"}, {"exclusiveMinimum", 0}, {"default", 1000}, {"description", "records/s"}}},
        {"arrival", {{"enum", {"poisson", "constant"}}, {"default", "poisson"}}},
        {"record_size", distribution("bytes", "value size per record (default 100B)")},
        {"keys", keys},
        {"start", with(ref("duration"), "when it starts", "0s")},
        {"stop", with(ref("duration"), "default: end of the run")},
        {"max_records", {{"type", "integer"}, {"minimum", 1}}},
        {"send_time", with(ref("duration"), "application time per send() call; caps one producer thread at 1/send_time records/s", "0s")},
        {"config", ref("producerConfig")}}}};

  json partition_ref = {{"type", "object"},
                        {"additionalProperties", false},
                        {"required", {"topic", "partition"}},
                        {"properties",
                         {{"topic", {{"type", "string"}}}, {"partition", {{"type", "integer"}, {"minimum", 0}}}}}};
  json consumer = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "default consumer-<i>"}}},
        {"topics",
         {{"type", "array"},
          {"minItems", 1},
          {"items", {{"type", "string"}}},
          {"description", "default: every topic"}}},
        {"partitions",
         {{"type", "array"},
          {"minItems", 1},
          {"items", {{"oneOf", json::array({{{"type", "integer"}, {"minimum", 0}}, partition_ref})}}},
          {"description", "fixed assignment (assign() instead of subscribe()); bare numbers with one topic"}}},
        {"processing_time", distribution("duration", "per record (default 0s)")},
        {"commit",
         {{"enum", {"auto", "sync_after_processing", "async_after_processing", "before_processing", "none"}},
          {"default", "auto"}}},
        {"start", with(ref("duration"), "when it starts", "0s")},
        {"config", ref("consumerConfig")}}}};

  json schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", "https://kafkasim.invalid/scenarios/schema.json"},
      {"title", "kafkasim scenario"},
      {"description",
       "A simulated Kafka cluster, its workload and faults. Generated from sim/scenario/kafka_configs.cpp; see "
       "scenarios/README.md."},
      {"type", "object"},
      {"required", {"topics"}},
      {"additionalProperties", false},
      {"properties",
       {{"$schema", {{"type", "string"}}},
        {"name", {{"type", "string"}, {"description", "default: the file name without extension"}}},
        {"description", {{"type", "string"}}},
        {"expected", {{"type", "string"}, {"description", "the outcome the scenario shows, in words"}}},
        {"seed", {{"type", "integer"}, {"minimum", 0}, {"maximum", std::numeric_limits<uint64_t>::max()},
                  {"default", 1}}},
        {"duration", with(ref("duration"), "simulated time of the run", "60s")},
        {"settle", with(ref("duration"),
                        "after the run: faults healed, producers stopped, this long to recover, then every "
                        "partition is read from the start for the checker",
                        "0s")},
        {"cluster", cluster},
        {"topics", {{"type", "array"}, {"minItems", 1}, {"items", topic}}},
        {"producers", {{"type", "array"}, {"items", producer}}},
        {"consumers", {{"type", "array"}, {"items", consumer}}},
        {"faults", {{"type", "array"}, {"items", ref("fault")}}},
        {"metrics",
         {{"type", "object"},
          {"additionalProperties", false},
          {"properties", {{"interval", with(ref("duration"), "sampling period", "1s")}}}}}}},
      {"$defs", defs}};
  return schema;
}

std::string config_reference_markdown() {
  std::string out;
  for (auto scope : {ConfigScope::broker, ConfigScope::topic, ConfigScope::producer, ConfigScope::consumer}) {
    out += "### " + std::string(to_string(scope)) + " configs\n\n";
    out += "| key | type | default | accepted values | description |\n|---|---|---|---|---|\n";
    for (const auto& def : config_defs(scope)) {
      std::string values;
      if (def.type == ConfigType::integer || def.type == ConfigType::real) {
        if (def.min && def.max && *def.max < 9e18)
          values = number_text(*def.min) + " .. " + number_text(*def.max);
        else if (def.min)
          values = ">= " + number_text(*def.min);
      } else if (def.type == ConfigType::boolean) {
        values = "true, false";
      }
      for (const auto& v : def.allowed) values += (values.empty() ? "" : ", ") + v;
      for (const auto& [spelling, canonical] : def.aliases)
        if (spelling.find('.') == std::string::npos) values += (values.empty() ? "" : ", ") + spelling + " (= " +
                                                               canonical + ")";
      if (def.name == "partition.assignment.strategy") values += "; Kafka's assignor class names";
      std::string default_text = def.inherited_from.empty()
                                     ? "`" + config_value_text(def.default_value) + "`"
                                     : "broker's `" + def.inherited_from + "`";
      if (def.type == ConfigType::string && config_value_text(def.default_value).empty() &&
          def.inherited_from.empty())
        default_text = "(empty)";
      std::string description = def.simulated ? def.description : "**no effect** — " + def.description;
      out += "| `" + def.name + "` | " + std::string(to_string(def.type)) + " | " + cell(default_text) + " | " +
             cell(values) + " | " + cell(description) + " |\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace kafkasim
