#include "controller/zk_controller.h"

#include <algorithm>
#include <string>
#include <variant>

#include "core/check.h"
#include "metrics/event_log.h"

namespace kafkasim {

ZkController::ZkController(int32_t broker_id, const ControlPlaneWiring& wiring, ClusterMetadata& metadata,
                           const Scenario& scenario)
    : broker_id_(broker_id),
      wiring_(wiring),
      metadata_(metadata),
      config_(ControlPlaneConfig::from(scenario)),
      rng_(scenario.seed, "zk-client:" + std::to_string(broker_id)),
      publisher_(wiring, metadata),
      initial_state_(metadata, scenario, ControllerFlavor::zookeeper) {
  KSIM_ASSERT(broker_id >= 0 && static_cast<size_t>(broker_id) < wiring.agents.size(), "broker id out of range");
  KSIM_ASSERT(!wiring.quorum.empty(), "ZooKeeper mode needs ZooKeeper servers");
}

void ZkController::next_server() { server_ = (server_ + 1) % static_cast<int32_t>(wiring_.quorum.size()); }

void ZkController::start(NodeContext& ctx) {
  up_ = true;
  const bool warm_start = !started_before_;
  started_before_ = true;
  server_ = static_cast<int32_t>(rng_.uniform_below(wiring_.quorum.size()));
  is_controller_ = false;
  loaded_ = false;
  failover_done_ = false;
  jobs_.clear();
  busy_ = false;
  busy_writing_ = false;
  if (!warm_start) {
    new_session(ctx);  // the old session lives on in ZooKeeper until it expires
    return;
  }
  // Warm start: the session exists, the broker is registered, broker 0 is the controller with epoch 1.
  session_ = make_session(self(), 0);
  session_open_ = true;
  registered_ = true;
  last_heard_ = ctx.now();
  controller_owner_ = make_session(wiring_.agents[0], 0);
  ctx.set_timer(ctx.now() + config_.zookeeper_session_timeout_s / 3, timers_.arm(kPing));
  if (broker_id_ == 0) {
    is_controller_ = true;
    loaded_ = true;
    failover_done_ = true;
    controller_epoch_ = 1;
    state_ = initial_state_;
    metadata_.active_controller = ctx.self().value;
    ctx.events().emit(ctx.now(), "controller_elected",
                      {{"controller", broker_host_name(broker_id_)}, {"epoch", controller_epoch_}});
    publisher_.publish(ctx, state_, PublishBatch{{}, {}, true}, controller_epoch_);
    emit_ready(ctx);
  }
}

void ZkController::emit_ready(NodeContext& ctx) {
  ctx.events().emit(ctx.now(), "controller_ready",
                    {{"controller", broker_host_name(broker_id_)}, {"epoch", controller_epoch_}});
}

void ZkController::on_crash(NodeContext& ctx, bool) {
  if (is_controller_ && metadata_.active_controller == ctx.self().value) metadata_.active_controller = -1;
  up_ = false;
  timers_.invalidate_all();
  is_controller_ = false;
  loaded_ = false;
  failover_done_ = false;
  jobs_.clear();
  busy_ = false;
  busy_writing_ = false;
  session_open_ = false;
  registered_ = false;
}

void ZkController::on_connection_refused(NodeContext& ctx, NodeId peer) {
  if (!up_ || peer != server_node()) return;
  next_server();
  last_heard_ = ctx.now();
  if (ctx.now() - redirected_at_ >= kConnectRetry_s / 10) {
    redirected_at_ = ctx.now();
    ping(ctx);
  }
}

void ZkController::on_message(NodeContext& ctx, Message&& message) {
  if (!up_) return;
  std::visit([&](auto& body) { handle(ctx, message.from, body); }, message.body);
}

void ZkController::on_timer(NodeContext& ctx, uint64_t token) {
  if (!up_) return;
  switch (timers_.fired(token)) {
    case kPing: {
      // ZooKeeper's client: nothing heard from our server for two thirds of the session timeout (while
      // connecting: for a retry interval), so try the next one.
      const SimTime silence = session_open_ ? 2 * config_.zookeeper_session_timeout_s / 3 : kConnectRetry_s;
      if (ctx.now() - last_heard_ >= silence - 1e-9) {
        next_server();
        last_heard_ = ctx.now();
      }
      ping(ctx);
      break;
    }
    case kRegister:
      if (session_open_ && !registered_) send_register(ctx);
      break;
    case kElect:
      if (session_open_ && !is_controller_ && controller_owner_ < 0) send_elect(ctx);
      break;
    case kRead:
      if (is_controller_ && !loaded_) send_read(ctx);
      break;
    case kWrite:
      if (is_controller_ && busy_writing_) send_write(ctx);
      break;
    case kBusy:
      if (is_controller_ && busy_ && !busy_writing_) {
        busy_ = false;
        Work work = std::move(busy_work_);
        busy_work_ = Work{};
        write_or_finish(ctx, std::move(work));
        run_jobs(ctx);
      }
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- session

void ZkController::ping(NodeContext& ctx) {
  const SimTime timeout = config_.zookeeper_session_timeout_s;
  ZkPing p;
  p.session = session_;
  p.connect = !session_open_;
  ctx.send(server_node(), p);
  ctx.set_timer(ctx.now() + (session_open_ ? timeout / 3 : kConnectRetry_s), timers_.arm(kPing));
}

void ZkController::new_session(NodeContext& ctx) {
  ++session_count_;
  session_ = make_session(self(), session_count_);
  session_open_ = false;
  registered_ = false;
  controller_owner_ = -1;
  last_heard_ = ctx.now();
  ping(ctx);
}

void ZkController::handle(NodeContext& ctx, NodeId from, ZkPong& r) {
  if (r.session != session_) return;
  if (from == server_node()) last_heard_ = ctx.now();
  if (r.error == ErrorCode::not_coordinator) {
    for (size_t i = 0; i < wiring_.quorum.size(); ++i) {
      if (wiring_.quorum[i].value == r.server_hint && static_cast<int32_t>(i) != server_) {
        server_ = static_cast<int32_t>(i);
        last_heard_ = ctx.now();
        // Reconnect at once, but never in a tight loop on stale hints.
        if (ctx.now() - redirected_at_ >= kConnectRetry_s / 10) {
          redirected_at_ = ctx.now();
          ping(ctx);
        }
        return;
      }
    }
    return;
  }
  if (r.error != ErrorCode::none) {
    next_server();  // that server has no quorum: try another one at the next ping
    return;
  }
  if (r.expired) {
    // ZooKeeper deleted our ephemeral znodes: we are neither registered nor controller any more.
    if (is_controller_) resign(ctx);
    new_session(ctx);
    return;
  }
  if (!session_open_) {
    session_open_ = true;
    ctx.set_timer(ctx.now() + config_.zookeeper_session_timeout_s / 3, timers_.arm(kPing));
    send_register(ctx);
    send_elect(ctx);
  }
}

void ZkController::send_register(NodeContext& ctx) {
  register_request_ = next_request_id_++;
  ctx.send(server_node(), ZkCreateEphemeral{register_request_, session_, broker_path(broker_id_)});
  ctx.set_timer(ctx.now() + kRequestTimeout_s, timers_.arm(kRegister));
}

void ZkController::send_elect(NodeContext& ctx) {
  elect_request_ = next_request_id_++;
  ctx.send(server_node(), ZkCreateEphemeral{elect_request_, session_, kControllerPath});
  ctx.set_timer(ctx.now() + kRequestTimeout_s, timers_.arm(kElect));
}

void ZkController::handle(NodeContext& ctx, NodeId, ZkCreateResponse& r) {
  if (r.request_id == register_request_) {
    register_request_ = -1;
    if (r.error == ErrorCode::none && r.owner == session_) {
      registered_ = true;
      timers_.disarm(kRegister);
    } else {
      // No quorum, not the leader, or our previous session still holds the znode until it expires.
      ctx.set_timer(ctx.now() + kRetryBackoff_s, timers_.arm(kRegister));
    }
    return;
  }
  if (r.request_id == elect_request_) {
    elect_request_ = -1;
    if (r.error != ErrorCode::none) {
      ctx.set_timer(ctx.now() + kRetryBackoff_s, timers_.arm(kElect));
      return;
    }
    timers_.disarm(kElect);
    controller_owner_ = r.owner;
    if (r.owner == session_ && !is_controller_) become_controller(ctx, r.controller_epoch);
  }
}

void ZkController::handle(NodeContext& ctx, NodeId, ZkWatchEvent& r) {
  if (r.path == kControllerPath) {
    if (r.deleted) {
      if (controller_owner_ == r.owner) controller_owner_ = -1;
      if (session_open_ && !is_controller_ && controller_owner_ < 0) send_elect(ctx);
    } else {
      controller_owner_ = r.owner;
      if (is_controller_ && r.owner != session_) resign(ctx);  // our session must have expired
    }
    return;
  }
  const int32_t broker = broker_of_path(r.path);
  if (broker < 0 || broker >= initial_state_.broker_count() || !is_controller_) return;
  enqueue(ctx, Job{r.deleted ? Job::Kind::broker_failed : Job::Kind::broker_started, broker, NodeId{-1}, {}});
}

// ---------------------------------------------------------------- controller

void ZkController::become_controller(NodeContext& ctx, int32_t epoch) {
  is_controller_ = true;
  loaded_ = false;
  failover_done_ = false;
  controller_epoch_ = epoch;
  jobs_.clear();
  busy_ = false;
  busy_writing_ = false;
  metadata_.active_controller = ctx.self().value;
  ctx.events().emit(ctx.now(), "controller_elected",
                    {{"controller", broker_host_name(broker_id_)}, {"epoch", controller_epoch_}});
  send_read(ctx);
}

void ZkController::resign(NodeContext& ctx) {
  if (metadata_.active_controller == ctx.self().value) metadata_.active_controller = -1;
  is_controller_ = false;
  loaded_ = false;
  failover_done_ = false;
  jobs_.clear();
  busy_ = false;
  busy_writing_ = false;
  busy_work_ = Work{};
  timers_.disarm(kRead);
  timers_.disarm(kWrite);
  timers_.disarm(kBusy);
}

void ZkController::send_read(NodeContext& ctx) {
  read_request_ = next_request_id_++;
  ctx.send(server_node(), ZkReadRequest{read_request_});
  ctx.set_timer(ctx.now() + kRequestTimeout_s, timers_.arm(kRead));
}

void ZkController::handle(NodeContext& ctx, NodeId, ZkReadResponse& r) {
  if (r.request_id != read_request_ || !is_controller_ || loaded_) return;
  read_request_ = -1;
  if (r.error != ErrorCode::none) {
    ctx.set_timer(ctx.now() + kRetryBackoff_s, timers_.arm(kRead));
    return;
  }
  timers_.disarm(kRead);
  if (r.controller_owner != session_ || r.controller_epoch != controller_epoch_) {
    resign(ctx);
    return;
  }
  state_ = initial_state_;
  for (const auto& p : r.partitions) state_.apply(p);
  for (int32_t b = 0; b < state_.broker_count(); ++b)
    state_.set_broker_live(b, std::find(r.registered_brokers.begin(), r.registered_brokers.end(), b) !=
                                  r.registered_brokers.end());
  loaded_ = true;
  // Loading costs time in proportion to the partitions; events that came meanwhile wait behind it.
  jobs_.push_front(Job{Job::Kind::failover, -1, NodeId{-1}, {}});
  run_jobs(ctx);
}

void ZkController::handle(NodeContext& ctx, NodeId from, AlterPartitionRequest& r) {
  if (!is_controller_) {
    AlterPartitionResponse resp;
    resp.request_id = r.request_id;
    resp.error = ErrorCode::not_controller;
    resp.controller_hint = controller_owner_ >= 0 ? session_client(controller_owner_).value : -1;
    ctx.send(from, std::move(resp));
    return;
  }
  enqueue(ctx, Job{Job::Kind::alter_partition, r.broker_id, from, std::move(r)});
}

void ZkController::enqueue(NodeContext& ctx, Job job) {
  jobs_.push_back(std::move(job));
  run_jobs(ctx);
}

void ZkController::run_jobs(NodeContext& ctx) {
  while (is_controller_ && loaded_ && !busy_ && !jobs_.empty()) {
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    int32_t leader_changes = 0;
    Work work = compute(job, &leader_changes);
    SimTime cost = leader_changes * config_.election_s_per_partition;
    if (job.kind == Job::Kind::failover)
      cost += static_cast<double>(state_.partition_count()) * config_.metadata_load_s_per_partition;
    if (cost > 0) {
      busy_ = true;
      busy_work_ = std::move(work);
      ctx.set_timer(ctx.now() + cost, timers_.arm(kBusy));
      return;
    }
    write_or_finish(ctx, std::move(work));
  }
}

ZkController::Work ZkController::compute(const Job& job, int32_t* leader_changes) const {
  Work work;
  switch (job.kind) {
    case Job::Kind::failover: {
      // KafkaController.onControllerFailover: brokers not registered are offline replicas; partitions they
      // led elect again. Every live broker then learns who the controller is.
      std::vector<int32_t> dead;
      for (int32_t b = 0; b < state_.broker_count(); ++b)
        if (!state_.broker_live(b)) dead.push_back(b);
      work.changes = state_.brokers_failed(dead);
      work.announce = true;
      work.failover = true;
      break;
    }
    case Job::Kind::broker_failed:
      if (!state_.broker_live(job.broker)) break;
      work.changes = state_.broker_failed(job.broker);
      work.liveness = std::make_pair(job.broker, false);
      break;
    case Job::Kind::broker_started:
      work.changes = state_.broker_started(job.broker);
      work.liveness = std::make_pair(job.broker, true);
      work.full_state_brokers.push_back(job.broker);
      break;
    case Job::Kind::alter_partition: {
      AlterPartitionResponse resp;
      resp.request_id = job.request.request_id;
      resp.controller_hint = wiring_.agents[static_cast<size_t>(broker_id_)].value;
      for (const auto& item : job.request.items) {
        AlterPartitionDecision d = state_.alter_partition(job.request.broker_id, item);
        AlterPartitionResponse::Item out;
        out.error = d.error;
        if (d.change) {
          out.state = *d.change;
          work.changes.push_back(*d.change);
        } else if (state_.has_partition(item.tp)) {
          out.state = state_.partition(item.tp);
        }
        resp.items.push_back(std::move(out));
      }
      work.response = std::make_pair(job.from, std::move(resp));
      break;
    }
  }
  for (const auto& c : work.changes)
    if (c.leader != state_.partition(c.tp).leader) ++*leader_changes;
  return work;
}

void ZkController::write_or_finish(NodeContext& ctx, Work work) {
  if (work.changes.empty()) {
    finish(ctx, std::move(work));
    return;
  }
  busy_ = true;
  busy_writing_ = true;
  busy_work_ = std::move(work);
  send_write(ctx);
}

void ZkController::send_write(NodeContext& ctx) {
  write_request_ = next_request_id_++;
  ZkWriteRequest req;
  req.request_id = write_request_;
  req.session = session_;
  req.controller_epoch = controller_epoch_;
  req.partitions = busy_work_.changes;
  ctx.send(server_node(), std::move(req));
  ctx.set_timer(ctx.now() + kRequestTimeout_s, timers_.arm(kWrite));
}

void ZkController::handle(NodeContext& ctx, NodeId, ZkWriteResponse& r) {
  if (r.request_id != write_request_ || !is_controller_ || !busy_writing_) return;
  write_request_ = -1;
  if (r.error == ErrorCode::stale_controller_epoch) {
    resign(ctx);  // another controller took over
    return;
  }
  if (r.error != ErrorCode::none) {
    ctx.set_timer(ctx.now() + kRetryBackoff_s, timers_.arm(kWrite));
    return;
  }
  timers_.disarm(kWrite);
  busy_ = false;
  busy_writing_ = false;
  Work work = std::move(busy_work_);
  busy_work_ = Work{};
  finish(ctx, std::move(work));
  run_jobs(ctx);
}

void ZkController::finish(NodeContext& ctx, Work work) {
  if (work.failover) failover_done_ = true;
  if (work.liveness) state_.set_broker_live(work.liveness->first, work.liveness->second);
  for (const auto& c : work.changes) state_.apply(c);
  PublishBatch batch;
  batch.partitions = std::move(work.changes);
  batch.full_state_brokers = std::move(work.full_state_brokers);
  batch.announce = work.announce;
  publisher_.publish(ctx, state_, batch, controller_epoch_);
  if (batch.announce) emit_ready(ctx);  // metadata loaded and the failover elections written
  if (work.response) ctx.send(work.response->first, std::move(work.response->second));
}

}  // namespace kafkasim
