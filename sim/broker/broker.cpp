#include "broker/broker.h"

#include <algorithm>
#include <variant>

#include "metrics/event_log.h"
#include "scenario/kafka_configs.h"

namespace kafkasim {
namespace {

// Timer tokens: kind in the top byte, the broker's incarnation in the next 16 bits, an id below.
enum TimerKind : uint64_t { kDelayedFetch = 1, kDelayedProduce = 2, kIsrCheck = 3, kHwCheckpoint = 4, kFetcher = 5,
                            kFlush = 6, kGroupCoordinator = 7, kDelayedCommit = 8 };
uint64_t token_of(uint64_t kind, uint64_t incarnation, uint64_t id) {
  return (kind << 56) | ((incarnation & 0xffff) << 40) | (id & 0xffffffffffULL);
}
uint64_t kind_of(uint64_t token) { return token >> 56; }
uint64_t incarnation_of(uint64_t token) { return (token >> 40) & 0xffff; }
uint64_t id_of(uint64_t token) { return token & 0xffffffffffULL; }

bool contains(const std::vector<int32_t>& v, int32_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

nlohmann::ordered_json tp_fields(const ClusterMetadata& c, TopicPartition tp) {
  return {{"topic", c.topic_name(tp.topic)}, {"partition", tp.partition}};
}

}  // namespace

Broker::Broker(int32_t broker_id, const Scenario& scenario, const ClusterMetadata& metadata)
    : id_(broker_id), scenario_(scenario), cluster_(metadata) {
  const ConfigMap& cfg = scenario.cluster.broker_config;
  leader_epoch_truncation_ = uses_leader_epoch_truncation(cfg);
  replica_lag_max_s_ = from_ms(cfg.get_double("replica.lag.time.max.ms"));
  replica_fetch_wait_s_ = from_ms(cfg.get_double("replica.fetch.wait.max.ms"));
  replica_fetch_min_bytes_ = cfg.get_int("replica.fetch.min.bytes");
  replica_fetch_max_bytes_ = cfg.get_int("replica.fetch.max.bytes");
  replica_socket_timeout_s_ = from_ms(cfg.get_double("replica.socket.timeout.ms"));
  controller_node_ = metadata.active_controller;
  GroupCoordinatorConfig group_config;
  group_config.initial_rebalance_delay_s = from_ms(cfg.get_double("group.initial.rebalance.delay.ms"));
  group_config.min_session_timeout_s = from_ms(cfg.get_double("group.min.session.timeout.ms"));
  group_config.max_session_timeout_s = from_ms(cfg.get_double("group.max.session.timeout.ms"));
  std::vector<std::string> topic_names;
  for (const auto& t : scenario.topics) topic_names.push_back(t.name);
  group_coordinator_ = std::make_unique<GroupCoordinator>(group_config, scenario.seed, broker_id, std::move(topic_names),
                                                          nullptr);
  offsets_commit_timeout_s_ = from_ms(cfg.get_double("offsets.commit.timeout.ms"));
  for (TopicPartition tp : metadata.every_partition()) {
    const PartitionState& st = metadata.partition(tp);
    PartitionLeaderState pls{tp, st.leader, st.leader_epoch, st.partition_epoch, st.isr, st.replicas};
    metadata_cache_[tp] = pls;
    if (!contains(st.replicas, id_)) continue;
    // The cluster starts warm: every replica already knows its role, as after a LeaderAndIsr.
    Replica r;
    r.tp = tp;
    r.role = st.leader == id_ ? Replica::Role::leader : Replica::Role::follower;
    r.leader = st.leader;
    r.leader_epoch = st.leader_epoch;
    r.partition_epoch = st.partition_epoch;
    r.replicas = st.replicas;
    r.isr = st.isr;
    // The internal topic has the broker's defaults.
    const bool internal = metadata.is_internal(tp.topic);
    const ConfigMap& topic = internal ? cfg : scenario.topics[static_cast<size_t>(tp.topic)].config;
    r.min_insync_replicas = static_cast<int32_t>(topic.get_int("min.insync.replicas"));
    r.flush_messages = topic.get_int(internal ? "log.flush.interval.messages" : "flush.messages");
    int64_t flush_ms = internal ? topic.get_int("log.flush.interval.ms") : topic.get_int("flush.ms");
    if (flush_ms < 0) flush_ms = INT64_MAX;
    r.flush_interval_s = flush_ms >= INT64_MAX / 2 ? kNever : from_ms(static_cast<double>(flush_ms));
    for (int32_t f : st.replicas)
      if (f != id_) r.followers[f] = Replica::Follower{};
    // Warm start: a leader of an __consumer_offsets partition coordinates its (so far empty) groups.
    if (internal && st.leader == id_) loaded_offsets_partitions_.insert(tp.partition);
    replicas_.emplace(tp, std::move(r));
  }
  replica_index_.resize(static_cast<size_t>(metadata.topic_count_with_internal()));
  for (auto& [tp, r] : replicas_) {
    auto& by_partition = replica_index_[static_cast<size_t>(tp.topic)];
    by_partition.resize(static_cast<size_t>(metadata.partition_count(tp.topic)), nullptr);
    by_partition[static_cast<size_t>(tp.partition)] = &r;
  }
}

Replica* Broker::replica(TopicPartition tp) {
  const auto topic = static_cast<size_t>(tp.topic);
  if (tp.topic < 0 || topic >= replica_index_.size()) return nullptr;
  const auto& by_partition = replica_index_[topic];
  const auto partition = static_cast<size_t>(tp.partition);
  return tp.partition < 0 || partition >= by_partition.size() ? nullptr : by_partition[partition];
}

void Broker::schedule(NodeContext& ctx, SimTime at, uint64_t kind) { ctx.set_timer(at, token_of(kind, incarnation_, 0)); }

void Broker::start(NodeContext& ctx) {
  const bool restart = incarnation_ > 0;
  up_ = true;
  int32_t leaders = 0;
  for (auto& [tp, r] : replicas_) {
    leaders += r.is_leader() ? 1 : 0;
    r.last_flush = ctx.now();
    for (auto& [f, st] : r.followers) st.last_caught_up = st.last_fetch = ctx.now();
  }
  ctx.events().emit(ctx.now(), restart ? "broker_restarted" : "broker_started",
                    {{"broker", id_}, {"replicas", replicas_.size()}, {"leaders", leaders}});
  schedule(ctx, ctx.now() + replica_lag_max_s_ / 2, kIsrCheck);
  schedule(ctx, ctx.now() + hw_checkpoint_interval_s_, kHwCheckpoint);
  SimTime flush_every = kNever;
  for (const auto& [tp, r] : replicas_) flush_every = std::min(flush_every, r.flush_interval_s);
  if (flush_every != kNever) schedule(ctx, ctx.now() + flush_every, kFlush);
  send_fetches(ctx);
}

void Broker::on_crash(NodeContext& ctx, bool power_loss) {
  up_ = false;
  ++incarnation_;
  pending_appends_.clear();
  delayed_produces_.clear();
  delayed_fetches_.clear();
  fetchers_.clear();
  truncation_requests_.clear();
  group_coordinator_->set_event_log(&ctx.events());
  group_coordinator_->unload_all(ctx.now());
  group_timer_at_ = kNever;
  loaded_offsets_partitions_.clear();
  delayed_commits_.clear();
  for (auto& [tp, r] : replicas_) {
    // A restarted broker waits for the controller to tell it its roles; its high watermark is the last
    // checkpoint.
    r.role = Replica::Role::none;
    r.pending_isr.clear();
    r.alter_in_flight = false;
    r.awaiting_truncation = false;
    if (power_loss && r.log.unflushed_records() > 0) truncate(ctx, r, r.log.flushed_offset(), "power_loss");
    r.high_watermark = std::min(r.high_watermark_checkpoint, r.log.log_end_offset());
  }
  ctx.events().emit(ctx.now(), power_loss ? "broker_power_lost" : "broker_crashed", {{"broker", id_}});
}

void Broker::on_connection_refused(NodeContext& ctx, NodeId peer) {
  // The leader's process is gone: retry after replica.fetch.backoff.ms (1 s) unless told of a new leader.
  for (auto& [leader, f] : fetchers_) {
    if (cluster_.broker_node(leader) != peer || !f.in_flight) continue;
    f.deadline = ctx.now() + 1.0;
    ctx.set_timer(f.deadline, token_of(kFetcher, incarnation_, static_cast<uint64_t>(leader)));
  }
}

void Broker::on_message(NodeContext& ctx, Message&& message) {
  std::visit([&](auto& body) { handle(ctx, message.from, body); }, message.body);
}

// ---------------------------------------------------------------- clients

void Broker::handle(NodeContext& ctx, NodeId from, MetadataRequest& r) {
  MetadataResponse resp;
  resp.request_id = r.request_id;
  for (const auto& [tp, st] : metadata_cache_) resp.partitions.push_back({tp, st.leader, st.leader_epoch});
  ctx.send(from, std::move(resp));
}

void Broker::handle(NodeContext& ctx, NodeId from, ProduceRequest& r) {
  PendingAppend pending;
  pending.client = from;
  int64_t bytes = 0;
  for (const auto& [tp, batch] : r.batches) {
    PartitionProduceResult result{tp, ErrorCode::none, -1};
    Replica* rep = replica(tp);
    if (rep == nullptr || !rep->is_leader()) {
      result.error = ErrorCode::not_leader_or_follower;
    } else if (r.acks == -1 && static_cast<int32_t>(rep->isr.size()) < rep->min_insync_replicas) {
      result.error = ErrorCode::not_enough_replicas;
    }
    if (result.error == ErrorCode::none) bytes += batch.bytes;
    pending.results.push_back(result);
  }
  pending.request = std::move(r);
  uint64_t token = next_token_++;
  pending_appends_.emplace(token, std::move(pending));
  // One write per request: the log appends of a request reach the page cache together.
  ctx.write_to_disk(std::max<int64_t>(bytes, 1), token);
}

void Broker::append_as_leader(NodeContext&, Replica& r, const RecordBatch& batch) {
  RecordBatch b = batch;
  r.log.append_as_leader(b, r.leader_epoch);
  fetch_state_changed(r);
  b.base_offset = r.log.log_end_offset() - b.record_count;
  b.partition_leader_epoch = r.leader_epoch;
  r.producer_state.on_append(b);
}

void Broker::after_append(NodeContext& ctx, Replica& r) {
  if (r.log.unflushed_records() >= r.flush_messages) {
    r.log.flush();
    r.last_flush = ctx.now();
  }
  if (r.is_leader()) maybe_advance_high_watermark(ctx, r);
}

void Broker::on_disk_written(NodeContext& ctx, uint64_t token) {
  auto it = pending_appends_.find(token);
  if (it == pending_appends_.end()) return;
  PendingAppend pending = std::move(it->second);
  pending_appends_.erase(it);

  if (pending.replication) {
    // A follower's fetched data reached its page cache.
    for (auto& [tp, data] : pending.fetched) {
      Replica* r = replica(tp);
      if (r == nullptr || r->role != Replica::Role::follower || r->leader != pending.leader) continue;
      for (const RecordBatch& b : data.batches) {
        if (b.next_offset() <= r->log.log_end_offset()) continue;
        if (b.base_offset != r->log.log_end_offset()) break;  // a gap: fetch again from the log end
        r->log.append_as_follower(b);
        r->producer_state.on_append(b);
      }
      after_append(ctx, *r);
      r->high_watermark = std::max(r->high_watermark, std::min(data.high_watermark, r->log.log_end_offset()));
    }
    fetchers_[pending.leader].in_flight = false;
    send_fetches(ctx);
    return;
  }

  const ProduceRequest& req = pending.request;
  DelayedProduce delayed{pending.client, req.request_id, ctx.now() + req.timeout_s, {}, {}};
  bool must_wait = false;
  for (size_t i = 0; i < req.batches.size(); ++i) {
    auto& result = pending.results[i];
    Offset required = -1;
    if (result.error == ErrorCode::none) {
      Replica* rep = replica(result.tp);
      if (rep == nullptr || !rep->is_leader()) {
        result.error = ErrorCode::not_leader_or_follower;  // leadership moved while the write was queued
      } else {
        const RecordBatch& batch = req.batches[i].second;
        auto verdict = rep->producer_state.check(batch);
        if (verdict.error == ErrorCode::duplicate_sequence_number) {
          result.base_offset = verdict.offset;  // already appended: acknowledge again, append nothing
        } else if (verdict.error != ErrorCode::none) {
          result.error = verdict.error;
        } else {
          append_as_leader(ctx, *rep, batch);
          result.base_offset = rep->log.log_end_offset() - batch.record_count;
          after_append(ctx, *rep);
        }
        if (result.error == ErrorCode::none && req.acks == -1 && rep->high_watermark < result.base_offset + batch.record_count) {
          required = result.base_offset + batch.record_count;
          must_wait = true;
        }
      }
    }
    delayed.results.push_back(result);
    delayed.required_offsets.push_back(required);
  }
  complete_delayed_fetches(ctx);
  if (req.acks == 0) return;
  if (must_wait) {
    uint64_t id = next_token_++;
    ctx.set_timer(delayed.deadline, token_of(kDelayedProduce, incarnation_, id));
    delayed_produces_.emplace(id, std::move(delayed));
    complete_delayed_produces(ctx, false);
    return;
  }
  ctx.send(pending.client, ProduceResponse{req.request_id, std::move(delayed.results)});
}

// ---------------------------------------------------------------- high watermark and ISR

std::vector<int32_t> Broker::maximal_isr(const Replica& r) const {
  // While an ISR change is pending, the leader counts both the old and the asked-for members (KIP-497's
  // "maximal ISR"): a shrink takes effect only once committed, an expansion at once.
  std::vector<int32_t> isr = r.isr;
  for (int32_t b : r.pending_isr)
    if (!contains(isr, b)) isr.push_back(b);
  return isr;
}

void Broker::maybe_advance_high_watermark(NodeContext& ctx, Replica& r) {
  if (!r.is_leader()) return;
  // Since Kafka 3.7 the high watermark does not move while the ISR is below min.insync.replicas.
  if (static_cast<int32_t>(r.isr.size()) < std::min<int32_t>(r.min_insync_replicas, static_cast<int32_t>(r.replicas.size())))
    return;
  Offset hw = r.log.log_end_offset();
  for (int32_t b : maximal_isr(r)) {
    if (b == id_) continue;
    auto it = r.followers.find(b);
    hw = std::min(hw, it == r.followers.end() ? 0 : it->second.log_end_offset);
  }
  if (hw > r.high_watermark) {
    r.high_watermark = hw;
    fetch_state_changed(r);
    complete_delayed_produces(ctx, false);
    complete_delayed_fetches(ctx);
    if (r.tp.topic == cluster_.offsets_topic()) complete_delayed_commits(ctx, false);
  }
}

void Broker::update_follower(NodeContext& ctx, Replica& r, int32_t follower, Offset fetch_offset) {
  auto& f = r.followers[follower];
  const SimTime now = ctx.now();
  const Offset leader_end = r.log.log_end_offset();
  // Kafka's Replica.updateFetchState: caught up if at the leader's end now, or at the end the leader had
  // when the follower last fetched.
  if (fetch_offset >= leader_end)
    f.last_caught_up = now;
  else if (fetch_offset >= f.leader_end_at_last_fetch)
    f.last_caught_up = std::max(f.last_caught_up, f.last_fetch);
  f.log_end_offset = fetch_offset;
  f.last_fetch = now;
  f.leader_end_at_last_fetch = leader_end;
  // ISR expansion: the follower has caught up to the high watermark and to the start of this epoch.
  auto [epoch, epoch_start] = r.log.end_offset_for_epoch(r.leader_epoch - 1);
  (void)epoch;
  Offset current_epoch_start = epoch_start < 0 ? 0 : epoch_start;
  if (!contains(r.isr, follower) && !r.alter_in_flight && fetch_offset >= r.high_watermark &&
      fetch_offset >= current_epoch_start) {
    std::vector<int32_t> isr = r.isr;
    isr.push_back(follower);
    request_isr_change(ctx, r, isr);
  }
  maybe_advance_high_watermark(ctx, r);
}

void Broker::maybe_shrink_isr(NodeContext& ctx) {
  const SimTime now = ctx.now();
  for (auto& [tp, r] : replicas_) {
    if (!r.is_leader() || r.alter_in_flight) continue;
    std::vector<int32_t> keep;
    bool shrink = false;
    for (int32_t b : r.isr) {
      if (b == id_) {
        keep.push_back(b);
        continue;
      }
      const auto& f = r.followers[b];
      bool lagging = f.log_end_offset < r.log.log_end_offset() && now - f.last_caught_up > replica_lag_max_s_;
      if (lagging)
        shrink = true;
      else
        keep.push_back(b);
    }
    if (shrink) request_isr_change(ctx, r, keep);
  }
}

void Broker::request_isr_change(NodeContext& ctx, Replica& r, std::vector<int32_t> new_isr) {
  if (controller_node_ < 0) return;
  r.alter_in_flight = true;
  r.pending_isr.clear();
  for (int32_t b : new_isr) r.pending_isr.insert(b);
  AlterPartitionRequest req;
  req.request_id = next_request_id_++;
  req.broker_id = id_;
  req.items.push_back({r.tp, r.leader_epoch, r.partition_epoch, std::move(new_isr)});
  ctx.send(NodeId{controller_node_}, std::move(req));
  // No answer (controller gone, network cut) must not block further changes forever.
  ctx.set_timer(ctx.now() + replica_socket_timeout_s_, token_of(kIsrCheck, incarnation_, 1));
}

void Broker::handle(NodeContext& ctx, NodeId, AlterPartitionResponse& r) {
  if (r.error == ErrorCode::not_controller && r.controller_hint >= 0) controller_node_ = r.controller_hint;
  for (auto& item : r.items) {
    Replica* rep = replica(item.state.tp);
    if (rep == nullptr) continue;
    rep->alter_in_flight = false;
    rep->pending_isr.clear();
    if (item.error != ErrorCode::none) continue;
    if (item.state.leader_epoch < rep->leader_epoch) continue;
    if (item.state.leader != id_) continue;  // a LeaderAndIsr will follow
    // The controller logs the isr_changed event when it commits the change; the leader only applies it.
    rep->isr = item.state.isr;
    rep->partition_epoch = item.state.partition_epoch;
    maybe_advance_high_watermark(ctx, *rep);
  }
  for (auto& [tp, rep] : replicas_)
    if (r.error != ErrorCode::none) {
      rep.alter_in_flight = false;
      rep.pending_isr.clear();
    }
}

// ---------------------------------------------------------------- roles

void Broker::handle(NodeContext& ctx, NodeId from, LeaderAndIsrRequest& r) {
  if (r.controller_epoch < controller_epoch_) {
    ctx.send(from, LeaderAndIsrResponse{r.request_id, ErrorCode::stale_controller_epoch});
    return;
  }
  controller_epoch_ = r.controller_epoch;
  if (r.controller_id >= 0) controller_node_ = r.controller_id;
  for (const PartitionLeaderState& st : r.partitions) {
    Replica* rep = replica(st.tp);
    if (rep == nullptr) continue;
    metadata_cache_[st.tp] = st;
    // Older news than what the replica knows is ignored; a restarted replica (role none) takes any news.
    if (rep->role != Replica::Role::none && st.leader_epoch < rep->leader_epoch) continue;
    if (rep->role != Replica::Role::none && st.leader_epoch == rep->leader_epoch) {
      if (st.partition_epoch >= rep->partition_epoch) {
        rep->isr = st.isr;
        rep->partition_epoch = st.partition_epoch;
        rep->replicas = st.replicas;
      }
      continue;
    }
    if (st.leader == id_)
      become_leader(ctx, *rep, st);
    else
      become_follower(ctx, *rep, st);
  }
  ctx.send(from, LeaderAndIsrResponse{r.request_id, ErrorCode::none});
  send_fetches(ctx);
}

void Broker::handle(NodeContext&, NodeId, UpdateMetadataRequest& r) {
  if (r.controller_epoch < controller_epoch_) return;
  controller_epoch_ = r.controller_epoch;
  if (r.controller_id >= 0) controller_node_ = r.controller_id;
  for (const auto& st : r.partitions) metadata_cache_[st.tp] = st;
}

void Broker::become_leader(NodeContext& ctx, Replica& r, const PartitionLeaderState& st) {
  fetch_state_changed(r);
  r.role = Replica::Role::leader;
  r.leader = id_;
  r.leader_epoch = st.leader_epoch;
  r.partition_epoch = st.partition_epoch;
  r.isr = st.isr;
  r.replicas = st.replicas;
  r.pending_isr.clear();
  r.alter_in_flight = false;
  r.awaiting_truncation = false;
  r.log.assign_epoch_start(st.leader_epoch, r.log.log_end_offset());
  const SimTime now = ctx.now();
  r.followers.clear();
  for (int32_t b : r.replicas)
    if (b != id_) r.followers[b] = Replica::Follower{0, now, now, 0};
  // The new leader's high watermark is its own until followers report their positions.
  maybe_advance_high_watermark(ctx, r);
  if (r.tp.topic == cluster_.offsets_topic()) load_groups(ctx, r);
}

void Broker::become_follower(NodeContext& ctx, Replica& r, const PartitionLeaderState& st) {
  const bool was_leader = r.is_leader();
  fetch_state_changed(r);
  r.role = Replica::Role::follower;
  r.leader = st.leader;
  r.leader_epoch = st.leader_epoch;
  r.partition_epoch = st.partition_epoch;
  r.isr = st.isr;
  r.replicas = st.replicas;
  r.pending_isr.clear();
  r.alter_in_flight = false;
  if (was_leader) fail_delayed_produces(ctx, r.tp);
  if (r.tp.topic == cluster_.offsets_topic()) unload_groups(ctx, r.tp);
  if (st.leader < 0) {
    r.awaiting_truncation = false;
    return;
  }
  if (leader_epoch_truncation_) {
    r.awaiting_truncation = true;  // OffsetsForLeaderEpoch first (send_fetches asks)
  } else {
    // Before 0.11 (KIP-101's motivation): a new follower truncates to its own high watermark.
    truncate(ctx, r, r.high_watermark, "high_watermark_truncation");
    r.awaiting_truncation = false;
  }
}

void Broker::truncate(NodeContext& ctx, Replica& r, Offset to, const char* reason) {
  if (to >= r.log.log_end_offset()) return;
  std::vector<RecordBatch> dropped = r.log.read(to, r.log.log_end_offset(), INT64_MAX);
  Offset from_end = r.log.log_end_offset();
  int64_t records = r.log.truncate_to(to);
  fetch_state_changed(r);
  // Rebuild the idempotence table from what is left.
  r.producer_state.clear();
  for (const RecordBatch& b : r.log.batches()) r.producer_state.on_append(b);
  r.high_watermark = std::min(r.high_watermark, r.log.log_end_offset());
  r.high_watermark_checkpoint = std::min(r.high_watermark_checkpoint, r.log.log_end_offset());
  auto fields = tp_fields(cluster_, r.tp);
  fields["broker"] = id_;
  fields["from_offset"] = from_end;
  fields["to_offset"] = r.log.log_end_offset();
  fields["records"] = records;
  fields["reason"] = reason;
  ctx.events().emit(ctx.now(), "log_truncated", std::move(fields));
  if (truncation_observer_ && !dropped.empty()) truncation_observer_(id_, r.tp, dropped, ctx.now(), reason);
}

void Broker::fail_delayed_produces(NodeContext& ctx, TopicPartition tp) {
  for (auto it = delayed_produces_.begin(); it != delayed_produces_.end();) {
    DelayedProduce& d = it->second;
    bool touched = false;
    for (size_t i = 0; i < d.results.size(); ++i)
      if (d.results[i].tp == tp && d.required_offsets[i] >= 0) {
        d.results[i].error = ErrorCode::not_leader_or_follower;
        d.required_offsets[i] = -1;
        touched = true;
      }
    bool done = std::all_of(d.required_offsets.begin(), d.required_offsets.end(), [](Offset o) { return o < 0; });
    if (touched && done) {
      ctx.send(d.client, ProduceResponse{d.request_id, std::move(d.results)});
      it = delayed_produces_.erase(it);
    } else {
      ++it;
    }
  }
}

// ---------------------------------------------------------------- follower side

void Broker::send_fetches(NodeContext& ctx) {
  if (!up_) return;
  std::map<int32_t, FetchRequest> fetches;
  std::map<int32_t, OffsetsForLeaderEpochRequest> epoch_requests;
  for (auto& [tp, r] : replicas_) {
    if (r.role != Replica::Role::follower || r.leader < 0) continue;
    FetcherState& f = fetchers_[r.leader];
    if (f.in_flight) continue;
    if (r.awaiting_truncation) {
      auto& req = epoch_requests[r.leader];
      req.items.push_back({tp, r.leader_epoch, r.log.latest_epoch()});
      continue;
    }
    fetches[r.leader].partitions.push_back({tp, r.log.log_end_offset(), replica_fetch_max_bytes_, r.leader_epoch});
  }
  const SimTime now = ctx.now();
  for (auto& [leader, req] : epoch_requests) {
    req.request_id = next_request_id_++;
    req.replica_id = id_;
    FetcherState& f = fetchers_[leader];
    f.in_flight = true;
    f.request_id = req.request_id;
    f.deadline = now + replica_socket_timeout_s_;
    truncation_requests_[req.request_id] = leader;
    ctx.set_timer(f.deadline, token_of(kFetcher, incarnation_, static_cast<uint64_t>(leader)));
    ctx.send(cluster_.broker_node(leader), std::move(req));
    fetches.erase(leader);  // truncate first, fetch after
  }
  for (auto& [leader, req] : fetches) {
    req.request_id = next_request_id_++;
    req.replica_id = id_;
    req.max_wait_s = replica_fetch_wait_s_;
    req.min_bytes = replica_fetch_min_bytes_;
    req.max_bytes = replica_fetch_max_bytes_ * 10;
    FetcherState& f = fetchers_[leader];
    f.in_flight = true;
    f.request_id = req.request_id;
    f.deadline = now + replica_socket_timeout_s_ + replica_fetch_wait_s_;
    ctx.set_timer(f.deadline, token_of(kFetcher, incarnation_, static_cast<uint64_t>(leader)));
    ctx.send(cluster_.broker_node(leader), std::move(req));
  }
}

void Broker::handle(NodeContext& ctx, NodeId, OffsetsForLeaderEpochResponse& r) {
  auto it = truncation_requests_.find(r.request_id);
  if (it == truncation_requests_.end()) return;
  int32_t leader = it->second;
  truncation_requests_.erase(it);
  fetchers_[leader].in_flight = false;
  for (const auto& item : r.items) {
    Replica* rep = replica(item.tp);
    if (rep == nullptr || !rep->awaiting_truncation || rep->leader != leader) continue;
    if (item.error != ErrorCode::none) continue;  // asked again on the next round
    Offset target;
    if (item.leader_epoch < 0) {
      target = rep->high_watermark;  // the leader knows no epoch this old: fall back to the high watermark
    } else {
      // KIP-279: truncate to the smaller of the leader's end of that epoch and our own end of it.
      auto [own_epoch, own_end] = rep->log.end_offset_for_epoch(item.leader_epoch);
      Offset own = own_epoch == item.leader_epoch ? own_end : rep->log.log_end_offset();
      if (own_epoch < 0) own = 0;
      target = std::min({item.end_offset, own, rep->log.log_end_offset()});
    }
    truncate(ctx, *rep, target, "leader_epoch_truncation");
    rep->awaiting_truncation = false;
  }
  send_fetches(ctx);
}

void Broker::handle(NodeContext& ctx, NodeId, FetchResponse& r) {
  // A response to this broker's replica fetcher.
  int32_t leader = -1;
  for (const auto& [l, f] : fetchers_)
    if (f.in_flight && f.request_id == r.request_id) leader = l;
  if (leader < 0) return;
  PendingAppend pending;
  pending.replication = true;
  pending.leader = leader;
  int64_t bytes = 0;
  for (auto& data : r.partitions) {
    Replica* rep = replica(data.tp);
    if (rep == nullptr) continue;
    if (data.error == ErrorCode::offset_out_of_range && rep->role == Replica::Role::follower) {
      // The leader's log is shorter than ours (it truncated): truncate to its end and go on from there.
      truncate(ctx, *rep, data.log_end_offset, "offset_out_of_range");
      continue;
    }
    if (data.error != ErrorCode::none) continue;
    for (const auto& b : data.batches) bytes += b.bytes;
    pending.fetched.emplace_back(data.tp, std::move(data));
  }
  uint64_t token = next_token_++;
  pending_appends_.emplace(token, std::move(pending));
  // The follower's append costs its disk like the leader's.
  ctx.write_to_disk(std::max<int64_t>(bytes, 1), token);
}

// ---------------------------------------------------------------- leader side of fetches

int64_t Broker::gather_fetch(const FetchRequest& r, FetchResponse* out) {
  int64_t total = 0;
  const bool from_follower = r.replica_id >= 0;
  for (const auto& fp : r.partitions) {
    FetchPartitionData data;
    data.tp = fp.tp;
    Replica* rep = replica(fp.tp);
    if (rep == nullptr || !rep->is_leader()) {
      data.error = ErrorCode::not_leader_or_follower;
    } else if (from_follower && fp.current_leader_epoch >= 0 && fp.current_leader_epoch < rep->leader_epoch) {
      data.error = ErrorCode::fenced_leader_epoch;
    } else if (from_follower && fp.current_leader_epoch > rep->leader_epoch) {
      data.error = ErrorCode::unknown_leader_epoch;
    } else if (fp.fetch_offset < rep->log.log_start_offset() || fp.fetch_offset > rep->log.log_end_offset()) {
      data.error = ErrorCode::offset_out_of_range;
    } else {
      // Consumers read below the high watermark; followers up to the log end.
      Offset upto = from_follower ? rep->log.log_end_offset() : rep->high_watermark;
      int64_t room = std::min(fp.partition_max_bytes, std::max<int64_t>(r.max_bytes - total, 0));
      if (out) {
        data.batches = rep->log.read(fp.fetch_offset, upto, room);
        for (const auto& b : data.batches) total += b.bytes;
      } else {
        total += std::min(rep->log.bytes_between(fp.fetch_offset, upto), room);
      }
    }
    if (rep) {
      data.high_watermark = rep->high_watermark;
      data.log_start_offset = rep->log.log_start_offset();
      data.log_end_offset = rep->log.log_end_offset();
    }
    if (data.error != ErrorCode::none) total = std::max<int64_t>(total, r.min_bytes);  // errors answer at once
    if (out) out->partitions.push_back(std::move(data));
  }
  return total;
}

void Broker::handle(NodeContext& ctx, NodeId from, FetchRequest& r) {
  if (r.replica_id >= 0) {
    for (const auto& fp : r.partitions) {
      Replica* rep = replica(fp.tp);
      if (rep && rep->is_leader() && fp.current_leader_epoch == rep->leader_epoch)
        update_follower(ctx, *rep, r.replica_id, fp.fetch_offset);
    }
  }
  int64_t available = gather_fetch(r, nullptr);
  if (available >= r.min_bytes || r.max_wait_s <= 0) {
    FetchResponse resp;
    resp.request_id = r.request_id;
    resp.replica_id = r.replica_id;
    gather_fetch(r, &resp);
    ctx.send(from, std::move(resp));
    return;
  }
  uint64_t id = next_token_++;
  SimTime deadline = ctx.now() + r.max_wait_s;
  delayed_fetches_.emplace(id, DelayedFetch{from, std::move(r), deadline});
  ctx.set_timer(deadline, token_of(kDelayedFetch, incarnation_, id));
}

void Broker::handle(NodeContext& ctx, NodeId from, OffsetsForLeaderEpochRequest& r) {
  OffsetsForLeaderEpochResponse resp;
  resp.request_id = r.request_id;
  for (const auto& item : r.items) {
    OffsetsForLeaderEpochResponse::Item out{item.tp, ErrorCode::none, -1, -1};
    Replica* rep = replica(item.tp);
    if (rep == nullptr || !rep->is_leader()) {
      out.error = ErrorCode::not_leader_or_follower;
    } else if (item.current_leader_epoch < rep->leader_epoch) {
      out.error = ErrorCode::fenced_leader_epoch;
    } else if (item.current_leader_epoch > rep->leader_epoch) {
      out.error = ErrorCode::unknown_leader_epoch;
    } else {
      auto [epoch, end] = rep->log.end_offset_for_epoch(item.leader_epoch);
      out.leader_epoch = epoch;
      out.end_offset = end;
    }
    resp.items.push_back(out);
  }
  ctx.send(from, std::move(resp));
}

void Broker::complete_delayed_produces(NodeContext& ctx, bool expire_all_due) {
  for (auto it = delayed_produces_.begin(); it != delayed_produces_.end();) {
    DelayedProduce& d = it->second;
    bool done = true;
    for (size_t i = 0; i < d.results.size(); ++i) {
      if (d.required_offsets[i] < 0) continue;
      Replica* rep = replica(d.results[i].tp);
      if (rep == nullptr || !rep->is_leader()) {
        d.results[i].error = ErrorCode::not_leader_or_follower;
        d.required_offsets[i] = -1;
      } else if (rep->high_watermark >= d.required_offsets[i]) {
        // Kafka's checkEnoughReplicasReachOffset: the ISR may have shrunk below min ISR meanwhile.
        if (static_cast<int32_t>(rep->isr.size()) < rep->min_insync_replicas)
          d.results[i].error = ErrorCode::not_enough_replicas_after_append;
        d.required_offsets[i] = -1;
      } else if (expire_all_due && ctx.now() + 1e-9 >= d.deadline) {
        d.results[i].error = ErrorCode::request_timed_out;
        d.required_offsets[i] = -1;
      } else {
        done = false;
      }
    }
    if (done) {
      ctx.send(d.client, ProduceResponse{d.request_id, std::move(d.results)});
      it = delayed_produces_.erase(it);
    } else {
      ++it;
    }
  }
}

void Broker::complete_delayed_fetches(NodeContext& ctx) {
  // A fetch whose partitions did not change since it was last checked still cannot be answered.
  for (uint64_t token : delayed_fetches_.take_changed()) {
    auto it = delayed_fetches_.find(token);
    DelayedFetch& d = it->second;
    if (gather_fetch(d.request, nullptr) >= d.request.min_bytes) {
      FetchResponse resp;
      resp.request_id = d.request.request_id;
      resp.replica_id = d.request.replica_id;
      gather_fetch(d.request, &resp);
      ctx.send(d.client, std::move(resp));
      delayed_fetches_.erase(it);
    }
  }
}

void Broker::on_timer(NodeContext& ctx, uint64_t token) {
  if (incarnation_of(token) != (incarnation_ & 0xffff)) return;
  const uint64_t id = id_of(token);
  switch (kind_of(token)) {
    case kDelayedFetch:
      if (auto it = delayed_fetches_.find(id); it != delayed_fetches_.end()) {
        FetchResponse resp;
        resp.request_id = it->second.request.request_id;
        resp.replica_id = it->second.request.replica_id;
        gather_fetch(it->second.request, &resp);
        ctx.send(it->second.client, std::move(resp));
        delayed_fetches_.erase(it);
      }
      break;
    case kDelayedProduce:
      if (delayed_produces_.count(id)) complete_delayed_produces(ctx, true);
      break;
    case kDelayedCommit:
      if (delayed_commits_.count(id)) complete_delayed_commits(ctx, true);
      break;
    case kIsrCheck:
      if (id == 1) {  // an AlterPartition that got no answer
        for (auto& [tp, r] : replicas_) {
          r.alter_in_flight = false;
          r.pending_isr.clear();
        }
        break;
      }
      maybe_shrink_isr(ctx);
      schedule(ctx, ctx.now() + replica_lag_max_s_ / 2, kIsrCheck);
      break;
    case kHwCheckpoint:
      for (auto& [tp, r] : replicas_) r.high_watermark_checkpoint = r.high_watermark;
      schedule(ctx, ctx.now() + hw_checkpoint_interval_s_, kHwCheckpoint);
      break;
    case kFetcher: {
      auto it = fetchers_.find(static_cast<int32_t>(id));
      if (it != fetchers_.end() && it->second.in_flight && ctx.now() + 1e-9 >= it->second.deadline) {
        it->second.in_flight = false;  // no answer: the leader is gone or cut off; ask again
        send_fetches(ctx);
      }
      break;
    }
    case kGroupCoordinator: {
      if (ctx.now() + 1e-9 >= group_timer_at_) group_timer_at_ = kNever;
      GroupCoordinator::Outbox out;
      group_coordinator_->set_event_log(&ctx.events());
      group_coordinator_->on_deadline(ctx.now(), out);
      flush_group_outbox(ctx, out);
      break;
    }
    case kFlush: {
      SimTime every = kNever;
      for (auto& [tp, r] : replicas_) {
        every = std::min(every, r.flush_interval_s);
        if (ctx.now() - r.last_flush + 1e-9 >= r.flush_interval_s) {
          r.log.flush();
          r.last_flush = ctx.now();
        }
      }
      if (every != kNever) schedule(ctx, ctx.now() + every, kFlush);
      break;
    }
    default:
      break;
  }
}

// ---------------------------------------------------------------- offsets

void Broker::handle(NodeContext& ctx, NodeId from, ListOffsetsRequest& r) {
  ListOffsetsResponse resp;
  resp.request_id = r.request_id;
  for (TopicPartition tp : r.partitions) {
    Replica* rep = replica(tp);
    if (rep == nullptr || !rep->is_leader()) {
      resp.error = ErrorCode::not_leader_or_follower;
      resp.offsets.emplace_back(tp, -1);
    } else {
      resp.offsets.emplace_back(tp, r.earliest ? rep->log.log_start_offset() : rep->high_watermark);
    }
  }
  ctx.send(from, std::move(resp));
}

void Broker::handle(NodeContext& ctx, NodeId from, OffsetCommitRequest& r) {
  OffsetCommitResponse resp{r.request_id, ErrorCode::none};
  if (!coordinates(r.group_id)) {
    resp.error = ErrorCode::not_coordinator;
  } else {
    // A member that is no longer in the group (or of an older generation) is refused: its client raises
    // CommitFailedException and the records it processed are read again by the partitions' new owners.
    resp.error = group_coordinator_->validate_offset_commit(r);
  }
  if (resp.error != ErrorCode::none) {
    ctx.send(from, std::move(resp));
    return;
  }
  // Kafka appends the commit to __consumer_offsets with acks=all and answers once every in-sync replica has
  // it; only then does the coordinator's cache (what OffsetFetch returns) hold the new offsets.
  const TopicPartition tp = cluster_.offsets_partition(r.group_id);
  Replica& rep = *replica(tp);
  const int64_t bytes = 70 + 30 * static_cast<int64_t>(r.offsets.size());
  const Offset end = append_group_record(ctx, rep, group_records_->add_offsets(r.group_id, r.offsets), bytes);
  const uint64_t id = next_token_++;
  delayed_commits_.emplace(id, DelayedCommit{from, r.request_id, tp, end, ctx.now() + offsets_commit_timeout_s_,
                                             r.group_id, std::move(r.offsets)});
  ctx.set_timer(ctx.now() + offsets_commit_timeout_s_, token_of(kDelayedCommit, incarnation_, id));
  complete_delayed_commits(ctx, false);
}

void Broker::complete_delayed_commits(NodeContext& ctx, bool expire_due) {
  for (auto it = delayed_commits_.begin(); it != delayed_commits_.end();) {
    DelayedCommit& d = it->second;
    Replica* rep = replica(d.tp);
    ErrorCode error = ErrorCode::none;
    if (rep == nullptr || !rep->is_leader() || !loaded_offsets_partitions_.count(d.tp.partition)) {
      error = ErrorCode::not_coordinator;
    } else if (rep->high_watermark >= d.required) {
      group_coordinator_->store_offsets(d.group_id, d.offsets);
    } else if (expire_due && ctx.now() + 1e-9 >= d.deadline) {
      error = ErrorCode::request_timed_out;
    } else {
      ++it;
      continue;
    }
    ctx.send(d.client, OffsetCommitResponse{d.request_id, error});
    it = delayed_commits_.erase(it);
  }
}

// ---------------------------------------------------------------- __consumer_offsets

bool Broker::coordinates(const std::string& group_id) const {
  const TopicPartition tp = cluster_.offsets_partition(group_id);
  if (tp.topic < 0 || !loaded_offsets_partitions_.count(tp.partition)) return false;
  auto it = replicas_.find(tp);
  return it != replicas_.end() && it->second.is_leader();
}

Offset Broker::append_group_record(NodeContext& ctx, Replica& r, int64_t record_id, int64_t bytes) {
  RecordBatch b;
  b.producer = GroupRecordStore::kProducer;
  b.first_record_seq = record_id;
  b.record_count = 1;
  b.bytes = bytes;
  // Into the page cache at once: a commit's few bytes do not wait behind produce writes in the disk model.
  append_as_leader(ctx, r, b);
  const Offset end = r.log.log_end_offset();
  after_append(ctx, r);
  complete_delayed_fetches(ctx);  // followers waiting in a fetch get it now
  return end;
}

void Broker::persist_changed_groups(NodeContext& ctx) {
  for (const std::string& group_id : group_coordinator_->take_changed()) {
    if (!coordinates(group_id)) continue;
    auto it = group_coordinator_->groups().find(group_id);
    if (it == group_coordinator_->groups().end()) continue;
    const int64_t bytes = 100 + 200 * static_cast<int64_t>(it->second.members.size());
    append_group_record(ctx, *replica(cluster_.offsets_partition(group_id)), group_records_->add_metadata(it->second),
                        bytes);
  }
}

void Broker::load_groups(NodeContext& ctx, Replica& r) {
  if (loaded_offsets_partitions_.count(r.tp.partition)) return;  // still leader, a new epoch
  // Kafka's GroupMetadataManager.loadGroupsAndOffsets: replay the partition's log; the last metadata record
  // of a group and the last commit of each of its partitions win.
  std::map<std::string, std::shared_ptr<const ConsumerGroup>> metadata;
  std::map<std::string, std::map<TopicPartition, Offset>> offsets;
  for (const RecordBatch& b : r.log.batches()) {
    if (b.producer != GroupRecordStore::kProducer) continue;
    const GroupLogRecord& rec = group_records_->at(b.first_record_seq);
    if (rec.is_metadata) {
      metadata[rec.group_id] = rec.metadata;  // null when compacted away: loads without members
    } else {
      auto& o = offsets[rec.group_id];
      for (const auto& [tp, offset] : rec.offsets) o[tp] = offset;
    }
  }
  std::set<std::string> groups;
  for (const auto& [g, m] : metadata) groups.insert(g);
  for (const auto& [g, o] : offsets) groups.insert(g);
  group_coordinator_->set_event_log(&ctx.events());
  for (const std::string& g : groups) {
    ConsumerGroup loaded;
    if (auto it = metadata.find(g); it != metadata.end() && it->second) loaded = *it->second;
    loaded.group_id = g;
    if (auto it = offsets.find(g); it != offsets.end()) loaded.committed_offsets = it->second;
    group_coordinator_->load_group(ctx.now(), std::move(loaded));
  }
  loaded_offsets_partitions_.insert(r.tp.partition);
  GroupCoordinator::Outbox none;
  flush_group_outbox(ctx, none);  // wakes the coordinator for the loaded members' sessions
}

void Broker::unload_groups(NodeContext& ctx, TopicPartition tp) {
  if (!loaded_offsets_partitions_.erase(tp.partition)) return;
  auto mine = [&](const std::string& group_id) { return cluster_.offsets_partition(group_id) == tp; };
  GroupCoordinator::Outbox out;
  group_coordinator_->set_event_log(&ctx.events());
  group_coordinator_->unload_groups(ctx.now(), mine, &out);
  for (auto& [to, body] : out) ctx.send(to, std::move(body));
  complete_delayed_commits(ctx, false);  // commits waiting on this partition fail with NOT_COORDINATOR
}

// ---------------------------------------------------------------- consumer groups

void Broker::flush_group_outbox(NodeContext& ctx, GroupCoordinator::Outbox& out) {
  for (auto& [to, body] : out) ctx.send(to, std::move(body));
  out.clear();
  persist_changed_groups(ctx);
  const SimTime next = group_coordinator_->next_deadline();
  if (next == kNever || next + 1e-9 >= group_timer_at_) return;
  group_timer_at_ = next;
  schedule(ctx, next, kGroupCoordinator);
}

void Broker::handle(NodeContext& ctx, NodeId from, FindCoordinatorRequest& r) {
  // From this broker's metadata cache: the leader of the group's __consumer_offsets partition.
  const TopicPartition tp = cluster_.offsets_partition(r.key);
  auto it = tp.topic < 0 ? metadata_cache_.end() : metadata_cache_.find(tp);
  const int32_t leader = it == metadata_cache_.end() ? -1 : it->second.leader;
  ctx.send(from, FindCoordinatorResponse{r.request_id,
                                         leader < 0 ? ErrorCode::coordinator_not_available : ErrorCode::none, leader});
}

void Broker::handle(NodeContext& ctx, NodeId from, JoinGroupRequest& r) {
  if (!coordinates(r.group_id)) {
    JoinGroupResponse resp;
    resp.request_id = r.request_id;
    resp.error = ErrorCode::not_coordinator;
    ctx.send(from, std::move(resp));
    return;
  }
  GroupCoordinator::Outbox out;
  group_coordinator_->set_event_log(&ctx.events());
  group_coordinator_->join_group(ctx.now(), from, r, out);
  flush_group_outbox(ctx, out);
}

void Broker::handle(NodeContext& ctx, NodeId from, SyncGroupRequest& r) {
  if (!coordinates(r.group_id)) {
    ctx.send(from, SyncGroupResponse{r.request_id, ErrorCode::not_coordinator, {}});
    return;
  }
  GroupCoordinator::Outbox out;
  group_coordinator_->set_event_log(&ctx.events());
  group_coordinator_->sync_group(ctx.now(), from, r, out);
  flush_group_outbox(ctx, out);
}

void Broker::handle(NodeContext& ctx, NodeId from, HeartbeatRequest& r) {
  if (!coordinates(r.group_id)) {
    ctx.send(from, HeartbeatResponse{r.request_id, ErrorCode::not_coordinator});
    return;
  }
  GroupCoordinator::Outbox out;
  group_coordinator_->set_event_log(&ctx.events());
  group_coordinator_->heartbeat(ctx.now(), from, r, out);
  flush_group_outbox(ctx, out);
}

void Broker::handle(NodeContext& ctx, NodeId from, LeaveGroupRequest& r) {
  if (!coordinates(r.group_id)) {
    ctx.send(from, LeaveGroupResponse{r.request_id, ErrorCode::not_coordinator});
    return;
  }
  GroupCoordinator::Outbox out;
  group_coordinator_->set_event_log(&ctx.events());
  group_coordinator_->leave_group(ctx.now(), from, r, out);
  flush_group_outbox(ctx, out);
}

void Broker::handle(NodeContext& ctx, NodeId from, OffsetFetchRequest& r) {
  OffsetFetchResponse resp;
  resp.request_id = r.request_id;
  if (!coordinates(r.group_id)) {
    resp.error = ErrorCode::not_coordinator;
  } else {
    for (TopicPartition tp : r.partitions)
      resp.offsets.emplace_back(tp, group_coordinator_->committed_offset(r.group_id, tp));
  }
  ctx.send(from, std::move(resp));
}

}  // namespace kafkasim
