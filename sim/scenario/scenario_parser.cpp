// parse_scenario_json: walks the document once, section by section, filling a Scenario and collecting every
// problem. Sections later in the walk (producers, faults) check their references against earlier ones (topics).
#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>

#include "core/units.h"
#include "scenario/parse_context.h"
#include "scenario/scenario_loader.h"

namespace kafkasim {
namespace {

using namespace scenario_detail;

constexpr int64_t kMaxBrokers = 1000;
constexpr int64_t kMaxPartitions = 100000;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::string plural(int64_t n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string duration_text(double s) { return exact_text(s, UnitKind::duration); }

std::string stem_of(const std::string& file) {
  std::string base = file.substr(file.find_last_of("/\\") == std::string::npos ? 0 : file.find_last_of("/\\") + 1);
  auto dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base.empty() ? "scenario" : base;
}

bool all_chars(const std::string& s, const char* extra) {
  return std::all_of(s.begin(), s.end(), [extra](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(extra).find(c) != std::string_view::npos;
  });
}

// "broker-3" -> 3 when `name` is prefix + a decimal number.
std::optional<int64_t> numbered(const std::string& name, const std::string& prefix) {
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size() || name.size() > prefix.size() + 9)
    return std::nullopt;
  std::string digits = name.substr(prefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
  return std::stoll(digits);
}

struct TopicInfo {
  int index;
  std::optional<int> partitions;  // unset when the topic's partition count was invalid
};

struct ClientName {
  std::string name;
  std::string pointer;
};

class Parser {
 public:
  Parser(const json& doc, const std::string& file) : doc_(doc), d_(file) { s_.file = file; }

  LoadResult run() {
    if (!doc_.is_object()) {
      d_.error("", "expected a JSON object at the top level, got " + shown(doc_));
      return finish();
    }
    Fields top(doc_, "",
               {"$schema", "name", "description", "expected", "seed", "duration", "settle", "cluster", "topics",
                "producers", "consumers", "faults", "metrics"},
               "the scenario", d_);
    top.string("$schema");  // lets editors find schema.json
    s_.name = top.string("name").value_or(stem_of(d_.file()));
    if (s_.name.empty()) d_.error(top.at("name"), "must not be empty");
    s_.description = top.string("description").value_or("");
    s_.expected = top.string("expected").value_or("");
    read_seed(top);
    if (auto duration = top.duration_s("duration")) {
      if (*duration <= 0)
        d_.error(top.at("duration"), "must be greater than 0s");
      else
        s_.duration_s = *duration;
    } else if (top.has("duration")) {
      run_end_known_ = false;
    }
    if (auto settle = top.duration_s("settle")) s_.settle_s = *settle;
    read_cluster(top.get("cluster"));
    read_topics(top);
    read_producers(top.get("producers"));
    read_consumers(top.get("consumers"));
    check_client_names();
    check_groups();
    check_internal_topics();
    read_faults(top.get("faults"));
    read_metrics(top.get("metrics"));
    return finish();
  }

 private:
  LoadResult finish() {
    LoadResult result;
    result.errors = std::move(d_.errors);
    result.warnings = std::move(d_.warnings);
    if (result.errors.empty()) result.scenario = std::move(s_);
    return result;
  }

  // An object-valued field: reports a wrong type; nullptr when absent or wrong.
  const json* object_at(const json* v, const std::string& pointer) {
    if (!v) return nullptr;
    if (!v->is_object()) {
      d_.error(pointer, "expected an object, got " + shown(*v));
      return nullptr;
    }
    return v;
  }

  const json* array_at(const json* v, const std::string& pointer, const std::string& of) {
    if (!v) return nullptr;
    if (!v->is_array()) {
      d_.error(pointer, "expected an array of " + of + ", got " + shown(*v));
      return nullptr;
    }
    return v;
  }

  // A time at which something starts must fall inside the run.
  void check_inside_run(double t, const std::string& pointer, const std::string& what) {
    if (run_end_known_ && t >= s_.duration_s)
      d_.error(pointer, what + " " + duration_text(t) + " is not before the end of the run (duration " +
                            duration_text(s_.duration_s) + ")");
  }

  void read_seed(const Fields& top) {
    const json* v = top.get("seed");
    if (!v) return;
    if (v->is_number_unsigned()) {
      s_.seed = v->get<uint64_t>();
    } else if (v->is_number_integer() && v->get<int64_t>() >= 0) {
      s_.seed = static_cast<uint64_t>(v->get<int64_t>());
    } else {
      d_.error(top.at("seed"), "expected an integer between 0 and 18446744073709551615, got " + shown(*v));
    }
  }

  // ---- cluster ----

  void read_cluster(const json* raw) {
    const json* cluster = object_at(raw, "/cluster");
    json empty = json::object();
    Fields f(cluster ? *cluster : empty, "/cluster", {"brokers", "network", "disk", "control_plane", "config"},
             "cluster", d_);
    if (auto brokers = f.integer("brokers", 1, kMaxBrokers))
      s_.cluster.brokers = static_cast<int>(*brokers);
    else if (f.has("brokers"))
      brokers_known_ = false;

    if (const json* network = object_at(f.get("network"), "/cluster/network")) {
      Fields n(*network, "/cluster/network", {"bandwidth", "latency"}, "cluster.network", d_);
      if (auto bw = n.bandwidth_Bps("bandwidth")) {
        if (*bw <= 0)
          d_.error(n.at("bandwidth"), "must be greater than 0");
        else
          s_.cluster.network.bandwidth_Bps = *bw;
      }
      if (auto latency = n.duration_s("latency")) s_.cluster.network.latency_s = *latency;
    }
    if (const json* disk = object_at(f.get("disk"), "/cluster/disk")) {
      Fields n(*disk, "/cluster/disk", {"write_bandwidth", "dirty_limit"}, "cluster.disk", d_);
      if (auto bw = n.bandwidth_Bps("write_bandwidth")) {
        if (*bw <= 0)
          d_.error(n.at("write_bandwidth"), "must be greater than 0");
        else
          s_.cluster.disk.write_bandwidth_Bps = *bw;
      }
      if (auto limit = n.bytes("dirty_limit")) s_.cluster.disk.dirty_limit_bytes = *limit;
    }
    if (const json* cp = object_at(f.get("control_plane"), "/cluster/control_plane")) {
      Fields c(*cp, "/cluster/control_plane", {"mode", "nodes"}, "cluster.control_plane", d_);
      if (auto mode = c.choice("mode", {"kraft", "zookeeper"}))
        s_.cluster.control_plane.mode = *mode == "kraft" ? ControllerMode::kraft : ControllerMode::zookeeper;
      if (auto nodes = c.integer("nodes", 1, 7)) {
        if (*nodes % 2 == 0)
          d_.error(c.at("nodes"), "must be odd (a majority quorum of 1, 3, 5 or 7 nodes), got " +
                                      std::to_string(*nodes));
        else
          s_.cluster.control_plane.nodes = static_cast<int>(*nodes);
      }
    }
    s_.cluster.broker_config = read_config(ConfigScope::broker, f.get("config"), "/cluster/config", d_,
                                           &broker_explicit_);
    check_broker_config();
  }

  std::string broker_config_pointer(std::initializer_list<const char*> keys) {
    for (const char* key : keys)
      if (broker_explicit_.count(key)) return pointer_child("/cluster/config", key);
    return "/cluster/config";
  }

  void check_broker_config() {
    const ConfigMap& c = s_.cluster.broker_config;
    auto require_at_most = [&](const char* smaller, const char* larger) {
      if (c.get_int(smaller) > c.get_int(larger))
        d_.error(broker_config_pointer({smaller, larger}),
                 std::string(smaller) + " (" + std::to_string(c.get_int(smaller)) + ") must not exceed " + larger +
                     " (" + std::to_string(c.get_int(larger)) + ")");
    };
    // Kafka refuses to start with these (KafkaConfig's validation).
    require_at_most("replica.fetch.wait.max.ms", "replica.socket.timeout.ms");
    require_at_most("replica.fetch.wait.max.ms", "replica.lag.time.max.ms");
    require_at_most("group.min.session.timeout.ms", "group.max.session.timeout.ms");
    if (c.get_int("broker.heartbeat.interval.ms") >= c.get_int("broker.session.timeout.ms"))
      d_.warning(broker_config_pointer({"broker.heartbeat.interval.ms", "broker.session.timeout.ms"}),
                 "broker.heartbeat.interval.ms is not below broker.session.timeout.ms: the controller will fence "
                 "brokers between heartbeats");
    if (c.get_int("transaction.state.log.min.isr") > c.get_int("transaction.state.log.replication.factor"))
      d_.warning(broker_config_pointer({"transaction.state.log.min.isr"}),
                 "transaction.state.log.min.isr exceeds transaction.state.log.replication.factor");
    auto version = parse_kafka_version(c.get_string("inter.broker.protocol.version"));
    if (version && *version < KafkaVersion{3, 0, 0} && s_.cluster.control_plane.mode == ControllerMode::kraft)
      d_.warning(broker_config_pointer({"inter.broker.protocol.version"}),
                 "KRaft needs Kafka 3.0 or later; the simulator still applies the rules of " +
                     c.get_string("inter.broker.protocol.version") + " (use control_plane.mode \"zookeeper\" to be "
                     "faithful)");
  }

  // ---- topics ----

  static std::string topic_name_problem(const std::string& name) {
    if (name.empty()) return "a topic name must not be empty";
    if (name == "." || name == "..") return "\"" + name + "\" is not a valid topic name";
    if (name.size() > 249) return "a topic name has at most 249 characters";
    if (!all_chars(name, "._-"))
      return "invalid topic name " + in_quotes(name) + ": Kafka allows only letters, digits, \".\", \"_\" and \"-\"";
    if (name == "__consumer_offsets" || name == "__transaction_state")
      return in_quotes(name) + " is one of Kafka's internal topics";
    return "";
  }

  void read_topics(const Fields& top) {
    const json* topics = top.get("topics");
    if (!topics) {
      d_.error("", "missing required field \"topics\" (a scenario needs at least one topic)");
      return;
    }
    if (!array_at(topics, "/topics", "topics")) return;
    if (topics->empty()) d_.error("/topics", "expected at least one topic");
    const ConfigMap& broker = s_.cluster.broker_config;
    for (size_t i = 0; i < topics->size(); ++i) {
      std::string p = pointer_child("/topics", i);
      TopicSpec t;
      t.name = "topic-" + std::to_string(i);
      t.partitions = static_cast<int>(broker.get_int("num.partitions"));
      t.replication_factor = static_cast<int>(broker.get_int("default.replication.factor"));
      const json& raw = (*topics)[i];
      if (!raw.is_object()) {
        d_.error(p, "expected a topic object like {\"name\": \"orders\", \"partitions\": 6}, got " + shown(raw));
        s_.topics.push_back(t);
        continue;
      }
      Fields f(raw, p, {"name", "partitions", "replication_factor", "config"}, "a topic", d_);
      if (auto name = f.string("name")) {
        if (auto problem = topic_name_problem(*name); !problem.empty()) d_.error(f.at("name"), problem);
        t.name = *name;
      }
      std::optional<int> partitions = t.partitions;
      if (auto n = f.integer("partitions", 1, kMaxPartitions))
        partitions = t.partitions = static_cast<int>(*n);
      else if (f.has("partitions"))
        partitions.reset();
      bool rf_valid = true;
      if (auto rf = f.integer("replication_factor", 1, kMaxBrokers))
        t.replication_factor = static_cast<int>(*rf);
      else if (f.has("replication_factor"))
        rf_valid = false;
      if (rf_valid && brokers_known_ && t.replication_factor > s_.cluster.brokers) {
        if (f.has("replication_factor"))
          d_.error(f.at("replication_factor"), std::to_string(t.replication_factor) + " exceeds the " +
                                                   plural(s_.cluster.brokers, "broker"));
        else
          d_.error(p, "replication_factor defaults to default.replication.factor = " +
                          std::to_string(t.replication_factor) + ", which exceeds the " +
                          plural(s_.cluster.brokers, "broker"));
      }
      std::set<std::string> explicit_keys;
      t.config = read_config(ConfigScope::topic, f.get("config"), pointer_child(p, "config"), d_, &explicit_keys,
                             &broker);
      int64_t min_isr = t.config.get_int("min.insync.replicas");
      if (rf_valid && min_isr > t.replication_factor) {
        std::string at = explicit_keys.count("min.insync.replicas")
                             ? pointer_child(pointer_child(p, "config"), "min.insync.replicas")
                         : broker_explicit_.count("min.insync.replicas") ? "/cluster/config/min.insync.replicas"
                                                                         : p;
        d_.warning(at, "min.insync.replicas " + std::to_string(min_isr) + " exceeds the replication factor " +
                           std::to_string(t.replication_factor) + " of topic " + in_quotes(t.name) +
                           ": acks=all writes need more in-sync replicas than the partition has");
      }
      if (auto it = topic_index_.find(t.name); it != topic_index_.end()) {
        d_.error(f.has("name") ? f.at("name") : p, "duplicate topic name " + in_quotes(t.name) + " (also " +
                                                       pointer_child("/topics", it->second.index) + ")");
      } else {
        topic_index_[t.name] = {static_cast<int>(i), partitions};
      }
      s_.topics.push_back(std::move(t));
    }
  }

  std::vector<std::string> topic_names() const {
    std::vector<std::string> names;
    for (const auto& t : s_.topics) names.push_back(t.name);
    return names;
  }

  // Index of a referenced topic, or an error at `pointer`.
  std::optional<TopicInfo> topic_ref(const std::string& name, const std::string& pointer) {
    auto it = topic_index_.find(name);
    if (it != topic_index_.end()) return it->second;
    d_.error(pointer, "unknown topic " + in_quotes(name) + did_you_mean(name, topic_names()));
    return std::nullopt;
  }

  // ---- producers and consumers ----

  void check_client_name(const std::string& name, const std::string& pointer) {
    if (name.empty() || !all_chars(name, "._-")) {
      d_.error(pointer, "invalid name " + in_quotes(name) + ": use letters, digits, \".\", \"_\" and \"-\"");
      return;
    }
    for (const char* prefix : {"broker-", "controller-", "zookeeper-"})
      if (numbered(name, prefix))
        d_.error(pointer, in_quotes(name) + " is the name of a cluster host; choose another name");
  }

  std::optional<Distribution> read_distribution(const json& raw, const std::string& p, UnitKind kind) {
    const char* example = kind == UnitKind::bytes ? "100B" : "1ms";
    if (raw.is_string()) {
      auto v = read_unit(raw, kind, p, d_);
      if (!v) return std::nullopt;
      return Distribution{Distribution::Kind::fixed, *v};
    }
    if (!raw.is_object()) {
      d_.error(p, std::string("expected a string like \"") + example +
                      "\" or a distribution object like {\"distribution\": \"exponential\", \"mean\": \"" + example +
                      "\"}, got " + shown(raw));
      return std::nullopt;
    }
    Fields f(raw, p, {"distribution", "mean", "stddev", "min", "max"}, "a distribution", d_);
    auto kind_name = f.choice("distribution", {"fixed", "exponential", "normal", "lognormal", "uniform"});
    if (!kind_name && f.has("distribution")) return std::nullopt;
    std::string k = kind_name.value_or("fixed");
    Distribution dist;
    bool ok = true;
    auto value = [&](const char* key, bool needed) -> std::optional<double> {
      const json* v = f.get(key);
      if (!v) {
        if (needed) {
          f.missing(key, "a " + k + " distribution needs it");
          ok = false;
        }
        return std::nullopt;
      }
      if (!needed) {
        d_.error(f.at(key), in_quotes(key) + " is not used by a " + k + " distribution");
        ok = false;
        return std::nullopt;
      }
      auto parsed = read_unit(*v, kind, f.at(key), d_);
      if (!parsed) ok = false;
      return parsed;
    };
    const bool uniform = k == "uniform";
    const bool spread = k == "normal" || k == "lognormal";
    auto mean = value("mean", !uniform);
    auto stddev = value("stddev", spread);
    auto min = value("min", uniform);
    auto max = value("max", uniform);
    if (!ok) return std::nullopt;
    static const std::map<std::string, Distribution::Kind> kinds = {{"fixed", Distribution::Kind::fixed},
                                                                     {"exponential", Distribution::Kind::exponential},
                                                                     {"normal", Distribution::Kind::normal},
                                                                     {"lognormal", Distribution::Kind::lognormal},
                                                                     {"uniform", Distribution::Kind::uniform}};
    dist.kind = kinds.at(k);
    if (uniform) {
      dist.min = *min;
      dist.max = *max;
      dist.mean = (*min + *max) / 2;
      if (*min > *max) {
        d_.error(f.at("max"), "max must not be below min");
        return std::nullopt;
      }
      return dist;
    }
    dist.mean = *mean;
    if (stddev) dist.stddev = *stddev;
    if ((k == "exponential" || k == "lognormal") && dist.mean <= 0) {
      d_.error(f.at("mean"), "a " + k + " distribution needs a mean greater than 0");
      return std::nullopt;
    }
    return dist;
  }

  void read_producers(const json* raw) {
    const json* producers = array_at(raw, "/producers", "producers");
    if (!producers) return;
    for (size_t i = 0; i < producers->size(); ++i) {
      std::string p = pointer_child("/producers", i);
      const json& item = (*producers)[i];
      ProducerSpec spec;
      spec.name = "producer-" + std::to_string(i);
      if (!item.is_object()) {
        d_.error(p, "expected a producer object like {\"topic\": \"orders\", \"rate\": 1000}, got " + shown(item));
        continue;
      }
      Fields f(item, p,
               {"name", "topic", "rate", "arrival", "record_size", "keys", "start", "stop", "max_records", "send_time",
                "config"},
               "a producer", d_);
      if (auto name = f.string("name")) {
        spec.name = *name;
        check_client_name(spec.name, f.at("name"));
      }
      clients_.push_back({spec.name, f.has("name") ? f.at("name") : p});
      if (auto topic = f.string("topic")) {
        if (auto info = topic_ref(*topic, f.at("topic"))) spec.topic = info->index;
      } else if (!f.has("topic") && s_.topics.size() > 1) {
        f.missing("topic", "the scenario has " + std::to_string(s_.topics.size()) + " topics");
      }
      if (auto rate = f.number("rate", {0.0, true, std::nullopt})) spec.rate_per_s = *rate;
      if (auto arrival = f.choice("arrival", {"poisson", "constant"}))
        spec.arrival = *arrival == "poisson" ? ProducerSpec::Arrival::poisson : ProducerSpec::Arrival::constant;
      if (const json* size = f.get("record_size"))
        if (auto dist = read_distribution(*size, f.at("record_size"), UnitKind::bytes)) spec.record_size_bytes = *dist;
      if (const json* keys = object_at(f.get("keys"), f.at("keys"))) read_keys(*keys, f.at("keys"), spec.keys);
      if (auto start = f.duration_s("start")) {
        spec.start_s = *start;
        check_inside_run(*start, f.at("start"), "start");
      }
      if (auto stop = f.duration_s("stop")) {
        if (*stop <= spec.start_s)
          d_.error(f.at("stop"), "stop " + duration_text(*stop) + " must be after start " +
                                     duration_text(spec.start_s));
        else
          spec.stop_s = *stop;
      }
      if (auto max_records = f.integer("max_records", 1, kInt64Max)) spec.max_records = *max_records;
      if (auto send_time = f.duration_s("send_time")) spec.send_time_s = *send_time;
      std::set<std::string> explicit_keys;
      spec.config =
          read_config(ConfigScope::producer, f.get("config"), f.at("config"), d_, &explicit_keys);
      check_producer_config(spec.config, explicit_keys, f.at("config"));
      s_.producers.push_back(std::move(spec));
    }
  }

  void read_keys(const json& keys, const std::string& p, KeySpec& spec) {
    Fields f(keys, p, {"distribution", "count", "exponent"}, "keys", d_);
    auto kind = f.choice("distribution", {"none", "uniform", "zipf", "sequential"});
    if (!kind && f.has("distribution")) return;
    std::string k = kind.value_or("none");
    static const std::map<std::string, KeySpec::Kind> kinds = {{"none", KeySpec::Kind::none},
                                                                {"uniform", KeySpec::Kind::uniform},
                                                                {"zipf", KeySpec::Kind::zipf},
                                                                {"sequential", KeySpec::Kind::sequential}};
    spec.kind = kinds.at(k);
    if (k == "none") {
      for (const char* key : {"count", "exponent"})
        if (f.has(key)) d_.error(f.at(key), in_quotes(key) + " is not used with null keys (distribution \"none\")");
      return;
    }
    if (auto count = f.integer("count", 1, kInt64Max, true)) spec.count = *count;
    if (k == "zipf") {
      if (auto exponent = f.number("exponent", {0.0, true, std::nullopt})) spec.zipf_exponent = *exponent;
    } else if (f.has("exponent")) {
      d_.error(f.at("exponent"), "\"exponent\" is used only by zipf keys");
    }
  }

  void check_producer_config(ConfigMap& c, const std::set<std::string>& given, const std::string& p) {
    auto at = [&](const std::string& key) { return pointer_child(p, key); };
    // Kafka's KafkaProducer.configureDeliveryTimeout: an explicit value that is too small is an error; the default
    // is raised with a warning.
    int64_t linger = c.get_int("linger.ms"), request = c.get_int("request.timeout.ms");
    int64_t needed = linger > kInt64Max - request ? kInt64Max : linger + request;
    if (c.get_int("delivery.timeout.ms") < needed) {
      if (given.count("delivery.timeout.ms")) {
        d_.error(at("delivery.timeout.ms"), "delivery.timeout.ms " + std::to_string(c.get_int("delivery.timeout.ms")) +
                                                " must be at least linger.ms + request.timeout.ms = " +
                                                std::to_string(needed));
      } else {
        c.values["delivery.timeout.ms"] = std::min<int64_t>(needed, 2147483647);
        d_.warning(given.count("linger.ms") ? at("linger.ms") : at("request.timeout.ms"),
                   "delivery.timeout.ms raised to linger.ms + request.timeout.ms = " + std::to_string(needed) +
                       " (as Kafka does when it is not set)");
      }
    }
    // Kafka's ProducerConfig.postProcessAndValidateIdempotenceConfigs.
    if (c.get_bool("enable.idempotence")) {
      std::vector<std::pair<std::string, std::string>> conflicts;  // key, what the idempotent producer needs
      if (c.get_string("acks") != "all") conflicts.push_back({"acks", "acks=all"});
      if (c.get_int("max.in.flight.requests.per.connection") > 5)
        conflicts.push_back({"max.in.flight.requests.per.connection", "max.in.flight.requests.per.connection <= 5"});
      if (c.get_int("retries") == 0) conflicts.push_back({"retries", "retries > 0"});
      if (given.count("enable.idempotence")) {
        for (const auto& [key, needs] : conflicts)
          d_.error(at(key), key + "=" + config_value_text(c.values.at(key)) +
                                " conflicts with enable.idempotence=true: the idempotent producer needs " + needs);
      } else if (!conflicts.empty()) {
        std::string because;
        for (const auto& [key, needs] : conflicts)
          because += (because.empty() ? "" : " and ") + key + "=" + config_value_text(c.values.at(key));
        c.values["enable.idempotence"] = false;
        idempotence_reason_ = because;
        d_.warning(at(conflicts.front().first),
                   "enable.idempotence turned off because " + because +
                       " (Kafka 3.x does this when enable.idempotence is not set explicitly): retries may duplicate");
      }
    }
    if (!c.get_string("transactional.id").empty() && !c.get_bool("enable.idempotence")) {
      std::string why = given.count("enable.idempotence") ? "" : " (it was turned off because " + idempotence_reason_ + ")";
      d_.error(at("transactional.id"), "transactional.id needs enable.idempotence=true" + why);
    }
    // Better refused than run as a plain idempotent producer: results would be read as exactly-once.
    if (!c.get_string("transactional.id").empty())
      d_.error(at("transactional.id"),
               "transactions are not modelled yet (no transaction coordinator, markers or fencing): this producer "
               "would run as a plain idempotent one; remove transactional.id");
  }

  void read_consumers(const json* raw) {
    const json* consumers = array_at(raw, "/consumers", "consumers");
    if (!consumers) return;
    for (size_t i = 0; i < consumers->size(); ++i) {
      std::string p = pointer_child("/consumers", i);
      const json& item = (*consumers)[i];
      ConsumerSpec spec;
      spec.name = "consumer-" + std::to_string(i);
      if (!item.is_object()) {
        d_.error(p, "expected a consumer object like {\"topics\": [\"orders\"]}, got " + shown(item));
        continue;
      }
      Fields f(item, p, {"name", "topics", "partitions", "processing_time", "commit", "start", "config"},
               "a consumer", d_);
      if (auto name = f.string("name")) {
        spec.name = *name;
        check_client_name(spec.name, f.at("name"));
      }
      clients_.push_back({spec.name, f.has("name") ? f.at("name") : p});
      read_consumer_topics(f, spec);
      if (const json* size = f.get("processing_time"))
        if (auto dist = read_distribution(*size, f.at("processing_time"), UnitKind::duration))
          spec.processing_time_s = *dist;
      static const std::map<std::string, ConsumerSpec::Commit> commits = {
          {"auto", ConsumerSpec::Commit::auto_commit},
          {"sync_after_processing", ConsumerSpec::Commit::sync_after_processing},
          {"async_after_processing", ConsumerSpec::Commit::async_after_processing},
          {"before_processing", ConsumerSpec::Commit::before_processing},
          {"none", ConsumerSpec::Commit::none}};
      std::vector<std::string> commit_names;
      for (const auto& [name, value] : commits) commit_names.push_back(name);
      if (auto commit = f.choice("commit", commit_names)) spec.commit = commits.at(*commit);
      if (auto start = f.duration_s("start")) {
        spec.start_s = *start;
        check_inside_run(*start, f.at("start"), "start");
      }
      std::set<std::string> explicit_keys;
      spec.config = read_config(ConfigScope::consumer, f.get("config"), f.at("config"), d_, &explicit_keys);
      check_consumer_config(spec, explicit_keys, f);
      consumer_index_[spec.name] = static_cast<int>(s_.consumers.size());
      s_.consumers.push_back(std::move(spec));
    }
  }

  void read_consumer_topics(const Fields& f, ConsumerSpec& spec) {
    std::set<int> subscribed;
    bool topics_given = false;
    if (const json* topics = array_at(f.get("topics"), f.at("topics"), "topic names")) {
      topics_given = true;
      if (topics->empty()) d_.error(f.at("topics"), "expected at least one topic (leave the field out for all)");
      for (size_t j = 0; j < topics->size(); ++j) {
        std::string p = pointer_child(f.at("topics"), j);
        const json& t = (*topics)[j];
        if (!t.is_string()) {
          d_.error(p, "expected a topic name, got " + shown(t));
          continue;
        }
        if (auto info = topic_ref(t.get<std::string>(), p)) {
          if (!subscribed.insert(info->index).second)
            d_.error(p, "topic " + in_quotes(t.get<std::string>()) + " is listed twice");
          else
            spec.topics.push_back(info->index);
        }
      }
    } else if (f.has("topics")) {
      topics_given = true;
    }

    const json* partitions = array_at(f.get("partitions"), f.at("partitions"), "partition numbers");
    if (!partitions) {
      if (!topics_given)
        for (size_t t = 0; t < s_.topics.size(); ++t) spec.topics.push_back(static_cast<int>(t));
      return;
    }
    if (partitions->empty()) d_.error(f.at("partitions"), "expected at least one partition (leave the field out to "
                                                          "subscribe to whole topics)");
    // Bare numbers need exactly one topic to refer to: the consumer's only topic, or the scenario's.
    std::optional<int> single_topic;
    if (topics_given && spec.topics.size() == 1) single_topic = spec.topics[0];
    if (!topics_given && s_.topics.size() == 1) single_topic = 0;
    std::set<std::pair<int, int>> seen;
    for (size_t j = 0; j < partitions->size(); ++j) {
      std::string p = pointer_child(f.at("partitions"), j);
      const json& entry = (*partitions)[j];
      std::optional<int> topic;
      std::optional<int64_t> partition;
      if (entry.is_number_integer()) {
        if (!single_topic) {
          // With a broken "topics" list the problem is already reported.
          if (!topics_given)
            d_.error(p, "the scenario has " + plural(static_cast<int64_t>(s_.topics.size()), "topic") +
                            ": give partitions as {\"topic\": ..., \"partition\": ...} objects");
          else if (spec.topics.size() > 1)
            d_.error(p, "with " + plural(static_cast<int64_t>(spec.topics.size()), "topic") +
                            ", give partitions as {\"topic\": ..., \"partition\": ...} objects");
          continue;
        }
        topic = single_topic;
        partition = entry.get<int64_t>();
      } else if (entry.is_object()) {
        Fields e(entry, p, {"topic", "partition"}, "a partition", d_);
        if (auto name = e.string("topic", true))
          if (auto info = topic_ref(*name, e.at("topic"))) {
            topic = info->index;
            if (topics_given && !subscribed.count(info->index))
              d_.error(e.at("topic"), "topic " + in_quotes(*name) + " is not in this consumer's \"topics\"");
          }
        partition = e.integer("partition", 0, kMaxPartitions, true);
        p = e.at("partition");
      } else {
        d_.error(p, "expected a partition number or {\"topic\": ..., \"partition\": ...}, got " + shown(entry));
        continue;
      }
      if (!topic || !partition) continue;
      const TopicSpec& t = s_.topics[*topic];
      auto info = topic_index_.find(t.name);
      std::optional<int> count = info != topic_index_.end() ? info->second.partitions : std::nullopt;
      if (*partition < 0 || (count && *partition >= *count)) {
        d_.error(p, "partition " + std::to_string(*partition) + " does not exist: topic " + in_quotes(t.name) +
                        " has " + (count ? plural(*count, "partition") + " (0.." + std::to_string(*count - 1) + ")"
                                         : std::string("an invalid partition count")));
        continue;
      }
      if (!seen.insert({*topic, static_cast<int>(*partition)}).second) {
        d_.error(p, "partition " + std::to_string(*partition) + " of " + in_quotes(t.name) + " is listed twice");
        continue;
      }
      spec.assignment.push_back({*topic, static_cast<int>(*partition)});
      if (!topics_given && std::find(spec.topics.begin(), spec.topics.end(), *topic) == spec.topics.end())
        spec.topics.push_back(*topic);
    }
    if (!topics_given) std::sort(spec.topics.begin(), spec.topics.end());
  }

  void check_consumer_config(ConsumerSpec& spec, const std::set<std::string>& given, const Fields& f) {
    ConfigMap& c = spec.config;
    const std::string p = f.at("config");
    auto at = [&](const std::string& key) { return pointer_child(p, key); };
    const bool has_group = !c.get_string("group.id").empty();
    using Commit = ConsumerSpec::Commit;
    if (!has_group) {
      if (spec.commit != Commit::auto_commit && spec.commit != Commit::none)
        d_.error(f.at("commit"), "commit " + in_quotes(f.get("commit")->get<std::string>()) +
                                     " needs a group.id: Kafka rejects offset commits without a group");
      if (given.count("enable.auto.commit") && c.get_bool("enable.auto.commit"))
        d_.error(at("enable.auto.commit"),
                 "enable.auto.commit=true needs a group.id (Kafka throws InvalidConfigurationException)");
      c.values["enable.auto.commit"] = false;  // Kafka turns it off without a group
      if (!c.get_string("group.instance.id").empty())
        d_.error(at("group.instance.id"), "group.instance.id needs a group.id");
    } else if (spec.commit == Commit::auto_commit) {
      if (!c.get_bool("enable.auto.commit"))
        d_.warning(at("enable.auto.commit"),
                   "commit \"auto\" with enable.auto.commit=false: this consumer never commits offsets");
    } else if (!given.count("enable.auto.commit")) {
      // The application manages commits itself, as a real one would after setting enable.auto.commit=false.
      c.values["enable.auto.commit"] = false;
    } else if (c.get_bool("enable.auto.commit")) {
      d_.warning(at("enable.auto.commit"), "enable.auto.commit=true with commit " +
                                               in_quotes(f.get("commit")->get<std::string>()) +
                                               ": offsets are also committed in the background, as in Kafka");
    }
    if (c.get_int("heartbeat.interval.ms") >= c.get_int("session.timeout.ms"))
      d_.error(given.count("heartbeat.interval.ms") ? at("heartbeat.interval.ms") : at("session.timeout.ms"),
               "heartbeat.interval.ms (" + std::to_string(c.get_int("heartbeat.interval.ms")) +
                   ") must be lower than session.timeout.ms (" + std::to_string(c.get_int("session.timeout.ms")) +
                   ")");
    const ConfigMap& broker = s_.cluster.broker_config;
    int64_t session = c.get_int("session.timeout.ms");
    if (has_group && spec.assignment.empty() && c.get_string("group.protocol") == "classic") {
      if (session < broker.get_int("group.min.session.timeout.ms"))
        d_.error(at("session.timeout.ms"),
                 "session.timeout.ms " + std::to_string(session) + " is below the brokers' group.min.session.timeout.ms (" +
                     std::to_string(broker.get_int("group.min.session.timeout.ms")) +
                     "): Kafka rejects the join with INVALID_SESSION_TIMEOUT");
      else if (session > broker.get_int("group.max.session.timeout.ms"))
        d_.error(at("session.timeout.ms"),
                 "session.timeout.ms " + std::to_string(session) + " is above the brokers' group.max.session.timeout.ms (" +
                     std::to_string(broker.get_int("group.max.session.timeout.ms")) +
                     "): Kafka rejects the join with INVALID_SESSION_TIMEOUT");
    }
    if (c.get_string("group.protocol") == "consumer" && s_.cluster.control_plane.mode == ControllerMode::zookeeper)
      d_.error(at("group.protocol"), "group.protocol=consumer (KIP-848) needs KRaft, but the control plane is "
                                     "zookeeper");
  }

  // Producers and consumers share one namespace: partition faults name them as hosts.
  void check_client_names() {
    std::map<std::string, std::string> seen;
    for (const auto& client : clients_) {
      auto [it, inserted] = seen.emplace(client.name, client.pointer);
      if (!inserted) {
        std::string first = it->second;
        if (first.size() > 5 && first.substr(first.size() - 5) == "/name") first.resize(first.size() - 5);
        d_.error(client.pointer, "duplicate name " + in_quotes(client.name) + " (also " + first + ")");
      }
    }
  }

  // Kafka creates __consumer_offsets / __transaction_state on first use and refuses while the cluster has fewer
  // brokers than their replication factor; a common trap with one-broker set-ups.
  void check_internal_topics() {
    if (!brokers_known_) return;
    const ConfigMap& c = s_.cluster.broker_config;
    const int brokers = s_.cluster.brokers;
    bool groups = std::any_of(s_.consumers.begin(), s_.consumers.end(),
                              [](const ConsumerSpec& c) { return !c.config.get_string("group.id").empty(); });
    bool transactions = std::any_of(s_.producers.begin(), s_.producers.end(), [](const ProducerSpec& p) {
      return !p.config.get_string("transactional.id").empty();
    });
    auto check = [&](const char* key, bool used, const char* topic, const char* feature) {
      if (used && c.get_int(key) > brokers)
        d_.warning(broker_config_pointer({key}),
                   std::string(key) + " " + std::to_string(c.get_int(key)) + " exceeds the " +
                       plural(brokers, "broker") + ": real Kafka cannot create " + topic + ", so " + feature +
                       " would not work (set it to " + std::to_string(brokers) + ")");
    };
    check("offsets.topic.replication.factor", groups, "__consumer_offsets", "consumer groups");
    check("transaction.state.log.replication.factor", transactions, "__transaction_state", "transactions");
  }

  // Members of one group must share an assignor, or Kafka fails the join (INCONSISTENT_GROUP_PROTOCOL).
  void check_groups() {
    std::map<std::string, std::pair<int, std::set<std::string>>> groups;  // group -> first member, its protocols
    for (size_t i = 0; i < s_.consumers.size(); ++i) {
      const auto& c = s_.consumers[i];
      const std::string& group = c.config.get_string("group.id");
      if (group.empty() || !c.assignment.empty() || c.config.get_string("group.protocol") != "classic") continue;
      const auto& strategies = c.config.get_list("partition.assignment.strategy");
      std::set<std::string> mine(strategies.begin(), strategies.end());
      auto it = groups.find(group);
      if (it == groups.end()) {
        groups[group] = {static_cast<int>(i), mine};
        continue;
      }
      std::set<std::string> common;
      std::set_intersection(mine.begin(), mine.end(), it->second.second.begin(), it->second.second.end(),
                            std::inserter(common, common.begin()));
      if (common.empty())
        d_.warning(pointer_child(pointer_child("/consumers", i), "config"),
                   "shares no partition.assignment.strategy with consumer " +
                       in_quotes(s_.consumers[it->second.first].name) + " of group " + in_quotes(group) +
                       ": Kafka fails its join with INCONSISTENT_GROUP_PROTOCOL");
      else
        it->second.second = common;
    }
  }

  // ---- faults ----

  std::vector<std::string> server_hosts() const {
    std::vector<std::string> hosts;
    for (int b = 0; b < s_.cluster.brokers; ++b) hosts.push_back("broker-" + std::to_string(b));
    const char* prefix = s_.cluster.control_plane.mode == ControllerMode::kraft ? "controller-" : "zookeeper-";
    for (int n = 0; n < s_.cluster.control_plane.nodes; ++n) hosts.push_back(prefix + std::to_string(n));
    return hosts;
  }

  // Why `name` is not a server host ("" when it is one).
  std::string server_host_problem(const std::string& name) const {
    const bool kraft = s_.cluster.control_plane.mode == ControllerMode::kraft;
    const int nodes = s_.cluster.control_plane.nodes;
    if (auto id = numbered(name, "broker-")) {
      if (!brokers_known_ || *id < s_.cluster.brokers) return "";
      return "unknown host " + in_quotes(name) + ": the brokers are broker-0 to broker-" +
             std::to_string(s_.cluster.brokers - 1);
    }
    if (auto id = numbered(name, "controller-")) {
      if (!kraft)
        return "unknown host " + in_quotes(name) +
               ": in zookeeper mode the controller is a broker (use \"controller:active\" to target it)";
      if (*id < nodes) return "";
      return "unknown host " + in_quotes(name) + ": the controllers are controller-0 to controller-" +
             std::to_string(nodes - 1);
    }
    if (auto id = numbered(name, "zookeeper-")) {
      if (kraft) return "unknown host " + in_quotes(name) + ": the control plane is kraft, which has no ZooKeeper";
      if (*id < nodes) return "";
      return "unknown host " + in_quotes(name) + ": the ZooKeeper nodes are zookeeper-0 to zookeeper-" +
             std::to_string(nodes - 1);
    }
    return "unknown host " + in_quotes(name);
  }

  bool is_client(const std::string& name) const {
    return std::any_of(clients_.begin(), clients_.end(), [&](const ClientName& c) { return c.name == name; });
  }

  // "leader:<topic>/<partition>": "" when valid, else the problem.
  std::string leader_role_problem(const std::string& target) {
    std::string rest = target.substr(7);
    auto slash = rest.rfind('/');
    if (slash == std::string::npos)
      return "expected \"leader:<topic>/<partition>\", got " + in_quotes(target);
    std::string topic = rest.substr(0, slash);
    std::string number = rest.substr(slash + 1);
    auto it = topic_index_.find(topic);
    if (it == topic_index_.end())
      return "unknown topic " + in_quotes(topic) + " in " + in_quotes(target) + did_you_mean(topic, topic_names());
    auto partition = numbered("p" + number, "p");
    if (!partition) return "expected a partition number after \"/\", got " + in_quotes(target);
    if (it->second.partitions && *partition >= *it->second.partitions)
      return "partition " + number + " of topic " + in_quotes(topic) + " does not exist (it has " +
             plural(*it->second.partitions, "partition") + ")";
    return "";
  }

  // "coordinator:<group>": the broker leading that group's __consumer_offsets partition when the fault fires.
  std::string coordinator_role_problem(const std::string& target) const {
    const std::string group = target.substr(12);
    const std::vector<std::string> groups = s_.group_ids();
    if (std::find(groups.begin(), groups.end(), group) != groups.end()) return "";
    return "unknown consumer group " + in_quotes(group) + " in " + in_quotes(target) + did_you_mean(group, groups);
  }

  enum class TargetKind { server, any_host, broker, consumer };

  void check_target(const std::string& target, TargetKind kind, const std::string& p) {
    if (kind == TargetKind::consumer) {
      if (target.rfind("consumer:", 0) != 0) {
        d_.error(p, "expected \"consumer:<name>\" naming a consumer of this scenario, got " + in_quotes(target));
        return;
      }
      std::string name = target.substr(9);
      if (!consumer_index_.count(name)) {
        std::vector<std::string> names;
        for (const auto& c : s_.consumers) names.push_back(c.name);
        d_.error(p, "unknown consumer " + in_quotes(name) + did_you_mean(name, names));
      }
      return;
    }
    if (target.rfind("leader:", 0) == 0) {
      if (auto problem = leader_role_problem(target); !problem.empty()) d_.error(p, problem);
      return;
    }
    if (target == "broker:most-leaders") return;
    if (target.rfind("coordinator:", 0) == 0) {
      if (auto problem = coordinator_role_problem(target); !problem.empty()) d_.error(p, problem);
      return;
    }
    if (target == "controller:active") {
      if (kind == TargetKind::broker && s_.cluster.control_plane.mode == ControllerMode::kraft)
        d_.error(p, "in kraft mode the active controller is not a broker; target a broker for a slow_disk fault");
      return;
    }
    if (kind == TargetKind::broker) {
      if (!numbered(target, "broker-")) {
        d_.error(p, "expected a broker (\"broker-<id>\", \"leader:<topic>/<partition>\", \"coordinator:<group>\" or "
                    "\"broker:most-leaders\"), "
                    "got " + in_quotes(target));
        return;
      }
    }
    if (kind == TargetKind::any_host && is_client(target)) return;
    std::string problem = server_host_problem(target);
    if (problem.empty()) return;
    if (problem == "unknown host " + in_quotes(target)) {
      std::string forms = kind == TargetKind::any_host ? ", a producer or consumer name" : "";
      problem = "unknown target " + in_quotes(target) + ": expected a host (" +
                (s_.cluster.control_plane.mode == ControllerMode::kraft ? "broker-<id>, controller-<i>"
                                                                        : "broker-<id>, zookeeper-<i>") +
                forms + ") or a role (\"leader:<topic>/<partition>\", \"controller:active\", \"broker:most-leaders\", "
                        "\"coordinator:<group>\")";
    }
    d_.error(p, problem);
  }

  void read_faults(const json* raw) {
    const json* faults = array_at(raw, "/faults", "faults");
    if (!faults) return;
    static const std::map<std::string, std::pair<FaultSpec::Kind, std::vector<std::string>>> kinds = {
        {"crash", {FaultSpec::Kind::crash, {"target"}}},
        {"power_loss", {FaultSpec::Kind::power_loss, {"target"}}},
        {"partition", {FaultSpec::Kind::partition, {"groups", "one_way", "traffic"}}},
        {"link_degrade",
         {FaultSpec::Kind::link_degrade, {"target", "extra_latency", "bandwidth_factor", "drop_probability"}}},
        {"slow_disk", {FaultSpec::Kind::slow_disk, {"target", "factor"}}},
        {"consumer_pause", {FaultSpec::Kind::consumer_pause, {"target"}}},
        {"consumer_slow", {FaultSpec::Kind::consumer_slow, {"target", "factor"}}},
        {"consumer_crash", {FaultSpec::Kind::consumer_crash, {"target"}}},
        {"consumer_leave", {FaultSpec::Kind::consumer_leave, {"target"}}},
        {"rolling_restart", {FaultSpec::Kind::rolling_restart, {"target", "interval"}}},
    };
    static const std::vector<std::string> kind_names = {
        "crash",          "power_loss",     "partition",      "link_degrade",   "slow_disk",
        "consumer_pause", "consumer_slow",  "consumer_crash", "consumer_leave", "rolling_restart"};
    std::set<std::string> all_fields = {"kind", "at", "duration"};
    for (const auto& [name, info] : kinds) all_fields.insert(info.second.begin(), info.second.end());
    for (size_t i = 0; i < faults->size(); ++i) {
      std::string p = pointer_child("/faults", i);
      const json& item = (*faults)[i];
      if (!item.is_object()) {
        d_.error(p, "expected a fault object like {\"at\": \"10s\", \"kind\": \"crash\", \"target\": \"broker-0\"}, "
                    "got " + shown(item));
        continue;
      }
      // The kind decides which fields are allowed, so read it first.
      const json* kind_raw = item.contains("kind") ? &item["kind"] : nullptr;
      std::optional<std::string> kind;
      if (!kind_raw) {
        d_.error(p, "missing required field \"kind\" (one of crash, power_loss, partition, link_degrade, slow_disk, "
                    "consumer_pause, consumer_slow, consumer_crash, consumer_leave, rolling_restart)");
      } else if (!kind_raw->is_string() || !kinds.count(kind_raw->get<std::string>())) {
        std::string list;
        for (const auto& k : kind_names) list += (list.empty() ? "" : ", ") + in_quotes(k);
        d_.error(pointer_child(p, "kind"),
                 "expected one of " + list + ", got " + shown(*kind_raw) +
                     (kind_raw->is_string() ? did_you_mean(kind_raw->get<std::string>(), kind_names) : ""));
      } else {
        kind = kind_raw->get<std::string>();
      }
      std::vector<std::string> known = {"kind", "at", "duration"};
      if (kind) {
        const auto& extra = kinds.at(*kind).second;
        known.insert(known.end(), extra.begin(), extra.end());
      } else {
        known.assign(all_fields.begin(), all_fields.end());
      }
      Fields f(item, p, known, kind ? "a " + *kind + " fault" : "a fault", d_);
      FaultSpec fault;
      fault.pointer = p;
      if (auto at = f.duration_s("at", true)) {
        fault.at_s = *at;
        check_inside_run(*at, f.at("at"), "at");
      }
      if (auto duration = f.duration_s("duration")) {
        if (*duration <= 0)
          d_.error(f.at("duration"), "must be greater than 0s (leave it out for a fault that lasts to the end)");
        else
          fault.duration_s = *duration;
      }
      if (!kind) continue;
      fault.kind = kinds.at(*kind).first;
      read_fault_fields(f, fault);
      s_.faults.push_back(std::move(fault));
    }
  }

  void read_fault_fields(const Fields& f, FaultSpec& fault) {
    using Kind = FaultSpec::Kind;
    auto target = [&](TargetKind target_kind) {
      if (auto t = f.string("target", true)) {
        fault.target = *t;
        check_target(*t, target_kind, f.at("target"));
      }
    };
    switch (fault.kind) {
      case Kind::crash:
      case Kind::power_loss:
        target(TargetKind::server);
        break;
      case Kind::partition:
        read_partition_groups(f, fault);
        if (auto one_way = f.boolean("one_way")) fault.one_way = *one_way;
        if (auto traffic = f.choice("traffic", {"all", "replication", "client", "control"})) fault.traffic = *traffic;
        if (fault.one_way && fault.groups.size() != 2 && f.get("groups") && f.get("groups")->is_array() &&
            f.get("groups")->size() != 2)
          d_.error(f.at("one_way"), "a one-way partition needs exactly 2 groups (from groups[0] to groups[1]), got " +
                                        std::to_string(f.get("groups")->size()));
        break;
      case Kind::link_degrade: {
        target(TargetKind::any_host);
        if (auto latency = f.duration_s("extra_latency")) fault.extra_latency_s = *latency;
        if (auto factor = f.number("bandwidth_factor", {0.0, true, 1.0})) fault.factor = *factor;
        if (auto drop = f.number("drop_probability", {0.0, false, 1.0})) fault.drop_probability = *drop;
        if (!f.has("extra_latency") && !f.has("bandwidth_factor") && !f.has("drop_probability"))
          d_.error(f.pointer(), "a link_degrade fault needs at least one of \"extra_latency\", \"bandwidth_factor\" "
                                "and \"drop_probability\"");
        break;
      }
      case Kind::slow_disk:
        target(TargetKind::broker);
        if (auto factor = f.number("factor", {0.0, true, 1.0}, true)) fault.factor = *factor;
        break;
      case Kind::consumer_pause:
        target(TargetKind::consumer);
        if (!f.has("duration")) f.missing("duration", "how long the consumer stays paused");
        break;
      case Kind::consumer_slow:
        target(TargetKind::consumer);
        if (auto factor = f.number("factor", {0.0, true, std::nullopt}, true)) fault.factor = *factor;
        break;
      case Kind::consumer_crash:
      case Kind::consumer_leave:
        target(TargetKind::consumer);
        break;
      case Kind::rolling_restart: {
        if (!f.has("duration")) f.missing("duration", "how long each member stays down");
        if (auto interval = f.duration_s("interval")) fault.interval_s = *interval;
        auto t = f.string("target", true);
        if (!t) break;
        fault.target = *t;
        if (t->rfind("group:", 0) != 0) {
          d_.error(f.at("target"), "expected \"group:<group.id>\" naming a consumer group, got " + in_quotes(*t));
          break;
        }
        const std::string group = t->substr(6);
        const std::vector<std::string> groups = s_.group_ids();
        if (std::find(groups.begin(), groups.end(), group) == groups.end())
          d_.error(f.at("target"), "no consumer has group.id " + in_quotes(group) + did_you_mean(group, groups));
        break;
      }
    }
  }

  void read_partition_groups(const Fields& f, FaultSpec& fault) {
    const json* groups = f.get("groups");
    if (!groups) {
      f.missing("groups", "arrays of host names to cut apart");
      return;
    }
    if (!array_at(groups, f.at("groups"), "host-name arrays")) return;
    if (groups->size() < 2) d_.error(f.at("groups"), "expected at least 2 groups, got " + std::to_string(groups->size()));
    std::map<std::string, std::string> seen;
    for (size_t g = 0; g < groups->size(); ++g) {
      std::string gp = pointer_child(f.at("groups"), g);
      const json& group = (*groups)[g];
      if (!group.is_array() || group.empty()) {
        d_.error(gp, "expected a non-empty array of host names, got " + shown(group));
        continue;
      }
      std::vector<std::string> hosts;
      for (size_t h = 0; h < group.size(); ++h) {
        std::string hp = pointer_child(gp, h);
        if (!group[h].is_string()) {
          d_.error(hp, "expected a host name, got " + shown(group[h]));
          continue;
        }
        std::string host = group[h].get<std::string>();
        // Roles are resolved when the fault fires, like targets.
        if (host.rfind("leader:", 0) == 0) {
          if (auto problem = leader_role_problem(host); !problem.empty()) d_.error(hp, problem);
          hosts.push_back(host);
          continue;
        }
        if (host.rfind("coordinator:", 0) == 0) {
          if (auto problem = coordinator_role_problem(host); !problem.empty()) d_.error(hp, problem);
          hosts.push_back(host);
          continue;
        }
        if (host == "controller:active" || host == "broker:most-leaders") {
          hosts.push_back(host);
          continue;
        }
        if (!is_client(host)) {
          std::string problem = server_host_problem(host);
          if (!problem.empty()) {
            std::vector<std::string> candidates = server_hosts();
            for (const auto& c : clients_) candidates.push_back(c.name);
            if (problem == "unknown host " + in_quotes(host))
              problem += ": expected a broker, " +
                         std::string(s_.cluster.control_plane.mode == ControllerMode::kraft ? "controller"
                                                                                            : "ZooKeeper node") +
                         ", producer or consumer name" + did_you_mean(host, candidates);
            d_.error(hp, problem);
            continue;
          }
        }
        auto [it, inserted] = seen.emplace(host, hp);
        if (!inserted) {
          d_.error(hp, in_quotes(host) + " is already in " + it->second);
          continue;
        }
        hosts.push_back(host);
      }
      fault.groups.push_back(std::move(hosts));
    }
  }

  void read_metrics(const json* raw) {
    const json* metrics = object_at(raw, "/metrics");
    if (!metrics) return;
    Fields f(*metrics, "/metrics", {"interval"}, "metrics", d_);
    if (auto interval = f.duration_s("interval")) {
      if (*interval <= 0)
        d_.error(f.at("interval"), "must be greater than 0s");
      else if (run_end_known_ && *interval > s_.duration_s)
        d_.error(f.at("interval"), "interval " + duration_text(*interval) + " exceeds the run's duration " +
                                       duration_text(s_.duration_s));
      else
        s_.metrics.interval_s = *interval;
    }
  }

  const json& doc_;
  Diagnostics d_;
  Scenario s_;
  bool run_end_known_ = true;
  bool brokers_known_ = true;
  std::set<std::string> broker_explicit_;
  std::map<std::string, TopicInfo> topic_index_;
  std::vector<ClientName> clients_;
  std::map<std::string, int> consumer_index_;
  std::string idempotence_reason_;
};

}  // namespace

LoadResult parse_scenario_json(const nlohmann::json& doc, const std::string& file_name) {
  return Parser(doc, file_name).run();
}

}  // namespace kafkasim
