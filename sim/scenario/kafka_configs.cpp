#include "scenario/kafka_configs.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace kafkasim {
namespace {

using nlohmann::json;

constexpr double kIntMax = 2147483647.0;  // Kafka's Type.INT
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();

// Builds one table entry; keeps the tables below one readable line (or three) per key.
class Def {
 public:
  Def(ConfigScope scope, std::string name, ConfigType type, ConfigValue default_value, std::string description) {
    d_.scope = scope;
    d_.name = std::move(name);
    d_.type = type;
    d_.default_value = std::move(default_value);
    d_.description = std::move(description);
  }
  Def& range(std::optional<double> min, std::optional<double> max = std::nullopt) {
    d_.min = min;
    d_.max = max;
    return *this;
  }
  Def& allowed(std::vector<std::string> values) {
    d_.allowed = std::move(values);
    return *this;
  }
  Def& alias(std::string spelling, std::string canonical) {
    d_.aliases.emplace_back(std::move(spelling), std::move(canonical));
    return *this;
  }
  Def& ignored() {
    d_.simulated = false;
    return *this;
  }
  Def& inherits(std::string broker_key, std::function<ConfigValue(const ConfigMap&)> compute = {}) {
    d_.inherited_from = std::move(broker_key);
    d_.inherit = std::move(compute);
    return *this;
  }
  Def& check(std::function<std::string(const ConfigValue&)> fn) {
    d_.check = std::move(fn);
    return *this;
  }
  operator ConfigDef() const { return d_; }

