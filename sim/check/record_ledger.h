// The ground truth about every record the workload created: when it was sent, whether its producer was told
// it was acknowledged or failed, and which consumer groups had it delivered. Records are tracked as ranges of
// their (producer, partition) sequence numbers. The checker compares this with the final logs.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "check/histogram.h"
#include "check/interval_set.h"
#include "core/ids.h"
#include "core/time.h"
#include "protocol/messages.h"

namespace kafkasim {

struct LedgerTotals {
  int64_t produced = 0;            // handed to send()
  int64_t acknowledged = 0;        // the producer's callback reported success (acks=0: once sent)
  int64_t failed = 0;              // the producer's callback reported an error
  int64_t delivered = 0;           // first deliveries to a consumer group, summed over groups
  int64_t delivered_again = 0;     // deliveries of a record a group already had
};

class RecordLedger {
 public:
  // Consumer groups that read a topic; create times are kept until every reading group has seen a record.
  void register_reader(const std::string& group, int32_t topic);

  void on_produced(int32_t producer, TopicPartition tp, int64_t seq, SimTime created);
  // `broker` answered (acks >= 1) with the batch at `offset`; -1 for acks=0, where nobody answers.
  void on_acknowledged(int32_t producer, TopicPartition tp, int64_t first_seq, int32_t count, int32_t broker = -1,
                       Offset offset = -1, SimTime when = 0);
  // A replica's log lost these batches (truncation as a follower, or a power loss).
  void on_truncated(int32_t broker, TopicPartition tp, const std::vector<RecordBatch>& dropped, SimTime when,
                    const std::string& reason);
  void on_failed(int32_t producer, TopicPartition tp, int64_t first_seq, int32_t count);
  // Records [first_seq, first_seq + count) of the batch were handed to the application of `group` at `now`.
  void on_delivered(const std::string& group, int32_t producer, TopicPartition tp, int64_t first_seq,
                    int32_t count, SimTime now);

  // The application of `group` finished processing offsets [first, first + count) of tp (a batch poll()
  // returned and the consumer then worked through).
  void on_processed(const std::string& group, TopicPartition tp, Offset first, int64_t count);
  // Deliveries of records the group already had, for one group.
  int64_t delivered_again(const std::string& group) const;
  // Records a group skipped: never processed, although the group processed later offsets of the same
  // partition (at-most-once loss after a crash or rebalance; a "poll skip" in fault-analysis terms).
  int64_t skipped(const std::string& group) const;

  const LedgerTotals& totals() const { return totals_; }
  const LatencyHistogram& end_to_end_latency() const { return latency_; }
  int64_t create_times_held() const;  // memory check: bounded by consumer lag

  struct AckRecord {
    int64_t first_seq;
    int32_t count;
    int32_t broker;
    Offset offset;
    SimTime when;
  };
  struct TruncationRecord {
    int64_t first_seq;
    int32_t count;
    int32_t broker;
    Offset offset;
    SimTime when;
    std::string reason;
  };
  struct Stream {
    int64_t next_seq = 0;
    std::vector<AckRecord> acks;              // history, for explaining anomalies
    std::vector<TruncationRecord> truncations;
    std::deque<double> create_times;  // for seqs [create_base, next_seq)
    int64_t create_base = 0;
    IntervalSet acknowledged;
    IntervalSet failed;
    std::map<std::string, IntervalSet> delivered;  // per group
  };
  using StreamKey = std::pair<int32_t, TopicPartition>;
  const std::map<StreamKey, Stream>& streams() const { return streams_; }

 private:
  Stream& stream(int32_t producer, TopicPartition tp) { return streams_[{producer, tp}]; }
  void trim(int32_t topic, Stream& s);

  std::map<StreamKey, Stream> streams_;
  std::map<int32_t, std::set<std::string>> readers_;  // topic -> groups
  LedgerTotals totals_;
  LatencyHistogram latency_;
  std::map<std::string, int64_t> delivered_again_by_group_;
  std::map<std::string, std::map<TopicPartition, IntervalSet>> processed_;  // group -> partition -> offsets
};

}  // namespace kafkasim
