#include "controller/kraft_controller.h"

#include <algorithm>
#include <string>
#include <variant>

#include "core/check.h"
#include "metrics/event_log.h"

namespace kafkasim {

KraftController::KraftController(int32_t index, const ControlPlaneWiring& wiring, ClusterMetadata& metadata,
                                 const Scenario& scenario)
    : index_(index),
      wiring_(wiring),
      metadata_(metadata),
      config_(ControlPlaneConfig::from(scenario)),
      rng_(scenario.seed, "kraft-controller:" + std::to_string(index)),
      publisher_(wiring, metadata),
      snapshot_(metadata, scenario, ControllerFlavor::kraft),
      committed_(snapshot_) {
  KSIM_ASSERT(index >= 0 && static_cast<size_t>(index) < wiring.quorum.size(), "controller index out of range");
  // Warm start: controller 0 leads epoch 1 (having voted for itself), the others follow it.
  voted_for_ = 0;
  last_leader_ = 0;
}

int32_t KraftController::quorum_index(NodeId node) const {
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (wiring_.quorum[i] == node) return static_cast<int32_t>(i);
  return -1;
}

NodeId KraftController::leader_node() const {
  return leader_ >= 0 ? wiring_.quorum[static_cast<size_t>(leader_)] : NodeId{-1};
}

void KraftController::start(NodeContext& ctx) {
  up_ = true;
  role_ = Role::follower;
  leader_ = -1;
  high_watermark_ = 0;
  applied_ = 0;
  committed_ = snapshot_;
  const bool warm_start = !started_before_;
  started_before_ = true;
  if (warm_start && index_ == 0) {
    // The cluster has been running: this controller already leads epoch 1, and nothing is uncommitted.
    role_ = Role::leader;
    leader_ = index_;
    latest_ = committed_;
    const size_t n = wiring_.quorum.size();
    match_offset_.assign(n, 0);
    last_fetch_.assign(n, ctx.now());
    high_watermark_sent_.assign(n, -1);
    const size_t brokers = static_cast<size_t>(committed_.broker_count());
    last_heartbeat_.assign(brokers, ctx.now());
    incarnation_.assign(brokers, -1);
    liveness_job_queued_.assign(brokers, false);
    metadata_.active_controller = ctx.self().value;
    ctx.events().emit(ctx.now(), "controller_elected",
                      {{"controller", quorum_host_name(ControllerMode::kraft, index_)}, {"epoch", epoch_}});
    ctx.set_timer(ctx.now() + config_.quorum_fetch_timeout_s / 2, timers_.arm(kCheckQuorum));
    arm_fence_check(ctx);
    publisher_.publish(ctx, committed_, PublishBatch{{}, {}, true}, epoch_);
    emit_ready(ctx);
    return;
  }
  // KRaft keeps the leader of its epoch in its quorum state file: follow it again, unless it was us (a leader
  // never leads its epoch twice; wait for an election instead).
  if (last_leader_ >= 0 && last_leader_ != index_) {
    become_follower(ctx, epoch_, last_leader_);
  } else {
    become_follower(ctx, epoch_, -1);
  }
}

void KraftController::on_crash(NodeContext& ctx, bool) {
  if (role_ == Role::leader && metadata_.active_controller == ctx.self().value) metadata_.active_controller = -1;
  up_ = false;
  timers_.invalidate_all();
  role_ = Role::follower;
  leader_ = -1;
  parked_.clear();
  jobs_.clear();
  busy_ = false;
  busy_work_ = Work{};
  pending_responses_.clear();
  votes_.clear();
  fetch_in_flight_ = false;
  fence_check_at_ = kNever;
  // committed_ and the high watermark are rebuilt from the durable log once the leader tells us how far it goes.
  committed_ = snapshot_;
  applied_ = 0;
  high_watermark_ = 0;
}

void KraftController::on_message(NodeContext& ctx, Message&& message) {
  if (!up_) return;
  std::visit([&](auto& body) { handle(ctx, message.from, body); }, message.body);
}

void KraftController::on_timer(NodeContext& ctx, uint64_t token) {
  if (!up_) return;
  switch (timers_.fired(token)) {
    case kElection:
      if (role_ != Role::leader) become_candidate(ctx);
      break;
    case kFetchTimeout:
      if (role_ == Role::follower) become_candidate(ctx);
      break;
    case kFetchRetry:
      if (role_ == Role::follower && leader_ >= 0) send_fetch(ctx);
      break;
    case kParkedFetches:
      if (role_ == Role::leader) answer_parked_fetches(ctx, false);
      break;
    case kFenceCheck:
      fence_check_at_ = kNever;
      if (role_ == Role::leader) check_fencing(ctx);
      break;
    case kCheckQuorum: {
      if (role_ != Role::leader) break;
      int32_t fetched = 1;
      for (size_t i = 0; i < last_fetch_.size(); ++i)
        if (static_cast<int32_t>(i) != index_ && ctx.now() - last_fetch_[i] <= 1.5 * config_.quorum_fetch_timeout_s)
          ++fetched;
      if (fetched < majority()) {
        become_follower(ctx, epoch_, -1);  // resign; an election follows
      } else {
        ctx.set_timer(ctx.now() + config_.quorum_fetch_timeout_s / 2, timers_.arm(kCheckQuorum));
      }
      break;
    }
    case kBusy:
      if (role_ == Role::leader && busy_) {
        busy_ = false;
        finish(ctx, std::move(busy_work_));
        busy_work_ = Work{};
        run_jobs(ctx);
      }
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- Raft roles

void KraftController::arm_election_timer(NodeContext& ctx) {
  const SimTime timeout = config_.quorum_election_timeout_s;
  ctx.set_timer(ctx.now() + timeout + timeout * rng_.uniform01(), timers_.arm(kElection));
}

void KraftController::arm_fetch_timeout(NodeContext& ctx) {
  ctx.set_timer(ctx.now() + config_.quorum_fetch_timeout_s, timers_.arm(kFetchTimeout));
}

void KraftController::become_follower(NodeContext& ctx, int32_t epoch, int32_t leader) {
  if (role_ == Role::leader) step_down_as_leader(ctx);
  if (epoch > epoch_) {
    epoch_ = epoch;
    voted_for_ = -1;
  }
  role_ = Role::follower;
  leader_ = leader;
  last_leader_ = leader;
  votes_.clear();
  fetch_in_flight_ = false;
  if (leader >= 0 && leader != index_) {
    timers_.disarm(kElection);
    arm_fetch_timeout(ctx);
    send_fetch(ctx);
  } else {
    leader_ = -1;
    timers_.disarm(kFetchTimeout);
    timers_.disarm(kFetchRetry);
    arm_election_timer(ctx);
  }
}

void KraftController::step_down_as_leader(NodeContext& ctx) {
  if (metadata_.active_controller == ctx.self().value) metadata_.active_controller = -1;
  for (auto& [follower, parked] : parked_) {
    RaftFetchResponse resp;
    resp.epoch = epoch_;
    resp.error = ErrorCode::not_leader_or_follower;
    ctx.send(parked.from, std::move(resp));
  }
  parked_.clear();
  jobs_.clear();
  busy_ = false;
  busy_work_ = Work{};
  pending_responses_.clear();
  announce_pending_ = false;
  timers_.disarm(kCheckQuorum);
  timers_.disarm(kBusy);
}

void KraftController::become_candidate(NodeContext& ctx) {
  if (role_ == Role::leader) step_down_as_leader(ctx);
  ++epoch_;
  voted_for_ = index_;
  role_ = Role::candidate;
  leader_ = -1;
  last_leader_ = -1;
  votes_ = {index_};
  fetch_in_flight_ = false;
  timers_.disarm(kFetchTimeout);
  timers_.disarm(kFetchRetry);
  arm_election_timer(ctx);
  VoteRequest req;
  req.candidate_epoch = epoch_;
  req.candidate = ctx.self().value;
  req.last_offset = log_end_offset();
  req.last_offset_epoch = last_epoch();
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (static_cast<int32_t>(i) != index_) ctx.send(wiring_.quorum[i], req);
  if (static_cast<int32_t>(votes_.size()) >= majority()) become_leader(ctx);
}

void KraftController::become_leader(NodeContext& ctx) {
  role_ = Role::leader;
  leader_ = index_;
  last_leader_ = index_;
  votes_.clear();
  timers_.disarm(kElection);
  timers_.disarm(kFetchTimeout);
  timers_.disarm(kFetchRetry);
  // The standby state is current up to the high watermark; records above it (from earlier epochs) will be
  // committed with this epoch's first record, so the new controller decides on top of them.
  latest_ = committed_;
  for (size_t i = static_cast<size_t>(applied_); i < log_.size(); ++i) latest_.apply(log_[i]);
  const size_t n = wiring_.quorum.size();
  match_offset_.assign(n, 0);
  last_fetch_.assign(n, ctx.now());
  high_watermark_sent_.assign(n, -1);
  const size_t brokers = static_cast<size_t>(latest_.broker_count());
  last_heartbeat_.assign(brokers, ctx.now());  // every broker gets a fresh session with the new controller
  incarnation_.assign(brokers, -1);
  liveness_job_queued_.assign(brokers, false);
  jobs_.clear();
  busy_ = false;
  pending_responses_.clear();
  announce_pending_ = true;
  metadata_.active_controller = ctx.self().value;
  ctx.events().emit(ctx.now(), "controller_elected",
                    {{"controller", quorum_host_name(ControllerMode::kraft, index_)}, {"epoch", epoch_}});
  for (size_t i = 0; i < n; ++i)
    if (static_cast<int32_t>(i) != index_) ctx.send(wiring_.quorum[i], BeginQuorumEpoch{epoch_, ctx.self().value});
  ctx.set_timer(ctx.now() + config_.quorum_fetch_timeout_s / 2, timers_.arm(kCheckQuorum));
  fence_check_at_ = kNever;
  arm_fence_check(ctx);
  MetadataRecord leader_change;
  leader_change.epoch = epoch_;
  leader_change.kind = MetadataRecord::Kind::leader_change;
  append(ctx, {leader_change});
}

void KraftController::emit_ready(NodeContext& ctx) {
  ctx.events().emit(ctx.now(), "controller_ready",
                    {{"controller", quorum_host_name(ControllerMode::kraft, index_)}, {"epoch", epoch_}});
}

void KraftController::send_fetch(NodeContext& ctx) {
  RaftFetchRequest req;
  req.epoch = epoch_;
  req.replica = ctx.self().value;
  req.fetch_offset = log_end_offset();
  req.last_fetched_epoch = last_epoch();
  fetch_in_flight_ = true;
  fetch_sent_offset_ = req.fetch_offset;
  ctx.send(leader_node(), req);
  ctx.set_timer(ctx.now() + kFetchMaxWait_s + kFetchRetry_s, timers_.arm(kFetchRetry));
}

// ---------------------------------------------------------------- Raft messages

void KraftController::handle(NodeContext& ctx, NodeId from, VoteRequest& r) {
  const int32_t candidate = quorum_index(NodeId{r.candidate});
  if (candidate < 0) return;
  if (r.candidate_epoch > epoch_) become_follower(ctx, r.candidate_epoch, -1);
  bool granted = false;
  if (r.candidate_epoch == epoch_ && role_ == Role::follower && leader_ < 0 &&
      (voted_for_ < 0 || voted_for_ == candidate)) {
    const bool log_up_to_date = r.last_offset_epoch > last_epoch() ||
                                (r.last_offset_epoch == last_epoch() && r.last_offset >= log_end_offset());
    if (log_up_to_date) {
      granted = true;
      voted_for_ = candidate;
      arm_election_timer(ctx);
    }
  }
  ctx.send(from, VoteResponse{epoch_, granted});
}

void KraftController::handle(NodeContext& ctx, NodeId from, VoteResponse& r) {
  if (r.epoch > epoch_) {
    become_follower(ctx, r.epoch, -1);
    return;
  }
  const int32_t voter = quorum_index(from);
  if (role_ != Role::candidate || r.epoch != epoch_ || !r.granted || voter < 0) return;
  votes_.insert(voter);
  if (static_cast<int32_t>(votes_.size()) >= majority()) become_leader(ctx);
}

void KraftController::handle(NodeContext& ctx, NodeId, BeginQuorumEpoch& r) {
  const int32_t leader = quorum_index(NodeId{r.leader});
  if (leader < 0 || leader == index_) return;
  if (r.epoch > epoch_ || (r.epoch == epoch_ && role_ != Role::leader && leader_ != leader))
    become_follower(ctx, r.epoch, leader);
}

std::optional<RaftFetchResponse> KraftController::fetch_answer(int32_t follower, const RaftFetchRequest& r,
                                                               bool force) {
  RaftFetchResponse resp;
  resp.epoch = epoch_;
  resp.leader = wiring_.quorum[static_cast<size_t>(index_)].value;
  const int64_t size = log_end_offset();
  if (r.fetch_offset < size || high_watermark_ > high_watermark_sent_[static_cast<size_t>(follower)] || force) {
    resp.high_watermark = high_watermark_;
    size_t from = static_cast<size_t>(r.fetch_offset);
    size_t to = std::min(log_.size(), from + kMaxRecordsPerFetch);
    if (from < to) resp.records.assign(log_.begin() + static_cast<std::ptrdiff_t>(from),
                                       log_.begin() + static_cast<std::ptrdiff_t>(to));
    high_watermark_sent_[static_cast<size_t>(follower)] = high_watermark_;
    return resp;
  }
  return std::nullopt;
}

void KraftController::handle(NodeContext& ctx, NodeId from, RaftFetchRequest& r) {
  const int32_t follower = quorum_index(from);
  if (follower < 0 || follower == index_) return;
  if (r.epoch > epoch_) become_follower(ctx, r.epoch, -1);
  RaftFetchResponse resp;
  resp.epoch = epoch_;
  resp.leader = leader_node().value;
  if (r.epoch < epoch_) {
    resp.error = ErrorCode::fenced_leader_epoch;
    ctx.send(from, std::move(resp));
    return;
  }
  if (role_ != Role::leader) {
    resp.error = ErrorCode::not_leader_or_follower;
    ctx.send(from, std::move(resp));
    return;
  }
  last_fetch_[static_cast<size_t>(follower)] = ctx.now();
  parked_.erase(follower);
  // Log consistency: the follower's last record must be ours too. If not, tell it where to truncate to
  // (KRaft's diverging epoch): to the end of its last epoch in our log, and at least one record back when we
  // never had that epoch, so that repeated fetches always converge.
  const int64_t size = log_end_offset();
  const bool diverged =
      r.fetch_offset > size ||
      (r.fetch_offset > 0 && log_[static_cast<size_t>(r.fetch_offset - 1)].epoch != r.last_fetched_epoch);
  if (diverged) {
    auto first_after = std::upper_bound(log_.begin(), log_.end(), r.last_fetched_epoch,
                                        [](int32_t e, const MetadataRecord& rec) { return e < rec.epoch; });
    int64_t end = first_after - log_.begin();
    bool have_epoch = end > 0 && log_[static_cast<size_t>(end - 1)].epoch == r.last_fetched_epoch;
    int64_t truncate_to = have_epoch ? std::min(end, r.fetch_offset) : std::min(end, r.fetch_offset - 1);
    if (truncate_to >= r.fetch_offset) truncate_to = r.fetch_offset - 1;
    resp.truncate_to = std::max<int64_t>(truncate_to, 0);
    resp.high_watermark = high_watermark_;
    ctx.send(from, std::move(resp));
    return;
  }
  match_offset_[static_cast<size_t>(follower)] = r.fetch_offset;
  maybe_advance_high_watermark(ctx);
  if (auto answer = fetch_answer(follower, r, false)) {
    ctx.send(from, std::move(*answer));
    return;
  }
  SimTime deadline = ctx.now() + kFetchMaxWait_s;
  parked_[follower] = ParkedFetch{from, r, deadline};
  ctx.set_timer(deadline, timers_.arm_shared(kParkedFetches));
}

void KraftController::answer_parked_fetches(NodeContext& ctx, bool force_all) {
  for (auto it = parked_.begin(); it != parked_.end();) {
    const bool expired = ctx.now() + 1e-9 >= it->second.deadline;
    auto answer = fetch_answer(it->first, it->second.request, force_all || expired);
    if (answer) {
      ctx.send(it->second.from, std::move(*answer));
      it = parked_.erase(it);
    } else {
      ++it;
    }
  }
}

void KraftController::handle(NodeContext& ctx, NodeId from, RaftFetchResponse& r) {
  if (r.epoch > epoch_) {
    const int32_t leader = r.leader >= 0 ? quorum_index(NodeId{r.leader}) : -1;
    become_follower(ctx, r.epoch, leader);
    return;
  }
  if (r.epoch < epoch_ || role_ != Role::follower || quorum_index(from) != leader_ || leader_ < 0) return;
  fetch_in_flight_ = false;
  if (r.error != ErrorCode::none) {
    // The node we fetch from is not the leader of our epoch (it restarted, or resigned): wait for an election.
    become_follower(ctx, epoch_, -1);
    return;
  }
  arm_fetch_timeout(ctx);
  if (r.truncate_to >= 0) {
    KSIM_ASSERT(r.truncate_to >= applied_, "Raft would truncate committed metadata records (to " +
                                               std::to_string(r.truncate_to) + ", committed " +
                                               std::to_string(applied_) + ")");
    if (r.truncate_to < log_end_offset()) log_.resize(static_cast<size_t>(r.truncate_to));
    send_fetch(ctx);
    return;
  }
  if (fetch_sent_offset_ == log_end_offset()) log_.insert(log_.end(), r.records.begin(), r.records.end());
  int64_t hw = std::min(r.high_watermark, log_end_offset());
  if (hw > high_watermark_) {
    high_watermark_ = hw;
    apply_committed(ctx);
  }
  send_fetch(ctx);
}

void KraftController::append(NodeContext& ctx, std::vector<MetadataRecord> records) {
  if (records.empty()) return;
  for (auto& rec : records) {
    rec.epoch = epoch_;
    log_.push_back(std::move(rec));
  }
  maybe_advance_high_watermark(ctx);
  answer_parked_fetches(ctx, false);
}

void KraftController::maybe_advance_high_watermark(NodeContext& ctx) {
  std::vector<int64_t> offsets = match_offset_;
  offsets[static_cast<size_t>(index_)] = log_end_offset();
  std::sort(offsets.begin(), offsets.end(), std::greater<>());
  int64_t n = offsets[static_cast<size_t>(majority() - 1)];
  if (n > high_watermark_ && log_[static_cast<size_t>(n - 1)].epoch == epoch_) {
    high_watermark_ = n;
    apply_committed(ctx);
    answer_parked_fetches(ctx, false);
  }
}

void KraftController::apply_committed(NodeContext& ctx) {
  std::set<TopicPartition> changed;
  std::vector<int32_t> unfenced;
  for (; applied_ < high_watermark_; ++applied_) {
    const MetadataRecord& rec = log_[static_cast<size_t>(applied_)];
    committed_.apply(rec);
    if (rec.kind == MetadataRecord::Kind::partition_change) changed.insert(rec.partition.tp);
    if (rec.kind == MetadataRecord::Kind::broker_fencing && !rec.fenced) unfenced.push_back(rec.broker);
  }
  if (role_ != Role::leader) return;
  PublishBatch batch;
  for (TopicPartition tp : changed) batch.partitions.push_back(committed_.partition(tp));
  batch.full_state_brokers = unfenced;
  batch.announce = announce_pending_;
  announce_pending_ = false;
  publisher_.publish(ctx, committed_, batch, epoch_);
  if (batch.announce) emit_ready(ctx);  // the first record of our epoch is committed: we can act
  for (auto it = pending_responses_.begin(); it != pending_responses_.end();) {
    if (it->offset < high_watermark_) {
      ctx.send(it->to, std::move(it->response));
      it = pending_responses_.erase(it);
    } else {
      ++it;
    }
  }
}

// ---------------------------------------------------------------- active controller

void KraftController::handle(NodeContext& ctx, NodeId from, BrokerHeartbeatRequest& r) {
  BrokerHeartbeatResponse resp;
  resp.request_id = r.request_id;
  if (role_ != Role::leader) {
    resp.error = ErrorCode::not_controller;
    resp.controller_hint = leader_node().value;
    ctx.send(from, resp);
    return;
  }
  resp.controller_hint = ctx.self().value;
  const int32_t b = r.broker_id;
  if (b < 0 || b >= latest_.broker_count()) return;
  const size_t bi = static_cast<size_t>(b);
  last_heartbeat_[bi] = ctx.now();
  const bool new_incarnation = incarnation_[bi] >= 0 && incarnation_[bi] != r.incarnation;
  incarnation_[bi] = r.incarnation;
  if (!liveness_job_queued_[bi]) {
    if (new_incarnation && latest_.broker_live(b)) {
      enqueue(ctx, Job{Job::Kind::fence_reregistered, b, from, {}});
    } else if (!latest_.broker_live(b) && r.want_unfence) {
      enqueue(ctx, Job{Job::Kind::unfence, b, from, {}});
    }
  }
  resp.fenced = !latest_.broker_live(b);
  ctx.send(from, resp);
}

void KraftController::handle(NodeContext& ctx, NodeId from, AlterPartitionRequest& r) {
  if (role_ != Role::leader) {
    AlterPartitionResponse resp;
    resp.request_id = r.request_id;
    resp.error = ErrorCode::not_controller;
    resp.controller_hint = leader_node().value;
    ctx.send(from, std::move(resp));
    return;
  }
  enqueue(ctx, Job{Job::Kind::alter_partition, r.broker_id, from, std::move(r)});
}

void KraftController::enqueue(NodeContext& ctx, Job job) {
  if (job.kind != Job::Kind::alter_partition) liveness_job_queued_[static_cast<size_t>(job.broker)] = true;
  jobs_.push_back(std::move(job));
  run_jobs(ctx);
}

void KraftController::run_jobs(NodeContext& ctx) {
  while (role_ == Role::leader && !busy_ && !jobs_.empty()) {
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    if (job.kind != Job::Kind::alter_partition) liveness_job_queued_[static_cast<size_t>(job.broker)] = false;
    Work work = compute(ctx, job);
    const SimTime cost = work.leader_changes * config_.election_s_per_partition;
    if (cost > 0) {
      busy_ = true;
      busy_work_ = std::move(work);
      ctx.set_timer(ctx.now() + cost, timers_.arm(kBusy));
      return;
    }
    finish(ctx, std::move(work));
  }
}

KraftController::Work KraftController::compute(NodeContext& ctx, const Job& job) {
  Work work;
  auto record_changes = [&](const std::vector<PartitionLeaderState>& changes) {
    for (const auto& c : changes) {
      if (c.leader != latest_.partition(c.tp).leader) ++work.leader_changes;
      latest_.apply(c);
      MetadataRecord rec;
      rec.kind = MetadataRecord::Kind::partition_change;
      rec.partition = c;
      work.records.push_back(std::move(rec));
    }
  };
  auto fencing_record = [&](int32_t broker, bool fenced) {
    MetadataRecord rec;
    rec.kind = MetadataRecord::Kind::broker_fencing;
    rec.broker = broker;
    rec.fenced = fenced;
    work.records.push_back(std::move(rec));
  };
  const int32_t b = job.broker;
  switch (job.kind) {
    case Job::Kind::fence_expired:
    case Job::Kind::fence_reregistered: {
      if (!latest_.broker_live(b)) break;
      // A heartbeat that arrived while the job waited keeps the broker in.
      if (job.kind == Job::Kind::fence_expired &&
          ctx.now() + 1e-9 < last_heartbeat_[static_cast<size_t>(b)] + config_.broker_session_timeout_s) {
        arm_fence_check(ctx);
        break;
      }
      std::vector<PartitionLeaderState> changes = latest_.broker_failed(b);
      record_changes(changes);
      latest_.set_broker_live(b, false);
      fencing_record(b, true);
      break;
    }
    case Job::Kind::unfence: {
      if (latest_.broker_live(b)) break;
      std::vector<PartitionLeaderState> changes = latest_.broker_started(b);
      latest_.set_broker_live(b, true);
      fencing_record(b, false);
      record_changes(changes);
      last_heartbeat_[static_cast<size_t>(b)] = ctx.now();
      arm_fence_check(ctx);
      break;
    }
    case Job::Kind::alter_partition: {
      AlterPartitionResponse resp;
      resp.request_id = job.request.request_id;
      resp.controller_hint = ctx.self().value;
      for (const auto& item : job.request.items) {
        AlterPartitionDecision d = latest_.alter_partition(job.request.broker_id, item);
        AlterPartitionResponse::Item out;
        out.error = d.error;
        if (d.change) record_changes({*d.change});
        if (latest_.has_partition(item.tp)) out.state = latest_.partition(item.tp);
        resp.items.push_back(std::move(out));
      }
      work.response = std::make_pair(job.from, std::move(resp));
      break;
    }
  }
  return work;
}

void KraftController::finish(NodeContext& ctx, Work work) {
  const bool has_records = !work.records.empty();
  append(ctx, std::move(work.records));
  if (!work.response) return;
  if (!has_records) {
    ctx.send(work.response->first, std::move(work.response->second));
    return;
  }
  PendingResponse pending{work.response->first, std::move(work.response->second), log_end_offset() - 1};
  if (pending.offset < high_watermark_) {
    ctx.send(pending.to, std::move(pending.response));
  } else {
    pending_responses_.push_back(std::move(pending));
  }
}

void KraftController::check_fencing(NodeContext& ctx) {
  for (int32_t b = 0; b < latest_.broker_count(); ++b) {
    const size_t bi = static_cast<size_t>(b);
    if (!latest_.broker_live(b) || liveness_job_queued_[bi]) continue;
    if (ctx.now() + 1e-9 >= last_heartbeat_[bi] + config_.broker_session_timeout_s)
      enqueue(ctx, Job{Job::Kind::fence_expired, b, NodeId{-1}, {}});
  }
  arm_fence_check(ctx);
}

void KraftController::arm_fence_check(NodeContext& ctx) {
  SimTime next = kNever;
  for (int32_t b = 0; b < latest_.broker_count(); ++b) {
    const size_t bi = static_cast<size_t>(b);
    if (latest_.broker_live(b) && !liveness_job_queued_[bi])
      next = std::min(next, last_heartbeat_[bi] + config_.broker_session_timeout_s);
  }
  if (next == kNever || next >= fence_check_at_) return;
  fence_check_at_ = std::max(next, ctx.now());
  ctx.set_timer(fence_check_at_, timers_.arm_shared(kFenceCheck));
}

}  // namespace kafkasim
