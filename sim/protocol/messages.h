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
  int32_t replica_id = -1;  // copied from the request: a follower's fetch is replication traffic
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
  // The committing member (KIP-62 fencing): generation -1 and an empty member id for a consumer without
  // group membership (manual assignment), accepted only while the group has no members.
  int32_t generation = -1;
  std::string member_id;
  std::string group_instance_id;
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

// ---- Consumer groups (classic protocol) ----
struct FindCoordinatorRequest {
  int64_t request_id = 0;
  std::string key;  // the group id
};
struct FindCoordinatorResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;  // coordinator_not_available while the offsets partition has no leader
  int32_t coordinator = -1;           // broker id
};
// What a member tells the group in JoinGroup for one protocol (ConsumerProtocolSubscription).
struct GroupSubscription {
  std::vector<int32_t> topics;                  // topic indexes
  std::vector<TopicPartition> owned_partitions;  // cooperative and sticky: what it owns now
  int32_t generation = -1;                       // generation of owned_partitions
};
struct JoinGroupRequest {
  int64_t request_id = 0;
  std::string group_id;
  std::string member_id;          // empty on the first join
  std::string group_instance_id;  // empty for a dynamic member
  std::string client_id;
  SimTime session_timeout_s = 45;
  SimTime rebalance_timeout_s = 300;  // the member's max.poll.interval.ms
  std::vector<std::string> protocols;  // partition.assignment.strategy, in preference order
  GroupSubscription subscription;
};
struct JoinGroupMember {
  std::string member_id;
  std::string group_instance_id;
  GroupSubscription subscription;
};
struct JoinGroupResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  int32_t generation = -1;
  std::string protocol;
  std::string leader;
  std::string member_id;
  std::vector<JoinGroupMember> members;  // only for the leader
  // A static member that rejoined a stable group: its old assignment stands, no rebalance (KIP-345).
  bool skip_assignment = false;
};
struct SyncGroupRequest {
  int64_t request_id = 0;
  std::string group_id;
  int32_t generation = -1;
  std::string member_id;
  std::string group_instance_id;
  std::vector<std::pair<std::string, std::vector<TopicPartition>>> assignments;  // the leader's only
};
struct SyncGroupResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  std::vector<TopicPartition> assignment;
};
struct HeartbeatRequest {
  int64_t request_id = 0;
  std::string group_id;
  int32_t generation = -1;
  std::string member_id;
  std::string group_instance_id;
};
struct HeartbeatResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
};
struct LeaveGroupRequest {
  int64_t request_id = 0;
  std::string group_id;
  std::string member_id;
  std::string group_instance_id;
  std::string reason;  // KIP-800: why the member leaves (shown in member_left)
};
struct LeaveGroupResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
};

// ---- Replication (follower <-> leader) ----
struct OffsetsForLeaderEpochRequest {
  int64_t request_id = 0;
  int32_t replica_id = -1;
  struct Item {
    TopicPartition tp;
    LeaderEpoch current_leader_epoch = -1;  // the follower's view of the leader's epoch (fencing)
    LeaderEpoch leader_epoch = -1;          // the epoch whose end offset is asked for
  };
  std::vector<Item> items;
};
struct OffsetsForLeaderEpochResponse {
  int64_t request_id = 0;
  struct Item {
    TopicPartition tp;
    ErrorCode error = ErrorCode::none;
    LeaderEpoch leader_epoch = -1;  // largest epoch <= the requested one known to the leader
    Offset end_offset = -1;
  };
  std::vector<Item> items;
};

// ---- Control plane: controller -> brokers ----
// The state of one partition as the controller decided it.
struct PartitionLeaderState {
  TopicPartition tp;
  int32_t leader = -1;  // broker id, -1 = offline
  LeaderEpoch leader_epoch = 0;
  int32_t partition_epoch = 0;  // bumped on every change (leader or ISR); AlterPartition must quote it
  std::vector<int32_t> isr;
  std::vector<int32_t> replicas;
};
// Tells brokers which replicas they host, who leads and the ISR (ZooKeeper mode's LeaderAndIsr; in KRaft
// mode the same information reaches brokers through the metadata log, delivered here as the same message).
struct LeaderAndIsrRequest {
  int64_t request_id = 0;
  int32_t controller_epoch = 0;
  int32_t controller_id = -1;  // node id of the sending controller
  std::vector<PartitionLeaderState> partitions;
};
struct LeaderAndIsrResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
};
// The metadata every broker caches to answer clients' Metadata requests.
struct UpdateMetadataRequest {
  int64_t request_id = 0;
  int32_t controller_epoch = 0;
  int32_t controller_id = -1;
  std::vector<PartitionLeaderState> partitions;
  std::vector<int32_t> live_brokers;
};

