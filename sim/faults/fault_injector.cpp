#include "faults/fault_injector.h"

#include <algorithm>
#include <functional>

#include "metrics/event_log.h"

namespace kafkasim {

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

FaultInjector::FaultInjector(const Scenario& scenario, const ClusterMetadata& metadata, FaultActuator& actuator,
                             EventLog& events)
    : scenario_(scenario), metadata_(metadata), actuator_(actuator), events_(events) {}

std::vector<ScheduledFault> FaultInjector::timeline() {
  std::vector<ScheduledFault> out;
  for (size_t i = 0; i < scenario_.faults.size(); ++i) {
    const FaultSpec& f = scenario_.faults[i];
    out.push_back({f.at_s, [this, i](SimTime now) { start(i, now); }});
    if (f.kind == FaultSpec::Kind::rolling_restart) {
      // One member after the other, in scenario order: close, down for `duration`, start again.
      const std::string group = f.target.substr(6);
      const SimTime down = f.duration_s.value_or(0);
      SimTime t = f.at_s;
      for (const ConsumerSpec& c : scenario_.consumers) {
        if (c.config.get_string("group.id") != group) continue;
        const std::string name = c.name;
        out.push_back({t, [this, name](SimTime) { actuator_.stop_consumer(name, "rolling_restart"); }});
        out.push_back({t + down, [this, name](SimTime) { actuator_.start_consumer(name); }});
        t += down + f.interval_s;
      }
      out.push_back({std::max(f.at_s, t - f.interval_s), [this, i](SimTime now) { heal(i, now); }});
      continue;
    }
    if (f.duration_s) out.push_back({f.at_s + *f.duration_s, [this, i](SimTime now) { heal(i, now); }});
  }
  std::stable_sort(out.begin(), out.end(), [](const ScheduledFault& a, const ScheduledFault& b) { return a.at < b.at; });
  return out;
}

std::optional<std::string> FaultInjector::resolve(const std::string& target, std::string* why) const {
  auto fail = [why](const std::string& reason) -> std::optional<std::string> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (target.rfind("leader:", 0) == 0) {
    std::string rest = target.substr(7);
    auto slash = rest.rfind('/');
    if (slash == std::string::npos) return fail("expected leader:<topic>/<partition>");
    std::string topic = rest.substr(0, slash);
    int32_t partition = std::stoi(rest.substr(slash + 1));
    for (int32_t t = 0; t < metadata_.topic_count(); ++t) {
      if (metadata_.topic_name(t) != topic) continue;
      int32_t leader = metadata_.partition({t, partition}).leader;
      if (leader < 0) return fail(rest + " has no leader");
      return actuator_.host_of_node(metadata_.broker_node(leader).value);
    }
    return fail("no topic " + topic);
  }
  if (target.rfind("coordinator:", 0) == 0) {
    const int32_t coordinator = metadata_.group_coordinator(target.substr(12));
    if (coordinator < 0) return fail("the __consumer_offsets partition of group " + target.substr(12) + " has no leader");
    return actuator_.host_of_node(metadata_.broker_node(coordinator).value);
  }
  if (target == "controller:active") {
    if (metadata_.active_controller < 0) return fail("no controller is active");
    return actuator_.host_of_node(metadata_.active_controller);
  }
  if (target == "broker:most-leaders") {
    std::vector<int32_t> leaders(static_cast<size_t>(metadata_.broker_count()), 0);
    for (TopicPartition tp : metadata_.all_partitions()) {
      int32_t l = metadata_.partition(tp).leader;
      if (l >= 0) ++leaders[static_cast<size_t>(l)];
    }
    auto best = std::max_element(leaders.begin(), leaders.end());  // ties: the lowest broker id
    return actuator_.host_of_node(metadata_.broker_node(static_cast<int32_t>(best - leaders.begin())).value);
  }
  std::string host = target.rfind("consumer:", 0) == 0 ? target.substr(9) : target;
  if (!actuator_.host_exists(host)) return fail("no host " + host);
  return host;
}

void FaultInjector::start(size_t index, SimTime now) {
  const FaultSpec& f = scenario_.faults[index];
  Active a;
  a.spec = &f;
  nlohmann::ordered_json fields{{"fault", fault_kind_name(f.kind)}, {"index", index}};
  std::string why;
  switch (f.kind) {
    case FaultSpec::Kind::crash:
    case FaultSpec::Kind::power_loss:
    case FaultSpec::Kind::slow_disk:
    case FaultSpec::Kind::link_degrade:
    case FaultSpec::Kind::consumer_pause:
    case FaultSpec::Kind::consumer_slow:
    case FaultSpec::Kind::consumer_crash:
    case FaultSpec::Kind::consumer_leave: {
      auto host = resolve(f.target, &why);
      if (!host) {
        events_.emit(now, "fault_skipped", {{"fault", fault_kind_name(f.kind)}, {"target", f.target}, {"reason", why}});
        return;
      }
      a.host = *host;
      fields["target"] = a.host;
      if (f.target != a.host) fields["role"] = f.target;
      break;
    }
    case FaultSpec::Kind::partition:
      break;
    case FaultSpec::Kind::rolling_restart:
      fields["target"] = f.target;
      break;
  }
  // The log says what happens before what it causes (broker_crashed, group_unloaded, ...) at the same instant.
  std::function<void()> act = [] {};
  switch (f.kind) {
    case FaultSpec::Kind::crash:
      act = [&] { actuator_.crash(a.host, false); };
      fields["description"] = "process crash of " + a.host + " (page cache kept)";
      break;
    case FaultSpec::Kind::power_loss:
      act = [&] { actuator_.crash(a.host, true); };
      fields["description"] = "power loss of " + a.host + " (unflushed data lost)";
      break;
    case FaultSpec::Kind::slow_disk:
      act = [&] { actuator_.set_disk_factor(a.host, f.factor); };
      fields["description"] = "disk of " + a.host + " at " + std::to_string(f.factor) + " of its bandwidth";
      break;
    case FaultSpec::Kind::link_degrade:
      act = [&] {
        a.network_id = actuator_.network().add_degradation(a.host, f.extra_latency_s, f.factor, f.drop_probability);
        actuator_.apply_bandwidth(a.host);
      };
      fields["description"] = "link of " + a.host + " degraded";
      break;
    case FaultSpec::Kind::consumer_pause:
      act = [&] { actuator_.pause_consumer(a.host, f.duration_s ? now + *f.duration_s : kNever); };
      fields["description"] = "consumer " + a.host + " paused";
      break;
    case FaultSpec::Kind::consumer_slow:
      act = [&] { actuator_.slow_consumer(a.host, f.factor); };
      fields["description"] = "consumer " + a.host + " processing " + std::to_string(f.factor) + "x slower";
      break;
    case FaultSpec::Kind::consumer_crash:
      act = [&] { actuator_.crash(a.host, false); };
      fields["description"] = "consumer " + a.host + " crashed (no LeaveGroup)";
      break;
    case FaultSpec::Kind::consumer_leave:
      act = [&] { actuator_.stop_consumer(a.host, "consumer_leave"); };
      fields["description"] = "consumer " + a.host + " left its group";
      break;
    case FaultSpec::Kind::rolling_restart:
      fields["description"] = "rolling restart of " + f.target + ", each member down " +
                              std::to_string(f.duration_s.value_or(0)) + " s";
      break;
    case FaultSpec::Kind::partition: {
      std::vector<std::vector<std::string>> groups;
      std::string text;
      for (const auto& g : f.groups) {
        std::vector<std::string> hosts;
        for (const auto& t : g) {
          auto host = resolve(t, &why);
          if (host) hosts.push_back(*host);
        }
        text += (text.empty() ? "" : f.one_way ? " -> " : " | ") + [&] {
          std::string s;
          for (const auto& h : hosts) s += (s.empty() ? "" : ",") + h;
          return "{" + s + "}";
        }();
        groups.push_back(std::move(hosts));
      }
      std::optional<TrafficClass> traffic;
      if (f.traffic == "replication") traffic = TrafficClass::replication;
      if (f.traffic == "client") traffic = TrafficClass::client;
      if (f.traffic == "control") traffic = TrafficClass::control;
      act = [&, groups = std::move(groups), traffic] {
        a.network_id = actuator_.network().add_cut(groups, f.one_way, traffic);
      };
      fields["target"] = text;
      fields["traffic"] = f.traffic;
      fields["description"] = "network partition " + text + " (" + f.traffic + " traffic)";
      break;
    }
  }
  events_.emit(now, "fault_started", std::move(fields));
  act();
  active_[index] = std::move(a);
}

void FaultInjector::heal(size_t index, SimTime now) {
  auto it = active_.find(index);
  if (it == active_.end() || it->second.healed) return;
  Active& a = it->second;
  a.healed = true;
  const FaultSpec& f = *a.spec;
  nlohmann::ordered_json fields{{"fault", fault_kind_name(f.kind)}, {"index", index}};
  if (!a.host.empty()) fields["target"] = a.host;
  events_.emit(now, "fault_healed", std::move(fields));
  switch (f.kind) {
    case FaultSpec::Kind::crash:
    case FaultSpec::Kind::power_loss:
    case FaultSpec::Kind::consumer_crash:
      actuator_.restart(a.host);
      break;
    case FaultSpec::Kind::consumer_leave:
      actuator_.start_consumer(a.host);
      break;
    case FaultSpec::Kind::rolling_restart:
      break;
    case FaultSpec::Kind::slow_disk:
      actuator_.set_disk_factor(a.host, 1.0);
      break;
    case FaultSpec::Kind::link_degrade:
      actuator_.network().remove_degradation(a.network_id);
      actuator_.apply_bandwidth(a.host);
      break;
    case FaultSpec::Kind::partition:
      actuator_.network().remove_cut(a.network_id);
      break;
    case FaultSpec::Kind::consumer_pause:
      actuator_.pause_consumer(a.host, now);
      break;
    case FaultSpec::Kind::consumer_slow:
      actuator_.slow_consumer(a.host, 1.0);
      break;
  }
}

void FaultInjector::heal_all(SimTime now) {
  for (auto& [index, a] : active_)
    if (!a.healed) heal(index, now);
}

}  // namespace kafkasim
