// Time series sampled every metrics interval into metrics.csv: rates of produced, acknowledged, failed and
// consumed records, under-replicated and offline partition counts, per-partition log end offset and high
// watermark (up to kMaxPartitionColumns partitions, so large clusters keep a readable file), per-consumer lag.
#pragma once

#include <cstdint>
#include <ostream>
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

 private:
  const Replica* leader_replica(TopicPartition tp) const;

  std::ostream& out_;
  const ClusterMetadata& metadata_;
  std::vector<const Broker*> brokers_;
  std::vector<const Consumer*> consumers_;
  const RecordLedger& ledger_;
  static constexpr int64_t kMaxPartitionColumns = 64;
  bool per_partition_columns_ = true;
  LedgerTotals last_;
  SimTime last_time_ = 0;
};

}  // namespace kafkasim
