#include "check/delivery_checker.h"

#include <algorithm>

namespace kafkasim {

DeliveryReport DeliveryChecker::check(const std::map<TopicPartition, std::vector<RecordBatch>>& final_logs,
                                      const std::map<int32_t, bool>& topic_has_readers) const {
  DeliveryReport report;
  std::map<RecordLedger::StreamKey, IntervalSet> present;
  for (const auto& [tp, batches] : final_logs) {
    std::map<int32_t, int64_t> highest_seq_end;  // per producer: end of the highest sequence seen so far
    for (const RecordBatch& b : batches) {
      if (b.producer < 0) continue;
      IntervalSet& set = present[{b.producer, tp}];
      int64_t begin = b.first_record_seq, end = b.first_record_seq + b.record_count;
      int64_t copies = set.add(begin, end);
      report.duplicated_in_log += copies;
      int64_t& high = highest_seq_end[b.producer];
      // A record sent earlier than one already seen, and not a copy: it overtook nothing but was overtaken.
      if (begin < high) report.reordered += (std::min(end, high) - begin) - copies;
      high = std::max(high, end);
    }
  }
  for (const auto& [key, stream] : ledger_.streams()) {
    auto it = present.find(key);
    static const IntervalSet kEmpty;
    const IntervalSet& in_log = it == present.end() ? kEmpty : it->second;
    report.in_log += in_log.size();
    for (const auto& [b, e] : stream.acknowledged.ranges()) report.lost += (e - b) - in_log.count_in(b, e);
    for (const auto& [b, e] : in_log.ranges()) report.present_unacknowledged += (e - b) - stream.acknowledged.count_in(b, e);
    auto readers = topic_has_readers.find(key.second.topic);
    if (readers != topic_has_readers.end() && readers->second) {
      for (const auto& [group, delivered] : stream.delivered) {
        for (const auto& [b, e] : in_log.ranges()) report.unseen += (e - b) - delivered.count_in(b, e);
      }
      if (stream.delivered.empty()) report.unseen += in_log.size();
    }
  }
  return report;
}

}  // namespace kafkasim
