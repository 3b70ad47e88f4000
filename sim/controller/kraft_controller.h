// A KRaft controller: one voter of the Raft quorum that replicates the cluster metadata log, and, while it is
// the Raft leader, the active controller.
//
// Raft as KRaft does it: epochs with one vote each (granted only to a candidate whose log is at least as up to
// date), followers pull records with RaftFetchRequest (the leader holds a fetch up to 500 ms when it has
// nothing new), a follower that hears nothing from its leader for controller.quorum.fetch.timeout.ms becomes a
// candidate, a candidate retries after controller.quorum.election.timeout.ms plus a jitter in [0, that) from its
// own Rng, the winner sends BeginQuorumEpoch and writes a leader_change record, the high watermark advances
// when a majority holds a record of the current epoch, and a leader that has not been fetched from by a
// majority for 1.5 x the fetch timeout resigns (KRaft's check-quorum).
//
// The active controller handles BrokerHeartbeatRequest (a broker missing broker.session.timeout.ms of
// heartbeats is fenced: it leaves the ISRs and its partitions get new leaders; a fenced broker's next
// heartbeat unfences it; a new heartbeat incarnation fences the old registration first) and
// AlterPartitionRequest, and writes each change as MetadataRecords. MetadataRecord kinds as used here:
// leader_change = KRaft's LeaderChangeMessage (the Raft leader's first record of its epoch), partition_change
// = PartitionChangeRecord (leader and/or ISR), broker_fencing = Fence/UnfenceBrokerRecord.
// Elections cost kafkasim.controller.election.ms.per.partition for every partition whose leader changes: the
// controller is busy (requests queue) and writes the records when done.
//
// Simplification: real KRaft brokers fetch the metadata log themselves. Here, once records are committed, the
// active controller updates the shared ClusterMetadata and pushes LeaderAndIsrRequest to the replicas of the
// changed partitions (all replicas of an unfenced broker) and UpdateMetadataRequest to every live broker.
// Standby controllers apply committed records to their own state, so a new active controller acts at once.
// Raft state (epoch, vote, last known leader, log) is durable, also across a power loss (KRaft fsyncs it).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "cluster/cluster_metadata.h"
#include "controller/control_plane_config.h"
#include "controller/control_plane_wiring.h"
#include "controller/controller_state.h"
#include "controller/metadata_publisher.h"
#include "controller/timer_slots.h"
#include "core/random.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

class KraftController : public Node {
 public:
  // The longest a leader holds a follower's fetch that has nothing new (KRaft's fetch max wait).
  static constexpr SimTime kFetchMaxWait_s = 0.5;
  // A follower re-sends a fetch that got no answer after this long.
  static constexpr SimTime kFetchRetry_s = 1.0;
  // At most this many records in one fetch response.
  static constexpr size_t kMaxRecordsPerFetch = 4096;

  KraftController(int32_t index, const ControlPlaneWiring& wiring, ClusterMetadata& metadata,
                  const Scenario& scenario);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_crash(NodeContext& ctx, bool power_loss) override;

  enum class Role { follower, candidate, leader };
  int32_t index() const { return index_; }
  bool up() const { return up_; }
  Role role() const { return role_; }
  bool is_active() const { return up_ && role_ == Role::leader; }
  int32_t epoch() const { return epoch_; }
  int32_t leader_index() const { return leader_; }  // -1 unknown
  int64_t log_end_offset() const { return static_cast<int64_t>(log_.size()); }
  int64_t high_watermark() const { return high_watermark_; }
  // The metadata as committed records left it (what a standby holds).
  const ControllerState& committed_state() const { return committed_; }

 private:
  enum TimerKind { kElection, kFetchTimeout, kFetchRetry, kParkedFetches, kFenceCheck, kCheckQuorum, kBusy };
  struct ParkedFetch {
    NodeId from;
    RaftFetchRequest request;
    SimTime deadline = 0;
  };
  struct Job {
    enum class Kind { fence_expired, fence_reregistered, unfence, alter_partition } kind = Kind::fence_expired;
    int32_t broker = -1;
    NodeId from;
    AlterPartitionRequest request;
  };
  // What a job decided: records to append, and maybe a response to send once they are committed.
  struct Work {
    std::vector<MetadataRecord> records;
    int32_t leader_changes = 0;
    std::optional<std::pair<NodeId, AlterPartitionResponse>> response;
  };
  struct PendingResponse {
    NodeId to;
    AlterPartitionResponse response;
    int64_t offset = 0;  // sent once the high watermark passes this record
  };

