// The classic group protocol on the coordinator side, driven step by step: joins and the initial delay,
// generations, SyncGroup, heartbeats, session and rebalance timeouts, LeaveGroup, static membership and commit
// fencing.
#include "group/group_coordinator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "group/group_record_store.h"
#include "metrics/event_log.h"

namespace kafkasim {
namespace {

class GroupCoordinatorTest : public ::testing::Test {
 protected:
  GroupCoordinatorTest() : events_(&event_text_), gc_(GroupCoordinatorConfig{}, 7, 0, {"orders"}, &events_) {}

  JoinGroupRequest join_request(const std::string& client, const std::string& member_id = "",
                                const std::string& instance = "") {
    JoinGroupRequest r;
    r.request_id = next_request_++;
    r.group_id = "g";
    r.member_id = member_id;
    r.group_instance_id = instance;
    r.client_id = client;
    r.session_timeout_s = 10;
    r.rebalance_timeout_s = 30;
    r.protocols = {"range"};
    r.subscription.topics = {0};
    return r;
  }
  void join(NodeId node, const JoinGroupRequest& r) { gc_.join_group(now_, node, r, out_); }
  void sync(NodeId node, const std::string& member, int32_t generation,
            std::vector<std::pair<std::string, std::vector<TopicPartition>>> assignments = {},
            const std::string& instance = "") {
    SyncGroupRequest r{next_request_++, "g", generation, member, instance, std::move(assignments)};
    gc_.sync_group(now_, node, r, out_);
  }
  ErrorCode heartbeat(const std::string& member, int32_t generation, const std::string& instance = "") {
    gc_.heartbeat(now_, NodeId{99}, HeartbeatRequest{next_request_++, "g", generation, member, instance}, out_);
    auto resp = take<HeartbeatResponse>();
    EXPECT_EQ(resp.size(), 1u);
    return resp.empty() ? ErrorCode::none : resp.front().second.error;
  }
  // Moves the clock to t, waking the coordinator at each deadline on the way.
  void advance(SimTime t) {
    while (gc_.next_deadline() <= t) {
      now_ = std::max(now_, gc_.next_deadline());
      gc_.on_deadline(now_, out_);
    }
    now_ = t;
  }
  template <typename T>
  std::vector<std::pair<NodeId, T>> take() {
    std::vector<std::pair<NodeId, T>> found;
    for (auto it = out_.begin(); it != out_.end();) {
      if (auto* m = std::get_if<T>(&it->second)) {
        found.emplace_back(it->first, *m);
        it = out_.erase(it);
      } else {
        ++it;
      }
    }
    return found;
  }
  const ConsumerGroup& group() const { return gc_.groups().at("g"); }
  int count(const std::string& type) const {
    std::istringstream in(event_text_.str());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) n += line.find("\"type\":\"" + type + "\"") != std::string::npos;
    return n;
  }

  // Two members join an empty group and settle generation 1: a (the leader) gets partitions 0-1, b 2.
  std::pair<std::string, std::string> settle_two() {
    join(NodeId{1}, join_request("a"));
    join(NodeId{2}, join_request("b"));
    advance(6.0);  // b joined during the initial delay: one more delay
    auto joins = take<JoinGroupResponse>();
    EXPECT_EQ(joins.size(), 2u);
    std::string a = joins[0].first == NodeId{1} ? joins[0].second.member_id : joins[1].second.member_id;
    std::string b = joins[0].first == NodeId{2} ? joins[0].second.member_id : joins[1].second.member_id;
    sync(NodeId{2}, b, 1);
    sync(NodeId{1}, a, 1, {{a, {{0, 0}, {0, 1}}}, {b, {{0, 2}}}});
    EXPECT_EQ(take<SyncGroupResponse>().size(), 2u);
    return {a, b};
  }

  std::ostringstream event_text_;
  EventLog events_;
  GroupCoordinator gc_;
  GroupCoordinator::Outbox out_;
  SimTime now_ = 0;
  int64_t next_request_ = 1;
};

TEST_F(GroupCoordinatorTest, FirstJoinWaitsForTheInitialRebalanceDelay) {
  join(NodeId{1}, join_request("a"));
  EXPECT_TRUE(out_.empty());
  EXPECT_EQ(group().state, GroupState::preparing_rebalance);
  EXPECT_DOUBLE_EQ(gc_.next_deadline(), 3.0);
  advance(2.9);
  EXPECT_TRUE(out_.empty());
  advance(3.0);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.error, ErrorCode::none);
  EXPECT_EQ(joins[0].second.generation, 1);
  EXPECT_EQ(joins[0].second.leader, joins[0].second.member_id);
  EXPECT_EQ(joins[0].second.protocol, "range");
  EXPECT_EQ(joins[0].second.member_id.rfind("a-", 0), 0u) << "member ids are client id + '-' + uuid";
  EXPECT_EQ(group().state, GroupState::completing_rebalance);
}

