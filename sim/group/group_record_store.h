// What the records of __consumer_offsets say. A batch in a replica's log carries only its identity
// (producer kProducer, first_record_seq = record id), like every simulated record; the content lives here,
// written once by the leader that appended it, so every replica holding the batch holds the same record.
// A record is an offset commit or a snapshot of the group's metadata (generation, leader, members and their
// assignment), as Kafka's GroupMetadataManager writes them.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "group/group_coordinator.h"

namespace kafkasim {

struct GroupLogRecord {
  std::string group_id;
  std::vector<std::pair<TopicPartition, Offset>> offsets;  // an offset commit, or
  std::shared_ptr<const ConsumerGroup> metadata;           // the group's metadata (null after compaction)
  bool is_metadata = false;
};

class GroupRecordStore {
 public:
  static constexpr int32_t kProducer = -2;  // RecordBatch::producer of __consumer_offsets records

  int64_t add_offsets(std::string group_id, std::vector<std::pair<TopicPartition, Offset>> offsets);
  int64_t add_metadata(const ConsumerGroup& group);
  const GroupLogRecord& at(int64_t id) const { return records_.at(static_cast<size_t>(id)); }

 private:
  // Kafka compacts the topic; here only the last kKeptSnapshots metadata snapshots of each group keep their
  // content (a 1,000-member group rebalancing often would otherwise hold every generation in memory). A replica
  // so far behind that its newest snapshot was dropped loads the group without members: they rejoin.
  static constexpr size_t kKeptSnapshots = 8;
  std::deque<GroupLogRecord> records_;
  std::map<std::string, std::deque<int64_t>> snapshots_;  // group -> ids of its kept metadata records
};

}  // namespace kafkasim
