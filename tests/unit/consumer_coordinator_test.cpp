// The consumer side of the group protocol driven by hand: FindCoordinator, JoinGroup, the leader's assignment,
// SyncGroup applied in poll(), heartbeats, and KIP-62's poll timeout (LeaveGroup, then a failing late commit).
#include "client/consumer_coordinator.h"

#include <gtest/gtest.h>

#include "scenario/scenario_loader.h"
#include "support/fake_node_context.h"

namespace kafkasim {
namespace {

using testing::FakeNodeContext;

class FakeHost : public ConsumerCoordinator::Host {
 public:
  bool revoke_partitions(NodeContext&, const std::vector<TopicPartition>& tps, bool lost) override {
    for (TopicPartition tp : tps) std::erase(owned, tp);
    (lost ? lost_calls : revoke_calls)++;
    return false;
  }
  void assign_partitions(NodeContext&, const std::vector<TopicPartition>& tps) override {
    owned.insert(owned.end(), tps.begin(), tps.end());
  }
  std::vector<TopicPartition> owned_partitions() const override { return owned; }
  bool in_poll(SimTime) const override { return polling; }
  uint64_t next_request_id() override { return next_id++; }

  std::vector<TopicPartition> owned;
  bool polling = true;
  int revoke_calls = 0, lost_calls = 0;
  uint64_t next_id = 1;
};

class ConsumerCoordinatorTest : public ::testing::Test {
 protected:
  ConsumerCoordinatorTest() : scenario_(load()), metadata_(scenario_, {NodeId{0}, NodeId{1}, NodeId{2}}) {}

  static Scenario load() {
    LoadResult r = load_scenario_file(std::string(KAFKASIM_SOURCE_DIR) + "/scenarios/quickstart.json");
    EXPECT_TRUE(r.ok());
    return *r.scenario;  // one topic "orders" with 6 partitions
  }
  std::unique_ptr<ConsumerCoordinator> make(std::vector<std::string> strategies = {"range"}) {
    ConsumerCoordinatorConfig c;
    c.group_id = "g";
    c.client_id = "c0";
    c.session_timeout_s = 10;
    c.heartbeat_interval_s = 3;
    c.max_poll_interval_s = 5;
    c.strategies = std::move(strategies);
    c.topics = {0};
    return std::make_unique<ConsumerCoordinator>(c, metadata_, host_);
  }
  // Takes the coordinator through FindCoordinator, JoinGroup as the only member (so the leader) and SyncGroup.
  void join_alone(ConsumerCoordinator& cc) {
    cc.start(ctx_);
    EXPECT_FALSE(cc.poll(ctx_));
    auto finds = ctx_.take<FindCoordinatorRequest>();
    ASSERT_EQ(finds.size(), 1u);
    cc.on_message(ctx_, FindCoordinatorResponse{finds[0].second.request_id, ErrorCode::none, 1});
    EXPECT_FALSE(cc.poll(ctx_));
    auto joins = ctx_.take<JoinGroupRequest>();
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, NodeId{1}) << "JoinGroup goes to the coordinator";
    EXPECT_DOUBLE_EQ(joins[0].second.rebalance_timeout_s, 5) << "the rebalance timeout is max.poll.interval.ms";
    JoinGroupResponse jr;
    jr.request_id = joins[0].second.request_id;
    jr.generation = 1;
    jr.protocol = "range";
    jr.leader = jr.member_id = "c0-1";
    jr.members = {{"c0-1", "", joins[0].second.subscription}};
    cc.on_message(ctx_, jr);
    auto syncs = ctx_.take<SyncGroupRequest>();
    ASSERT_EQ(syncs.size(), 1u);
    ASSERT_EQ(syncs[0].second.assignments.size(), 1u) << "the leader ran the assignor";
    EXPECT_EQ(syncs[0].second.assignments[0].second.size(), 6u);
    cc.on_message(ctx_, SyncGroupResponse{syncs[0].second.request_id, ErrorCode::none,
                                          syncs[0].second.assignments[0].second});
    EXPECT_TRUE(host_.owned.empty()) << "the assignment is applied inside poll()";
    EXPECT_TRUE(cc.poll(ctx_));
    EXPECT_EQ(host_.owned.size(), 6u);
    EXPECT_EQ(cc.state(), ConsumerCoordinator::MemberState::stable);
  }
  void fire_timers(ConsumerCoordinator& cc, SimTime until) {
    for (;;) {
      std::optional<size_t> due;
      for (size_t i = 0; i < ctx_.timers.size(); ++i)
        if (ctx_.timers[i].first <= until && (!due || ctx_.timers[i].first < ctx_.timers[*due].first)) due = i;
      if (!due) break;
      auto [at, token] = ctx_.timers[*due];
      ctx_.timers.erase(ctx_.timers.begin() + static_cast<std::ptrdiff_t>(*due));
      ctx_.advance_to(std::max(ctx_.now(), at));
      cc.on_timer(ctx_, token);
    }
    ctx_.advance_to(until);
  }

