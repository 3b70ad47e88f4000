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

  // Consumer groups as their coordinator holds them: state, generation, members and their assignment from
  // the last SyncGroup, committed offsets.
  for (const std::string& group_id : s.scenario.group_ids()) {
    GroupSnapshot g;
    g.group = group_id;
    g.coordinator = s.metadata.group_coordinator(group_id);  // -1 while its offsets partition is offline
    const Broker* coordinator = g.coordinator < 0 ? nullptr : s.brokers[static_cast<size_t>(g.coordinator)].get();
    g.coordinator_available = coordinator && coordinator->up();
    static const std::map<std::string, ConsumerGroup> kNone;
    const auto& groups = g.coordinator_available ? coordinator->group_coordinator().groups() : kNone;
    auto found = groups.find(group_id);
    if (!g.coordinator_available || found == groups.end()) {
      g.state = g.coordinator_available ? "Empty" : "Unknown";
      snap.groups.push_back(std::move(g));
      continue;
    }
    const ConsumerGroup& cg = found->second;
    g.state = group_state_name(cg.state);
    g.generation = cg.generation;
    g.protocol = cg.protocol;
    std::map<TopicPartition, const GroupMember*> owner;
    for (const auto& [member_id, m] : cg.members) {
      GroupMemberSnapshot ms{m.member_id, m.client_id, "/" + m.client_id, m.group_instance_id, {}};
      std::vector<TopicPartition> assignment = m.assignment;
      std::sort(assignment.begin(), assignment.end());
      for (TopicPartition tp : assignment) {
        ms.assignment.emplace_back(s.metadata.topic_name(tp.topic), tp.partition);
        owner[tp] = &m;
      }
      g.members.push_back(std::move(ms));
    }
    // Rows: every partition the group owns or has committed, in topic then partition order.
    for (TopicPartition tp : s.metadata.all_partitions()) {
      auto o = owner.find(tp);
      auto c = cg.committed_offsets.find(tp);
      if (o == owner.end() && c == cg.committed_offsets.end()) continue;
      GroupPartitionSnapshot row;
      row.topic = s.metadata.topic_name(tp.topic);
      row.partition = tp.partition;
      if (c != cg.committed_offsets.end()) row.committed = c->second;
      if (const Replica* r = leader_replica(tp)) row.log_end_offset = r->high_watermark;
      if (o != owner.end()) {
        row.member_id = o->second->member_id;
        row.client_id = o->second->client_id;
        row.host = "/" + o->second->client_id;
      }
      g.partitions.push_back(std::move(row));
    }
    snap.groups.push_back(std::move(g));
  }
  return snap;
}

}  // namespace kafkasim
