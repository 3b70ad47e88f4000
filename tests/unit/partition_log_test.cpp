#include "broker/partition_log.h"

#include <gtest/gtest.h>

namespace kafkasim {
namespace {

RecordBatch batch(int32_t count, int64_t first_seq = 0) {
  RecordBatch b;
  b.producer = 0;
  b.first_record_seq = first_seq;
  b.record_count = count;
  b.bytes = kBatchHeaderBytes + 100 * count;
  return b;
}

TEST(PartitionLog, LeaderAppendAssignsContiguousOffsetsAndEpochs) {
  PartitionLog log;
  EXPECT_EQ(log.append_as_leader(batch(3), 0), 0);
  EXPECT_EQ(log.append_as_leader(batch(2, 3), 0), 3);
  EXPECT_EQ(log.log_end_offset(), 5);
  EXPECT_EQ(log.append_as_leader(batch(4, 5), 2), 5);
  EXPECT_EQ(log.latest_epoch(), 2);
  // Epoch 0 ends where epoch 2 starts; epoch 1 was never used, so asking for it answers with epoch 0.
  EXPECT_EQ(log.end_offset_for_epoch(0), std::make_pair(0, Offset{5}));
  EXPECT_EQ(log.end_offset_for_epoch(1), std::make_pair(0, Offset{5}));
  EXPECT_EQ(log.end_offset_for_epoch(2), std::make_pair(2, Offset{9}));
  EXPECT_EQ(log.end_offset_for_epoch(-1), std::make_pair(-1, Offset{-1}));
}

TEST(PartitionLog, ReadStopsAtUpperBoundAndMaxBytes) {
  PartitionLog log;
  for (int i = 0; i < 5; ++i) log.append_as_leader(batch(10, i * 10), 0);
  auto all = log.read(0, 50, 1 << 20);
  EXPECT_EQ(all.size(), 5u);
  // A fetch starting inside a batch gets the whole batch.
  auto mid = log.read(15, 50, 1 << 20);
  ASSERT_FALSE(mid.empty());
  EXPECT_EQ(mid.front().base_offset, 10);
  // The high watermark in the middle of a batch hides that batch.
  EXPECT_EQ(log.read(0, 25, 1 << 20).size(), 2u);
  // max_bytes: at least one batch, then only what fits.
  EXPECT_EQ(log.read(0, 50, 1).size(), 1u);
  EXPECT_EQ(log.read(0, 50, 2 * batch(10).bytes).size(), 2u);
  EXPECT_TRUE(log.read(50, 50, 1 << 20).empty());
}

TEST(PartitionLog, BytesBetweenCountsTheBatchesAReadWouldReturn) {
  // Near the end (the few batches a caught-up reader wants) and deep in the log (a reader far behind) alike.
  PartitionLog log;
  for (int i = 0; i < 40; ++i) log.append_as_leader(batch(1 + i % 3, 0), 0);
  const Offset end = log.log_end_offset();
  for (Offset from : {Offset{0}, Offset{1}, Offset{7}, end - 20, end - 5, end - 1, end})
    for (Offset upto : {from, from + 1, end - 3, end}) {
      if (upto < from) continue;
      int64_t expected = 0;
      for (const RecordBatch& b : log.read(from, upto, int64_t{1} << 40)) expected += b.bytes;
      EXPECT_EQ(log.bytes_between(from, upto), expected) << from << ".." << upto;
    }
}

TEST(PartitionLog, TruncationDropsRecordsAndEpochs) {
  PartitionLog log;
  log.append_as_leader(batch(5), 0);
  log.append_as_leader(batch(5, 5), 1);
  log.flush();
  EXPECT_EQ(log.truncate_to(5), 5);
  EXPECT_EQ(log.log_end_offset(), 5);
  EXPECT_EQ(log.latest_epoch(), 0);
  EXPECT_EQ(log.flushed_offset(), 5);
  EXPECT_EQ(log.truncate_to(7), 0);  // beyond the end: nothing to do
}

TEST(PartitionLog, FollowerAppendKeepsLeaderOffsets) {
  PartitionLog leader, follower;
  leader.append_as_leader(batch(3), 4);
  for (const auto& b : leader.read(0, leader.log_end_offset(), 1 << 20)) follower.append_as_follower(b);
  EXPECT_EQ(follower.log_end_offset(), 3);
  EXPECT_EQ(follower.latest_epoch(), 4);
  EXPECT_EQ(follower.unflushed_records(), 3);
}

}  // namespace
}  // namespace kafkasim