// ---- Control plane: brokers -> controller ----
// A partition leader asks to change the ISR (KIP-497; Kafka's AlterPartition).
struct AlterPartitionRequest {
  int64_t request_id = 0;
  int32_t broker_id = -1;
  struct Item {
    TopicPartition tp;
    LeaderEpoch leader_epoch = 0;
    int32_t partition_epoch = 0;
    std::vector<int32_t> new_isr;
  };
  std::vector<Item> items;
};
struct AlterPartitionResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;  // not_controller: ask the controller named in controller_hint
  int32_t controller_hint = -1;       // node id
  struct Item {
    ErrorCode error = ErrorCode::none;  // fenced_leader_epoch, invalid_update_version (stale), ...
    PartitionLeaderState state;         // the partition's state after the request
  };
  std::vector<Item> items;
};
// KRaft: brokers heartbeat the active controller; missing broker.session.timeout.ms of them fences a broker.
struct BrokerHeartbeatRequest {
  int64_t request_id = 0;
  int32_t broker_id = -1;
  bool want_unfence = true;
  // Which start of the broker process this is (KRaft's incarnation id): a new one re-registers the broker,
  // which fences its old registration first (leaders move off it) and unfences it on a later heartbeat.
  int64_t incarnation = 0;
};
struct BrokerHeartbeatResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;  // not_controller: try controller_hint
  int32_t controller_hint = -1;       // node id of the active controller, -1 unknown
  bool fenced = false;
};

// ---- KRaft quorum (Raft among controllers) ----
struct VoteRequest {
  int32_t candidate_epoch = 0;
  int32_t candidate = -1;  // node id
  int64_t last_offset = 0;
  int32_t last_offset_epoch = 0;
};
struct VoteResponse {
  int32_t epoch = 0;
  bool granted = false;
};
// A metadata record: a partition change or a broker registration change.
struct MetadataRecord {
  int32_t epoch = 0;  // Raft epoch (term) it was written in
  enum class Kind { leader_change, partition_change, broker_registration, broker_fencing } kind = Kind::leader_change;
  PartitionLeaderState partition;
  int32_t broker = -1;
  bool fenced = false;
};
struct RaftFetchRequest {
  int32_t epoch = 0;
  int32_t replica = -1;  // node id
  int64_t fetch_offset = 0;
  int32_t last_fetched_epoch = 0;
};
struct RaftFetchResponse {
  int32_t epoch = 0;
  int32_t leader = -1;  // node id, -1 unknown
  ErrorCode error = ErrorCode::none;
  int64_t high_watermark = 0;
  int64_t truncate_to = -1;  // diverging follower: truncate first
  std::vector<MetadataRecord> records;
};
struct BeginQuorumEpoch {
  int32_t epoch = 0;
  int32_t leader = -1;
};

