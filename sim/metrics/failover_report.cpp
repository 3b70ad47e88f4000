#include "metrics/failover_report.h"

#include "metrics/event_log.h"

namespace kafkasim {
namespace {

// "broker-<id>" -> id; -1 for other hosts (controllers, ZooKeeper servers).
int32_t broker_of_host(const std::string& host) {
  const std::string prefix = "broker-";
  if (host.rfind(prefix, 0) != 0 || host.size() == prefix.size()) return -1;
  int32_t id = 0;
  for (size_t i = prefix.size(); i < host.size(); ++i) {
    if (host[i] < '0' || host[i] > '9') return -1;
    id = id * 10 + (host[i] - '0');
  }
  return id;
}

nlohmann::ordered_json seconds_or_null(SimTime s) {
  return s < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(round_time(s));
}

}  // namespace

void FailoverReport::on_event(const nlohmann::ordered_json& event) {
  const std::string& type = event["type"].get_ref<const std::string&>();
  const SimTime t = event["t"].get<double>();
  if (type == "topic_created") {
    const std::string topic = event["topic"].get<std::string>();
    for (const auto& p : event["partitions"])
      leaders_[{topic, p["partition"].get<int32_t>()}] = p.value("leader", -1);
  } else if (type == "leader_elected") {
    const PartitionKey key{event["topic"].get<std::string>(), event["partition"].get<int32_t>()};
    const int32_t leader = event["leader"].get<int32_t>();
    leaders_[key] = leader;
    if (leader < 0) return;
    for (Entry& e : entries_) {
      auto it = e.led.find(key);
      if (it == e.led.end() || it->second) continue;
      it->second = true;
      ++e.reelected;
      if (e.first_election < 0) e.first_election = t - e.at;
      e.last_election = t - e.at;
    }
  } else if (type == "controller_elected") {
    active_controller_ = event["controller"].get<std::string>();
    for (Entry& e : entries_)
      if (e.controller && e.controller_elected < 0) e.controller_elected = t - e.at;
  } else if (type == "controller_ready") {
    for (Entry& e : entries_)
      if (e.controller && e.controller_elected >= 0 && e.controller_ready < 0) e.controller_ready = t - e.at;
  } else if (type == "fault_started") {
    const std::string kind = event.value("fault", "");
    if (kind != "crash" && kind != "power_loss") return;
    Entry e;
    e.fault = event.value("index", int64_t{-1});
    e.kind = kind;
    e.target = event.value("target", "");
    e.role = event.value("role", "");
    e.at = t;
    e.controller = !e.target.empty() && e.target == active_controller_;
    const int32_t broker = broker_of_host(e.target);
    if (broker >= 0)
      for (const auto& [key, leader] : leaders_)
        if (leader == broker) e.led[key] = false;
    e.partitions_led = static_cast<int64_t>(e.led.size());
    entries_.push_back(std::move(e));
  }
}

nlohmann::ordered_json FailoverReport::to_json() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Entry& e : entries_) {
    nlohmann::ordered_json row;
    row["fault"] = e.fault;
    row["kind"] = e.kind;
    row["target"] = e.target;
    if (!e.role.empty()) row["role"] = e.role;
    row["at_s"] = round_time(e.at);
    row["partitions_led"] = e.partitions_led;
    row["partitions_reelected"] = e.reelected;
    row["first_election_s"] = seconds_or_null(e.first_election);
    row["last_election_s"] = seconds_or_null(e.last_election);
    row["controller"] = e.controller;
    row["controller_elected_s"] = seconds_or_null(e.controller_elected);
    row["controller_ready_s"] = seconds_or_null(e.controller_ready);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace kafkasim
