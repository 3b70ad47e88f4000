// Broker replication driven message by message: high watermark, ISR shrink, acks=all, and the KIP-101
// sequence under both truncation rules.
#include "broker/broker.h"

#include <gtest/gtest.h>

#include "scenario/scenario_loader.h"
#include "support/fake_node_context.h"

namespace kafkasim {
namespace {

using testing::FakeNodeContext;

Scenario two_broker_scenario(const std::string& ibp, int min_isr = 1) {
  std::string text = R"({"name": "t", "duration": "60s",
    "cluster": {"brokers": 2, "config": {"inter.broker.protocol.version": ")" + ibp + R"("}},
    "topics": [{"name": "t", "partitions": 1, "replication_factor": 2,
                "config": {"min.insync.replicas": )" + std::to_string(min_isr) + "}}]}";
  LoadResult r = parse_scenario_text(text, "test.json");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  return *r.scenario;
}

RecordBatch one_record(int64_t seq) {
  RecordBatch b;
  b.producer = 0;
  b.first_record_seq = seq;
  b.record_count = 1;
  b.bytes = kBatchHeaderBytes + 100;
  return b;
}

struct Cluster {
  Scenario scenario;
  ClusterMetadata metadata;
  TopicPartition tp{0, 0};
  int32_t leader_id, follower_id;
  std::unique_ptr<Broker> leader, follower;
  FakeNodeContext lctx{NodeId{0}}, fctx{NodeId{1}};
  NodeId client{7};

  explicit Cluster(Scenario s) : scenario(std::move(s)), metadata(scenario, {NodeId{0}, NodeId{1}}) {
    metadata.active_controller = 9;  // AlterPartition goes to node 9, which the tests play
    leader_id = metadata.partition(tp).leader;
    follower_id = 1 - leader_id;
    leader = std::make_unique<Broker>(leader_id, scenario, metadata);
    follower = std::make_unique<Broker>(follower_id, scenario, metadata);
    lctx = FakeNodeContext(NodeId{leader_id});
    fctx = FakeNodeContext(NodeId{follower_id});
    leader->start(lctx);
    follower->start(fctx);
  }
  void produce(int64_t seq, int16_t acks = -1) {
    ProduceRequest req;
    req.request_id = seq + 1;
    req.acks = acks;
    req.batches.push_back({tp, one_record(seq)});
    leader->on_message(lctx, Message{client, NodeId{leader_id}, std::move(req)});
    lctx.finish_disk_writes(*leader);
  }
  // One replication round: the follower's pending fetch reaches the leader, the answer comes back.
  void replicate_once() {
    for (auto& [to, fetch] : fctx.take<FetchRequest>())
      leader->on_message(lctx, Message{NodeId{follower_id}, to, std::move(fetch)});
    for (auto& [to, resp] : lctx.take<FetchResponse>())
      follower->on_message(fctx, Message{NodeId{leader_id}, to, std::move(resp)});
    fctx.finish_disk_writes(*follower);
  }
  Replica& lrep() { return *leader->replica(tp); }
  Replica& frep() { return *follower->replica(tp); }
  LeaderAndIsrRequest state(int32_t leader_broker, LeaderEpoch epoch, std::vector<int32_t> isr) {
    LeaderAndIsrRequest r;
    r.controller_epoch = 1;
    r.partitions.push_back({tp, leader_broker, epoch, epoch, std::move(isr), metadata.partition(tp).replicas});
    return r;
  }
};

TEST(BrokerReplication, HighWatermarkFollowsTheSlowestInSyncReplicaAndAnswersAcksAll) {
  Cluster c(two_broker_scenario("3.7"));
  c.produce(0);
  EXPECT_EQ(c.lrep().log.log_end_offset(), 1);
  EXPECT_EQ(c.lrep().high_watermark, 0);          // the follower has not fetched it yet
  EXPECT_TRUE(c.lctx.take<ProduceResponse>().empty());  // acks=all waits
  c.replicate_once();                              // the follower gets m0
  EXPECT_EQ(c.frep().log.log_end_offset(), 1);
  EXPECT_EQ(c.lrep().high_watermark, 0);
  c.replicate_once();                              // its next fetch (offset 1) moves the leader's HW
  EXPECT_EQ(c.lrep().high_watermark, 1);
  auto responses = c.lctx.take<ProduceResponse>();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].second.results[0].error, ErrorCode::none);
  EXPECT_EQ(c.frep().high_watermark, 0);           // the follower learns the HW one round later
}