TEST_F(GroupCoordinatorTest, InitialDelayIsExtendedWhileMembersArriveButNotBeyondTheRebalanceTimeout) {
  join(NodeId{1}, join_request("a"));
  advance(2.0);
  join(NodeId{2}, join_request("b"));
  advance(3.0);  // a new member came during the delay: wait another delay
  EXPECT_TRUE(take<JoinGroupResponse>().empty());
  advance(6.0);
  EXPECT_EQ(take<JoinGroupResponse>().size(), 2u);
}

TEST_F(GroupCoordinatorTest, LeaderGetsTheMembersFollowersDoNotAndSyncDistributesTheLeadersAssignment) {
  join(NodeId{1}, join_request("a"));
  join(NodeId{2}, join_request("b"));
  advance(3.0);
  EXPECT_TRUE(take<JoinGroupResponse>().empty()) << "b joined during the initial delay: it is extended";
  advance(6.0);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 2u);
  const JoinGroupResponse& ra = joins[0].first == NodeId{1} ? joins[0].second : joins[1].second;
  const JoinGroupResponse& rb = joins[0].first == NodeId{2} ? joins[0].second : joins[1].second;
  EXPECT_EQ(ra.leader, ra.member_id) << "the first joiner leads";
  EXPECT_EQ(ra.members.size(), 2u);
  EXPECT_TRUE(rb.members.empty());
  sync(NodeId{2}, rb.member_id, 1);
  EXPECT_TRUE(take<SyncGroupResponse>().empty()) << "followers wait for the leader's assignment";
  sync(NodeId{1}, ra.member_id, 1, {{ra.member_id, {{0, 0}}}, {rb.member_id, {{0, 1}, {0, 2}}}});
  auto syncs = take<SyncGroupResponse>();
  ASSERT_EQ(syncs.size(), 2u);
  for (const auto& [node, resp] : syncs) {
    EXPECT_EQ(resp.error, ErrorCode::none);
    EXPECT_EQ(resp.assignment.size(), node == NodeId{1} ? 1u : 2u);
  }
  EXPECT_EQ(group().state, GroupState::stable);
  EXPECT_EQ(gc_.totals().at("g").rebalances, 1);
  EXPECT_EQ(count("rebalance_completed"), 1);
  EXPECT_EQ(count("member_joined"), 2);
}

TEST_F(GroupCoordinatorTest, HeartbeatErrors) {
  auto [a, b] = settle_two();
  EXPECT_EQ(heartbeat(a, 1), ErrorCode::none);
  EXPECT_EQ(heartbeat(a, 0), ErrorCode::illegal_generation);
  EXPECT_EQ(heartbeat("nobody", 1), ErrorCode::unknown_member_id);
  join(NodeId{3}, join_request("c"));  // a new member: rebalance
  EXPECT_EQ(group().state, GroupState::preparing_rebalance);
  EXPECT_EQ(heartbeat(a, 1), ErrorCode::rebalance_in_progress);
  EXPECT_EQ(heartbeat(b, 1), ErrorCode::rebalance_in_progress);
}

TEST_F(GroupCoordinatorTest, RebalanceCompletesWhenEveryKnownMemberHasRejoined) {
  auto [a, b] = settle_two();
  now_ = 8;
  join(NodeId{3}, join_request("c"));
  join(NodeId{1}, join_request("a", a));
  EXPECT_TRUE(take<JoinGroupResponse>().empty()) << "b has not rejoined yet";
  join(NodeId{2}, join_request("b", b));
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 3u);
  for (const auto& [node, resp] : joins) EXPECT_EQ(resp.generation, 2);
  EXPECT_EQ(group().leader, a) << "the leader stays while it is a member";
  EXPECT_EQ(count("rebalance_started"), 2);
}

