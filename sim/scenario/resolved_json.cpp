// to_resolved_json: the Scenario written back in the file format with every default explicit. Numbers with units
// are written so that they parse back to the same double, which makes the round trip exact.
#include "scenario/parse_context.h"
#include "scenario/scenario_loader.h"

namespace kafkasim {
namespace {

using namespace scenario_detail;

json duration(double s) { return exact_text(s, UnitKind::duration); }

json config_json(const ConfigMap& config) {
  json out = json::object();
  for (const auto& [key, value] : config.values) out[key] = config_value_to_json(value);
  return out;
}

json distribution_json(const Distribution& d, UnitKind kind) {
  auto text = [kind](double v) { return exact_text(v, kind); };
  switch (d.kind) {
    case Distribution::Kind::fixed: return {{"distribution", "fixed"}, {"mean", text(d.mean)}};
    case Distribution::Kind::exponential: return {{"distribution", "exponential"}, {"mean", text(d.mean)}};
    case Distribution::Kind::normal:
      return {{"distribution", "normal"}, {"mean", text(d.mean)}, {"stddev", text(d.stddev)}};
    case Distribution::Kind::lognormal:
      return {{"distribution", "lognormal"}, {"mean", text(d.mean)}, {"stddev", text(d.stddev)}};
    case Distribution::Kind::uniform:
      return {{"distribution", "uniform"}, {"min", text(d.min)}, {"max", text(d.max)}};
  }
  return nullptr;
}

json keys_json(const KeySpec& keys) {
  switch (keys.kind) {
    case KeySpec::Kind::none: return {{"distribution", "none"}};
    case KeySpec::Kind::uniform: return {{"distribution", "uniform"}, {"count", keys.count}};
    case KeySpec::Kind::zipf:
      return {{"distribution", "zipf"}, {"count", keys.count}, {"exponent", keys.zipf_exponent}};
    case KeySpec::Kind::sequential: return {{"distribution", "sequential"}, {"count", keys.count}};
  }
  return nullptr;
}

const char* commit_name(ConsumerSpec::Commit commit) {
  switch (commit) {
    case ConsumerSpec::Commit::auto_commit: return "auto";
    case ConsumerSpec::Commit::sync_after_processing: return "sync_after_processing";
    case ConsumerSpec::Commit::async_after_processing: return "async_after_processing";
    case ConsumerSpec::Commit::before_processing: return "before_processing";
    case ConsumerSpec::Commit::none: return "none";
  }
  return "?";
}

const char* fault_kind_name(FaultSpec::Kind kind) {
  switch (kind) {
    case FaultSpec::Kind::crash: return "crash";
    case FaultSpec::Kind::power_loss: return "power_loss";
    case FaultSpec::Kind::partition: return "partition";
    case FaultSpec::Kind::link_degrade: return "link_degrade";
    case FaultSpec::Kind::slow_disk: return "slow_disk";
    case FaultSpec::Kind::consumer_pause: return "consumer_pause";
    case FaultSpec::Kind::consumer_slow: return "consumer_slow";
    case FaultSpec::Kind::consumer_crash: return "consumer_crash";
    case FaultSpec::Kind::consumer_leave: return "consumer_leave";
    case FaultSpec::Kind::rolling_restart: return "rolling_restart";
  }
  return "?";
}

json fault_json(const FaultSpec& f) {
  json out = {{"kind", fault_kind_name(f.kind)}, {"at", duration(f.at_s)}};
  if (f.duration_s) out["duration"] = duration(*f.duration_s);
  switch (f.kind) {
    case FaultSpec::Kind::crash:
    case FaultSpec::Kind::power_loss:
    case FaultSpec::Kind::consumer_pause:
    case FaultSpec::Kind::consumer_crash:
    case FaultSpec::Kind::consumer_leave: out["target"] = f.target; break;
    case FaultSpec::Kind::rolling_restart:
      out["target"] = f.target;
      out["interval"] = duration(f.interval_s);
      break;
    case FaultSpec::Kind::partition:
      out["groups"] = f.groups;
      out["one_way"] = f.one_way;
      out["traffic"] = f.traffic;
      break;
    case FaultSpec::Kind::link_degrade:
      out["target"] = f.target;
      out["extra_latency"] = duration(f.extra_latency_s);
      out["bandwidth_factor"] = f.factor;
      out["drop_probability"] = f.drop_probability;
      break;
    case FaultSpec::Kind::slow_disk:
    case FaultSpec::Kind::consumer_slow:
      out["target"] = f.target;
      out["factor"] = f.factor;
      break;
  }
  return out;
}

}  // namespace

nlohmann::json to_resolved_json(const Scenario& s) {
  json out = json::object();
  out["name"] = s.name;
  out["description"] = s.description;
  out["expected"] = s.expected;
  out["seed"] = s.seed;
  out["duration"] = duration(s.duration_s);
  out["settle"] = duration(s.settle_s);
  out["cluster"] = {
      {"brokers", s.cluster.brokers},
      {"network",
       {{"bandwidth", exact_text(s.cluster.network.bandwidth_Bps, UnitKind::bandwidth)},
        {"latency", duration(s.cluster.network.latency_s)}}},
      {"disk",
       {{"write_bandwidth", exact_text(s.cluster.disk.write_bandwidth_Bps, UnitKind::bandwidth, true)},
        {"dirty_limit", exact_text(s.cluster.disk.dirty_limit_bytes, UnitKind::bytes)}}},
      {"control_plane",
       {{"mode", s.cluster.control_plane.mode == ControllerMode::kraft ? "kraft" : "zookeeper"},
        {"nodes", s.cluster.control_plane.nodes}}},
      {"config", config_json(s.cluster.broker_config)}};

  auto topic_name = [&s](int index) { return s.topics.at(static_cast<size_t>(index)).name; };
  json topics = json::array();
  for (const auto& t : s.topics)
    topics.push_back({{"name", t.name},
                      {"partitions", t.partitions},
                      {"replication_factor", t.replication_factor},
                      {"config", config_json(t.config)}});
  out["topics"] = topics;

  json producers = json::array();
  for (const auto& p : s.producers) {
    json j = {{"name", p.name},
              {"topic", topic_name(p.topic)},
              {"rate", p.rate_per_s},
              {"arrival", p.arrival == ProducerSpec::Arrival::poisson ? "poisson" : "constant"},
              {"record_size", distribution_json(p.record_size_bytes, UnitKind::bytes)},
              {"keys", keys_json(p.keys)},
              {"start", duration(p.start_s)},
              {"send_time", duration(p.send_time_s)},
              {"config", config_json(p.config)}};
    if (p.stop_s) j["stop"] = duration(*p.stop_s);
    if (p.max_records) j["max_records"] = *p.max_records;
    producers.push_back(std::move(j));
  }
  out["producers"] = producers;

  json consumers = json::array();
  for (const auto& c : s.consumers) {
    json names = json::array();
    for (int t : c.topics) names.push_back(topic_name(t));
    json j = {{"name", c.name},
              {"topics", names},
              {"processing_time", distribution_json(c.processing_time_s, UnitKind::duration)},
              {"commit", commit_name(c.commit)},
              {"start", duration(c.start_s)},
              {"config", config_json(c.config)}};
    if (!c.assignment.empty()) {
      json partitions = json::array();
      for (const auto& [topic, partition] : c.assignment)
        partitions.push_back({{"topic", topic_name(topic)}, {"partition", partition}});
      j["partitions"] = partitions;
    }
    consumers.push_back(std::move(j));
  }
  out["consumers"] = consumers;

  json faults = json::array();
  for (const auto& f : s.faults) faults.push_back(fault_json(f));
  out["faults"] = faults;
  out["metrics"] = {{"interval", duration(s.metrics.interval_s)}};
  return out;
}

}  // namespace kafkasim
