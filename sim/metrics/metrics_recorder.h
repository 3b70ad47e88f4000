// Time series sampled every metrics interval into metrics.csv: rates of produced, acknowledged, failed and
// consumed records, under-replicated and offline partition counts, per-partition log end offset and high
// watermark (up to kMaxPartitionColumns partitions, so large clusters keep a readable file), per-consumer lag
// (consumer_lag:<consumer>), and per consumer group: lag against committed offsets (lag:<group>, and per
// partition lag:<group>:<topic>/<p> under the same limit), whether it is rebalancing, and its rebalance count.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "check/record_ledger.h"
#include "client/consumer.h"
#include "cluster/cluster_metadata.h"

namespace kafkasim {

class MetricsRecorder {
 public:
  MetricsRecorder(std::ostream& out, const ClusterMetadata& metadata, const std::vector<const Broker*>& brokers,
                  const std::vector<const Consumer*>& consumers, const RecordLedger& ledger);
  void sample(SimTime now);

  // Lag of one consumer: high watermark minus position over its partitions (Kafka's records-lag).
  int64_t consumer_lag(const Consumer& consumer) const;
  Offset high_watermark(TopicPartition tp) const;
  Offset log_end_offset(TopicPartition tp) const;
  // Lag of a group as kafka-consumer-groups shows it: high watermark minus committed offset, summed over the
  // partitions of the topics its members subscribe to (a partition without a committed offset counts fully).
  int64_t group_lag(const std::string& group) const;
  // The group as its coordinator holds it; nullptr before any member joined.
  const ConsumerGroup* group(const std::string& group_id) const;
  // Completed rebalances of the group so far, over every coordinator it had.
  int64_t rebalances(const std::string& group_id) const;
  // Groups with subscribed members, sorted.
  const std::vector<std::string>& groups() const { return group_ids_; }

 private:
  const Replica* leader_replica(TopicPartition tp) const;
  // The group's committed offsets from its coordinator, or the last seen while it has none.
  const std::map<TopicPartition, Offset>& committed_offsets(const std::string& group_id) const;
  // High watermark minus the committed offset (0 when none is committed yet).
  int64_t partition_lag(const std::map<TopicPartition, Offset>& committed, TopicPartition tp) const;

  std::ostream& out_;
  const ClusterMetadata& metadata_;
  std::vector<const Broker*> brokers_;
  std::vector<const Consumer*> consumers_;
  std::vector<std::string> group_ids_;
  std::map<std::string, std::set<int32_t>> group_topics_;
  mutable std::map<std::string, std::map<TopicPartition, Offset>> last_committed_;
  const RecordLedger& ledger_;
  static constexpr int64_t kMaxPartitionColumns = 64;
  bool per_partition_columns_ = true;
  LedgerTotals last_;
  SimTime last_time_ = 0;
};

}  // namespace kafkasim