TEST_F(GroupCoordinatorTest, SessionTimeoutRemovesTheMemberAndRebalances) {
  auto [a, b] = settle_two();
  for (SimTime t = 9; t <= 15; t += 3) {
    advance(t);
    EXPECT_EQ(heartbeat(a, 1), ErrorCode::none);
  }
  EXPECT_TRUE(group().members.count(b));
  advance(16.01);  // b's last sign of life was its SyncGroup at 6 s; session 10 s
  EXPECT_FALSE(group().members.count(b));
  EXPECT_EQ(group().state, GroupState::preparing_rebalance);
  EXPECT_NE(event_text_.str().find("\"reason\":\"session_timeout\""), std::string::npos);
  EXPECT_EQ(heartbeat(a, 1), ErrorCode::rebalance_in_progress);
  join(NodeId{1}, join_request("a", a));
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.generation, 2);
}

TEST_F(GroupCoordinatorTest, MembersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved) {
  auto [a, b] = settle_two();
  now_ = 7;
  join(NodeId{1}, join_request("a", a));  // the leader rejoins: rebalance, b must rejoin within 30 s
  for (SimTime t = 9; t < 37; t += 3) {
    advance(t);
    EXPECT_EQ(heartbeat(b, 1), ErrorCode::rebalance_in_progress);  // b is alive but never rejoins
  }
  EXPECT_TRUE(take<JoinGroupResponse>().empty());
  advance(37.0);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.generation, 2);
  EXPECT_FALSE(group().members.count(b));
  EXPECT_NE(event_text_.str().find("\"reason\":\"rebalance_timeout\""), std::string::npos);
}

TEST_F(GroupCoordinatorTest, LeaveGroupRebalancesAndAnotherMemberLeads) {
  auto [a, b] = settle_two();
  gc_.leave_group(now_, NodeId{1}, LeaveGroupRequest{50, "g", a, "", "max_poll_interval"}, out_);
  auto leaves = take<LeaveGroupResponse>();
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0].second.error, ErrorCode::none);
  EXPECT_EQ(group().state, GroupState::preparing_rebalance);
  EXPECT_EQ(group().leader, b);
  EXPECT_NE(event_text_.str().find("\"reason\":\"max_poll_interval\""), std::string::npos);
  join(NodeId{2}, join_request("b", b));
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.leader, b);
  EXPECT_EQ(joins[0].second.members.size(), 1u);
}

TEST_F(GroupCoordinatorTest, OffsetCommitsAreFencedByGenerationAndMembership) {
  OffsetCommitRequest manual{1, "g", {{{0, 0}, 5}}, -1, "", ""};
  EXPECT_EQ(gc_.validate_offset_commit(manual), ErrorCode::none) << "manual assignment on an empty group";
  auto [a, b] = settle_two();
  EXPECT_EQ(gc_.validate_offset_commit(manual), ErrorCode::unknown_member_id);
  EXPECT_EQ(gc_.validate_offset_commit({1, "g", {{{0, 0}, 5}}, 1, a, ""}), ErrorCode::none);
  EXPECT_EQ(gc_.validate_offset_commit({1, "g", {{{0, 0}, 5}}, 0, a, ""}), ErrorCode::illegal_generation);
  gc_.leave_group(now_, NodeId{2}, LeaveGroupRequest{51, "g", b, "", ""}, out_);
  // The member that left (e.g. after overrunning max.poll.interval.ms) commits late: refused.
  EXPECT_EQ(gc_.validate_offset_commit({1, "g", {{{0, 2}, 9}}, 1, b, ""}), ErrorCode::unknown_member_id);
  // During PreparingRebalance the current generation may still commit (eager revocation commits).
  EXPECT_EQ(gc_.validate_offset_commit({1, "g", {{{0, 0}, 7}}, 1, a, ""}), ErrorCode::none);
  gc_.store_offsets("g", {{{0, 0}, 7}});
  EXPECT_EQ(gc_.committed_offset("g", {0, 0}), 7);
  EXPECT_EQ(gc_.committed_offset("g", {0, 1}), -1);
}