  void handle(NodeContext& ctx, NodeId from, VoteRequest& r);
  void handle(NodeContext& ctx, NodeId from, VoteResponse& r);
  void handle(NodeContext& ctx, NodeId from, BeginQuorumEpoch& r);
  void handle(NodeContext& ctx, NodeId from, RaftFetchRequest& r);
  void handle(NodeContext& ctx, NodeId from, RaftFetchResponse& r);
  void handle(NodeContext& ctx, NodeId from, BrokerHeartbeatRequest& r);
  void handle(NodeContext& ctx, NodeId from, AlterPartitionRequest& r);
  template <typename T>
  void handle(NodeContext&, NodeId, T&) {}

  // Raft roles.
  void become_follower(NodeContext& ctx, int32_t epoch, int32_t leader);
  void become_candidate(NodeContext& ctx);
  void become_leader(NodeContext& ctx);
  // controller_ready: the active controller can act (its first record of the epoch is committed).
  void emit_ready(NodeContext& ctx);
  void step_down_as_leader(NodeContext& ctx);
  void arm_election_timer(NodeContext& ctx);
  void arm_fetch_timeout(NodeContext& ctx);
  void send_fetch(NodeContext& ctx);

  // Log.
  int32_t last_epoch() const { return log_.empty() ? 0 : log_.back().epoch; }
  int32_t majority() const { return static_cast<int32_t>(wiring_.quorum.size()) / 2 + 1; }
  int32_t quorum_index(NodeId node) const;
  NodeId leader_node() const;
  void append(NodeContext& ctx, std::vector<MetadataRecord> records);
  void maybe_advance_high_watermark(NodeContext& ctx);
  void apply_committed(NodeContext& ctx);
  // The leader's answer to a fetch; nullopt when it should be held (nothing new for that follower).
  std::optional<RaftFetchResponse> fetch_answer(int32_t follower, const RaftFetchRequest& r, bool force);
  void answer_parked_fetches(NodeContext& ctx, bool force_all);

  // Active controller.
  void enqueue(NodeContext& ctx, Job job);
  void run_jobs(NodeContext& ctx);
  Work compute(NodeContext& ctx, const Job& job);
  void finish(NodeContext& ctx, Work work);
  void check_fencing(NodeContext& ctx);
  void arm_fence_check(NodeContext& ctx);

  const int32_t index_;
  const ControlPlaneWiring wiring_;  // a copy: the driver's may not outlive the node
  ClusterMetadata& metadata_;
  const ControlPlaneConfig config_;
  Rng rng_;
  MetadataPublisher publisher_;
  TimerSlots timers_;

  // Durable: survives crashes and power loss.
  int32_t epoch_ = 1;
  int32_t voted_for_ = -1;    // quorum index
  int32_t last_leader_ = -1;  // quorum index of the leader of epoch_, as last known
  std::vector<MetadataRecord> log_;
  const ControllerState snapshot_;  // the state at offset 0 (the cluster as it was at the start)
  bool started_before_ = false;

  // Volatile.
  bool up_ = false;
  Role role_ = Role::follower;
  int32_t leader_ = -1;
  int64_t high_watermark_ = 0;
  int64_t applied_ = 0;
  ControllerState committed_;
  // Follower.
  bool fetch_in_flight_ = false;
  int64_t fetch_sent_offset_ = 0;
  // Candidate.
  std::set<int32_t> votes_;
  // Leader.
  ControllerState latest_;  // committed plus uncommitted records
  std::vector<int64_t> match_offset_;  // per quorum index
  std::vector<SimTime> last_fetch_;    // per quorum index
  std::vector<int64_t> high_watermark_sent_;
  std::map<int32_t, ParkedFetch> parked_;
  std::vector<SimTime> last_heartbeat_;  // per broker
  std::vector<int64_t> incarnation_;     // per broker, -1 unknown
  std::vector<bool> liveness_job_queued_;
  std::deque<Job> jobs_;
  bool busy_ = false;
  Work busy_work_;
  std::vector<PendingResponse> pending_responses_;
  bool announce_pending_ = false;
  SimTime fence_check_at_ = kNever;
};

}  // namespace kafkasim
