#include "metrics/partition_ownership.h"

namespace kafkasim {

void PartitionOwnership::register_group(const std::string& group, const std::vector<TopicPartition>& partitions) {
  Group& g = groups_[group];
  for (TopicPartition tp : partitions) g.partitions.try_emplace(tp);
}

void PartitionOwnership::on_owned(const std::string& group, const std::vector<TopicPartition>& tps, SimTime now) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  Group& g = it->second;
  if (!g.started) {
    g.started = true;
    for (auto& [tp, p] : g.partitions) p.idle_since = now;
  }
  for (TopicPartition tp : tps) {
    auto p = g.partitions.find(tp);
    if (p == g.partitions.end()) continue;
    if (p->second.owners++ == 0) g.idle_s += now - p->second.idle_since;
  }
}

void PartitionOwnership::on_released(const std::string& group, const std::vector<TopicPartition>& tps, SimTime now) {
  auto it = groups_.find(group);
  if (it == groups_.end() || !it->second.started) return;
  for (TopicPartition tp : tps) {
    auto p = it->second.partitions.find(tp);
    if (p == it->second.partitions.end() || p->second.owners == 0) continue;
    if (--p->second.owners == 0) p->second.idle_since = now;
  }
}

double PartitionOwnership::idle_partition_seconds(const std::string& group, SimTime now) const {
  auto it = groups_.find(group);
  if (it == groups_.end() || !it->second.started) return 0;
  double idle = it->second.idle_s;
  for (const auto& [tp, p] : it->second.partitions)
    if (p.owners == 0) idle += now - p.idle_since;
  return idle;
}

}  // namespace kafkasim