// ---- ZooKeeper ----
// Session keep-alive (client -> server) and its answer; `server_hint` names the ZooKeeper leader.
struct ZkPing {
  int64_t session = -1;  // the client's node id in the low 32 bits; the client's session count above them
  bool connect = false;  // open this session (ZooKeeper's ConnectRequest) if the server does not know it
};
struct ZkPong {
  int64_t session = -1;
  ErrorCode error = ErrorCode::none;  // coordinator_not_available: no quorum; not_coordinator: see hint
  int32_t server_hint = -1;
  bool expired = false;               // the session is gone: reconnect and re-create ephemerals
};
// Create an ephemeral znode owned by the caller's session (broker registration, /controller).
struct ZkCreateEphemeral {
  int64_t request_id = 0;
  int64_t session = -1;
  std::string path;
};
struct ZkCreateResponse {
  int64_t request_id = 0;
  std::string path;
  bool created = false;
  int64_t owner = -1;  // the session owning the node now
  ErrorCode error = ErrorCode::none;
  int32_t controller_epoch = 0;  // /controller: the controller epoch (Kafka's /controller_epoch znode)
};
// A watch fired: `path` was created or deleted.
struct ZkWatchEvent {
  std::string path;
  bool deleted = false;
  int64_t owner = -1;
};
// One ZooKeeper transaction: what a committed write changes, replicated from the leader to the followers.
struct ZkTxn {
  enum class Kind { new_epoch, create_session, close_session, create_ephemeral, set_partition_states };
  Kind kind = Kind::new_epoch;
  int64_t zxid = 0;  // (epoch << 32) | counter, as ZooKeeper numbers transactions
  int64_t session = -1;
  std::string path;              // create_ephemeral
  int32_t controller_epoch = 0;  // create_ephemeral of /controller: the controller epoch it starts
  std::vector<PartitionLeaderState> partitions;  // set_partition_states (Kafka's partition state znodes)
};
// ZooKeeper servers among themselves: the leader proposes transactions (or just heartbeats, with no txns);
// followers log them and acknowledge. A follower whose log does not end at prev_zxid ignores the txns and
// acknowledges its own last zxid, so the leader resends from there (ZooKeeper's DIFF / TRUNC sync).
struct ZkProposal {
  int64_t zxid = 0;  // the leader's last logged zxid
  int32_t leader = -1;  // server index
  int32_t epoch = 0;    // the leader's epoch
  int64_t prev_zxid = 0;       // the zxid the txns follow
  int64_t truncate_to = -1;    // first drop logged txns after this zxid (-1: none)
  int64_t committed_zxid = 0;  // the leader's commit point
  std::vector<ZkTxn> txns;
};
struct ZkProposalAck {
  int64_t zxid = 0;  // the follower's last logged zxid
  int32_t follower = -1;  // server index
  int32_t epoch = 0;
  bool synced = true;  // false: its log did not end at prev_zxid; it needs the txns after `zxid`
};
// Leader election among ZooKeeper servers (a reduced FastLeaderElection): a server looking for a leader sends
// its notice to all; the others answer with theirs.
struct ZkElectionNotice {
  int32_t server = -1;  // sender's index
  int32_t epoch = 0;    // the sender's accepted epoch
  int64_t last_zxid = 0;
  bool looking = true;
  int32_t leader = -1;  // when not looking: the leader it follows (or is)
};
// The Kafka controller writes partition states (leader, ISR, epochs) to ZooKeeper; the write succeeds only if
// `controller_epoch` is still the current one and `session` still owns /controller (zombie controllers fail).
struct ZkWriteRequest {
  int64_t request_id = 0;
  int64_t session = -1;
  int32_t controller_epoch = 0;
  std::vector<PartitionLeaderState> partitions;
};
struct ZkWriteResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;  // stale_controller_epoch, not_coordinator, coordinator_not_available
};
// A new controller reads the cluster's state: registered brokers and partition states.
struct ZkReadRequest {
  int64_t request_id = 0;
};
struct ZkReadResponse {
  int64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  int32_t controller_epoch = 0;
  int64_t controller_owner = -1;          // session owning /controller, -1 none
  std::vector<int32_t> registered_brokers;  // /brokers/ids children
  std::vector<PartitionLeaderState> partitions;  // partition states written since the start (the rest as created)
};

using MessageBody =
    std::variant<MetadataRequest, MetadataResponse, ProduceRequest, ProduceResponse, FetchRequest, FetchResponse,
                 ListOffsetsRequest, ListOffsetsResponse, OffsetCommitRequest, OffsetCommitResponse,
                 OffsetFetchRequest, OffsetFetchResponse, OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse,
                 LeaderAndIsrRequest, LeaderAndIsrResponse, UpdateMetadataRequest, AlterPartitionRequest,
                 AlterPartitionResponse, BrokerHeartbeatRequest, BrokerHeartbeatResponse, VoteRequest, VoteResponse,
                 RaftFetchRequest, RaftFetchResponse, BeginQuorumEpoch, ZkPing, ZkPong, ZkCreateEphemeral,
                 ZkCreateResponse, ZkWatchEvent, ZkProposal, ZkProposalAck, ZkElectionNotice, ZkWriteRequest,
                 ZkWriteResponse, ZkReadRequest, ZkReadResponse, FindCoordinatorRequest, FindCoordinatorResponse,
                 JoinGroupRequest, JoinGroupResponse, SyncGroupRequest, SyncGroupResponse, HeartbeatRequest,
                 HeartbeatResponse, LeaveGroupRequest, LeaveGroupResponse>;

// Which kind of traffic a message is, so a network fault can cut one kind only (e.g. replication).
enum class TrafficClass { client, replication, control };
TrafficClass traffic_class(const MessageBody& body);
const char* traffic_class_name(TrafficClass c);

struct Message {
  NodeId from;
  NodeId to;
  MessageBody body;
};

// Bytes the message occupies on the wire (never 0: SimGrid skips latency for empty messages).
int64_t wire_size(const MessageBody& body);

const char* message_name(const MessageBody& body);

}  // namespace kafkasim
