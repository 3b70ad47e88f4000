#include "broker/fetch_purgatory.h"

#include <gtest/gtest.h>

namespace kafkasim {
namespace {

DelayedFetch fetch_of(std::vector<TopicPartition> tps) {
  DelayedFetch d;
  for (TopicPartition tp : tps) d.request.partitions.push_back(FetchPartition{tp, 0, 1048576, -1});
  return d;
}

TEST(FetchPurgatory, AChangeMarksOnlyTheFetchesReadingThatPartitionInTokenOrder) {
  FetchPurgatory p;
  p.emplace(7, fetch_of({{0, 1}, {0, 2}}));
  p.emplace(3, fetch_of({{0, 2}}));
  p.emplace(5, fetch_of({{0, 3}}));
  p.partition_changed({0, 2});
  EXPECT_EQ(p.take_changed(), (std::vector<uint64_t>{3, 7}));
  EXPECT_TRUE(p.take_changed().empty());  // changes are taken once
  p.partition_changed({0, 1});
  p.partition_changed({0, 2});
  p.partition_changed({0, 3});
  EXPECT_EQ(p.take_changed(), (std::vector<uint64_t>{3, 5, 7}));  // each fetch once
}

TEST(FetchPurgatory, AChangeToAnUnwatchedPartitionMarksNothingLater) {
  FetchPurgatory p;
  p.partition_changed({0, 1});  // no fetch waits on it: a fetch arriving later sees the new state itself
  p.emplace(1, fetch_of({{0, 1}}));
  EXPECT_TRUE(p.take_changed().empty());
}

TEST(FetchPurgatory, ErasedAndClearedFetchesAreNoLongerWatched) {
  FetchPurgatory p;
  p.emplace(1, fetch_of({{0, 1}}));
  p.emplace(2, fetch_of({{0, 1}}));
  p.erase(p.find(1));
  EXPECT_EQ(p.size(), 1u);
  p.partition_changed({0, 1});
  EXPECT_EQ(p.take_changed(), (std::vector<uint64_t>{2}));
  p.partition_changed({0, 1});
  p.clear();
  EXPECT_EQ(p.size(), 0u);
  EXPECT_TRUE(p.take_changed().empty());
  EXPECT_EQ(p.find(2), p.end());
}

}  // namespace
}  // namespace kafkasim
