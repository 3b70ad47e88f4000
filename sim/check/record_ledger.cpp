#include "check/record_ledger.h"

#include <algorithm>

#include "core/check.h"

namespace kafkasim {

void RecordLedger::register_reader(const std::string& group, int32_t topic) { readers_[topic].insert(group); }

void RecordLedger::on_produced(int32_t producer, TopicPartition tp, int64_t seq, SimTime created) {
  Stream& s = stream(producer, tp);
  KSIM_ASSERT(seq == s.next_seq, "record sequences are contiguous per producer and partition");
  ++s.next_seq;
  ++totals_.produced;
  // Without a reader nobody will ask for the create time.
  if (readers_.count(tp.topic)) {
    if (s.create_times.empty()) s.create_base = seq;
    s.create_times.push_back(created);
  }
}

void RecordLedger::on_acknowledged(int32_t producer, TopicPartition tp, int64_t first_seq, int32_t count,
                                   int32_t broker, Offset offset, SimTime when) {
  Stream& s = stream(producer, tp);
  totals_.acknowledged += count - s.acknowledged.add(first_seq, first_seq + count);
  // Consecutive acknowledgements from the same broker at consecutive offsets collapse into one entry.
  if (!s.acks.empty()) {
    AckRecord& last = s.acks.back();
    if (last.broker == broker && last.first_seq + last.count == first_seq &&
        (offset < 0 ? last.offset < 0 : last.offset >= 0 && last.offset + last.count == offset)) {
      last.count += count;
      return;
    }
  }
  s.acks.push_back({first_seq, count, broker, offset, when});
}

void RecordLedger::on_truncated(int32_t broker, TopicPartition tp, const std::vector<RecordBatch>& dropped,
                                SimTime when, const std::string& reason) {
  for (const RecordBatch& b : dropped) {
    if (b.producer < 0) continue;
    auto& list = stream(b.producer, tp).truncations;
    if (!list.empty()) {
      auto& last = list.back();
      if (last.broker == broker && last.when == when && last.reason == reason &&
          last.first_seq + last.count == b.first_record_seq) {
        last.count += b.record_count;
        continue;
      }
    }
    list.push_back({b.first_record_seq, b.record_count, broker, b.base_offset, when, reason});
  }
}

void RecordLedger::on_failed(int32_t producer, TopicPartition tp, int64_t first_seq, int32_t count) {
  totals_.failed += count - stream(producer, tp).failed.add(first_seq, first_seq + count);
}

void RecordLedger::on_delivered(const std::string& group, int32_t producer, TopicPartition tp, int64_t first_seq,
                                int32_t count, SimTime now) {
  if (count <= 0) return;
  Stream& s = stream(producer, tp);
  IntervalSet& seen = s.delivered[group];
  // Latency only for records this group gets for the first time.
  int64_t end = first_seq + count;
  const bool all_new = seen.count_in(first_seq, end) == 0;  // the usual case: skip per-record lookups
  for (int64_t seq = first_seq; seq < end; ++seq) {
    if (!all_new && seen.contains(seq)) continue;
    int64_t idx = seq - s.create_base;
    if (idx >= 0 && idx < static_cast<int64_t>(s.create_times.size())) latency_.record(now - s.create_times[idx]);
  }
  int64_t again = seen.add(first_seq, end);
  totals_.delivered += count - again;
  totals_.delivered_again += again;
  if (again > 0) delivered_again_by_group_[group] += again;
  trim(tp.topic, s);
}

void RecordLedger::on_processed(const std::string& group, TopicPartition tp, Offset first, int64_t count) {
  if (count > 0) processed_[group][tp].add(first, first + count);
}

int64_t RecordLedger::delivered_again(const std::string& group) const {
  auto it = delivered_again_by_group_.find(group);
  return it == delivered_again_by_group_.end() ? 0 : it->second;
}

int64_t RecordLedger::skipped(const std::string& group) const {
  auto it = processed_.find(group);
  if (it == processed_.end()) return 0;
  int64_t gaps = 0;
  for (const auto& [tp, offsets] : it->second) {
    if (offsets.empty()) continue;
    const int64_t begin = offsets.ranges().begin()->first, end = offsets.ranges().rbegin()->second;
    gaps += (end - begin) - offsets.count_in(begin, end);
  }
  return gaps;
}

void RecordLedger::trim(int32_t topic, Stream& s) {
  auto readers = readers_.find(topic);
  if (readers == readers_.end() || s.create_times.empty()) return;
  int64_t low = s.next_seq;
  for (const auto& group : readers->second) {
    auto it = s.delivered.find(group);
    // A group that started past the oldest records (auto.offset.reset=latest) will not come back for them:
    // what it has read contiguously from its first delivery on is what it is done with.
    int64_t upto = s.create_base;
    if (it != s.delivered.end() && !it->second.empty()) upto = it->second.ranges().begin()->second;
    low = std::min(low, upto);
  }
  while (s.create_base < low && !s.create_times.empty()) {
    s.create_times.pop_front();
    ++s.create_base;
  }
}

int64_t RecordLedger::create_times_held() const {
  int64_t n = 0;
  for (const auto& [key, s] : streams_) n += static_cast<int64_t>(s.create_times.size());
  return n;
}

}  // namespace kafkasim