 private:
  ConfigDef d_;
};

Def boolean(ConfigScope s, std::string name, bool v, std::string desc) {
  return Def(s, std::move(name), ConfigType::boolean, v, std::move(desc));
}
Def integer(ConfigScope s, std::string name, int64_t v, std::string desc) {
  return Def(s, std::move(name), ConfigType::integer, v, std::move(desc));
}
// Kafka's Type.INT: a 32-bit value, non-negative unless stated.
Def int32(ConfigScope s, std::string name, int64_t v, std::string desc, double min = 0) {
  return integer(s, std::move(name), v, std::move(desc)).range(min, kIntMax);
}
// Kafka's Type.LONG.
Def int64(ConfigScope s, std::string name, int64_t v, std::string desc, double min = 0) {
  return integer(s, std::move(name), v, std::move(desc)).range(min, static_cast<double>(kLongMax));
}
Def real(ConfigScope s, std::string name, double v, std::string desc) {
  return Def(s, std::move(name), ConfigType::real, v, std::move(desc));
}
Def string(ConfigScope s, std::string name, std::string v, std::string desc) {
  return Def(s, std::move(name), ConfigType::string, std::move(v), std::move(desc));
}
Def enumeration(ConfigScope s, std::string name, std::string v, std::vector<std::string> allowed, std::string desc) {
  return Def(s, std::move(name), ConfigType::enumeration, std::move(v), std::move(desc)).allowed(std::move(allowed));
}
Def list(ConfigScope s, std::string name, std::vector<std::string> v, std::string desc) {
  return Def(s, std::move(name), ConfigType::list, std::move(v), std::move(desc));
}

std::string check_protocol_version(const ConfigValue& v) {
  if (parse_kafka_version(std::get<std::string>(v))) return "";
  return "expected a Kafka version like \"3.7\" or \"0.10.2\" (major.minor[.patch]), got \"" +
         std::get<std::string>(v) + "\"";
}

std::vector<ConfigDef> producer_defs() {
  const auto P = ConfigScope::producer;
  return {
      enumeration(P, "acks", "all", {"all", "0", "1"},
                  "Acknowledgements the leader waits for: 0 none, 1 its own append, all the whole ISR (-1 = all).")
          .alias("-1", "all"),
      int64(P, "batch.size", 16384, "Bytes of records batched per partition before a batch is sent."),
      list(P, "bootstrap.servers", {}, "Brokers to contact first; the simulator connects clients directly.").ignored(),
      int64(P, "buffer.memory", 33554432, "Bytes of unsent records the producer may buffer before send() blocks."),
      string(P, "client.id", "", "Name sent with requests; clients are named by the scenario.").ignored(),
      enumeration(P, "compression.type", "none", {"none", "gzip", "snappy", "lz4", "zstd"},
                  "Batch compression; records are not compressed in the simulator.")
          .ignored(),
      int32(P, "delivery.timeout.ms", 120000,
            "Upper bound on the time from send() to success or failure, retries included."),
      boolean(P, "enable.idempotence", true,
              "Producer id and sequence numbers so retries do not duplicate (turned off when acks/retries/"
              "in-flight conflict and it was not set explicitly)."),
      string(P, "key.serializer", "", "Serializer class; the simulator has no serialization.").ignored(),
      int64(P, "linger.ms", 0, "Time a batch waits for more records before it is sent."),
      int64(P, "max.block.ms", 60000, "Time send() may block when the buffer is full or metadata is missing."),
      int32(P, "max.in.flight.requests.per.connection", 5,
            "Unacknowledged requests per broker connection (at most 5 with idempotence).", 1),
      int32(P, "max.request.size", 1048576, "Largest produce request in bytes (also caps a single record)."),
      boolean(P, "partitioner.ignore.keys", false, "Ignore keys and use the sticky partitioner for every record."),
      int32(P, "request.timeout.ms", 30000, "Time to wait for a produce response before retrying."),
      int32(P, "retries", 2147483647, "Retries of a failed batch (bounded by delivery.timeout.ms)."),
      int64(P, "retry.backoff.ms", 100, "Pause before retrying a failed request."),
      int32(P, "transaction.timeout.ms", 60000, "Time the coordinator lets a transaction stay open before aborting it.",
            1),
      string(P, "transactional.id", "",
             "Transactions are not modelled yet: a non-empty value is an error rather than a producer that silently is "
             "not transactional."),
      string(P, "value.serializer", "", "Serializer class; the simulator has no serialization.").ignored(),
  };
}

std::vector<ConfigDef> consumer_defs() {
  const auto C = ConfigScope::consumer;
  return {
      int32(C, "auto.commit.interval.ms", 5000, "Period of automatic offset commits when enable.auto.commit is on."),
      enumeration(C, "auto.offset.reset", "latest", {"earliest", "latest", "none"},
                  "Where to start without a committed offset: earliest, latest, or none (error)."),
      list(C, "bootstrap.servers", {}, "Brokers to contact first; the simulator connects clients directly.").ignored(),
      string(C, "client.id", "", "Name sent with requests; clients are named by the scenario.").ignored(),
      boolean(C, "enable.auto.commit", true,
              "Commit offsets in the background every auto.commit.interval.ms (off without a group.id)."),
      int32(C, "fetch.max.bytes", 52428800, "Most bytes one fetch response returns."),
      int32(C, "fetch.max.wait.ms", 500, "Longest time the broker holds a fetch waiting for fetch.min.bytes."),
      int32(C, "fetch.min.bytes", 1, "Bytes the broker waits for before answering a fetch."),
      string(C, "group.id", "", "Consumer group; empty means no group (manual assignment, no commits)."),
      string(C, "group.instance.id", "", "Static membership id (KIP-345); empty means a dynamic member."),
      enumeration(C, "group.protocol", "classic", {"classic", "consumer"},
                  "Rebalance protocol: classic (JoinGroup/SyncGroup) or consumer (KIP-848, needs KRaft)."),
      int32(C, "heartbeat.interval.ms", 3000, "Period of heartbeats to the group coordinator.", 1),
      enumeration(C, "isolation.level", "read_uncommitted", {"read_uncommitted", "read_committed"},
                  "read_committed reads only below the last stable offset; with no transactional producers (not "
                  "modelled yet) that is the high watermark, as in Kafka."),
      string(C, "key.deserializer", "", "Deserializer class; the simulator has no serialization.").ignored(),
      int32(C, "max.partition.fetch.bytes", 1048576, "Most bytes one fetch returns per partition."),
      int32(C, "max.poll.interval.ms", 300000, "Longest time between polls before the member leaves the group.", 1),
      int32(C, "max.poll.records", 500, "Most records one poll returns.", 1),
      list(C, "partition.assignment.strategy", {"range", "cooperative-sticky"},
           "Assignors in order of preference: range, roundrobin, sticky, cooperative-sticky (or Kafka class names).")
          .allowed({"range", "roundrobin", "sticky", "cooperative-sticky"})
          .alias("org.apache.kafka.clients.consumer.RangeAssignor", "range")
          .alias("org.apache.kafka.clients.consumer.RoundRobinAssignor", "roundrobin")
          .alias("org.apache.kafka.clients.consumer.StickyAssignor", "sticky")
          .alias("org.apache.kafka.clients.consumer.CooperativeStickyAssignor", "cooperative-sticky"),
      int32(C, "request.timeout.ms", 30000, "Time to wait for a response before retrying or failing."),
      int64(C, "retry.backoff.ms", 100, "Pause before retrying a failed request."),
      int32(C, "session.timeout.ms", 45000,
            "A member without heartbeats for this long is removed from the group.", 1),
      string(C, "value.deserializer", "", "Deserializer class; the simulator has no serialization.").ignored(),
  };
}

std::vector<ConfigDef> broker_defs() {
  const auto B = ConfigScope::broker;
  return {
      string(B, "advertised.listeners", "", "Listener addresses for clients; the simulator has no sockets.").ignored(),
      int32(B, "broker.heartbeat.interval.ms", 2000, "KRaft: period of broker heartbeats to the active controller.",
            1),
      integer(B, "broker.id", -1, "Broker id; brokers are numbered 0..brokers-1 by the scenario.").range(-1).ignored(),
      int32(B, "broker.session.timeout.ms", 9000,
            "KRaft: a broker without heartbeats for this long is fenced by the controller.", 1),
      string(B, "controller.listener.names", "", "KRaft listener names; no sockets in the simulator.").ignored(),
      int32(B, "controller.quorum.election.timeout.ms", 1000,
            "KRaft: time without a leader before a controller starts an election (plus jitter).", 1),
      int32(B, "controller.quorum.fetch.timeout.ms", 2000,
            "KRaft: time without fetches from the leader before a voter suspects it.", 1),
      string(B, "controller.quorum.voters", "", "KRaft voters; set by cluster.control_plane.nodes.").ignored(),
      int32(B, "default.replication.factor", 1, "Replication factor of topics that do not give one.", 1),
      int32(B, "group.initial.rebalance.delay.ms", 3000,
            "Wait for more members before the first rebalance of an empty group."),
      int32(B, "group.max.session.timeout.ms", 1800000, "Largest session.timeout.ms a consumer may ask for.", 1),
      int32(B, "group.min.session.timeout.ms", 6000, "Smallest session.timeout.ms a consumer may ask for.", 1),
      string(B, "inter.broker.listener.name", "", "Listener used between brokers; no sockets in the simulator.")
          .ignored(),
      string(B, "inter.broker.protocol.version", "3.7",
             "Kafka version the brokers speak (\"major.minor[.patch]\"); before 0.11 followers truncate to their "
             "high watermark instead of by leader epoch.")
          .check(check_protocol_version),
      string(B, "listener.security.protocol.map", "", "Listener security; not simulated.").ignored(),
      string(B, "listeners", "", "Listener addresses; the simulator has no sockets.").ignored(),
      string(B, "log.dirs", "", "Data directories; each broker has one simulated disk.").ignored(),
      int64(B, "log.flush.interval.messages", kLongMax, "Messages appended to a partition before an fsync.", 1),
      int64(B, "log.flush.interval.ms", -1,
            "Time a message may stay unflushed before an fsync; -1 (not set) means never, as in Kafka.", -1),
      int32(B, "log.retention.check.interval.ms", 300000, "Retention check period; not simulated.", 1).ignored(),
      int32(B, "log.retention.hours", 168, "Hours a log segment is kept (-1: forever).", -1),
      int32(B, "log.segment.bytes", 1073741824, "Size of a log segment file.", 14),
      int32(B, "message.max.bytes", 1048588, "Largest record batch a broker accepts."),
      int32(B, "min.insync.replicas", 1, "In-sync replicas an acks=all write needs (topic default).", 1),
      int32(B, "node.id", -1, "KRaft node id; set by the scenario.", -1).ignored(),
      int32(B, "num.io.threads", 8, "Request handler threads; not simulated.", 1).ignored(),
      int32(B, "num.network.threads", 3, "Network threads; not simulated.", 1).ignored(),
      int32(B, "num.partitions", 1, "Partition count of topics that do not give one.", 1),
      int32(B, "num.recovery.threads.per.data.dir", 1, "Log recovery threads; not simulated.", 1).ignored(),
      int32(B, "offsets.commit.timeout.ms", 5000,
            "An offset commit waits this long for all replicas of its __consumer_offsets partition.", 1),
      int32(B, "offsets.topic.num.partitions", 50, "Partitions of __consumer_offsets (group coordinators).", 1),
      int32(B, "offsets.topic.replication.factor", 3, "Replication factor of __consumer_offsets.", 1),
      string(B, "process.roles", "", "KRaft roles; set by cluster.control_plane.").ignored(),
      int32(B, "replica.fetch.max.bytes", 1048576, "Bytes a follower asks for per partition in one fetch."),
      int32(B, "replica.fetch.min.bytes", 1, "Bytes the leader waits for before answering a follower fetch.", 1),
      int32(B, "replica.fetch.wait.max.ms", 500, "Longest time the leader holds a follower fetch."),
      int64(B, "replica.lag.time.max.ms", 30000,
            "A follower not caught up for this long is removed from the ISR."),
      int32(B, "replica.socket.timeout.ms", 30000, "Timeout of follower fetch requests."),
      int32(B, "socket.receive.buffer.bytes", 102400, "Socket buffer; not simulated.", -1).ignored(),
      int32(B, "socket.request.max.bytes", 104857600, "Largest request; not simulated.", 1).ignored(),
      int32(B, "socket.send.buffer.bytes", 102400, "Socket buffer; not simulated.", -1).ignored(),
      int32(B, "transaction.state.log.min.isr", 2, "min.insync.replicas of __transaction_state.", 1),
      int32(B, "transaction.state.log.num.partitions", 50,
            "Partitions of __transaction_state (transaction coordinators).", 1),
      int32(B, "transaction.state.log.replication.factor", 3, "Replication factor of __transaction_state.", 1),
      boolean(B, "unclean.leader.election.enable", false,
              "Elect an out-of-sync replica when no ISR member is alive (loses data) (topic default)."),
      string(B, "zookeeper.connect", "", "ZooKeeper address; set by cluster.control_plane.").ignored(),
      int32(B, "zookeeper.connection.timeout.ms", 18000, "ZooKeeper connect timeout; not simulated.", 1).ignored(),
      int32(B, "zookeeper.session.timeout.ms", 18000,
            "ZooKeeper mode: a broker whose session expires is dead to the cluster.", 1),
      real(B, "kafkasim.controller.election.ms.per.partition", 5.0,
           "Simulator: controller time per partition to elect a leader (ms).")
          .range(0),
      real(B, "kafkasim.controller.metadata.load.ms.per.partition", 2.0,
           "Simulator: time per partition for a new ZooKeeper-mode controller to load metadata (ms).")
          .range(0),
  };
}

std::vector<ConfigDef> topic_defs() {
  const auto T = ConfigScope::topic;
  return {
      int64(T, "flush.messages", kLongMax, "Messages appended before an fsync.", 1)
          .inherits("log.flush.interval.messages"),
      int64(T, "flush.ms", kLongMax, "Time a message may stay unflushed before an fsync.")
          .inherits("log.flush.interval.ms",
                    [](const ConfigMap& broker) -> ConfigValue {
                      // Kafka: an unset log.flush.interval.ms falls back to Long.MAX_VALUE, i.e. never.
                      int64_t ms = broker.get_int("log.flush.interval.ms");
                      return ms < 0 ? kLongMax : ms;
                    }),
      int32(T, "min.insync.replicas", 1, "In-sync replicas an acks=all write needs.", 1)
          .inherits("min.insync.replicas"),
      int64(T, "retention.ms", 604800000, "Time a log segment is kept (-1: forever).", -1)
          .inherits("log.retention.hours",
                    [](const ConfigMap& broker) -> ConfigValue {
                      int64_t hours = broker.get_int("log.retention.hours");
                      return hours < 0 ? int64_t{-1} : hours * 3600000;
                    }),
      int32(T, "segment.bytes", 1073741824, "Size of a log segment file.", 14).inherits("log.segment.bytes"),
      boolean(T, "unclean.leader.election.enable", false,
              "Elect an out-of-sync replica when no ISR member is alive (loses data).")
          .inherits("unclean.leader.election.enable"),
  };
}

std::vector<ConfigDef> sorted(std::vector<ConfigDef> defs) {
  std::sort(defs.begin(), defs.end(), [](const ConfigDef& a, const ConfigDef& b) { return a.name < b.name; });
  return defs;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string shown(const json& raw) {
  std::string text = raw.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string number_text(double v) {
  if (std::fabs(v) < 9.2e18 && v == std::floor(v)) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string range_error(const ConfigDef& def, double v) {
  bool low = def.min && v < *def.min;
  bool high = def.max && v > *def.max;
  if (!low && !high) return "";
  std::string got = ", got " + number_text(v);
  if (def.min && def.max && *def.max >= 9.2e18) return "must be at least " + number_text(*def.min) + got;
  if (def.min && def.max) return "must be between " + number_text(*def.min) + " and " + number_text(*def.max) + got;
  if (def.min) return "must be at least " + number_text(*def.min) + got;
  return "must be at most " + number_text(*def.max) + got;
}

std::string allowed_text(const ConfigDef& def) {
  std::string out;
  auto add = [&](const std::string& v) { out += (out.empty() ? "" : ", ") + ("\"" + v + "\""); };
  for (const auto& v : def.allowed) add(v);
  for (const auto& [spelling, canonical] : def.aliases)
    if (spelling.find('.') == std::string::npos) add(spelling);  // class-name aliases would drown the list
  return out;
}

// Canonical value of an enumeration value or list item; nullopt when not allowed.
std::optional<std::string> canonical(const ConfigDef& def, const std::string& text) {
  std::string key = lower(trim(text));
  for (const auto& v : def.allowed)
    if (lower(v) == key) return v;
  for (const auto& [spelling, value] : def.aliases)
    if (lower(spelling) == key) return value;
  return std::nullopt;
}

ConfigConversion fail(std::string message) { return {std::nullopt, std::move(message)}; }

ConfigConversion convert_bool(const json& raw) {
  if (raw.is_boolean()) return {raw.get<bool>(), ""};
  if (raw.is_string()) {
    std::string t = lower(trim(raw.get<std::string>()));
    if (t == "true") return {true, ""};
    if (t == "false") return {false, ""};
  }
  return fail("expected true or false, got " + shown(raw));
}

ConfigConversion convert_integer(const ConfigDef& def, const json& raw) {
  int64_t v = 0;
  if (raw.is_number_integer() && !raw.is_number_unsigned()) {
    v = raw.get<int64_t>();
  } else if (raw.is_number_unsigned()) {
    uint64_t u = raw.get<uint64_t>();
    if (u > static_cast<uint64_t>(kLongMax)) return fail(range_error(def, static_cast<double>(u)));
    v = static_cast<int64_t>(u);
  } else if (raw.is_string()) {
    std::string t = trim(raw.get<std::string>());
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size())
      return fail("expected an integer, got " + shown(raw));
  } else {
    return fail("expected an integer, got " + shown(raw));
  }
  // Compare in integers: doubles cannot tell 2^63-1 from 2^63.
  if ((def.min && v < static_cast<int64_t>(*def.min)) ||
      (def.max && *def.max < 9.2e18 && v > static_cast<int64_t>(*def.max))) {
    std::string e = range_error(def, static_cast<double>(v));
    size_t got = e.rfind(", got ");
    return fail(e.substr(0, got) + ", got " + std::to_string(v));
  }
  return {v, ""};
}

ConfigConversion convert_real(const ConfigDef& def, const json& raw) {
  double v = 0;
  if (raw.is_number()) {
    v = raw.get<double>();
  } else if (raw.is_string()) {
    std::string t = trim(raw.get<std::string>());
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
      return fail("expected a number, got " + shown(raw));
  } else {
    return fail("expected a number, got " + shown(raw));
  }
  if (auto e = range_error(def, v); !e.empty()) return fail(e);
  return {v, ""};
}

ConfigConversion convert_enumeration(const ConfigDef& def, const json& raw) {
  std::string text;
  if (raw.is_string()) {
    text = raw.get<std::string>();
  } else if (raw.is_number_integer()) {
    text = raw.dump();  // acks=1 written as a number
  } else {
    return fail("expected one of " + allowed_text(def) + ", got " + shown(raw));
  }
  if (auto v = canonical(def, text)) return {*v, ""};
  return fail("expected one of " + allowed_text(def) + ", got " + shown(raw));
}

ConfigConversion convert_list(const ConfigDef& def, const json& raw) {
  std::vector<std::string> items;
  if (raw.is_string()) {
    std::string text = raw.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      std::string item = trim(std::string_view(text).substr(start, comma - start));
      if (!item.empty()) items.push_back(item);
      start = comma + 1;
    }
  } else if (raw.is_array()) {
    for (const auto& item : raw) {
      if (!item.is_string()) return fail("expected a list of strings, got " + shown(raw));
      std::string t = trim(item.get<std::string>());
      if (!t.empty()) items.push_back(t);
    }
  } else {
    return fail("expected a list (a JSON array of strings or a comma-separated string), got " + shown(raw));
  }
  if (!def.allowed.empty()) {
    if (items.empty()) return fail("expected at least one of " + allowed_text(def) + ", got " + shown(raw));
    for (auto& item : items) {
      auto v = canonical(def, item);
      if (!v) return fail("\"" + item + "\" is not one of " + allowed_text(def));
      item = *v;
    }
  }
  return {items, ""};
}

}  // namespace

std::string_view to_string(ConfigScope scope) {
  switch (scope) {
    case ConfigScope::producer: return "producer";
    case ConfigScope::consumer: return "consumer";
    case ConfigScope::broker: return "broker";
    case ConfigScope::topic: return "topic";
  }
  return "?";
}

std::string_view to_string(ConfigType type) {
  switch (type) {
    case ConfigType::boolean: return "bool";
    case ConfigType::integer: return "int";
    case ConfigType::real: return "double";
    case ConfigType::string: return "string";
    case ConfigType::enumeration: return "enum";
    case ConfigType::list: return "list";
  }
  return "?";
}

const std::vector<ConfigDef>& config_defs(ConfigScope scope) {
  static const std::vector<ConfigDef> producer = sorted(producer_defs());
  static const std::vector<ConfigDef> consumer = sorted(consumer_defs());
  static const std::vector<ConfigDef> broker = sorted(broker_defs());
  static const std::vector<ConfigDef> topic = sorted(topic_defs());
  switch (scope) {
    case ConfigScope::producer: return producer;
    case ConfigScope::consumer: return consumer;
    case ConfigScope::broker: return broker;
    case ConfigScope::topic: return topic;
  }
  throw std::logic_error("config_defs: unknown scope");
}

const ConfigDef* find_config(ConfigScope scope, std::string_view name) {
  const auto& defs = config_defs(scope);
  auto it = std::lower_bound(defs.begin(), defs.end(), name,
                             [](const ConfigDef& d, std::string_view n) { return d.name < n; });
  return it != defs.end() && it->name == name ? &*it : nullptr;
}

ConfigConversion convert_config_value(const ConfigDef& def, const json& raw) {
  ConfigConversion result;
  switch (def.type) {
    case ConfigType::boolean: result = convert_bool(raw); break;
    case ConfigType::integer: result = convert_integer(def, raw); break;
    case ConfigType::real: result = convert_real(def, raw); break;
    case ConfigType::string:
      if (!raw.is_string()) return fail("expected a string, got " + shown(raw));
      result = {raw.get<std::string>(), ""};
      break;
    case ConfigType::enumeration: result = convert_enumeration(def, raw); break;
    case ConfigType::list: result = convert_list(def, raw); break;
  }
  if (result.value && def.check) {
    std::string e = def.check(*result.value);
    if (!e.empty()) return fail(e);
  }
  return result;
}

json config_value_to_json(const ConfigValue& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

std::string config_value_text(const ConfigValue& value) {
  struct Visitor {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return number_text(v); }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (const auto& item : v) out += (out.empty() ? "" : ",") + item;
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

std::optional<KafkaVersion> parse_kafka_version(std::string_view text) {
  // Kafka's internal versions carry a suffix ("2.8-IV1"); only the release number matters here.
  if (auto dash = text.find("-IV"); dash != std::string_view::npos) {
    std::string_view suffix = text.substr(dash + 3);
    if (suffix.empty() || !std::all_of(suffix.begin(), suffix.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return std::nullopt;
    text = text.substr(0, dash);
  }
  int parts[3] = {0, 0, 0};
  int count = 0;
  size_t pos = 0;
  while (count < 3) {
    size_t dot = text.find('.', pos);
    std::string_view part = text.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    if (part.empty() || part.size() > 4 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return std::nullopt;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), parts[count]);
    if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
    ++count;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
    if (count == 3) return std::nullopt;
  }
  if (count < 2) return std::nullopt;
  return KafkaVersion{parts[0], parts[1], parts[2]};
}

bool uses_leader_epoch_truncation(const ConfigMap& broker_config) {
  auto v = parse_kafka_version(broker_config.get_string("inter.broker.protocol.version"));
  return !v || *v >= KafkaVersion{0, 11, 0};
}

}  // namespace kafkasim
