// A ZooKeeper server of the ensemble Kafka uses in ZooKeeper mode, reduced to what Kafka relies on.
//
// Leader election (a reduced FastLeaderElection): a server without a leader sends its notice (epoch, last
// zxid) to all and collects theirs for kElectionDelay_s (ZooKeeper's finalizeWait, 200 ms). If a leader is
// already established it joins it; otherwise, with a majority looking, the one with the most recent history
// leads (lowest index on ties, so the warm-start server 0 leads again when all are equal; ZooKeeper itself
// prefers the highest id). The new leader starts epoch + 1 with a new_epoch transaction; it serves once a
// majority logged that (Zab's NEWLEADER).
//
// Writes (Zab): the leader logs a transaction, sends a ZkProposal to every follower, and commits it once a
// majority (itself included) logged it; followers apply committed transactions to their copy of the data, so
// committed state survives a change of leader. Every tickTime/2 the leader heartbeats its followers (a
// follower behind or diverged is resent what it lacks, after a truncation if needed). A follower that hears
// nothing from its leader for syncLimit ticks, or a leader that hears from no majority for as long, looks for
// a new leader.
//
// Sessions: clients ping the leader (followers answer not_coordinator with the leader's id). The leader
// expires a session zookeeper.session.timeout.ms after its last ping, rounded up to the next tick as
// ZooKeeper's ExpiryQueue does, by committing a close_session (which deletes its ephemeral znodes and fires the
// watches: every session watches /controller; the controller's session watches /brokers/ids/*). Without a
// majority nothing commits, so no session expires; a new leader gives every session a fresh timeout.
// Log and committed data are durable (ZooKeeper fsyncs its transaction log).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "controller/control_plane_config.h"
#include "controller/control_plane_wiring.h"
#include "controller/timer_slots.h"
#include "controller/zookeeper_data.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

class ZooKeeperServer : public Node {
 public:
  static constexpr SimTime kTick_s = 2.0;             // tickTime
  static constexpr int kSyncLimitTicks = 2;           // syncLimit, as in Kafka's documented zookeeper.properties
  static constexpr SimTime kElectionDelay_s = 0.2;    // FastLeaderElection's finalizeWait
  static constexpr SimTime kMaxNoticeInterval_s = 2.0;  // election rounds back off up to this

  ZooKeeperServer(int32_t index, const ControlPlaneWiring& wiring, const Scenario& scenario);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_crash(NodeContext& ctx, bool power_loss) override;

  enum class Role { looking, following, leading };
  int32_t index() const { return index_; }
  Role role() const { return role_; }
  bool serving() const { return up_ && role_ == Role::leading && established_; }
  int32_t leader_index() const { return leader_; }
  int32_t epoch() const { return accepted_epoch_; }
  int64_t last_zxid() const;
  int64_t committed_zxid() const { return committed_zxid_; }
  const ZkData& data() const { return data_; }

 private:
  enum TimerKind { kElection, kLeaderTimeout, kHeartbeat, kSessionTick };
  // A client request answered once the transaction at its zxid commits.
  struct PendingReply {
    enum class Kind { pong, create, write } kind = Kind::pong;
    NodeId to;
    int64_t request_id = 0;
    int64_t session = -1;
    std::string path;
  };

  void handle(NodeContext& ctx, NodeId from, ZkElectionNotice& n);
  void handle(NodeContext& ctx, NodeId from, ZkProposal& p);
  void handle(NodeContext& ctx, NodeId from, ZkProposalAck& a);
  void handle(NodeContext& ctx, NodeId from, ZkPing& r);
  void handle(NodeContext& ctx, NodeId from, ZkCreateEphemeral& r);
  void handle(NodeContext& ctx, NodeId from, ZkWriteRequest& r);
  void handle(NodeContext& ctx, NodeId from, ZkReadRequest& r);
  template <typename T>
  void handle(NodeContext&, NodeId, T&) {}

  int32_t majority() const { return static_cast<int32_t>(wiring_.quorum.size()) / 2 + 1; }
  int32_t server_index(NodeId node) const;
  NodeId leader_node() const;

  // Election.
  void start_looking(NodeContext& ctx);
  void send_notice(NodeContext& ctx, NodeId to);
  void broadcast_notice(NodeContext& ctx);
  void decide(NodeContext& ctx);
  void follow(NodeContext& ctx, int32_t leader, int32_t epoch);
  void lead(NodeContext& ctx, int32_t epoch);
  void leave_leadership();

  // Replication.
  int64_t propose(NodeContext& ctx, ZkTxn txn);
  void send_sync(NodeContext& ctx, int32_t follower, int64_t follower_zxid);
  void send_heartbeats(NodeContext& ctx);
  void maybe_commit(NodeContext& ctx);
  void apply_committed(NodeContext& ctx, int64_t upto, bool as_leader);
  void truncate_after(int64_t zxid);

  // Sessions.
  void touch(NodeContext& ctx, int64_t session);
  void on_established(NodeContext& ctx);
  void expire_sessions(NodeContext& ctx);
  void reply(NodeContext& ctx, const PendingReply& r);
  // Answers a client request a server that is not the serving leader cannot serve.
  bool redirect(NodeContext& ctx, NodeId from, const MessageBody& request);

  const int32_t index_;
  const ControlPlaneWiring wiring_;  // a copy: the driver's may not outlive the node
  const ControlPlaneConfig config_;
  TimerSlots timers_;

  // Durable.
  int32_t accepted_epoch_ = 1;
  int32_t accepted_leader_ = 0;  // the leader this server accepted for accepted_epoch_
  std::vector<ZkTxn> log_;  // after the start's snapshot
  ZkData data_;             // committed transactions applied
  int64_t committed_zxid_;
  bool started_before_ = false;

  // Volatile.
  bool up_ = false;
  Role role_ = Role::looking;
  int32_t leader_ = -1;
  // Election.
  std::map<int32_t, ZkElectionNotice> notices_;  // this round's, by server
  std::set<int32_t> answered_;                   // looking servers we sent our notice to this round
  SimTime notice_interval_ = kElectionDelay_s;
  int32_t awaiting_leader_ = -1;
  // Leader.
  bool established_ = false;
  int64_t next_counter_ = 0;
  std::vector<int64_t> follower_zxid_;  // per server, -1 unknown
  std::vector<SimTime> follower_ack_at_;
  std::map<int64_t, std::vector<PendingReply>> replies_;  // by zxid
  std::map<int64_t, int64_t> session_expiry_ms_;          // session -> expiry bucket
  std::set<int64_t> closing_;
  std::map<int64_t, int64_t> opening_;                   // session -> zxid of its create_session
  std::map<std::string, std::pair<int64_t, int64_t>> creating_;  // path -> (session, zxid)
};

}  // namespace kafkasim