  Scenario scenario_;
  ClusterMetadata metadata_;
  FakeHost host_;
  FakeNodeContext ctx_{NodeId{10}};
};

TEST_F(ConsumerCoordinatorTest, JoinsAsLeaderAssignsAndHeartbeatsWhileProcessing) {
  auto cc = make();
  join_alone(*cc);
  host_.polling = false;  // the application processes a batch; the heartbeat thread goes on
  fire_timers(*cc, 4.0);
  auto beats = ctx_.take<HeartbeatRequest>();
  ASSERT_EQ(beats.size(), 1u);
  EXPECT_EQ(beats[0].second.generation, 1);
  EXPECT_EQ(beats[0].second.member_id, "c0-1");
  ConsumerCoordinator::CommitIdentity id = cc->commit_identity();
  EXPECT_EQ(id.error, ErrorCode::none);
  EXPECT_EQ(id.generation, 1);
}

TEST_F(ConsumerCoordinatorTest, PollTimeoutLeavesTheGroupAndTheLateCommitFails) {
  auto cc = make();
  join_alone(*cc);
  host_.polling = false;
  fire_timers(*cc, 4.9);
  EXPECT_TRUE(ctx_.take<LeaveGroupRequest>().empty());
  fire_timers(*cc, 5.1);  // more than max.poll.interval.ms (5 s) since the last poll
  auto leaves = ctx_.take<LeaveGroupRequest>();
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].second.member_id, "c0-1");
  EXPECT_EQ(leaves[0].second.reason, "max_poll_interval");
  EXPECT_EQ(cc->commit_identity().error, ErrorCode::commit_failed) << "CommitFailedException, no request";
  // The next poll gives up the partitions without committing (onPartitionsLost) and rejoins as a new member.
  host_.polling = true;
  ctx_.advance_to(6.0);
  EXPECT_FALSE(cc->poll(ctx_));
  EXPECT_EQ(host_.lost_calls, 1);
  EXPECT_TRUE(host_.owned.empty());
  auto joins = ctx_.take<JoinGroupRequest>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.member_id, "");
}

TEST_F(ConsumerCoordinatorTest, StaticMemberSendsNoLeaveGroupOnPollTimeout) {
  ConsumerCoordinatorConfig c;
  c.group_id = "g";
  c.group_instance_id = "instance-0";
  c.client_id = "c0";
  c.max_poll_interval_s = 5;
  c.strategies = {"range"};
  c.topics = {0};
  ConsumerCoordinator cc(c, metadata_, host_);
  join_alone(cc);
  host_.polling = false;
  fire_timers(cc, 6.0);
  EXPECT_TRUE(ctx_.take<LeaveGroupRequest>().empty());
  EXPECT_EQ(cc.commit_identity().error, ErrorCode::commit_failed);
}

TEST_F(ConsumerCoordinatorTest, RebalanceInProgressMakesAnEagerMemberRevokeEverythingInItsNextPoll) {
  auto cc = make();
  join_alone(*cc);
  fire_timers(*cc, 3.5);
  auto beats = ctx_.take<HeartbeatRequest>();
  ASSERT_EQ(beats.size(), 1u);
  cc->on_message(ctx_, HeartbeatResponse{beats[0].second.request_id, ErrorCode::rebalance_in_progress});
  EXPECT_EQ(cc->commit_identity().error, ErrorCode::none) << "still in its generation until it rejoins";
  EXPECT_FALSE(cc->poll(ctx_));
  EXPECT_EQ(host_.revoke_calls, 1);
  EXPECT_TRUE(host_.owned.empty());
  auto joins = ctx_.take<JoinGroupRequest>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.member_id, "c0-1");
  EXPECT_EQ(joins[0].second.subscription.generation, 1);
}

TEST_F(ConsumerCoordinatorTest, CooperativeMemberKeepsItsPartitionsAndConsumesDuringTheRebalance) {
  auto cc = make({"cooperative-sticky"});
  join_alone(*cc);
  fire_timers(*cc, 3.5);
  auto beats = ctx_.take<HeartbeatRequest>();
  ASSERT_EQ(beats.size(), 1u);
  cc->on_message(ctx_, HeartbeatResponse{beats[0].second.request_id, ErrorCode::rebalance_in_progress});
  EXPECT_TRUE(cc->poll(ctx_)) << "KIP-429: records keep coming from the partitions it owns";
  EXPECT_EQ(host_.revoke_calls, 0);
  auto joins = ctx_.take<JoinGroupRequest>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.subscription.owned_partitions.size(), 6u);
}

}  // namespace
}  // namespace kafkasim
