// One replica's log of a partition: record batches at contiguous offsets, the leader-epoch cache
// (epoch -> start offset, KIP-101) and how far the log has been flushed to disk (for power loss).
#pragma once

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "protocol/messages.h"

namespace kafkasim {

class PartitionLog {
 public:
  Offset log_start_offset() const { return log_start_offset_; }
  Offset log_end_offset() const { return log_end_offset_; }
  int64_t size_bytes() const { return size_bytes_; }

  // Appends as leader: assigns offsets from the log end and stamps the epoch. Returns the base offset.
  Offset append_as_leader(RecordBatch batch, LeaderEpoch epoch);
  // Appends batches fetched from the leader, keeping their offsets and epochs.
  // REQUIRES batch.base_offset == log_end_offset()
  void append_as_follower(const RecordBatch& batch);

  // Batches holding offsets in [from, upto), whole batches (a fetch may start inside the first one), until
  // `max_bytes` is reached; the first batch is returned even when larger, as Kafka does.
  std::vector<RecordBatch> read(Offset from, Offset upto, int64_t max_bytes) const;
  // Bytes held in [from, upto).
  int64_t bytes_between(Offset from, Offset upto) const;

  // Drops every record at or after `offset`. Returns how many records were dropped.
  int64_t truncate_to(Offset offset);

  // Leader-epoch cache.
  LeaderEpoch latest_epoch() const { return epochs_.empty() ? -1 : epochs_.back().first; }
  // KIP-101 OffsetsForLeaderEpoch answer: the end offset of `epoch` in this log (start of the next higher
  // epoch, or the log end for the latest), and the largest epoch <= the requested one (-1, -1 if none).
  std::pair<LeaderEpoch, Offset> end_offset_for_epoch(LeaderEpoch epoch) const;
  // Records that this replica starts writing `epoch` at `start_offset` (as leader, or learnt as follower).
  void assign_epoch_start(LeaderEpoch epoch, Offset start_offset);

  // Durability: data up to flushed_offset() survives a power loss.
  Offset flushed_offset() const { return flushed_offset_; }
  void flush() { flushed_offset_ = log_end_offset_; }
  int64_t unflushed_records() const { return log_end_offset_ - flushed_offset_; }

  const std::deque<RecordBatch>& batches() const { return batches_; }

 private:
  std::deque<RecordBatch> batches_;
  std::vector<std::pair<LeaderEpoch, Offset>> epochs_;  // ascending epochs with their start offsets
  Offset log_start_offset_ = 0;
  Offset log_end_offset_ = 0;
  Offset flushed_offset_ = 0;
  int64_t size_bytes_ = 0;
};

}  // namespace kafkasim
