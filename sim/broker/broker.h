// A Kafka broker as a state machine: hosts partition replicas, appends produced batches through its disk,
// answers fetches (parking them until data or fetch.max.wait.ms), and stores committed group offsets.
// acks=all requests wait in the produce purgatory until the high watermark passes their batches.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/partition_log.h"
#include "cluster/cluster_metadata.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

// One replica hosted by this broker.
struct Replica {
  TopicPartition tp;
  PartitionLog log;
  bool is_leader = false;
  LeaderEpoch leader_epoch = 0;
  Offset high_watermark = 0;
  int32_t min_insync_replicas = 1;
};

class Broker : public Node {
 public:
  Broker(int32_t broker_id, const Scenario& scenario, ClusterMetadata& metadata);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_disk_written(NodeContext& ctx, uint64_t token) override;

  int32_t id() const { return id_; }
  const std::map<TopicPartition, Replica>& replicas() const { return replicas_; }
  Replica* replica(TopicPartition tp);
  const std::map<std::string, std::map<TopicPartition, Offset>>& committed_offsets() const { return group_offsets_; }

 private:
  struct PendingAppend {  // a produce request waiting for its disk write
    NodeId client;
    ProduceRequest request;
    std::vector<PartitionProduceResult> results;  // pre-filled with errors for rejected partitions
  };
  struct DelayedProduce {  // acks=all: waiting for the high watermark
    NodeId client;
    int64_t request_id;
    SimTime deadline;
    std::vector<PartitionProduceResult> results;
    std::vector<Offset> required_offsets;  // per result: HW needed; -1 = already decided
  };
  struct DelayedFetch {
    NodeId client;
    FetchRequest request;
    SimTime deadline;
  };

  void handle(NodeContext& ctx, NodeId from, MetadataRequest& r);
  void handle(NodeContext& ctx, NodeId from, ProduceRequest& r);
  void handle(NodeContext& ctx, NodeId from, FetchRequest& r);
  void handle(NodeContext& ctx, NodeId from, ListOffsetsRequest& r);
  void handle(NodeContext& ctx, NodeId from, OffsetCommitRequest& r);
  void handle(NodeContext& ctx, NodeId from, OffsetFetchRequest& r);
  template <typename T>
  void handle(NodeContext&, NodeId, T&) {}  // responses are not for brokers

  // Reads for a fetch; returns the bytes gathered. Fills `out` when non-null.
  int64_t gather_fetch(const FetchRequest& r, FetchResponse* out);
  void advance_high_watermark(NodeContext& ctx, Replica& replica);
  void complete_delayed_produces(NodeContext& ctx, bool expire_all_due);
  void complete_delayed_fetches(NodeContext& ctx);

  int32_t id_;
  ClusterMetadata& metadata_;
  std::map<TopicPartition, Replica> replicas_;
  std::map<uint64_t, PendingAppend> pending_appends_;
  std::map<uint64_t, DelayedProduce> delayed_produces_;
  std::map<uint64_t, DelayedFetch> delayed_fetches_;
  std::map<std::string, std::map<TopicPartition, Offset>> group_offsets_;
  uint64_t next_token_ = 1;
};

}  // namespace kafkasim
