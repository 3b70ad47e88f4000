#include "run/snapshot_builder.h"

#include <algorithm>
#include <map>

#include "broker/broker.h"
#include "client/consumer.h"
#include "cluster/cluster_metadata.h"
#include "scenario/kafka_configs.h"

namespace kafkasim {
namespace {

// Node ids follow simulation.cpp's order: brokers, their control-plane agents, then the quorum.
std::string controller_name(const Scenario& scenario, int32_t node) {
  if (node < 0) return "";
  const int32_t brokers = scenario.cluster.brokers;
  if (scenario.cluster.control_plane.mode == ControllerMode::kraft) return "controller-" + std::to_string(node - 2 * brokers);
  return "broker-" + std::to_string(node - brokers);
}

// Topic settings shown as kafka-topics shows its "Configs:": those set on the topic, i.e. differing from the
// broker-wide value of the same key.
std::vector<std::pair<std::string, std::string>> topic_overrides(const Scenario& scenario, const TopicSpec& topic) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : topic.config.values) {
    auto broker = scenario.cluster.broker_config.values.find(key);
    if (broker != scenario.cluster.broker_config.values.end() && broker->second == value) continue;
    out.emplace_back(key, config_value_text(value));
  }
  return out;
}

}  // namespace

ClusterSnapshot build_snapshot(SimTime at, const SnapshotSources& s) {
  ClusterSnapshot snap;
  snap.at = at;
  snap.controller = controller_name(s.scenario, s.metadata.active_controller);
  for (const auto& b : s.brokers)
    if (b->up()) snap.brokers_up.push_back(b->id());

  auto leader_replica = [&](TopicPartition tp) -> const Replica* {
    int32_t leader = s.metadata.partition(tp).leader;
    if (leader < 0 || !s.brokers[static_cast<size_t>(leader)]->up()) return nullptr;
    const auto& replicas = s.brokers[static_cast<size_t>(leader)]->replicas();
    auto it = replicas.find(tp);
    return it == replicas.end() ? nullptr : &it->second;
  };
  for (int32_t t = 0; t < s.metadata.topic_count(); ++t) {
    const TopicSpec& spec = s.scenario.topics[static_cast<size_t>(t)];
    TopicSnapshot topic{spec.name, spec.replication_factor, topic_overrides(s.scenario, spec), {}};
    for (int32_t p = 0; p < s.metadata.partition_count(t); ++p) {
      const PartitionState& st = s.metadata.partition({t, p});
      PartitionSnapshot ps{p, st.leader, st.replicas, st.isr, 0, 0};
      if (const Replica* r = leader_replica({t, p})) {
        ps.log_end_offset = r->log.log_end_offset();
        ps.high_watermark = r->high_watermark;
      }
      topic.partitions.push_back(std::move(ps));
    }
    snap.topics.push_back(std::move(topic));
  }

  // Consumer groups: members are the group's consumers that have started and are not stopped; offsets are
  // what the group's coordinator holds.
  std::map<std::string, GroupSnapshot> groups;
  for (size_t i = 0; i < s.consumers.size(); ++i) {
    const ConsumerSpec& spec = s.scenario.consumers[i];
    const std::string& group_id = spec.config.get_string("group.id");
    if (group_id.empty()) continue;
    GroupSnapshot& g = groups[group_id];
    g.group = group_id;
    if (spec.start_s > at) continue;
    GroupMemberSnapshot m;
    m.member_id = spec.name;
    m.client_id = spec.name;
    m.host = "/" + spec.name;
    for (const auto& [tp, position] : s.consumers[i]->positions())
      m.assignment.emplace_back(s.metadata.topic_name(tp.topic), tp.partition);
    g.members.push_back(std::move(m));
  }
  for (auto& [group_id, g] : groups) {
    g.coordinator = s.metadata.group_coordinator(group_id);
    g.state = g.members.empty() ? "Empty" : "Stable";
    std::map<std::pair<std::string, int32_t>, const GroupMemberSnapshot*> owner;
    for (const auto& m : g.members)
      for (const auto& tp : m.assignment) owner[tp] = &m;
    const Broker& coordinator = *s.brokers[static_cast<size_t>(g.coordinator)];
    const auto& all_offsets = coordinator.committed_offsets();
    auto offsets = all_offsets.find(group_id);
    std::map<std::pair<std::string, int32_t>, Offset> committed;
    if (offsets != all_offsets.end())
      for (const auto& [tp, offset] : offsets->second) committed[{s.metadata.topic_name(tp.topic), tp.partition}] = offset;
    // Rows: every partition the group owns or has committed, in topic then partition order.
    std::map<std::pair<std::string, int32_t>, TopicPartition> rows;
    for (TopicPartition tp : s.metadata.all_partitions()) {
      std::pair<std::string, int32_t> key{s.metadata.topic_name(tp.topic), tp.partition};
      if (owner.count(key) || committed.count(key)) rows.emplace(key, tp);
    }
    for (const auto& [key, tp] : rows) {
      GroupPartitionSnapshot row;
      row.topic = key.first;
      row.partition = key.second;
      if (auto c = committed.find(key); c != committed.end()) row.committed = c->second;
      if (const Replica* r = leader_replica(tp)) row.log_end_offset = r->high_watermark;
      if (auto o = owner.find(key); o != owner.end()) {
        row.member_id = o->second->member_id;
        row.client_id = o->second->client_id;
        row.host = o->second->host;
      }
      g.partitions.push_back(std::move(row));
    }
    snap.groups.push_back(std::move(g));
  }
  return snap;
}

}  // namespace kafkasim
