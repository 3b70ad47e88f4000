// The consumer's fetch loop driven by hand: what poll() hands out and which partitions the next fetch asks for.
#include "client/consumer.h"

#include <gtest/gtest.h>

#include "scenario/scenario_loader.h"
#include "support/fake_node_context.h"

namespace kafkasim {
namespace {

using testing::FakeNodeContext;

Scenario two_partitions_one_broker() {
  LoadResult r = parse_scenario_text(R"({"name": "t", "duration": "10s", "cluster": {"brokers": 1},
    "topics": [{"name": "t", "partitions": 2}],
    "consumers": [{"name": "c", "partitions": [0, 1], "config": {"auto.offset.reset": "earliest"}}]})",
                                     "test.json");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  return *r.scenario;
}

RecordBatch records(Offset base, int32_t count) {
  RecordBatch b;
  b.producer = 0;
  b.first_record_seq = base;
  b.record_count = count;
  b.bytes = 100 * count;
  b.base_offset = base;
  return b;
}

TEST(ConsumerFetch, APartitionDrainedByPollIsInTheNextFetch) {
  // KafkaConsumer.poll() hands out buffered records before it sends fetches: a partition poll() just drained is
  // in the next fetch, not left waiting for a fetch the broker may hold for fetch.max.wait.ms.
  Scenario scenario = two_partitions_one_broker();
  ClusterMetadata metadata(scenario, {NodeId{0}});
  RecordLedger ledger;
  Consumer consumer(0, scenario.consumers[0], metadata, ledger, 1);
  FakeNodeContext ctx(NodeId{5});
  const TopicPartition p0{0, 0}, p1{0, 1};

  consumer.start(ctx);
  ctx.fire_due_timers(consumer);  // the application starts at 0
  auto md = ctx.take<MetadataRequest>();
  ASSERT_EQ(md.size(), 1u);
  consumer.on_message(ctx,
                      Message{NodeId{0}, NodeId{5}, MetadataResponse{md[0].second.request_id, {{p0, 0, 0}, {p1, 0, 0}}}});
  auto lo = ctx.take<ListOffsetsRequest>();
  ASSERT_EQ(lo.size(), 1u);
  consumer.on_message(ctx,
                      Message{NodeId{0}, NodeId{5}, ListOffsetsResponse{lo[0].second.request_id, {{p0, 0}, {p1, 0}}}});
  auto fetches = ctx.take<FetchRequest>();
  ASSERT_EQ(fetches.size(), 1u);
  ASSERT_EQ(fetches[0].second.partitions.size(), 2u);

  // Records for p0 only; p1 has nothing yet.
  FetchResponse resp;
  resp.request_id = fetches[0].second.request_id;
  resp.partitions.push_back({p0, ErrorCode::none, 10, 0, 10, {records(0, 10)}});
  resp.partitions.push_back({p1, ErrorCode::none, 0, 0, 0, {}});
  consumer.on_message(ctx, Message{NodeId{0}, NodeId{5}, std::move(resp)});

  EXPECT_EQ(consumer.stats().records_polled, 10);
  fetches = ctx.take<FetchRequest>();
  ASSERT_EQ(fetches.size(), 1u) << "one fetch per broker";
  bool has_p0 = false;
  for (const auto& fp : fetches[0].second.partitions)
    if (fp.tp == p0) {
      has_p0 = true;
      EXPECT_EQ(fp.fetch_offset, 10);
    }
  EXPECT_TRUE(has_p0) << "the partition poll() drained goes into the fetch sent after it";
}

}  // namespace
}  // namespace kafkasim
