#include "metrics/metrics_recorder.h"

#include <cstdio>

#include "metrics/event_log.h"

namespace kafkasim {

MetricsRecorder::MetricsRecorder(std::ostream& out, const ClusterMetadata& metadata,
                                 const std::vector<const Broker*>& brokers,
                                 const std::vector<const Consumer*>& consumers, const RecordLedger& ledger)
    : out_(out), metadata_(metadata), brokers_(brokers), consumers_(consumers), ledger_(ledger) {
  out_ << "time_s,produced_per_s,acknowledged_per_s,failed_per_s,consumed_per_s,under_replicated,offline";
  per_partition_columns_ = static_cast<int64_t>(metadata_.all_partitions().size()) <= kMaxPartitionColumns;
  for (TopicPartition tp : metadata_.all_partitions()) {
    if (!per_partition_columns_) break;
    std::string name = metadata_.topic_name(tp.topic) + "/" + std::to_string(tp.partition);
    out_ << ",log_end_offset:" << name << ",high_watermark:" << name;
  }
  // consumer_lag: and lag: differ because a consumer and its group often share a name.
  for (const Consumer* c : consumers_) out_ << ",consumer_lag:" << c->name();
  for (const Consumer* c : consumers_) {
    if (!c->group_membership()) continue;
    group_topics_[c->ledger_group()].insert(c->topics().begin(), c->topics().end());
  }
  for (const auto& [group, topics] : group_topics_) {
    group_ids_.push_back(group);
    out_ << ",lag:" << group << ",rebalancing:" << group << ",rebalances:" << group;
    if (!per_partition_columns_) continue;
    for (int32_t t : topics)
      for (int32_t p = 0; p < metadata_.partition_count(t); ++p)
        out_ << ",lag:" << group << ":" << metadata_.topic_name(t) << "/" << p;
  }
  out_ << "\n";
}

const ConsumerGroup* MetricsRecorder::group(const std::string& group_id) const {
  const int32_t coordinator = metadata_.group_coordinator(group_id);
  for (const Broker* b : brokers_) {
    if (b->id() != coordinator) continue;
    const auto& groups = b->group_coordinator().groups();
    auto it = groups.find(group_id);
    return it == groups.end() ? nullptr : &it->second;
  }
  return nullptr;
}

int64_t MetricsRecorder::rebalances(const std::string& group_id) const {
  if (brokers_.empty()) return 0;
  const GroupTotalsMap& totals = brokers_.front()->group_coordinator().totals();  // shared by all brokers
  auto it = totals.find(group_id);
  return it == totals.end() ? 0 : it->second.rebalances;
}

const std::map<TopicPartition, Offset>& MetricsRecorder::committed_offsets(const std::string& group_id) const {
  // While the group's coordinator moves (its offsets partition has no leader, or the new one is loading),
  // the offsets last seen stand: lag does not jump to the whole log for the length of a fail-over.
  auto& last = last_committed_[group_id];
  if (const ConsumerGroup* g = group(group_id)) last = g->committed_offsets;
  return last;
}

int64_t MetricsRecorder::partition_lag(const std::map<TopicPartition, Offset>& committed, TopicPartition tp) const {
  auto it = committed.find(tp);
  return std::max<int64_t>(0, high_watermark(tp) - (it == committed.end() ? 0 : it->second));
}

int64_t MetricsRecorder::group_lag(const std::string& group_id) const {
  const auto& committed = committed_offsets(group_id);
  auto topics = group_topics_.find(group_id);
  if (topics == group_topics_.end()) return 0;
  int64_t lag = 0;
  for (int32_t t : topics->second)
    for (int32_t p = 0; p < metadata_.partition_count(t); ++p) lag += partition_lag(committed, {t, p});
  return lag;
}

const Replica* MetricsRecorder::leader_replica(TopicPartition tp) const {
  int32_t leader = metadata_.partition(tp).leader;
  if (leader < 0) return nullptr;
  for (const Broker* b : brokers_)
    if (b->id() == leader) {
      auto it = b->replicas().find(tp);
      return it == b->replicas().end() ? nullptr : &it->second;
    }
  return nullptr;
}

Offset MetricsRecorder::high_watermark(TopicPartition tp) const {
  const Replica* r = leader_replica(tp);
  return r ? r->high_watermark : 0;
}

Offset MetricsRecorder::log_end_offset(TopicPartition tp) const {
  const Replica* r = leader_replica(tp);
  return r ? r->log.log_end_offset() : 0;
}

int64_t MetricsRecorder::consumer_lag(const Consumer& consumer) const {
  int64_t lag = 0;
  for (const auto& [tp, position] : consumer.positions()) {
    Offset hw = high_watermark(tp);
    lag += position < 0 ? hw : std::max<int64_t>(0, hw - position);
  }
  return lag;
}

void MetricsRecorder::sample(SimTime now) {
  const LedgerTotals& t = ledger_.totals();
  double dt = now - last_time_;
  auto rate = [dt](int64_t delta) { return dt > 0 ? static_cast<double>(delta) / dt : 0.0; };
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", round_time(now));
  out_ << buf;
  for (double r : {rate(t.produced - last_.produced), rate(t.acknowledged - last_.acknowledged),
                   rate(t.failed - last_.failed), rate(t.delivered - last_.delivered)}) {
    std::snprintf(buf, sizeof buf, ",%.3f", r);
    out_ << buf;
  }
  int64_t under_replicated = 0, offline = 0;
  for (TopicPartition tp : metadata_.all_partitions()) {
    const PartitionState& st = metadata_.partition(tp);
    if (st.leader < 0) ++offline;
    else if (st.isr.size() < st.replicas.size()) ++under_replicated;
  }
  out_ << "," << under_replicated << "," << offline;
  if (per_partition_columns_)
    for (TopicPartition tp : metadata_.all_partitions()) out_ << "," << log_end_offset(tp) << "," << high_watermark(tp);
  for (const Consumer* c : consumers_) out_ << "," << consumer_lag(*c);
  for (const std::string& id : group_ids_) {
    const ConsumerGroup* g = group(id);
    const bool rebalancing = g && (g->state == GroupState::preparing_rebalance ||
                                   g->state == GroupState::completing_rebalance);
    out_ << "," << group_lag(id) << "," << (rebalancing ? 1 : 0) << "," << rebalances(id);
    if (!per_partition_columns_) continue;
    for (int32_t t : group_topics_.at(id))
      for (int32_t p = 0; p < metadata_.partition_count(t); ++p)
        out_ << "," << partition_lag(last_committed_[id], {t, p});
  }
  out_ << "\n";
  last_ = t;
  last_time_ = now;
}

}  // namespace kafkasim
