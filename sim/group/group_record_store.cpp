#include "group/group_record_store.h"

namespace kafkasim {

int64_t GroupRecordStore::add_offsets(std::string group_id, std::vector<std::pair<TopicPartition, Offset>> offsets) {
  records_.push_back(GroupLogRecord{std::move(group_id), std::move(offsets), nullptr, false});
  return static_cast<int64_t>(records_.size()) - 1;
}

int64_t GroupRecordStore::add_metadata(const ConsumerGroup& group) {
  auto snapshot = std::make_shared<ConsumerGroup>(group);
  snapshot->committed_offsets.clear();  // offsets have records of their own
  const int64_t id = static_cast<int64_t>(records_.size());
  records_.push_back(GroupLogRecord{group.group_id, {}, std::move(snapshot), true});
  auto& kept = snapshots_[group.group_id];
  kept.push_back(id);
  if (kept.size() > kKeptSnapshots) {
    records_[static_cast<size_t>(kept.front())].metadata.reset();
    kept.pop_front();
  }
  return id;
}

}  // namespace kafkasim
