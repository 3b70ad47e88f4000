#include "client/consumer_coordinator.h"

#include <algorithm>
#include <map>

#include "group/assignor.h"
#include "metrics/event_log.h"

namespace kafkasim {
namespace {

bool contains(const std::vector<TopicPartition>& v, TopicPartition tp) {
  return std::find(v.begin(), v.end(), tp) != v.end();
}

}  // namespace

ConsumerCoordinator::ConsumerCoordinator(ConsumerCoordinatorConfig config, const ClusterMetadata& metadata, Host& host)
    : config_(std::move(config)), metadata_(metadata), host_(host) {
  // Kafka's ConsumerCoordinator picks the cooperative protocol only when every configured assignor supports it.
  cooperative_ = !config_.strategies.empty() &&
                 std::all_of(config_.strategies.begin(), config_.strategies.end(),
                             [](const std::string& s) { return s == "cooperative-sticky"; });
}

void ConsumerCoordinator::start(NodeContext& ctx) {
  running_ = true;
  coordinator_ = -1;
  find_in_flight_.reset();
  join_in_flight_.reset();
  sync_in_flight_.reset();
  heartbeat_in_flight_.reset();
  in_flight_deadline_ = kNever;
  retry_at_ = 0;
  state_ = MemberState::unjoined;
  rejoin_needed_ = true;
  member_id_.clear();
  generation_ = -1;
  protocol_.clear();
  lost_ = false;
  last_poll_ = ctx.now();
  last_heartbeat_sent_ = ctx.now();
  heartbeat_timer_at_ = kNever;
  last_assignment_.clear();
  pending_assignment_.reset();
  schedule_heartbeat_timer(ctx);
}

void ConsumerCoordinator::stop() {
  running_ = false;
  state_ = MemberState::unjoined;
}

void ConsumerCoordinator::schedule_heartbeat_timer(NodeContext& ctx) {
  // The heartbeat thread wakes for the next heartbeat and for the poll deadline (KIP-62).
  const SimTime now = ctx.now();
  SimTime at = last_heartbeat_sent_ + config_.heartbeat_interval_s;
  if (at <= now + 1e-9) at = now + config_.heartbeat_interval_s;  // nothing to send now: look again later
  const SimTime poll_deadline = last_poll_ + config_.max_poll_interval_s;
  if ((state_ != MemberState::unjoined || !member_id_.empty()) && poll_deadline > now + 1e-9)
    at = std::min(at, poll_deadline + 1e-6);
  if (at + 1e-9 >= heartbeat_timer_at_) return;
  heartbeat_timer_at_ = at;
  ctx.set_timer(at, kHeartbeatTimer);
}

void ConsumerCoordinator::find_coordinator(NodeContext& ctx) {
  if (find_in_flight_) return;
  const int64_t id = static_cast<int64_t>(host_.next_request_id());
  find_in_flight_ = id;
  in_flight_deadline_ = ctx.now() + config_.request_timeout_s;
  ctx.set_timer(in_flight_deadline_, kRequestTimeout);
  // Any broker answers FindCoordinator; Kafka asks the least loaded node, here they take turns.
  const int32_t broker = static_cast<int32_t>(find_attempts_++ % static_cast<uint64_t>(metadata_.broker_count()));
  find_broker_ = broker;
  ctx.send(metadata_.broker_node(broker), FindCoordinatorRequest{id, config_.group_id});
}

bool ConsumerCoordinator::poll(NodeContext& ctx) {
  if (!running_) return false;
  const SimTime now = ctx.now();
  last_poll_ = now;
  schedule_heartbeat_timer(ctx);
  if (pending_assignment_) {
    std::vector<TopicPartition> assignment = std::move(*pending_assignment_);
    pending_assignment_.reset();
    apply_assignment(ctx, assignment);
  }
  // KafkaConsumer.poll does not wait for a join: an eager member owns nothing by then, a cooperative one
  // goes on with what it owns.
  const bool keep_consuming = cooperative_ && !member_id_.empty() && !lost_;
  if (join_in_flight_ || sync_in_flight_ || find_in_flight_) return keep_consuming;
  if (now + 1e-9 < retry_at_) {
    ctx.set_timer(retry_at_, kRetry);
    return keep_consuming;
  }
  if (coordinator_ < 0) {
    find_coordinator(ctx);
    return keep_consuming;
  }
  if (state_ == MemberState::stable && !rejoin_needed_) return true;

  // onJoinPrepare: give up partitions before joining. A member whose generation is gone lost them (no
  // commit); an eager member revokes everything (auto-commit commits first); a cooperative one keeps them.
  std::vector<TopicPartition> owned = host_.owned_partitions();
  if (!owned.empty() && (lost_ || !cooperative_)) {
    const bool lost = lost_;
    lost_ = false;
    if (host_.revoke_partitions(ctx, owned, lost)) return false;  // the join goes after the commit
  }
  lost_ = false;
  send_join(ctx);
  return cooperative_ && !member_id_.empty();
}

void ConsumerCoordinator::send_join(NodeContext& ctx) {
  JoinGroupRequest r;
  r.request_id = static_cast<int64_t>(host_.next_request_id());
  r.group_id = config_.group_id;
  r.member_id = member_id_;
  r.group_instance_id = config_.group_instance_id;
  r.client_id = config_.client_id;
  r.session_timeout_s = config_.session_timeout_s;
  r.rebalance_timeout_s = config_.max_poll_interval_s;
  r.protocols = config_.strategies;
  r.subscription.topics = config_.topics;
  // Cooperative members list what they own; sticky ones what they were last assigned (its user data).
  r.subscription.owned_partitions = cooperative_ ? host_.owned_partitions() : last_assignment_;
  r.subscription.generation = generation_;
  join_in_flight_ = r.request_id;
  state_ = MemberState::rebalancing;
  // Kafka waits for a JoinGroup up to the rebalance timeout plus 5 s.
  in_flight_deadline_ = ctx.now() + config_.max_poll_interval_s + 5;
  ctx.set_timer(in_flight_deadline_, kRequestTimeout);
  ctx.send(coordinator_node(), std::move(r));
}

std::vector<std::pair<std::string, std::vector<TopicPartition>>> ConsumerCoordinator::run_assignor(
    const JoinGroupResponse& r) const {
  std::map<std::string, int32_t> topic_index;
  for (int32_t t = 0; t < metadata_.topic_count(); ++t) topic_index[metadata_.topic_name(t)] = t;
  std::map<std::string, int32_t> partitions_per_topic;
  std::vector<AssignorMember> members;
  for (const JoinGroupMember& m : r.members) {
    AssignorMember a;
    a.member_id = m.member_id;
    if (!m.group_instance_id.empty()) a.group_instance_id = m.group_instance_id;
    for (int32_t t : m.subscription.topics) {
      a.topics.push_back(metadata_.topic_name(t));
      partitions_per_topic[metadata_.topic_name(t)] = metadata_.partition_count(t);
    }
    for (TopicPartition tp : m.subscription.owned_partitions)
      a.owned_partitions.emplace_back(metadata_.topic_name(tp.topic), tp.partition);
    a.generation = m.subscription.generation;
    members.push_back(std::move(a));
  }
  std::vector<std::pair<std::string, std::vector<TopicPartition>>> out;
  auto assignor = make_assignor(r.protocol);
  if (!assignor) return out;
  Assignment assignment = assignor->assign(partitions_per_topic, members);
  for (const auto& [member, tps] : assignment) {
    std::vector<TopicPartition> list;
    for (const auto& [topic, p] : tps) list.push_back({topic_index.at(topic), p});
    out.emplace_back(member, std::move(list));
  }
  return out;
}

bool ConsumerCoordinator::on_message(NodeContext& ctx, const MessageBody& body) {
  if (auto* r = std::get_if<FindCoordinatorResponse>(&body)) {
    if (!find_in_flight_ || *find_in_flight_ != r->request_id) return true;
    find_in_flight_.reset();
    if (r->error == ErrorCode::none && r->coordinator >= 0) {
      coordinator_ = r->coordinator;
    } else {
      retry_at_ = ctx.now() + config_.retry_backoff_s;
      ctx.set_timer(retry_at_, kRetry);
    }
    return true;
  }
  if (auto* r = std::get_if<JoinGroupResponse>(&body)) {
    if (join_in_flight_ && *join_in_flight_ == r->request_id) handle_join(ctx, *r);
    return true;
  }
  if (auto* r = std::get_if<SyncGroupResponse>(&body)) {
    if (sync_in_flight_ && *sync_in_flight_ == r->request_id) handle_sync(ctx, *r);
    return true;
  }
  if (auto* r = std::get_if<HeartbeatResponse>(&body)) {
    if (heartbeat_in_flight_ && *heartbeat_in_flight_ == r->request_id) handle_heartbeat(ctx, *r);
    return true;
  }
  return std::holds_alternative<LeaveGroupResponse>(body);
}

void ConsumerCoordinator::handle_join(NodeContext& ctx, const JoinGroupResponse& r) {
  join_in_flight_.reset();
  switch (r.error) {
    case ErrorCode::none: {
      member_id_ = r.member_id;
      generation_ = r.generation;
      protocol_ = r.protocol;
      SyncGroupRequest s;
      s.request_id = static_cast<int64_t>(host_.next_request_id());
      s.group_id = config_.group_id;
      s.generation = generation_;
      s.member_id = member_id_;
      s.group_instance_id = config_.group_instance_id;
      if (r.leader == member_id_ && !r.skip_assignment) s.assignments = run_assignor(r);
      sync_in_flight_ = s.request_id;
      in_flight_deadline_ = ctx.now() + config_.request_timeout_s;
      ctx.set_timer(in_flight_deadline_, kRequestTimeout);
      last_heartbeat_sent_ = ctx.now();
      ctx.send(coordinator_node(), std::move(s));
      return;
    }
    case ErrorCode::unknown_member_id:
    case ErrorCode::illegal_generation:
      reset_generation();
      return;  // rejoin on the next poll, at once
    case ErrorCode::rebalance_in_progress:
      state_ = MemberState::unjoined;
      return;
    case ErrorCode::not_coordinator:
    case ErrorCode::coordinator_not_available:
      coordinator_dead(ctx);
      return;
    default:
      // FENCED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL, INVALID_SESSION_TIMEOUT: fatal for the consumer.
      ctx.events().emit(ctx.now(), "consumer_failed", {{"consumer", config_.client_id},
                                                       {"group", config_.group_id},
                                                       {"error", error_name(r.error)}});
      running_ = false;
      state_ = MemberState::unjoined;
      return;
  }
}

void ConsumerCoordinator::handle_sync(NodeContext& ctx, const SyncGroupResponse& r) {
  sync_in_flight_.reset();
  switch (r.error) {
    case ErrorCode::none:
      state_ = MemberState::stable;
      rejoin_needed_ = false;
      pending_assignment_ = r.assignment;
      last_heartbeat_sent_ = ctx.now();
      schedule_heartbeat_timer(ctx);
      return;
    case ErrorCode::rebalance_in_progress:
      state_ = MemberState::unjoined;
      return;
    case ErrorCode::unknown_member_id:
    case ErrorCode::illegal_generation:
    case ErrorCode::fenced_instance_id:
      reset_generation();
      return;
    case ErrorCode::not_coordinator:
    case ErrorCode::coordinator_not_available:
      coordinator_dead(ctx);
      return;
    default:
      reset_generation();
      return;
  }
}

void ConsumerCoordinator::apply_assignment(NodeContext& ctx, const std::vector<TopicPartition>& assignment) {
  std::vector<TopicPartition> owned = host_.owned_partitions();
  std::vector<TopicPartition> revoked, added;
  for (TopicPartition tp : owned)
    if (!contains(assignment, tp)) revoked.push_back(tp);
  for (TopicPartition tp : assignment)
    if (!contains(owned, tp)) added.push_back(tp);
  if (!revoked.empty()) {
    // KIP-429: give up what moved, then rejoin so the next generation can hand it out.
    host_.revoke_partitions(ctx, revoked, false);
    rejoin_needed_ = true;
  }
  last_assignment_ = assignment;
  host_.assign_partitions(ctx, added);
}

void ConsumerCoordinator::handle_heartbeat(NodeContext& ctx, const HeartbeatResponse& r) {
  heartbeat_in_flight_.reset();
  switch (r.error) {
    case ErrorCode::none:
      return;
    case ErrorCode::rebalance_in_progress:
      // The member keeps its generation (its commits still go through) and rejoins in its next poll.
      if (state_ == MemberState::stable) rejoin_needed_ = true;
      return;
    case ErrorCode::illegal_generation:
    case ErrorCode::unknown_member_id:
    case ErrorCode::fenced_instance_id:
      if (state_ == MemberState::stable) reset_generation();
      return;
    case ErrorCode::not_coordinator:
    case ErrorCode::coordinator_not_available:
      coordinator_dead(ctx);
      return;
    default:
      return;
  }
}

void ConsumerCoordinator::reset_generation() {
  pending_assignment_.reset();
  member_id_.clear();
  generation_ = -1;
  state_ = MemberState::unjoined;
  rejoin_needed_ = true;
  lost_ = true;
}

void ConsumerCoordinator::coordinator_dead(NodeContext& ctx) {
  coordinator_ = -1;
  find_in_flight_.reset();
  heartbeat_in_flight_.reset();
  if (join_in_flight_ || sync_in_flight_) state_ = MemberState::unjoined;
  join_in_flight_.reset();
  sync_in_flight_.reset();
  retry_at_ = ctx.now() + config_.retry_backoff_s;
  ctx.set_timer(retry_at_, kRetry);
}

void ConsumerCoordinator::send_heartbeat(NodeContext& ctx) {
  const int64_t id = static_cast<int64_t>(host_.next_request_id());
  heartbeat_in_flight_ = id;
  heartbeat_deadline_ = ctx.now() + config_.request_timeout_s;
  last_heartbeat_sent_ = ctx.now();
  ctx.send(coordinator_node(),
           HeartbeatRequest{id, config_.group_id, generation_, member_id_, config_.group_instance_id});
}

void ConsumerCoordinator::on_timer(NodeContext& ctx, uint64_t token) {
  if (!running_) return;
  const SimTime now = ctx.now();
  if (token == kRequestTimeout) {
    if ((find_in_flight_ || join_in_flight_ || sync_in_flight_) && now + 1e-9 >= in_flight_deadline_)
      coordinator_dead(ctx);
    return;
  }
  if (token != kHeartbeatTimer) return;
  if (now + 1e-9 < heartbeat_timer_at_) return;  // an earlier wake-up was scheduled since
  heartbeat_timer_at_ = kNever;
  if (host_.in_poll(now)) last_poll_ = now;
  if (heartbeat_in_flight_ && now + 1e-9 >= heartbeat_deadline_) coordinator_dead(ctx);
  const bool member = !member_id_.empty() && state_ != MemberState::unjoined;
  if (member && now - last_poll_ > config_.max_poll_interval_s + 1e-9) {
    // KIP-62: the application spent longer than max.poll.interval.ms outside poll(). The heartbeat thread
    // leaves the group; the member rejoins in its next poll and its late commit fails.
    ctx.events().emit(now, "poll_timeout_expired", {{"consumer", config_.client_id},
                                                    {"group", config_.group_id},
                                                    {"member", member_id_},
                                                    {"since_last_poll_s", round_time(now - last_poll_)}});
    leave_group(ctx, "max_poll_interval");
  } else if ((state_ == MemberState::stable || sync_in_flight_) && coordinator_ >= 0 && !heartbeat_in_flight_ &&
             now + 1e-9 >= last_heartbeat_sent_ + config_.heartbeat_interval_s) {
    send_heartbeat(ctx);
  }
  schedule_heartbeat_timer(ctx);
}

void ConsumerCoordinator::on_connection_refused(NodeContext& ctx, NodeId peer) {
  if (coordinator_ >= 0 && coordinator_node() == peer) {
    coordinator_dead(ctx);
  } else if (find_in_flight_ && find_broker_ >= 0 && metadata_.broker_node(find_broker_) == peer) {
    find_in_flight_.reset();  // ask another broker after the backoff
    retry_at_ = ctx.now() + config_.retry_backoff_s;
    ctx.set_timer(retry_at_, kRetry);
  }
}

void ConsumerCoordinator::leave_group(NodeContext& ctx, const std::string& reason) {
  // Static members never send LeaveGroup (KIP-345): the coordinator waits for them up to the session timeout.
  if (!member_id_.empty() && coordinator_ >= 0 && config_.group_instance_id.empty())
    ctx.send(coordinator_node(), LeaveGroupRequest{static_cast<int64_t>(host_.next_request_id()), config_.group_id,
                                                   member_id_, "", reason});
  join_in_flight_.reset();
  sync_in_flight_.reset();
  heartbeat_in_flight_.reset();
  reset_generation();
}

ConsumerCoordinator::CommitIdentity ConsumerCoordinator::commit_identity() const {
  CommitIdentity id;
  if (state_ == MemberState::stable && !member_id_.empty()) {
    id.generation = generation_;
    id.member_id = member_id_;
  } else {
    id.error = member_id_.empty() ? ErrorCode::commit_failed : ErrorCode::rebalance_in_progress;
  }
  return id;
}

void ConsumerCoordinator::on_commit_error(NodeContext&, ErrorCode error) {
  switch (error) {
    case ErrorCode::illegal_generation:
    case ErrorCode::unknown_member_id:
    case ErrorCode::fenced_instance_id:
      reset_generation();
      break;
    case ErrorCode::rebalance_in_progress:
      rejoin_needed_ = true;
      break;
    case ErrorCode::not_coordinator:
    case ErrorCode::coordinator_not_available:
      coordinator_ = -1;
      break;
    default:
      break;
  }
}

}  // namespace kafkasim
