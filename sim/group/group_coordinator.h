// The broker side of the classic consumer group protocol (Kafka's GroupCoordinator / ClassicGroup), as a plain
// state machine: one per broker, holding every group whose __consumer_offsets partition that broker leads.
// It answers JoinGroup, SyncGroup, Heartbeat, LeaveGroup and OffsetCommit validation; the broker feeds it
// requests and the clock (next_deadline / on_deadline) and sends what it puts in the outbox.
//
// What is modelled: states Empty / PreparingRebalance / CompletingRebalance / Stable / Dead, the initial
// rebalance delay of an empty group (group.initial.rebalance.delay.ms, extended while members keep arriving, up
// to the rebalance timeout), the rebalance timeout (the largest max.poll.interval.ms of the members), leader
// election as Kafka's ClassicGroup does (first joiner; when it leaves, the first member in java.util.HashMap
// order), removal after session.timeout.ms without heartbeats, LeaveGroup, static membership (KIP-345) and
// generation/member fencing of commits. Not modelled: the MEMBER_ID_REQUIRED round trip of new dynamic members
// (KIP-394; the member id is handed out on the first join) and the pending-sync timeout of Kafka 3.x.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/random.h"
#include "core/time.h"
#include "protocol/messages.h"

namespace kafkasim {

class EventLog;

enum class GroupState { empty, preparing_rebalance, completing_rebalance, stable, dead };
const char* group_state_name(GroupState state);  // Kafka's names: "Empty", "PreparingRebalance", ...

struct GroupCoordinatorConfig {
  SimTime initial_rebalance_delay_s = 3;  // group.initial.rebalance.delay.ms
  SimTime min_session_timeout_s = 6;      // group.min.session.timeout.ms
  SimTime max_session_timeout_s = 1800;   // group.max.session.timeout.ms
};

struct GroupMember {
  std::string member_id;
  std::string group_instance_id;  // empty: dynamic
  std::string client_id;
  NodeId node;                    // where responses go
  SimTime session_timeout_s = 45;
  SimTime rebalance_timeout_s = 300;
  std::vector<std::string> protocols;
  GroupSubscription subscription;
  std::vector<TopicPartition> assignment;  // as of the last completed SyncGroup
  std::optional<int64_t> pending_join;     // JoinGroup request id waiting for the join to complete
  std::optional<int64_t> pending_sync;
  SimTime session_deadline = kNever;
};

struct ConsumerGroup {
  std::string group_id;
  GroupState state = GroupState::empty;
  int32_t generation = 0;
  std::string protocol;
  std::string leader;                                   // member id, empty when none
  std::map<std::string, GroupMember> members;           // by member id
  std::vector<std::string> insertion_order;             // member ids as added (Java HashMap order needs it)
  std::map<std::string, std::string> static_members;    // group.instance.id -> member id
  std::map<TopicPartition, Offset> committed_offsets;
  // The rebalance under way.
  SimTime rebalance_deadline = kNever;
  bool initial_delay = false;       // waiting out group.initial.rebalance.delay.ms
  SimTime initial_delay_remaining_s = 0;
  bool new_member_added = false;
  SimTime rebalance_started_at = 0;
};

// Run-wide totals per group, kept across coordinator fail-overs: a statistic of the run, not Kafka state.
struct GroupTotals {
  int64_t rebalances = 0;    // completed joins (generations formed with members)
  double rebalancing_s = 0;  // time from leaving Stable (or Empty) to Stable again
};
using GroupTotalsMap = std::map<std::string, GroupTotals>;

class GroupCoordinator {
 public:
  using Outbox = std::vector<std::pair<NodeId, MessageBody>>;

  // topic_names: topic index -> name, for events. `events` may be null (tests that do not look).
  GroupCoordinator(GroupCoordinatorConfig config, uint64_t seed, int32_t broker_id,
                   std::vector<std::string> topic_names, EventLog* events);

