#include "controller/zookeeper_server.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include "core/check.h"

namespace kafkasim {
namespace {

// The warm start's snapshot: epoch 1, counter 0. Every server starts with it.
constexpr int64_t kBaseZxid = int64_t{1} << 32;
constexpr int64_t kTickMs = 2000;

int32_t zxid_epoch(int64_t zxid) { return static_cast<int32_t>(zxid >> 32); }
int64_t to_whole_ms(SimTime t) { return std::llround(to_ms(t)); }

}  // namespace

ZooKeeperServer::ZooKeeperServer(int32_t index, const ControlPlaneWiring& wiring, const Scenario& scenario)
    : index_(index), wiring_(wiring), config_(ControlPlaneConfig::from(scenario)), committed_zxid_(kBaseZxid) {
  static_assert(kTick_s * 1000 == kTickMs);
  KSIM_ASSERT(index >= 0 && static_cast<size_t>(index) < wiring.quorum.size(), "ZooKeeper server index out of range");
  // Warm start: every broker has a session holding its registration; broker 0 is the controller, epoch 1.
  for (size_t b = 0; b < wiring.agents.size(); ++b) {
    int64_t session = make_session(wiring.agents[b], 0);
    data_.sessions.insert(session);
    data_.ephemerals[broker_path(static_cast<int32_t>(b))] = session;
  }
  if (!wiring.agents.empty()) {
    data_.ephemerals[kControllerPath] = make_session(wiring.agents[0], 0);
    data_.controller_epoch = 1;
  }
}

int64_t ZooKeeperServer::last_zxid() const { return log_.empty() ? kBaseZxid : log_.back().zxid; }

int32_t ZooKeeperServer::server_index(NodeId node) const {
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (wiring_.quorum[i] == node) return static_cast<int32_t>(i);
  return -1;
}

NodeId ZooKeeperServer::leader_node() const {
  return leader_ >= 0 ? wiring_.quorum[static_cast<size_t>(leader_)] : NodeId{-1};
}

void ZooKeeperServer::start(NodeContext& ctx) {
  up_ = true;
  const bool warm_start = !started_before_;
  started_before_ = true;
  if (!warm_start) {
    start_looking(ctx);
    return;
  }
  if (index_ == 0) {
    role_ = Role::leading;
    leader_ = index_;
    next_counter_ = 1;
    follower_zxid_.assign(wiring_.quorum.size(), kBaseZxid);
    follower_ack_at_.assign(wiring_.quorum.size(), ctx.now());
    on_established(ctx);
    send_heartbeats(ctx);
    ctx.set_timer(ctx.now() + kTick_s / 2, timers_.arm(kHeartbeat));
  } else {
    role_ = Role::following;
    leader_ = 0;
    ctx.set_timer(ctx.now() + kSyncLimitTicks * kTick_s, timers_.arm(kLeaderTimeout));
  }
}

void ZooKeeperServer::on_crash(NodeContext&, bool) {
  up_ = false;
  timers_.invalidate_all();
  leave_leadership();
  role_ = Role::looking;
  leader_ = -1;
  notices_.clear();
  awaiting_leader_ = -1;
}

void ZooKeeperServer::on_message(NodeContext& ctx, Message&& message) {
  if (!up_) return;
  std::visit([&](auto& body) { handle(ctx, message.from, body); }, message.body);
}

void ZooKeeperServer::on_timer(NodeContext& ctx, uint64_t token) {
  if (!up_) return;
  switch (timers_.fired(token)) {
    case kElection:
      if (role_ == Role::looking) decide(ctx);
      break;
    case kLeaderTimeout:
      if (role_ == Role::following) start_looking(ctx);
      break;
    case kHeartbeat: {
      if (role_ != Role::leading) break;
      int32_t in_touch = 1;
      for (size_t f = 0; f < follower_ack_at_.size(); ++f)
        if (static_cast<int32_t>(f) != index_ && ctx.now() - follower_ack_at_[f] <= kSyncLimitTicks * kTick_s)
          ++in_touch;
      if (in_touch < majority()) {
        start_looking(ctx);  // ZooKeeper's leader shuts down without a synced quorum
        break;
      }
      send_heartbeats(ctx);
      ctx.set_timer(ctx.now() + kTick_s / 2, timers_.arm(kHeartbeat));
      break;
    }
    case kSessionTick:
      if (role_ == Role::leading && established_) {
        expire_sessions(ctx);
        ctx.set_timer(ctx.now() + kTick_s, timers_.arm(kSessionTick));
      }
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- election

void ZooKeeperServer::leave_leadership() {
  established_ = false;
  follower_zxid_.clear();
  follower_ack_at_.clear();
  replies_.clear();
  session_expiry_ms_.clear();
  closing_.clear();
  opening_.clear();
  creating_.clear();
}

void ZooKeeperServer::start_looking(NodeContext& ctx) {
  if (role_ == Role::leading) leave_leadership();
  role_ = Role::looking;
  leader_ = -1;
  awaiting_leader_ = -1;
  notice_interval_ = kElectionDelay_s;
  timers_.disarm(kLeaderTimeout);
  timers_.disarm(kHeartbeat);
  timers_.disarm(kSessionTick);
  broadcast_notice(ctx);
}

void ZooKeeperServer::send_notice(NodeContext& ctx, NodeId to) {
  ZkElectionNotice n;
  n.server = index_;
  n.epoch = accepted_epoch_;
  n.last_zxid = last_zxid();
  n.looking = role_ == Role::looking;
  n.leader = leader_;
  ctx.send(to, n);
}

void ZooKeeperServer::broadcast_notice(NodeContext& ctx) {
  notices_.clear();
  notices_[index_] = ZkElectionNotice{index_, accepted_epoch_, last_zxid(), true, -1};
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (static_cast<int32_t>(i) != index_) send_notice(ctx, wiring_.quorum[i]);
  ctx.set_timer(ctx.now() + notice_interval_, timers_.arm(kElection));
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkElectionNotice& n) {
  const int32_t s = server_index(from);
  if (s < 0 || s == index_) return;
  if (role_ != Role::looking) {
    if (n.looking) send_notice(ctx, from);
    return;
  }
  const bool first = notices_.count(s) == 0;
  notices_[s] = n;
  if (n.looking && first) send_notice(ctx, from);
}

void ZooKeeperServer::decide(NodeContext& ctx) {
  if (awaiting_leader_ >= 0) {
    // The server we expected to lead did not: try again.
    awaiting_leader_ = -1;
    broadcast_notice(ctx);
    return;
  }
  // An established leader answered: join it (it syncs us).
  for (const auto& [s, n] : notices_) {
    if (n.looking || n.leader != s || n.epoch < accepted_epoch_) continue;
    awaiting_leader_ = s;
    ctx.send(wiring_.quorum[static_cast<size_t>(s)], ZkProposalAck{last_zxid(), index_, n.epoch, false});
    ctx.set_timer(ctx.now() + kSyncLimitTicks * kTick_s, timers_.arm(kElection));
    return;
  }
  int32_t looking = 0;
  int32_t best = -1;
  int32_t max_epoch = accepted_epoch_;  // the new epoch must be one nobody accepted yet
  for (const auto& [s, n] : notices_) {
    max_epoch = std::max(max_epoch, n.epoch);
    if (!n.looking) continue;
    ++looking;
    if (best < 0 || n.last_zxid > notices_.at(best).last_zxid) best = s;  // map order: lowest index wins ties
  }
  if (looking >= majority()) {
    if (best == index_) {
      lead(ctx, max_epoch + 1);
    } else {
      awaiting_leader_ = best;
      ctx.set_timer(ctx.now() + 5 * kElectionDelay_s, timers_.arm(kElection));
    }
    return;
  }
  notice_interval_ = std::min(2 * notice_interval_, kMaxNoticeInterval_s);
  broadcast_notice(ctx);
}

void ZooKeeperServer::follow(NodeContext&, int32_t leader, int32_t epoch) {
  if (role_ == Role::leading) leave_leadership();
  role_ = Role::following;
  leader_ = leader;
  accepted_epoch_ = epoch;
  accepted_leader_ = leader;
  awaiting_leader_ = -1;
  timers_.disarm(kElection);
  timers_.disarm(kHeartbeat);
  timers_.disarm(kSessionTick);
}

void ZooKeeperServer::lead(NodeContext& ctx, int32_t epoch) {
  role_ = Role::leading;
  leader_ = index_;
  accepted_epoch_ = epoch;
  accepted_leader_ = index_;
  established_ = false;
  awaiting_leader_ = -1;
  next_counter_ = 0;
  follower_zxid_.assign(wiring_.quorum.size(), -1);
  follower_ack_at_.assign(wiring_.quorum.size(), ctx.now());
  timers_.disarm(kElection);
  timers_.disarm(kLeaderTimeout);
  ZkTxn new_epoch;
  new_epoch.kind = ZkTxn::Kind::new_epoch;
  propose(ctx, new_epoch);
  ctx.set_timer(ctx.now() + kTick_s / 2, timers_.arm(kHeartbeat));
}

// ---------------------------------------------------------------- replication

int64_t ZooKeeperServer::propose(NodeContext& ctx, ZkTxn txn) {
  const int64_t prev = last_zxid();
  txn.zxid = (static_cast<int64_t>(accepted_epoch_) << 32) | next_counter_++;
  log_.push_back(txn);
  ZkProposal p;
  p.zxid = txn.zxid;
  p.leader = index_;
  p.epoch = accepted_epoch_;
  p.prev_zxid = prev;
  p.committed_zxid = committed_zxid_;
  p.txns.push_back(std::move(txn));
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (static_cast<int32_t>(i) != index_) ctx.send(wiring_.quorum[i], p);
  const int64_t zxid = log_.back().zxid;
  maybe_commit(ctx);
  return zxid;
}

void ZooKeeperServer::send_heartbeats(NodeContext& ctx) {
  ZkProposal p;
  p.zxid = last_zxid();
  p.leader = index_;
  p.epoch = accepted_epoch_;
  p.prev_zxid = last_zxid();
  p.committed_zxid = committed_zxid_;
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (static_cast<int32_t>(i) != index_) ctx.send(wiring_.quorum[i], p);
}

void ZooKeeperServer::send_sync(NodeContext& ctx, int32_t follower, int64_t follower_zxid) {
  ZkProposal p;
  p.zxid = last_zxid();
  p.leader = index_;
  p.epoch = accepted_epoch_;
  p.committed_zxid = committed_zxid_;
  auto by_zxid = [](const ZkTxn& t, int64_t z) { return t.zxid < z; };
  auto it = std::lower_bound(log_.begin(), log_.end(), follower_zxid, by_zxid);
  if (follower_zxid == kBaseZxid || (it != log_.end() && it->zxid == follower_zxid)) {
    p.prev_zxid = follower_zxid;  // DIFF: the follower's history is a prefix of ours
    if (it != log_.end() && it->zxid == follower_zxid) ++it;
  } else {
    // TRUNC: it logged transactions we never had (from an old epoch); back to the last one we share.
    p.prev_zxid = it == log_.begin() ? kBaseZxid : std::prev(it)->zxid;
    p.truncate_to = p.prev_zxid;
  }
  p.txns.assign(it, log_.end());
  ctx.send(wiring_.quorum[static_cast<size_t>(follower)], std::move(p));
}

void ZooKeeperServer::truncate_after(int64_t zxid) {
  KSIM_ASSERT(zxid >= committed_zxid_, "ZooKeeper would drop committed transactions");
  while (!log_.empty() && log_.back().zxid > zxid) log_.pop_back();
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkProposal& p) {
  const int32_t s = server_index(from);
  if (s < 0 || s == index_ || p.epoch < accepted_epoch_) return;
  if (p.epoch == accepted_epoch_ && accepted_leader_ != s) return;  // one leader per epoch, ever
  if (role_ != Role::following || leader_ != s || p.epoch > accepted_epoch_) follow(ctx, s, p.epoch);
  ctx.set_timer(ctx.now() + kSyncLimitTicks * kTick_s, timers_.arm(kLeaderTimeout));
  if (p.truncate_to >= 0 && p.truncate_to < last_zxid()) truncate_after(p.truncate_to);
  const bool synced = last_zxid() == p.prev_zxid;
  if (synced) {
    for (auto& txn : p.txns)
      if (txn.zxid > last_zxid()) log_.push_back(std::move(txn));
    const int64_t commit = std::min(p.committed_zxid, last_zxid());
    if (commit > committed_zxid_) apply_committed(ctx, commit, false);
  }
  ctx.send(from, ZkProposalAck{last_zxid(), index_, accepted_epoch_, synced});
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkProposalAck& a) {
  const int32_t f = server_index(from);
  if (role_ != Role::leading || a.epoch != accepted_epoch_ || f < 0 || f == index_) return;
  follower_zxid_[static_cast<size_t>(f)] = a.zxid;
  follower_ack_at_[static_cast<size_t>(f)] = ctx.now();
  if (!a.synced) send_sync(ctx, f, a.zxid);
  maybe_commit(ctx);
}

void ZooKeeperServer::maybe_commit(NodeContext& ctx) {
  std::vector<int64_t> logged{last_zxid()};
  for (size_t f = 0; f < follower_zxid_.size(); ++f)
    if (static_cast<int32_t>(f) != index_ && follower_zxid_[f] >= 0) logged.push_back(follower_zxid_[f]);
  if (static_cast<int32_t>(logged.size()) < majority()) return;
  std::sort(logged.begin(), logged.end(), std::greater<>());
  const int64_t on_majority = std::min(logged[static_cast<size_t>(majority() - 1)], last_zxid());
  // Only this epoch's transactions are counted; committing one commits everything before it.
  if (zxid_epoch(on_majority) != accepted_epoch_ || on_majority <= committed_zxid_) return;
  apply_committed(ctx, on_majority, true);
}

void ZooKeeperServer::apply_committed(NodeContext& ctx, int64_t upto, bool as_leader) {
  auto by_zxid = [](const ZkTxn& t, int64_t z) { return t.zxid < z; };
  auto it = std::lower_bound(log_.begin(), log_.end(), committed_zxid_ + 1, by_zxid);
  bool now_established = false;
  for (; it != log_.end() && it->zxid <= upto; ++it) {
    const ZkTxn& txn = *it;
    std::vector<ZkWatchEvent> fired = data_.apply(txn);
    committed_zxid_ = txn.zxid;
    if (!as_leader) continue;
    switch (txn.kind) {
      case ZkTxn::Kind::new_epoch:
        if (zxid_epoch(txn.zxid) == accepted_epoch_) now_established = true;
        break;
      case ZkTxn::Kind::create_session:
        opening_.erase(txn.session);
        if (established_) touch(ctx, txn.session);
        break;
      case ZkTxn::Kind::close_session:
        closing_.erase(txn.session);
        session_expiry_ms_.erase(txn.session);
        break;
      case ZkTxn::Kind::create_ephemeral:
        creating_.erase(txn.path);
        break;
      case ZkTxn::Kind::set_partition_states:
        break;
    }
    // Watches: every session watches /controller; the controller's session watches /brokers/ids.
    for (const ZkWatchEvent& ev : fired) {
      if (ev.path == kControllerPath) {
        for (int64_t s : data_.sessions) ctx.send(session_client(s), ev);
      } else if (broker_of_path(ev.path) >= 0) {
        int64_t controller = data_.owner(kControllerPath);
        if (controller >= 0) ctx.send(session_client(controller), ev);
      }
    }
    auto pending = replies_.find(txn.zxid);
    if (pending != replies_.end()) {
      for (const PendingReply& r : pending->second) reply(ctx, r);
      replies_.erase(pending);
    }
  }
  committed_zxid_ = std::max(committed_zxid_, std::min(upto, last_zxid()));
  if (now_established && !established_) on_established(ctx);
}

// ---------------------------------------------------------------- sessions and clients

void ZooKeeperServer::touch(NodeContext& ctx, int64_t session) {
  // ZooKeeper's ExpiryQueue: the expiry time rounded up to the next tick boundary.
  const int64_t timeout_ms = to_whole_ms(config_.zookeeper_session_timeout_s);
  session_expiry_ms_[session] = ((to_whole_ms(ctx.now()) + timeout_ms) / kTickMs + 1) * kTickMs;
}

void ZooKeeperServer::on_established(NodeContext& ctx) {
  established_ = true;
  // A new leader does not know when sessions last pinged: each gets a full timeout from now.
  session_expiry_ms_.clear();
  for (int64_t s : data_.sessions) touch(ctx, s);
  const int64_t next_tick_ms = (to_whole_ms(ctx.now()) / kTickMs + 1) * kTickMs;
  ctx.set_timer(from_ms(static_cast<double>(next_tick_ms)), timers_.arm(kSessionTick));
}

void ZooKeeperServer::expire_sessions(NodeContext& ctx) {
  const int64_t now_ms = to_whole_ms(ctx.now());
  std::vector<int64_t> expired;
  for (const auto& [session, expiry_ms] : session_expiry_ms_)
    if (expiry_ms <= now_ms && closing_.count(session) == 0 && data_.sessions.count(session) != 0)
      expired.push_back(session);
  for (int64_t session : expired) {
    closing_.insert(session);
    ZkTxn close;
    close.kind = ZkTxn::Kind::close_session;
    close.session = session;
    propose(ctx, close);
  }
}

void ZooKeeperServer::reply(NodeContext& ctx, const PendingReply& r) {
  switch (r.kind) {
    case PendingReply::Kind::pong: {
      ZkPong pong;
      pong.session = r.session;
      pong.server_hint = ctx.self().value;
      pong.expired = data_.sessions.count(r.session) == 0;
      ctx.send(r.to, pong);
      break;
    }
    case PendingReply::Kind::create: {
      ZkCreateResponse resp;
      resp.request_id = r.request_id;
      resp.path = r.path;
      resp.owner = data_.owner(r.path);
      resp.created = resp.owner == r.session;
      if (r.path == kControllerPath) resp.controller_epoch = data_.controller_epoch;
      ctx.send(r.to, std::move(resp));
      break;
    }
    case PendingReply::Kind::write:
      ctx.send(r.to, ZkWriteResponse{r.request_id, ErrorCode::none});
      break;
  }
}

bool ZooKeeperServer::redirect(NodeContext& ctx, NodeId from, const MessageBody& request) {
  if (role_ == Role::leading && established_) return false;
  const bool known = role_ == Role::following && leader_ >= 0;
  const ErrorCode error = known ? ErrorCode::not_coordinator : ErrorCode::coordinator_not_available;
  if (const auto* ping = std::get_if<ZkPing>(&request)) {
    ZkPong pong;
    pong.session = ping->session;
    pong.error = error;
    pong.server_hint = known ? leader_node().value : -1;
    ctx.send(from, pong);
  } else if (const auto* create = std::get_if<ZkCreateEphemeral>(&request)) {
    ZkCreateResponse resp;
    resp.request_id = create->request_id;
    resp.path = create->path;
    resp.error = error;
    ctx.send(from, std::move(resp));
  } else if (const auto* write = std::get_if<ZkWriteRequest>(&request)) {
    ctx.send(from, ZkWriteResponse{write->request_id, error});
  } else if (const auto* read = std::get_if<ZkReadRequest>(&request)) {
    ZkReadResponse resp;
    resp.request_id = read->request_id;
    resp.error = error;
    ctx.send(from, std::move(resp));
  }
  return true;
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkPing& r) {
  if (redirect(ctx, from, r)) return;
  const int64_t s = r.session;
  if (data_.sessions.count(s) != 0 && closing_.count(s) == 0) {
    touch(ctx, s);
    ZkPong pong;
    pong.session = s;
    pong.server_hint = ctx.self().value;
    ctx.send(from, pong);
    return;
  }
  if (closing_.count(s) == 0 && r.connect) {
    auto opening = opening_.find(s);
    int64_t zxid = 0;
    if (opening != opening_.end()) {
      zxid = opening->second;
    } else {
      ZkTxn txn;
      txn.kind = ZkTxn::Kind::create_session;
      txn.session = s;
      zxid = propose(ctx, txn);
      if (data_.sessions.count(s) != 0) {  // committed at once (a one-server ensemble)
        reply(ctx, PendingReply{PendingReply::Kind::pong, from, 0, s, ""});
        return;
      }
      opening_[s] = zxid;
    }
    replies_[zxid].push_back(PendingReply{PendingReply::Kind::pong, from, 0, s, ""});
    return;
  }
  ZkPong pong;
  pong.session = s;
  pong.server_hint = ctx.self().value;
  pong.expired = true;
  ctx.send(from, pong);
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkCreateEphemeral& r) {
  if (redirect(ctx, from, r)) return;
  ZkCreateResponse resp;
  resp.request_id = r.request_id;
  resp.path = r.path;
  if (data_.sessions.count(r.session) == 0 || closing_.count(r.session) != 0) {
    resp.error = ErrorCode::unknown_member_id;  // the session is gone
    ctx.send(from, std::move(resp));
    return;
  }
  const int64_t owner = data_.owner(r.path);
  auto creating = creating_.find(r.path);
  if (owner < 0 && creating != creating_.end() && creating->second.first == r.session) {
    replies_[creating->second.second].push_back(PendingReply{PendingReply::Kind::create, from, r.request_id, r.session, r.path});
    return;
  }
  if (owner >= 0 || creating != creating_.end()) {
    resp.owner = owner >= 0 ? owner : creating->second.first;
    if (r.path == kControllerPath) resp.controller_epoch = data_.controller_epoch;
    ctx.send(from, std::move(resp));
    return;
  }
  ZkTxn txn;
  txn.kind = ZkTxn::Kind::create_ephemeral;
  txn.session = r.session;
  txn.path = r.path;
  if (r.path == kControllerPath) txn.controller_epoch = data_.controller_epoch + 1;
  PendingReply pending{PendingReply::Kind::create, from, r.request_id, r.session, r.path};
  const int64_t zxid = propose(ctx, txn);
  if (committed_zxid_ >= zxid) {
    reply(ctx, pending);
    return;
  }
  creating_[r.path] = {r.session, zxid};
  replies_[zxid].push_back(pending);
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkWriteRequest& r) {
  if (redirect(ctx, from, r)) return;
  // Kafka's controller writes with a check on the controller epoch znode: a deposed controller fails.
  if (data_.owner(kControllerPath) != r.session || r.controller_epoch != data_.controller_epoch ||
      closing_.count(r.session) != 0) {
    ctx.send(from, ZkWriteResponse{r.request_id, ErrorCode::stale_controller_epoch});
    return;
  }
  ZkTxn txn;
  txn.kind = ZkTxn::Kind::set_partition_states;
  txn.session = r.session;
  txn.partitions = std::move(r.partitions);
  PendingReply pending{PendingReply::Kind::write, from, r.request_id, r.session, ""};
  const int64_t zxid = propose(ctx, std::move(txn));
  if (committed_zxid_ >= zxid) {
    reply(ctx, pending);
    return;
  }
  replies_[zxid].push_back(pending);
}

void ZooKeeperServer::handle(NodeContext& ctx, NodeId from, ZkReadRequest& r) {
  if (redirect(ctx, from, r)) return;
  ZkReadResponse resp;
  resp.request_id = r.request_id;
  resp.controller_epoch = data_.controller_epoch;
  resp.controller_owner = data_.owner(kControllerPath);
  resp.registered_brokers = data_.registered_brokers();
  for (const auto& [tp, state] : data_.partitions) resp.partitions.push_back(state);
  ctx.send(from, std::move(resp));
}

}  // namespace kafkasim