TEST_F(GroupCoordinatorTest, StaticMemberRestartGetsItsAssignmentBackWithoutRebalance) {
  join(NodeId{1}, join_request("a", "", "instance-a"));
  join(NodeId{2}, join_request("b", "", "instance-b"));
  advance(6.0);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 2u);
  std::string a = joins[0].first == NodeId{1} ? joins[0].second.member_id : joins[1].second.member_id;
  std::string b = joins[0].first == NodeId{2} ? joins[0].second.member_id : joins[1].second.member_id;
  sync(NodeId{2}, b, 1, {}, "instance-b");
  sync(NodeId{1}, a, 1, {{a, {{0, 0}}}, {b, {{0, 1}, {0, 2}}}}, "instance-a");
  take<SyncGroupResponse>();
  const int started = count("rebalance_started");

  // b restarts (a new process, no member id) within its session timeout.
  now_ = 8;
  join(NodeId{3}, join_request("b", "", "instance-b"));
  joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  const JoinGroupResponse& rejoined = joins[0].second;
  EXPECT_EQ(rejoined.error, ErrorCode::none);
  EXPECT_NE(rejoined.member_id, b);
  EXPECT_EQ(rejoined.generation, 1);
  EXPECT_TRUE(rejoined.skip_assignment);
  EXPECT_EQ(group().state, GroupState::stable);
  EXPECT_EQ(count("rebalance_started"), started);
  sync(NodeId{3}, rejoined.member_id, 1, {}, "instance-b");
  auto syncs = take<SyncGroupResponse>();
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_EQ(syncs[0].second.assignment, (std::vector<TopicPartition>{{0, 1}, {0, 2}}));
  // The old incarnation is fenced.
  EXPECT_EQ(heartbeat(b, 1, "instance-b"), ErrorCode::fenced_instance_id);
  EXPECT_EQ(gc_.validate_offset_commit({1, "g", {{{0, 1}, 3}}, 1, b, "instance-b"}), ErrorCode::fenced_instance_id);
  EXPECT_NE(event_text_.str().find("\"reason\":\"static_replaced\""), std::string::npos);
}

TEST_F(GroupCoordinatorTest, StaticMemberIsStillRemovedAfterItsSessionTimeout) {
  join(NodeId{1}, join_request("a", "", "instance-a"));
  join(NodeId{2}, join_request("b", "", "instance-b"));
  advance(6.0);
  auto joins = take<JoinGroupResponse>();
  std::string a = joins[0].first == NodeId{1} ? joins[0].second.member_id : joins[1].second.member_id;
  std::string b = joins[0].first == NodeId{2} ? joins[0].second.member_id : joins[1].second.member_id;
  sync(NodeId{2}, b, 1, {}, "instance-b");
  sync(NodeId{1}, a, 1, {{a, {{0, 0}}}, {b, {{0, 1}}}}, "instance-a");
  for (SimTime t = 9; t <= 15; t += 3) {
    advance(t);
    heartbeat(a, 1, "instance-a");
  }
  EXPECT_TRUE(group().members.count(b));
  advance(16.5);
  EXPECT_FALSE(group().members.count(b));
  EXPECT_FALSE(group().static_members.count("instance-b"));
  EXPECT_EQ(group().state, GroupState::preparing_rebalance);
}

TEST_F(GroupCoordinatorTest, SessionTimeoutOutsideTheBrokersBoundsIsRefused) {
  JoinGroupRequest r = join_request("a");
  r.session_timeout_s = 1;  // group.min.session.timeout.ms is 6 s
  join(NodeId{1}, r);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.error, ErrorCode::invalid_session_timeout);
}

TEST_F(GroupCoordinatorTest, MembersWithoutACommonProtocolAreRefused) {
  settle_two();
  JoinGroupRequest r = join_request("c");
  r.protocols = {"roundrobin"};
  join(NodeId{3}, r);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.error, ErrorCode::inconsistent_group_protocol);
  EXPECT_EQ(group().state, GroupState::stable);
}

TEST_F(GroupCoordinatorTest, RebalancingTimeIsCountedFromLeavingStableToStable) {
  auto [a, b] = settle_two();
  EXPECT_DOUBLE_EQ(gc_.totals().at("g").rebalancing_s, 6.0);  // from the first join at 0 to the leader's sync at 6
  now_ = 10;
  gc_.leave_group(now_, NodeId{2}, LeaveGroupRequest{60, "g", b, "", ""}, out_);
  now_ = 12;
  join(NodeId{1}, join_request("a", a));
  take<JoinGroupResponse>();
  now_ = 12.5;
  sync(NodeId{1}, a, 2, {{a, {{0, 0}, {0, 1}, {0, 2}}}});
  EXPECT_EQ(group().state, GroupState::stable);
  EXPECT_DOUBLE_EQ(gc_.totals().at("g").rebalancing_s, 8.5);
  EXPECT_EQ(gc_.totals().at("g").rebalances, 2);
}

