// The closed set of messages simulated processes exchange, as a std::variant dispatched with std::visit.
// Sizes on the wire follow Kafka's formats closely enough for bandwidth to matter the way it does in Kafka.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "protocol/error_code.h"

namespace kafkasim {

// Record batch v2: a 61-byte header; each record adds a few varints and its key and value.
inline constexpr int64_t kBatchHeaderBytes = 61;
inline constexpr int64_t kRecordOverheadBytes = 8;
inline constexpr int64_t kRequestHeaderBytes = 40;
inline constexpr int64_t kPartitionEntryBytes = 24;

// A batch of records from one producer to one partition. Records are identified by the workload sequence
// range [first_record_seq, first_record_seq + record_count) of (producer, partition).
struct RecordBatch {
  int32_t producer = -1;          // index of the producing entity in the scenario (the record identity)
  int64_t first_record_seq = 0;   // workload sequence of the first record
  int32_t record_count = 0;
  int64_t bytes = 0;              // wire size, header included
  // Idempotence (KIP-98): -1 when the producer is not idempotent.
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  // Set by the leader on append.
  Offset base_offset = -1;
  LeaderEpoch partition_leader_epoch = -1;

  Offset last_offset() const { return base_offset + record_count - 1; }
  Offset next_offset() const { return base_offset + record_count; }
};

struct MetadataRequest {
  int64_t request_id = 0;
};
struct PartitionMetadata {
  TopicPartition tp;
  int32_t leader = -1;  // broker id, -1 when offline
  LeaderEpoch leader_epoch = -1;
};
struct MetadataResponse {
  int64_t request_id = 0;
  std::vector<PartitionMetadata> partitions;
};

struct ProduceRequest {
  int64_t request_id = 0;
  int16_t acks = -1;  // -1 all, 0, 1
  double timeout_s = 30;
  std::vector<std::pair<TopicPartition, RecordBatch>> batches;
};
struct PartitionProduceResult {
  TopicPartition tp;
  ErrorCode error = ErrorCode::none;
  Offset base_offset = -1;
};
struct ProduceResponse {
  int64_t request_id = 0;
  std::vector<PartitionProduceResult> results;
};

struct FetchPartition {
  TopicPartition tp;
  Offset fetch_offset = 0;
  int64_t partition_max_bytes = 1048576;
  LeaderEpoch current_leader_epoch = -1;
};
struct FetchRequest {
  int64_t request_id = 0;
  int32_t replica_id = -1;  // -1 for consumers; the follower's broker id otherwise
  double max_wait_s = 0.5;
  int64_t min_bytes = 1;
  int64_t max_bytes = 52428800;
  std::vector<FetchPartition> partitions;
};
struct FetchPartitionData {
  TopicPartition tp;
  ErrorCode error = ErrorCode::none;
  Offset high_watermark = -1;
  Offset log_start_offset = 0;
  Offset log_end_offset = -1;
  std::vector<RecordBatch> batches;
};
struct FetchResponse {
  int64_t request_id = 0;
  std::vector<FetchPartitionData> partitions;
};

struct ListOffsetsRequest {
  int64_t request_id = 0;
  bool earliest = true;  // earliest (log start) or latest (high watermark)
  std::vector<TopicPartition> partitions;
};
struct ListOffsetsResponse {
  int64_t request_id = 0;
  std::vector<std::pair<TopicPartition, Offset>> offsets;  // -1 with an error
  ErrorCode error = ErrorCode::none;
};

struct OffsetCommitRequest {
  int64_t request_id = 0;
  std::string group_id;
  std::vector<std::pair<TopicPartition, Offset>> offsets;
};
struct OffsetCommitResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
};
struct OffsetFetchRequest {
  int64_t request_id = 0;
  std::string group_id;
  std::vector<TopicPartition> partitions;
};
struct OffsetFetchResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  std::vector<std::pair<TopicPartition, Offset>> offsets;  // -1 = no committed offset
};

using MessageBody = std::variant<MetadataRequest, MetadataResponse, ProduceRequest, ProduceResponse, FetchRequest,
                                 FetchResponse, ListOffsetsRequest, ListOffsetsResponse, OffsetCommitRequest,
                                 OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse>;

struct Message {
  NodeId from;
  NodeId to;
  MessageBody body;
};

// Bytes the message occupies on the wire (never 0: SimGrid skips latency for empty messages).
int64_t wire_size(const MessageBody& body);

const char* message_name(const MessageBody& body);

}  // namespace kafkasim
