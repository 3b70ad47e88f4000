// The producer's accumulator and sender, driven by hand: batch.size, linger.ms and the in-flight limit.
#include "client/producer.h"

#include <gtest/gtest.h>

#include "scenario/scenario_loader.h"
#include "support/fake_node_context.h"

namespace kafkasim {
namespace {

using testing::FakeNodeContext;

Scenario scenario_with(const std::string& producer_config, double rate) {
  std::string text = R"({"name": "t", "duration": "10s", "cluster": {"brokers": 1},
    "topics": [{"name": "t", "partitions": 1}],
    "producers": [{"name": "p", "topic": "t", "rate": )" + std::to_string(rate) +
                     R"(, "arrival": "constant", "record_size": "100B", "config": )" + producer_config + "}]}";
  LoadResult r = parse_scenario_text(text, "test.json");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  return *r.scenario;
}

struct Rig {
  Scenario scenario;
  ClusterMetadata metadata;
  RecordLedger ledger;
  Producer producer;
  FakeNodeContext ctx{NodeId{5}};
  explicit Rig(Scenario s)
      : scenario(std::move(s)),
        metadata(scenario, {NodeId{0}}),
        producer(0, scenario.producers[0], metadata, ledger, scenario.duration_s, 1) {
    producer.start(ctx);
    auto md = ctx.take<MetadataRequest>();
    MetadataResponse resp{md.at(0).second.request_id, {{TopicPartition{0, 0}, 0, 0}}};
    producer.on_message(ctx, Message{NodeId{0}, NodeId{5}, std::move(resp)});
  }
  // Moves time forward, firing the producer's timers on the way.
  void run_until(SimTime t) {
    for (;;) {
      SimTime next = t;
      for (const auto& [at, token] : ctx.timers) next = std::min(next, at);
      ctx.advance_to(next);
      ctx.fire_due_timers(producer);
      if (next >= t) return;
    }
  }
};

TEST(ProducerBatching, LingerHoldsRecordsThenSendsOneBatch) {
  // 1,000 records/s with linger.ms=20: the first batch leaves 20 ms after its first record, with ~20 records.
  Rig rig(scenario_with(R"({"acks": "1", "enable.idempotence": false, "linger.ms": 20})", 1000));
  rig.run_until(0.019);
  EXPECT_TRUE(rig.ctx.take<ProduceRequest>().empty());
  rig.run_until(0.0205);
  auto sent = rig.ctx.take<ProduceRequest>();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].second.batches.size(), 1u);
  EXPECT_GE(sent[0].second.batches[0].second.record_count, 19);
  EXPECT_LE(sent[0].second.batches[0].second.record_count, 21);
}

TEST(ProducerBatching, FullBatchesLeaveBeforeLingerAndStayUnderBatchSize) {
  // 100,000 records/s, batch.size 1,000 bytes (~9 records of 108 bytes): batches fill long before 1 s.
  Rig rig(scenario_with(R"({"acks": "1", "enable.idempotence": false, "linger.ms": 1000, "batch.size": 1000})", 100000));
  rig.run_until(0.001);
  auto sent = rig.ctx.take<ProduceRequest>();
  ASSERT_FALSE(sent.empty());
  for (const auto& [to, req] : sent)
    for (const auto& [tp, batch] : req.batches) EXPECT_LE(batch.bytes, 1000);
}

TEST(ProducerBatching, InFlightLimitHoldsBackRequestsUntilResponses) {
  Rig rig(scenario_with(R"({"acks": "1", "enable.idempotence": false, "max.in.flight.requests.per.connection": 2})",
                        10000));
  rig.run_until(0.01);
  auto sent = rig.ctx.take<ProduceRequest>();
  EXPECT_EQ(sent.size(), 2u);  // no answers yet: two requests and no more
  ProduceResponse resp{sent[0].second.request_id, {{TopicPartition{0, 0}, ErrorCode::none, 0}}};
  rig.producer.on_message(rig.ctx, Message{NodeId{0}, NodeId{5}, std::move(resp)});
  auto next = rig.ctx.take<ProduceRequest>();
  ASSERT_EQ(next.size(), 1u);  // one slot freed, one request, carrying everything accumulated meanwhile
  EXPECT_GT(next[0].second.batches[0].second.record_count, 50);
  EXPECT_EQ(rig.ledger.totals().acknowledged, sent[0].second.batches[0].second.record_count);
}

}  // namespace
}  // namespace kafkasim
