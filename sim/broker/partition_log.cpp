#include "broker/partition_log.h"

#include <algorithm>
#include <string>

#include "core/check.h"

namespace kafkasim {

Offset PartitionLog::append_as_leader(RecordBatch batch, LeaderEpoch epoch) {
  batch.base_offset = log_end_offset_;
  batch.partition_leader_epoch = epoch;
  if (epochs_.empty() || epochs_.back().first < epoch) assign_epoch_start(epoch, log_end_offset_);
  append_as_follower(batch);
  return batch.base_offset;
}

void PartitionLog::append_as_follower(const RecordBatch& batch) {
  KSIM_ASSERT(batch.base_offset == log_end_offset_,
              "append at " + std::to_string(batch.base_offset) + " but log ends at " + std::to_string(log_end_offset_));
  KSIM_ASSERT(batch.record_count > 0, "empty batch");
  if (epochs_.empty() || epochs_.back().first < batch.partition_leader_epoch)
    assign_epoch_start(batch.partition_leader_epoch, batch.base_offset);
  batches_.push_back(batch);
  log_end_offset_ = batch.next_offset();
  size_bytes_ += batch.bytes;
}

std::vector<RecordBatch> PartitionLog::read(Offset from, Offset upto, int64_t max_bytes) const {
  std::vector<RecordBatch> out;
  if (from >= upto || batches_.empty()) return out;
  // First batch whose last offset is >= from.
  auto it = std::partition_point(batches_.begin(), batches_.end(),
                                 [from](const RecordBatch& b) { return b.last_offset() < from; });
  int64_t bytes = 0;
  for (; it != batches_.end() && it->base_offset < upto; ++it) {
    // A batch straddling the upper bound (the high watermark) is not readable yet.
    if (it->last_offset() >= upto) break;
    if (!out.empty() && bytes + it->bytes > max_bytes) break;
    bytes += it->bytes;
    out.push_back(*it);
  }
  return out;
}

int64_t PartitionLog::bytes_between(Offset from, Offset upto) const {
  if (from >= upto) return 0;
  int64_t bytes = 0;
  // A reader that keeps up asks for the last few batches: look at those first, from the end.
  constexpr int kFromTheEnd = 8;
  auto back = batches_.rbegin();
  for (int steps = 0; back != batches_.rend() && steps < kFromTheEnd; ++back, ++steps) {
    if (back->last_offset() < from) return bytes;
    if (back->last_offset() < upto) bytes += back->bytes;
  }
  if (back == batches_.rend()) return bytes;
  bytes = 0;
  auto it = std::partition_point(batches_.begin(), batches_.end(),
                                 [from](const RecordBatch& b) { return b.last_offset() < from; });
  for (; it != batches_.end() && it->last_offset() < upto; ++it) bytes += it->bytes;
  return bytes;
}

int64_t PartitionLog::truncate_to(Offset offset) {
  if (offset >= log_end_offset_) return 0;
  offset = std::max(offset, log_start_offset_);
  int64_t dropped = log_end_offset_ - offset;
  while (!batches_.empty() && batches_.back().base_offset >= offset) {
    size_bytes_ -= batches_.back().bytes;
    batches_.pop_back();
  }
  // Batches are atomic: a batch straddling the truncation point goes as a whole (Kafka truncates at batch
  // boundaries, and truncation points are batch boundaries in practice).
  if (!batches_.empty() && batches_.back().last_offset() >= offset) {
    dropped += offset - batches_.back().base_offset;
    offset = batches_.back().base_offset;
    size_bytes_ -= batches_.back().bytes;
    batches_.pop_back();
  }
  log_end_offset_ = offset;
  flushed_offset_ = std::min(flushed_offset_, offset);
  // LeaderEpochFileCache.truncateFromEnd: epochs that start at or after the new end are gone.
  while (!epochs_.empty() && epochs_.back().second >= offset) epochs_.pop_back();
  return dropped;
}

std::pair<LeaderEpoch, Offset> PartitionLog::end_offset_for_epoch(LeaderEpoch epoch) const {
  // Largest known epoch <= requested.
  auto it = std::upper_bound(epochs_.begin(), epochs_.end(), epoch,
                             [](LeaderEpoch e, const std::pair<LeaderEpoch, Offset>& p) { return e < p.first; });
  if (it == epochs_.begin()) return {-1, -1};
  auto found = std::prev(it);
  Offset end = it == epochs_.end() ? log_end_offset_ : it->second;
  return {found->first, end};
}

void PartitionLog::assign_epoch_start(LeaderEpoch epoch, Offset start_offset) {
  if (!epochs_.empty() && epochs_.back().first >= epoch) return;
  // An epoch that wrote nothing is replaced by the next one starting at the same offset.
  while (!epochs_.empty() && epochs_.back().second >= start_offset) epochs_.pop_back();
  epochs_.emplace_back(epoch, start_offset);
}

}  // namespace kafkasim
