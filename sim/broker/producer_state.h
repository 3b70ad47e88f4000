// The idempotent producer's state on a partition replica (KIP-98): per producer id, its epoch and the last
// five batches' sequence ranges and offsets. A retried batch equal to one of them is a duplicate (answered
// with the original offset, not appended); a gap is OUT_OF_ORDER_SEQUENCE_NUMBER. Followers keep the same
// table from the batches they replicate, so a new leader detects duplicates too.
#pragma once

#include <cstdint>
#include <deque>
#include <map>

#include "protocol/error_code.h"
#include "protocol/messages.h"

namespace kafkasim {

class ProducerStateTable {
 public:
  static constexpr size_t kBatchesKept = 5;

  struct Verdict {
    ErrorCode error = ErrorCode::none;  // duplicate_sequence_number: already in the log at `offset`
    Offset offset = -1;
  };
  // Checks a batch about to be appended by the leader.
  Verdict check(const RecordBatch& batch) const;
  // Records a batch that was appended (leader or follower).
  void on_append(const RecordBatch& batch);
  void clear() { producers_.clear(); }

 private:
  struct BatchMeta {
    int32_t first_seq, last_seq;
    Offset offset;
  };
  struct Entry {
    int16_t epoch = -1;
    std::deque<BatchMeta> batches;
  };
  std::map<int64_t, Entry> producers_;
};

}  // namespace kafkasim