TEST(BrokerReplication, LaggingFollowerLeavesTheIsrAndMinIsrRejectsAcksAll) {
  Cluster c(two_broker_scenario("3.7", 2));
  c.produce(0);
  c.fctx.take<FetchRequest>();  // the follower's fetches are lost from now on
  // Past replica.lag.time.max.ms (30 s) the leader's periodic check asks the controller to shrink the ISR.
  for (SimTime t = 0; t <= 46; t += 1) {
    c.lctx.advance_to(t);
    c.lctx.fire_due_timers(*c.leader);
  }
  auto alters = c.lctx.take<AlterPartitionRequest>();
  ASSERT_EQ(alters.size(), 1u);
  EXPECT_EQ(alters[0].second.items[0].new_isr, std::vector<int32_t>{c.leader_id});
  // The controller accepts; the leader now has an ISR of one, below min.insync.replicas=2.
  AlterPartitionResponse ok;
  AlterPartitionResponse::Item item;
  item.state = {c.tp, c.leader_id, 0, 1, {c.leader_id}, c.metadata.partition(c.tp).replicas};
  ok.items.push_back(item);
  c.leader->on_message(c.lctx, Message{NodeId{9}, NodeId{c.leader_id}, std::move(ok)});
  EXPECT_EQ(c.lrep().isr, std::vector<int32_t>{c.leader_id});
  c.produce(1, -1);
  auto rejected = c.lctx.take<ProduceResponse>();
  ASSERT_FALSE(rejected.empty());
  EXPECT_EQ(rejected.back().second.results[0].error, ErrorCode::not_enough_replicas);
  c.produce(2, 1);  // acks=1 is still accepted
  EXPECT_EQ(c.lctx.take<ProduceResponse>().back().second.results[0].error, ErrorCode::none);
}

// KIP-101: the follower has m0 but its high watermark lags one round; it restarts; the leader dies; the
// follower becomes leader.
int64_t kip101_records_left(const std::string& ibp) {
  Cluster c(two_broker_scenario(ibp));
  c.produce(0);
  c.replicate_once();
  c.replicate_once();
  EXPECT_EQ(c.lrep().high_watermark, 1);  // m0 is acknowledged with acks=all
  EXPECT_EQ(c.frep().high_watermark, 0);  // ...but the follower's HW still says 0
  // The follower restarts and is told it follows the same leader.
  c.follower->on_crash(c.fctx, false);
  c.fctx.sent.clear();
  c.follower->start(c.fctx);
  c.follower->on_message(c.fctx, Message{NodeId{9}, NodeId{c.follower_id}, c.state(c.leader_id, 0, {0, 1})});
  // Leader-epoch truncation asks the leader first.
  for (auto& [to, req] : c.fctx.take<OffsetsForLeaderEpochRequest>()) {
    c.leader->on_message(c.lctx, Message{NodeId{c.follower_id}, to, std::move(req)});
    for (auto& [to2, resp] : c.lctx.take<OffsetsForLeaderEpochResponse>())
      c.follower->on_message(c.fctx, Message{NodeId{c.leader_id}, to2, std::move(resp)});
  }
  // The leader dies before the follower fetches again; the follower is elected.
  c.follower->on_message(c.fctx, Message{NodeId{9}, NodeId{c.follower_id}, c.state(c.follower_id, 1, {c.follower_id})});
  EXPECT_TRUE(c.frep().is_leader());
  return c.frep().log.log_end_offset();
}

TEST(BrokerReplication, Kip101HighWatermarkTruncationLosesAnAcknowledgedRecord) {
  EXPECT_EQ(kip101_records_left("0.10.2"), 0);  // m0 is gone for good
}

TEST(BrokerReplication, Kip101LeaderEpochTruncationKeepsIt) { EXPECT_EQ(kip101_records_left("3.7"), 1); }

TEST(BrokerReplication, PowerLossDropsUnflushedDataButACrashKeepsThePageCache) {
  for (bool power_loss : {false, true}) {
    Cluster c(two_broker_scenario("3.7"));
    c.produce(0, 1);
    c.produce(1, 1);
    c.leader->on_crash(c.lctx, power_loss);
    EXPECT_EQ(c.lrep().log.log_end_offset(), power_loss ? 0 : 2) << "power_loss=" << power_loss;
  }
}

TEST(BrokerReplication, IdempotentRetryIsAcknowledgedWithoutASecondCopy) {
  Cluster c(two_broker_scenario("3.7"));
  auto send = [&](int32_t seq) {
    ProduceRequest req;
    req.request_id = seq;
    req.acks = 1;
    RecordBatch b = one_record(seq);
    b.producer_id = 1000;
    b.producer_epoch = 0;
    b.base_sequence = seq;
    req.batches.push_back({c.tp, b});
    c.leader->on_message(c.lctx, Message{c.client, NodeId{c.leader_id}, std::move(req)});
    c.lctx.finish_disk_writes(*c.leader);
    return c.lctx.take<ProduceResponse>().back().second.results[0];
  };
  EXPECT_EQ(send(0).error, ErrorCode::none);
  auto again = send(0);  // the response was lost; the producer retries
  EXPECT_EQ(again.error, ErrorCode::none);
  EXPECT_EQ(again.base_offset, 0);
  EXPECT_EQ(c.lrep().log.log_end_offset(), 1);
  EXPECT_EQ(send(5).error, ErrorCode::out_of_order_sequence_number);  // a gap
}

}  // namespace
}  // namespace kafkasim
