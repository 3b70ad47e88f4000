#include "broker/producer_state.h"

namespace kafkasim {

ProducerStateTable::Verdict ProducerStateTable::check(const RecordBatch& batch) const {
  if (batch.producer_id < 0) return {};
  const int32_t first = batch.base_sequence;
  const int32_t last = batch.base_sequence + batch.record_count - 1;
  auto it = producers_.find(batch.producer_id);
  if (it == producers_.end() || it->second.batches.empty()) {
    // A producer the partition has never seen must start at sequence 0.
    if (first != 0) return {ErrorCode::out_of_order_sequence_number, -1};
    return {};
  }
  const Entry& e = it->second;
  if (batch.producer_epoch < e.epoch) return {ErrorCode::invalid_producer_epoch, -1};
  if (batch.producer_epoch > e.epoch) {
    if (first != 0) return {ErrorCode::out_of_order_sequence_number, -1};
    return {};
  }
  for (const BatchMeta& b : e.batches)
    if (b.first_seq == first && b.last_seq == last) return {ErrorCode::duplicate_sequence_number, b.offset};
  if (first != e.batches.back().last_seq + 1) return {ErrorCode::out_of_order_sequence_number, -1};
  return {};
}

void ProducerStateTable::on_append(const RecordBatch& batch) {
  if (batch.producer_id < 0) return;
  Entry& e = producers_[batch.producer_id];
  if (batch.producer_epoch > e.epoch) {
    e.epoch = batch.producer_epoch;
    e.batches.clear();
  }
  e.batches.push_back({batch.base_sequence, batch.base_sequence + batch.record_count - 1, batch.base_offset});
  while (e.batches.size() > kBatchesKept) e.batches.pop_front();
}

}  // namespace kafkasim
