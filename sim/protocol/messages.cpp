#include "protocol/messages.h"

#include <type_traits>

namespace kafkasim {
namespace {

int64_t n(size_t count) { return static_cast<int64_t>(count); }

int64_t batches_bytes(const std::vector<RecordBatch>& batches) {
  int64_t b = 0;
  for (const auto& batch : batches) b += batch.bytes;
  return b;
}

int64_t partitions_bytes(const std::vector<PartitionLeaderState>& parts) {
  int64_t b = 0;
  for (const auto& p : parts) b += kPartitionEntryBytes + 4 * n(p.isr.size() + p.replicas.size());
  return b;
}

}  // namespace

int64_t wire_size(const MessageBody& body) {
  return std::visit(
      [](const auto& m) -> int64_t {
        using T = std::decay_t<decltype(m)>;
        int64_t size = kRequestHeaderBytes;
        if constexpr (std::is_same_v<T, MetadataResponse>) size += kPartitionEntryBytes * n(m.partitions.size());
        if constexpr (std::is_same_v<T, ProduceRequest>)
          for (const auto& [tp, batch] : m.batches) size += kPartitionEntryBytes + batch.bytes;
        if constexpr (std::is_same_v<T, ProduceResponse>) size += kPartitionEntryBytes * n(m.results.size());
        if constexpr (std::is_same_v<T, FetchRequest>) size += kPartitionEntryBytes * n(m.partitions.size());
        if constexpr (std::is_same_v<T, FetchResponse>)
          for (const auto& p : m.partitions) size += kPartitionEntryBytes + batches_bytes(p.batches);
        if constexpr (std::is_same_v<T, ListOffsetsRequest>) size += kPartitionEntryBytes * n(m.partitions.size());
        if constexpr (std::is_same_v<T, ListOffsetsResponse>) size += kPartitionEntryBytes * n(m.offsets.size());
        if constexpr (std::is_same_v<T, OffsetCommitRequest>)
          size += n(m.group_id.size()) + kPartitionEntryBytes * n(m.offsets.size());
        if constexpr (std::is_same_v<T, OffsetFetchRequest>)
          size += n(m.group_id.size()) + kPartitionEntryBytes * n(m.partitions.size());
        if constexpr (std::is_same_v<T, OffsetFetchResponse>) size += kPartitionEntryBytes * n(m.offsets.size());
        if constexpr (std::is_same_v<T, OffsetsForLeaderEpochRequest> || std::is_same_v<T, OffsetsForLeaderEpochResponse>)
          size += kPartitionEntryBytes * n(m.items.size());
        if constexpr (std::is_same_v<T, LeaderAndIsrRequest> || std::is_same_v<T, UpdateMetadataRequest>)
          size += partitions_bytes(m.partitions);
        if constexpr (std::is_same_v<T, AlterPartitionRequest> || std::is_same_v<T, AlterPartitionResponse>)
          size += 2 * kPartitionEntryBytes * n(m.items.size());
        if constexpr (std::is_same_v<T, RaftFetchResponse>) size += 2 * kPartitionEntryBytes * n(m.records.size());
        if constexpr (std::is_same_v<T, ZkProposal>)
          for (const auto& txn : m.txns) size += kPartitionEntryBytes + n(txn.path.size()) + partitions_bytes(txn.partitions);
        if constexpr (std::is_same_v<T, ZkWriteRequest> || std::is_same_v<T, ZkReadResponse>)
          size += partitions_bytes(m.partitions);
        if constexpr (std::is_same_v<T, ZkReadResponse>) size += 4 * n(m.registered_brokers.size());
        if constexpr (std::is_same_v<T, JoinGroupRequest>)
          size += n(m.group_id.size() + m.member_id.size()) + 4 * n(m.subscription.topics.size()) +
                  8 * n(m.subscription.owned_partitions.size()) + 16 * n(m.protocols.size());
        if constexpr (std::is_same_v<T, JoinGroupResponse>)
          for (const auto& member : m.members)
            size += n(member.member_id.size()) + 4 * n(member.subscription.topics.size()) +
                    8 * n(member.subscription.owned_partitions.size());
        if constexpr (std::is_same_v<T, SyncGroupRequest>)
          for (const auto& [member, tps] : m.assignments) size += n(member.size()) + 8 * n(tps.size());
        if constexpr (std::is_same_v<T, SyncGroupResponse>) size += 8 * n(m.assignment.size());
        if constexpr (std::is_same_v<T, HeartbeatRequest> || std::is_same_v<T, LeaveGroupRequest>)
          size += n(m.group_id.size() + m.member_id.size());
        if constexpr (std::is_same_v<T, ZkCreateEphemeral> || std::is_same_v<T, ZkCreateResponse> ||
                      std::is_same_v<T, ZkWatchEvent>)
          size += n(m.path.size());
        return size;
      },
      body);
}

const char* message_name(const MessageBody& body) {
  static const char* const names[] = {
      "Metadata",        "MetadataResponse",        "Produce",
      "ProduceResponse", "Fetch",                   "FetchResponse",
      "ListOffsets",     "ListOffsetsResponse",     "OffsetCommit",
      "OffsetCommitResponse", "OffsetFetch",        "OffsetFetchResponse",
      "OffsetsForLeaderEpoch", "OffsetsForLeaderEpochResponse", "LeaderAndIsr",
      "LeaderAndIsrResponse", "UpdateMetadata",     "AlterPartition",
      "AlterPartitionResponse", "BrokerHeartbeat",  "BrokerHeartbeatResponse",
      "Vote",            "VoteResponse",            "RaftFetch",
      "RaftFetchResponse", "BeginQuorumEpoch",      "ZkPing",
      "ZkPong",          "ZkCreateEphemeral",       "ZkCreateResponse",
      "ZkWatchEvent",    "ZkProposal",              "ZkProposalAck",
      "ZkElectionNotice", "ZkWrite",                "ZkWriteResponse",
      "ZkRead",          "ZkReadResponse",          "FindCoordinator",
      "FindCoordinatorResponse", "JoinGroup",       "JoinGroupResponse",
      "SyncGroup",       "SyncGroupResponse",       "Heartbeat",
      "HeartbeatResponse", "LeaveGroup",            "LeaveGroupResponse"};
  static_assert(sizeof(names) / sizeof(names[0]) == std::variant_size_v<MessageBody>);
  return names[body.index()];
}

TrafficClass traffic_class(const MessageBody& body) {
  return std::visit(
      [](const auto& m) -> TrafficClass {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, FetchRequest>) return m.replica_id >= 0 ? TrafficClass::replication : TrafficClass::client;
        if constexpr (std::is_same_v<T, OffsetsForLeaderEpochRequest> || std::is_same_v<T, OffsetsForLeaderEpochResponse>)
          return TrafficClass::replication;
        if constexpr (std::is_same_v<T, MetadataRequest> || std::is_same_v<T, MetadataResponse> ||
                      std::is_same_v<T, ProduceRequest> || std::is_same_v<T, ProduceResponse> ||
                      std::is_same_v<T, ListOffsetsRequest> || std::is_same_v<T, ListOffsetsResponse> ||
                      std::is_same_v<T, OffsetCommitRequest> || std::is_same_v<T, OffsetCommitResponse> ||
                      std::is_same_v<T, OffsetFetchRequest> || std::is_same_v<T, OffsetFetchResponse> ||
                      std::is_same_v<T, FindCoordinatorRequest> || std::is_same_v<T, FindCoordinatorResponse> ||
                      std::is_same_v<T, JoinGroupRequest> || std::is_same_v<T, JoinGroupResponse> ||
                      std::is_same_v<T, SyncGroupRequest> || std::is_same_v<T, SyncGroupResponse> ||
                      std::is_same_v<T, HeartbeatRequest> || std::is_same_v<T, HeartbeatResponse> ||
                      std::is_same_v<T, LeaveGroupRequest> || std::is_same_v<T, LeaveGroupResponse>)
          return TrafficClass::client;
        if constexpr (std::is_same_v<T, FetchResponse>)
          return m.replica_id >= 0 ? TrafficClass::replication : TrafficClass::client;
        return TrafficClass::control;
      },
      body);
}

const char* traffic_class_name(TrafficClass c) {
  switch (c) {
    case TrafficClass::client: return "client";
    case TrafficClass::replication: return "replication";
    case TrafficClass::control: return "control";
  }
  return "?";
}

}  // namespace kafkasim
