#include "check/delivery_checker.h"

#include <algorithm>

#include "metrics/event_log.h"

namespace kafkasim {

nlohmann::ordered_json DeliveryChecker::history(const RecordLedger::Stream& s, int64_t begin, int64_t end) const {
  nlohmann::ordered_json h = nlohmann::ordered_json::array();
  auto overlaps = [&](int64_t first, int64_t count) { return first < end && first + count > begin; };
  for (const auto& a : s.acks)
    if (overlaps(a.first_seq, a.count))
      h.push_back({{"t", round_time(a.when)},
                   {"event", "acknowledged"},
                   {"broker", a.broker},
                   {"offset", a.offset + std::max<int64_t>(0, begin - a.first_seq)}});
  for (const auto& t : s.truncations)
    if (overlaps(t.first_seq, t.count))
      h.push_back({{"t", round_time(t.when)},
                   {"event", "truncated"},
                   {"broker", t.broker},
                   {"offset", t.offset},
                   {"reason", t.reason}});
  if (s.failed.count_in(begin, end) > 0) h.push_back({{"event", "failed_at_producer"}});
  std::stable_sort(h.begin(), h.end(), [](const auto& a, const auto& b) {
    return a.value("t", 0.0) < b.value("t", 0.0);
  });
  return h;
}

DeliveryReport DeliveryChecker::check(
    const std::map<TopicPartition, std::vector<RecordBatch>>& final_logs,
    const std::map<TopicPartition, Offset>& high_watermarks,
    const std::map<int32_t, std::vector<std::string>>& readers_by_topic,
    const std::map<TopicPartition, std::map<int32_t, std::vector<RecordBatch>>>& replica_logs,
    std::vector<Anomaly>* anomalies) const {
  DeliveryReport report;
  auto note = [&](const std::string& kind, int32_t producer, TopicPartition tp, int64_t begin, int64_t end,
                  const RecordLedger::Stream* s) {
    if (!anomalies || end <= begin) return;
    Anomaly a{kind, producer, tp, begin, end - begin, nlohmann::ordered_json::array()};
    if (s) a.history = history(*s, begin, end);
    anomalies->push_back(std::move(a));
  };
  const auto& streams = ledger_.streams();
  auto stream_of = [&](int32_t producer, TopicPartition tp) -> const RecordLedger::Stream* {
    auto it = streams.find({producer, tp});
    return it == streams.end() ? nullptr : &it->second;
  };

  std::map<RecordLedger::StreamKey, IntervalSet> present, uncommitted;
  for (const auto& [tp, batches] : final_logs) {
    std::map<int32_t, int64_t> highest_seq_end;  // per producer: end of the highest sequence seen so far
    auto hw_it = high_watermarks.find(tp);
    const Offset hw = hw_it == high_watermarks.end() ? INT64_MAX : hw_it->second;
    for (const RecordBatch& b : batches) {
      if (b.producer < 0) continue;
      if (b.next_offset() > hw) {
        uncommitted[{b.producer, tp}].add(b.first_record_seq, b.first_record_seq + b.record_count);
        continue;
      }
      IntervalSet& set = present[{b.producer, tp}];
      int64_t begin = b.first_record_seq, end = b.first_record_seq + b.record_count;
      for (const auto& [lo, hi] : set.present_in(begin, end))
        note("duplicate", b.producer, tp, lo, hi, stream_of(b.producer, tp));
      int64_t copies = set.add(begin, end);
      report.duplicated_in_log += copies;
      int64_t& high = highest_seq_end[b.producer];
      // Sent before a record already further up the log, and not a copy: overtaken.
      if (begin < high) {
        report.reordered += (std::min(end, high) - begin) - copies;
        if (copies == 0) note("reordered", b.producer, tp, begin, std::min(end, high), stream_of(b.producer, tp));
      }
      high = std::max(high, end);
    }
  }
  static const IntervalSet kEmpty;
  for (const auto& [key, stream] : streams) {
    auto it = present.find(key);
    const IntervalSet& in_log = it == present.end() ? kEmpty : it->second;
    report.in_log += in_log.size();
    auto u = uncommitted.find(key);
    for (const auto& [b, e] : stream.acknowledged.ranges())
      for (const auto& [lo, hi] : in_log.absent_in(b, e)) {
        int64_t pending = u == uncommitted.end() ? 0 : u->second.count_in(lo, hi);
        report.above_high_watermark += pending;
        if (pending == hi - lo) continue;
        if (pending == 0) {
          report.lost += hi - lo;
          note("lost", key.first, key.second, lo, hi, &stream);
          continue;
        }
        for (const auto& [l2, h2] : u->second.absent_in(lo, hi)) {
          report.lost += h2 - l2;
          note("lost", key.first, key.second, l2, h2, &stream);
        }
      }
    for (const auto& [b, e] : in_log.ranges())
      for (const auto& [lo, hi] : stream.acknowledged.absent_in(b, e)) {
        report.present_unacknowledged += hi - lo;
        note("present_unacknowledged", key.first, key.second, lo, hi, &stream);
      }
    auto readers = readers_by_topic.find(key.second.topic);
    if (readers != readers_by_topic.end()) {
      for (const auto& group : readers->second) {
        auto d = stream.delivered.find(group);
        for (const auto& [b, e] : in_log.ranges())
          report.unseen += (e - b) - (d == stream.delivered.end() ? 0 : d->second.count_in(b, e));
      }
    }
  }

  // Divergence: below the shortest log end, every replica should hold the same batch at each offset.
  for (const auto& [tp, by_broker] : replica_logs) {
    if (by_broker.size() < 2) continue;
    std::map<Offset, std::pair<int32_t, int64_t>> reference;  // base offset -> (producer, first seq)
    Offset common_end = INT64_MAX;
    for (const auto& [broker, batches] : by_broker)
      common_end = std::min(common_end, batches.empty() ? Offset{0} : batches.back().next_offset());
    bool first = true;
    std::set<Offset> divergent;
    for (const auto& [broker, batches] : by_broker) {
      for (const RecordBatch& b : batches) {
        if (b.next_offset() > common_end) break;
        auto identity = std::make_pair(b.producer, b.first_record_seq);
        if (first) {
          reference[b.base_offset] = identity;
        } else {
          auto r = reference.find(b.base_offset);
          if (r == reference.end() || r->second != identity) divergent.insert(b.base_offset);
        }
      }
      first = false;
    }
    for (Offset o : divergent) {
      report.divergent_offsets += 1;
      if (anomalies) {
        Anomaly a{"divergent", -1, tp, o, 1, nlohmann::ordered_json::array()};
        a.history.push_back({{"event", "replicas_differ_at_offset"}, {"offset", o}});
        anomalies->push_back(std::move(a));
      }
    }
  }
  return report;
}

}  // namespace kafkasim
