// Classifies records after the run by comparing what producers were told (the ledger) with what the final
// logs hold, with the names fault-analysis tools use: lost (acknowledged, not readable at the end),
// duplicated in the log, reordered within a producer's partition, present although never acknowledged,
// unseen by a reading group, and divergent replicas (one offset, different records on two replicas).
// Each anomaly comes with its history: who acknowledged it, which replica truncated it and when.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/record_ledger.h"
#include "protocol/messages.h"

namespace kafkasim {

struct DeliveryReport {
  int64_t in_log = 0;                  // distinct records readable at the end
  int64_t duplicated_in_log = 0;       // extra copies of records (one record at two offsets counts once)
  int64_t lost = 0;                    // acknowledged but not in the log
  int64_t above_high_watermark = 0;    // acknowledged, in the leader's log but not yet committed at the end
  int64_t reordered = 0;               // records at a higher offset than a later-sent record of the same stream
  int64_t present_unacknowledged = 0;  // in the log although the producer got an error or no answer
  int64_t unseen = 0;                  // in the log, but never delivered to a group that reads the topic
  int64_t divergent_offsets = 0;       // offsets where two replicas below their common end hold different records
};

// One run of records sharing a fate and a history.
struct Anomaly {
  std::string kind;  // lost, duplicate, reordered, present_unacknowledged, divergent
  int32_t producer = -1;
  TopicPartition tp;
  int64_t first_sequence = 0;
  int64_t count = 0;
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
};

class DeliveryChecker {
 public:
  explicit DeliveryChecker(const RecordLedger& ledger) : ledger_(ledger) {}
  // `final_logs`: the readable batches of each partition at the end, in offset order.
  // `replica_logs`: every replica's batches per partition (broker id -> batches), for divergence.
  // Batches at or above a partition's entry in `high_watermarks` are in the leader's log but not readable.
  DeliveryReport check(const std::map<TopicPartition, std::vector<RecordBatch>>& final_logs,
                       const std::map<TopicPartition, Offset>& high_watermarks,
                       const std::map<int32_t, std::vector<std::string>>& readers_by_topic,
                       const std::map<TopicPartition, std::map<int32_t, std::vector<RecordBatch>>>& replica_logs,
                       std::vector<Anomaly>* anomalies = nullptr) const;

 private:
  nlohmann::ordered_json history(const RecordLedger::Stream& s, int64_t begin, int64_t end) const;
  const RecordLedger& ledger_;
};

}  // namespace kafkasim
