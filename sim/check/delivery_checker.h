// Classifies records after the run by comparing what producers were told (the ledger) with what the final
// logs hold: lost (acknowledged, not in the log), duplicated in the log, reordered within a producer's
// partition, present although never acknowledged.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "check/record_ledger.h"
#include "protocol/messages.h"

namespace kafkasim {

struct DeliveryReport {
  int64_t in_log = 0;                 // distinct records readable at the end
  int64_t duplicated_in_log = 0;      // extra copies of records (one record at two offsets counts once)
  int64_t lost = 0;                   // acknowledged but not in the log
  int64_t reordered = 0;              // records at a higher offset than a later-sent record of the same stream
  int64_t present_unacknowledged = 0; // in the log although the producer got an error or no answer
  int64_t unseen = 0;                 // in the log, but never delivered to a group that reads the topic
};

class DeliveryChecker {
 public:
  explicit DeliveryChecker(const RecordLedger& ledger) : ledger_(ledger) {}
  // `final_logs`: the readable batches of each partition at the end, in offset order.
  DeliveryReport check(const std::map<TopicPartition, std::vector<RecordBatch>>& final_logs,
                       const std::map<int32_t, bool>& topic_has_readers) const;

 private:
  const RecordLedger& ledger_;
};

}  // namespace kafkasim
