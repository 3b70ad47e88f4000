// Idle partition time of a group, as eager and cooperative rebalances and a crash produce it.
#include "metrics/partition_ownership.h"

#include <gtest/gtest.h>

namespace kafkasim {
namespace {

const TopicPartition p0{0, 0}, p1{0, 1}, p2{0, 2};

TEST(PartitionOwnership, CountsFromTheFirstAssignmentOnly) {
  PartitionOwnership o;
  o.register_group("g", {p0, p1, p2});
  EXPECT_DOUBLE_EQ(o.idle_partition_seconds("g", 10), 0.0);
  o.on_owned("g", {p0, p1}, 4);  // p2 stays unassigned
  EXPECT_DOUBLE_EQ(o.idle_partition_seconds("g", 10), 6.0);
}

TEST(PartitionOwnership, EagerRevocationIdlesEverythingCooperativeOnlyWhatMoves) {
  PartitionOwnership eager, cooperative;
  for (PartitionOwnership* o : {&eager, &cooperative}) {
    o->register_group("g", {p0, p1, p2});
    o->on_owned("g", {p0, p1}, 0);  // member a
    o->on_owned("g", {p2}, 0);      // member b
  }
  // A rebalance from t=10 to t=12 moves p1 from a to b.
  eager.on_released("g", {p0, p1}, 10);
  eager.on_released("g", {p2}, 10);
  eager.on_owned("g", {p0}, 12);
  eager.on_owned("g", {p1, p2}, 12);
  cooperative.on_released("g", {p1}, 10);
  cooperative.on_owned("g", {p1}, 12);
  EXPECT_DOUBLE_EQ(eager.idle_partition_seconds("g", 20), 6.0);
  EXPECT_DOUBLE_EQ(cooperative.idle_partition_seconds("g", 20), 2.0);
}

TEST(PartitionOwnership, TwoOwnersOfOnePartitionDuringAHandOverLeaveItBusy) {
  PartitionOwnership o;
  o.register_group("g", {p0});
  o.on_owned("g", {p0}, 0);
  o.on_owned("g", {p0}, 5);  // the new owner starts before the crashed one is noticed
  o.on_released("g", {p0}, 6);
  EXPECT_DOUBLE_EQ(o.idle_partition_seconds("g", 10), 0.0);
  o.on_released("g", {p0}, 8);
  o.on_released("g", {p0}, 9);  // releasing what nobody owns changes nothing
  EXPECT_DOUBLE_EQ(o.idle_partition_seconds("g", 10), 2.0);
  EXPECT_DOUBLE_EQ(o.idle_partition_seconds("other", 10), 0.0);
}

}  // namespace
}  // namespace kafkasim