// Coordinator fail-over: what one coordinator persists, another loads, and members go on without a rebalance.
TEST_F(GroupCoordinatorTest, AGenerationCompletedBySyncIsMarkedForPersistenceOnce) {
  EXPECT_TRUE(gc_.take_changed().empty());
  settle_two();
  EXPECT_EQ(gc_.take_changed(), std::vector<std::string>{"g"});
  EXPECT_TRUE(gc_.take_changed().empty());
}

TEST_F(GroupCoordinatorTest, ALoadedGroupKeepsItsMembersGenerationAndOffsetsOnTheNewCoordinator) {
  auto [a, b] = settle_two();
  gc_.store_offsets("g", {{{0, 0}, 40}, {{0, 2}, 7}});
  GroupRecordStore store;
  const int64_t snapshot = store.add_metadata(group());
  const int64_t commit = store.add_offsets("g", {{{0, 0}, 42}});

  std::ostringstream other_events;
  EventLog other_log(&other_events);
  GroupCoordinator other(GroupCoordinatorConfig{}, 7, 1, {"orders"}, &other_log);
  ConsumerGroup loaded = *store.at(snapshot).metadata;
  EXPECT_TRUE(loaded.committed_offsets.empty()) << "offsets have records of their own";
  loaded.committed_offsets = {{{0, 0}, 42}};
  EXPECT_EQ(store.at(commit).offsets.front().second, 42);
  now_ = 20;
  other.load_group(now_, loaded);
  const ConsumerGroup& g = other.groups().at("g");
  EXPECT_EQ(g.state, GroupState::stable);
  EXPECT_EQ(g.generation, 1);
  EXPECT_EQ(g.members.size(), 2u);
  EXPECT_EQ(g.members.at(a).assignment.size(), 2u);
  EXPECT_EQ(other.committed_offset("g", {0, 0}), 42);
  // Members heartbeat to the new coordinator with their old ids: accepted, no rebalance.
  GroupCoordinator::Outbox out;
  other.heartbeat(25.0, NodeId{1}, HeartbeatRequest{100, "g", 1, a, ""}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<HeartbeatResponse>(out[0].second).error, ErrorCode::none);
  // Each loaded member has a full session to find the new coordinator; b never does and is removed.
  EXPECT_DOUBLE_EQ(other.next_deadline(), 30.0);
  out.clear();
  other.on_deadline(30.0, out);
  EXPECT_EQ(other.groups().at("g").state, GroupState::preparing_rebalance);
  EXPECT_EQ(other.groups().at("g").members.count(b), 0u);
}

TEST_F(GroupCoordinatorTest, UnloadingAnswersWaitingJoinsWithNotCoordinatorAndForgetsTheGroup) {
  auto [a, b] = settle_two();
  join(NodeId{1}, join_request("a", a));  // a rejoins: the group waits for b
  ASSERT_EQ(group().state, GroupState::preparing_rebalance);
  gc_.unload_groups(now_, [](const std::string& id) { return id == "g"; }, &out_);
  auto joins = take<JoinGroupResponse>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].second.error, ErrorCode::not_coordinator);
  EXPECT_TRUE(gc_.groups().empty());
  EXPECT_EQ(gc_.next_deadline(), kNever);
  EXPECT_EQ(gc_.totals().at("g").rebalances, 1) << "run totals outlive the coordinator";
  EXPECT_EQ(count("group_unloaded"), 1);
}

TEST(GroupRecordStore, KeepsOnlyTheLastSnapshotsOfAGroup) {
  GroupRecordStore store;
  ConsumerGroup g;
  g.group_id = "g";
  std::vector<int64_t> ids;
  for (int i = 0; i < 10; ++i) {
    g.generation = i;
    ids.push_back(store.add_metadata(g));
  }
  EXPECT_EQ(store.at(ids[0]).metadata, nullptr);
  EXPECT_EQ(store.at(ids[1]).metadata, nullptr);
  EXPECT_TRUE(store.at(ids[0]).is_metadata);
  ASSERT_NE(store.at(ids[2]).metadata, nullptr);
  EXPECT_EQ(store.at(ids[9]).metadata->generation, 9);
}

}  // namespace
}  // namespace kafkasim