  void join_group(SimTime now, NodeId from, const JoinGroupRequest& r, Outbox& out);
  void sync_group(SimTime now, NodeId from, const SyncGroupRequest& r, Outbox& out);
  void heartbeat(SimTime now, NodeId from, const HeartbeatRequest& r, Outbox& out);
  void leave_group(SimTime now, NodeId from, const LeaveGroupRequest& r, Outbox& out);
  // Kafka's validateOffsetCommit: none when the commit may be stored. Does not store it.
  ErrorCode validate_offset_commit(const OffsetCommitRequest& r) const;
  void store_offsets(const std::string& group_id, const std::vector<std::pair<TopicPartition, Offset>>& offsets);
  // -1 for a partition without a committed offset.
  Offset committed_offset(const std::string& group_id, TopicPartition tp) const;

  // The earliest time on_deadline has work (a session or a rebalance timing out), kNever if none.
  SimTime next_deadline() const;
  void on_deadline(SimTime now, Outbox& out);

  // Persistence in __consumer_offsets is the broker's: it appends a group record for each group whose
  // metadata Kafka stores (a generation completed by SyncGroup, a group left Empty), asking with take_changed,
  // and on becoming the leader of an offsets partition loads what its log holds with load_group.
  std::vector<std::string> take_changed();
  void load_group(SimTime now, ConsumerGroup group);
  // The broker lost the offsets partition of these groups (it became a follower or crashed): forget them,
  // answering waiting joins and syncs with NOT_COORDINATOR when `out` is given.
  void unload_groups(SimTime now, const std::function<bool(const std::string&)>& which, Outbox* out);
  void unload_all(SimTime now);
  // Where member_joined / rebalance events go (the broker's context; null: nowhere).
  void set_event_log(EventLog* events) { events_ = events; }

  // Every broker's coordinator adds to the same totals.
  void share_totals(std::shared_ptr<GroupTotalsMap> totals) { totals_ = std::move(totals); }
  const GroupTotalsMap& totals() const { return *totals_; }
  // Read-only view for observers (describe tables, summary): group id -> group.
  const std::map<std::string, ConsumerGroup>& groups() const { return groups_; }

 private:
  ConsumerGroup& group(const std::string& group_id);
  std::string new_member_id(const std::string& client_id);
  void add_member(SimTime now, ConsumerGroup& g, GroupMember m, const char* reason);
  void remove_member(SimTime now, ConsumerGroup& g, const std::string& member_id, const std::string& reason, Outbox& out);
  void prepare_rebalance(SimTime now, ConsumerGroup& g, const std::string& reason, Outbox& out);
  void maybe_complete_join(SimTime now, ConsumerGroup& g, Outbox& out);
  void complete_join(SimTime now, ConsumerGroup& g, Outbox& out);
  void complete_sync(SimTime now, ConsumerGroup& g, Outbox& out);
  void set_session_deadline(ConsumerGroup& g, GroupMember& m, SimTime deadline);
  void elect_leader(ConsumerGroup& g, bool among_joined);
  std::vector<std::string> hash_map_order(const ConsumerGroup& g) const;
  JoinGroupResponse join_response(const ConsumerGroup& g, const GroupMember& m, bool with_members) const;
  // Which error a request from (member_id, instance id, generation) gets, none when it may go on.
  ErrorCode check_member(const ConsumerGroup* g, const std::string& member_id, const std::string& instance_id) const;

  GroupCoordinatorConfig config_;
  int32_t broker_id_;
  Rng rng_;
  std::vector<std::string> topic_names_;
  EventLog* events_;
  std::map<std::string, ConsumerGroup> groups_;
  std::set<std::tuple<SimTime, std::string, std::string>> session_deadlines_;  // (deadline, group, member)
  std::set<std::string> changed_;  // groups with metadata to persist
  std::shared_ptr<GroupTotalsMap> totals_ = std::make_shared<GroupTotalsMap>();
};

}  // namespace kafkasim
