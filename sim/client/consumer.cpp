#include "client/consumer.h"

#include <algorithm>
#include <variant>

#include "client/workload.h"
#include "metrics/event_log.h"
#include "metrics/partition_ownership.h"

namespace kafkasim {
namespace {
enum RequestKind : int64_t { kMetadata = 1, kListOffsets = 2, kOffsetFetch = 3, kCommit = 4 };
}

ConsumerConfig ConsumerConfig::from(const ConfigMap& c) {
  ConsumerConfig k;
  k.group_id = c.get_string("group.id");
  k.fetch_min_bytes = c.get_int("fetch.min.bytes");
  k.fetch_max_bytes = c.get_int("fetch.max.bytes");
  k.max_partition_fetch_bytes = c.get_int("max.partition.fetch.bytes");
  k.max_poll_records = c.get_int("max.poll.records");
  k.fetch_max_wait_s = from_ms(c.get_double("fetch.max.wait.ms"));
  k.auto_commit_interval_s = from_ms(c.get_double("auto.commit.interval.ms"));
  k.request_timeout_s = from_ms(c.get_double("request.timeout.ms"));
  k.retry_backoff_s = from_ms(c.get_double("retry.backoff.ms"));
  k.auto_offset_reset = c.get_string("auto.offset.reset");
  k.enable_auto_commit = c.get_bool("enable.auto.commit") && !k.group_id.empty();
  k.group_instance_id = c.get_string("group.instance.id");
  k.session_timeout_s = from_ms(c.get_double("session.timeout.ms"));
  k.heartbeat_interval_s = from_ms(c.get_double("heartbeat.interval.ms"));
  k.max_poll_interval_s = from_ms(c.get_double("max.poll.interval.ms"));
  k.assignment_strategies = c.get_list("partition.assignment.strategy");
  return k;
}

Consumer::Consumer(int32_t index, const ConsumerSpec& spec, const ClusterMetadata& metadata, RecordLedger& ledger,
                   uint64_t seed)
    : index_(index),
      spec_(spec),
      config_(ConsumerConfig::from(spec.config)),
      metadata_(metadata),
      ledger_(ledger),
      processing_rng_(seed, "consumer:" + spec.name + ":processing"),
      client_rng_(seed, "consumer:" + spec.name + ":client") {
  // Without a group each consumer is its own reader.
  ledger_group_ = config_.group_id.empty() ? "consumer:" + spec.name : config_.group_id;
  std::vector<TopicPartition> tps;
  if (spec.assignment.empty() && !config_.group_id.empty()) {
    // subscribe(): the group decides what this consumer owns.
    ConsumerCoordinatorConfig cc;
    cc.group_id = config_.group_id;
    cc.group_instance_id = config_.group_instance_id;
    cc.client_id = spec.name;
    cc.session_timeout_s = config_.session_timeout_s;
    cc.heartbeat_interval_s = config_.heartbeat_interval_s;
    cc.max_poll_interval_s = config_.max_poll_interval_s;
    cc.retry_backoff_s = config_.retry_backoff_s;
    cc.request_timeout_s = config_.request_timeout_s;
    cc.strategies = config_.assignment_strategies;
    cc.topics.assign(spec.topics.begin(), spec.topics.end());
    group_ = std::make_unique<ConsumerCoordinator>(std::move(cc), metadata, static_cast<ConsumerCoordinator::Host&>(*this));
  } else if (spec.assignment.empty()) {
    for (int32_t topic : spec.topics)
      for (int32_t p = 0; p < metadata.partition_count(topic); ++p) tps.push_back({topic, p});
  } else {
    for (const auto& [topic, p] : spec.assignment) tps.push_back({topic, p});
  }
  std::sort(tps.begin(), tps.end());
  for (TopicPartition tp : tps) partitions_.push_back(PartitionFetchState{tp, -1, -1, {}, false});
  for (int32_t topic : spec.topics) ledger.register_reader(ledger_group_, topic);
}

std::map<TopicPartition, Offset> Consumer::positions() const {
  std::map<TopicPartition, Offset> out;
  for (const auto& p : partitions_) out[p.tp] = p.position;
  return out;
}

Consumer::PartitionFetchState* Consumer::state(TopicPartition tp) {
  for (auto& p : partitions_)
    if (p.tp == tp) return &p;
  return nullptr;
}

void Consumer::start(NodeContext& ctx) { ctx.set_timer(spec_.start_s, kStart); }

void Consumer::arm_timeout_check(NodeContext& ctx, SimTime deadline) {
  if (timeout_check_at_ > ctx.now() && timeout_check_at_ <= deadline + 1e-9) return;  // an earlier one re-arms
  timeout_check_at_ = deadline;
  ctx.set_timer(deadline, kCheckTimeouts);
}

void Consumer::request_metadata(NodeContext& ctx) {
  if (metadata_in_flight_) return;
  metadata_in_flight_ = true;
  auto broker = static_cast<int32_t>(client_rng_.uniform_below(static_cast<uint64_t>(metadata_.broker_count())));
  int64_t id = next_request_id_++;
  pending_requests_[id] = {kMetadata, ctx.now() + config_.request_timeout_s};
  arm_timeout_check(ctx, ctx.now() + config_.request_timeout_s);
  ctx.send(metadata_.broker_node(broker), MetadataRequest{id});
}

void Consumer::on_timer(NodeContext& ctx, uint64_t token) {
  const SimTime now = ctx.now();
  if (app_ == AppState::stopped) return;
  if (token >= ConsumerCoordinator::kHeartbeatTimer) {
    if (group_) group_->on_timer(ctx, token);
    pump(ctx);
    return;
  }
  switch (token) {
    case kStart:
      if (app_ != AppState::starting) break;
      ctx.events().emit(now, started_once_ ? "consumer_restarted" : "consumer_started",
                        {{"consumer", spec_.name}, {"group", config_.group_id}, {"partitions", partitions_.size()}});
      started_once_ = true;
      app_ = AppState::idle;
      if (group_) group_->start(ctx);
      next_auto_commit_ = now + config_.auto_commit_interval_s;
      if (config_.enable_auto_commit && spec_.commit == ConsumerSpec::Commit::auto_commit)
        ctx.set_timer(next_auto_commit_, kAutoCommit);
      request_metadata(ctx);
      break;
    case kProcessingDone: {
      if (app_ != AppState::processing) break;
      app_ = AppState::idle;
      for (const auto& [tp, part] : in_process_) {
        ledger_.on_processed(ledger_group_, tp, part.base_offset, part.record_count);
        stats_.records_processed += part.record_count;
      }
      in_process_.clear();
      using Commit = ConsumerSpec::Commit;
      if (spec_.commit == Commit::sync_after_processing) commit(ctx, true);
      if (spec_.commit == Commit::async_after_processing) commit(ctx, false);
      if (!close_after_commit_.empty() && app_ == AppState::idle) {
        close(ctx, close_after_commit_);
        return;
      }
      break;
    }
    case kCheckTimeouts: {
      if (now + 1e-9 >= timeout_check_at_) timeout_check_at_ = kNever;
      std::vector<int32_t> dead;
      for (const auto& [broker, req] : fetch_in_flight_)
        if (now + 1e-9 >= req.second) dead.push_back(broker);
      for (int32_t b : dead) fetch_in_flight_.erase(b);
      if (!dead.empty()) {
        metadata_known_ = false;
        request_metadata(ctx);
      }
      std::vector<int64_t> expired;
      for (const auto& [id, req] : pending_requests_)
        if (now + 1e-9 >= req.second) expired.push_back(id);
      for (int64_t id : expired) {
        int64_t kind = pending_requests_[id].first;
        pending_requests_.erase(id);
        if (kind == kMetadata) {
          metadata_in_flight_ = false;
          request_metadata(ctx);
        } else if (kind == kCommit) {
          ++stats_.commits_failed;
          if (app_ == AppState::committing) app_ = AppState::idle;
          commit_in_flight_.clear();
          if (!close_after_commit_.empty()) close(ctx, close_after_commit_);
        } else if (kind == kOffsetFetch) {
          offsets_fetched_ = false;
        } else if (kind == kListOffsets) {
          for (auto& p : partitions_) p.resetting = false;
        }
      }
      SimTime next_deadline = kNever;
      for (const auto& [broker, req] : fetch_in_flight_) next_deadline = std::min(next_deadline, req.second);
      for (const auto& [id, req] : pending_requests_) next_deadline = std::min(next_deadline, req.second);
      if (next_deadline != kNever) arm_timeout_check(ctx, next_deadline);
      break;
    }
    default:
      break;
  }
  pump(ctx);
}

void Consumer::on_message(NodeContext& ctx, Message&& message) {
  const SimTime now = ctx.now();
  if (app_ == AppState::stopped || app_ == AppState::starting) return;
  if (group_ && group_->on_message(ctx, message.body)) {
    pump(ctx);
    return;
  }
  std::visit(
      [&](auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, MetadataResponse>) {
          if (!pending_requests_.erase(body.request_id)) return;
          metadata_in_flight_ = false;
          for (const auto& pm : body.partitions) {
            if (pm.tp.topic < 0 || pm.tp.partition < 0) continue;
            const auto topic = static_cast<size_t>(pm.tp.topic);
            if (leaders_.size() <= topic) leaders_.resize(topic + 1);
            auto& by_partition = leaders_[topic];
            if (by_partition.size() <= static_cast<size_t>(pm.tp.partition))
              by_partition.resize(static_cast<size_t>(pm.tp.partition) + 1, -1);
            by_partition[static_cast<size_t>(pm.tp.partition)] = pm.leader;
          }
          metadata_known_ = true;
        } else if constexpr (std::is_same_v<T, OffsetFetchResponse>) {
          if (!pending_requests_.erase(body.request_id)) return;
          if (body.error != ErrorCode::none) return;  // retried by pump
          offsets_fetched_ = true;
          // Partitions assigned after the request went out need a fetch of their own.
          for (const auto& p : partitions_) {
            if (p.position >= 0 || p.resetting) continue;
            bool answered = std::any_of(body.offsets.begin(), body.offsets.end(),
                                        [&](const auto& o) { return o.first == p.tp; });
            if (!answered) offsets_fetched_ = false;
          }
          std::vector<TopicPartition> unknown;
          for (const auto& [tp, offset] : body.offsets) {
            auto* st = state(tp);
            if (!st) continue;
            if (offset >= 0) {
              st->position = st->fetch_position = offset;
            } else {
              unknown.push_back(tp);
            }
          }
          if (!unknown.empty()) reset_positions(ctx, unknown);
        } else if constexpr (std::is_same_v<T, ListOffsetsResponse>) {
          if (!pending_requests_.erase(body.request_id)) return;
          for (const auto& [tp, offset] : body.offsets) {
            auto* st = state(tp);
            if (!st) continue;
            st->resetting = false;
            if (offset >= 0) {
              st->position = st->fetch_position = offset;
              st->buffered.clear();
            }
          }
          if (body.error != ErrorCode::none) metadata_known_ = false;
        } else if constexpr (std::is_same_v<T, FetchResponse>) {
          handle_fetch(ctx, body);
        } else if constexpr (std::is_same_v<T, OffsetCommitResponse>) {
          if (!pending_requests_.erase(body.request_id)) return;
          if (body.error != ErrorCode::none) {
            ++stats_.commits_failed;
            ctx.events().emit(now, "commit_failed", {{"consumer", spec_.name}, {"error", error_name(body.error)}});
            if (group_) group_->on_commit_error(ctx, body.error);
          }
          commit_in_flight_.clear();
          if (app_ == AppState::committing) app_ = AppState::idle;
          if (!close_after_commit_.empty()) close(ctx, close_after_commit_);
        }
      },
      message.body);
  pump(ctx);
}

void Consumer::handle_fetch(NodeContext& ctx, FetchResponse& resp) {
  int32_t broker = -1;
  for (const auto& [b, req] : fetch_in_flight_)
    if (req.first == resp.request_id) broker = b;
  if (broker < 0) return;  // timed out before
  fetch_in_flight_.erase(broker);
  std::vector<TopicPartition> out_of_range;
  for (auto& data : resp.partitions) {
    auto* st = state(data.tp);
    if (!st || st->resetting) continue;
    if (data.error == ErrorCode::offset_out_of_range) {
      out_of_range.push_back(data.tp);
      continue;
    }
    if (data.error != ErrorCode::none) {
      metadata_known_ = false;
      continue;
    }
    for (auto& b : data.batches) {
      if (b.next_offset() <= st->fetch_position) continue;  // already have it
      st->fetch_position = b.next_offset();
      st->buffered.push_back(std::move(b));
    }
  }
  if (!out_of_range.empty()) reset_positions(ctx, out_of_range);
}

int32_t Consumer::leader_of(TopicPartition tp) const {
  const auto topic = static_cast<size_t>(tp.topic);
  if (tp.topic < 0 || topic >= leaders_.size()) return -1;
  const auto& by_partition = leaders_[topic];
  const auto partition = static_cast<size_t>(tp.partition);
  return tp.partition < 0 || partition >= by_partition.size() ? -1 : by_partition[partition];
}

void Consumer::reset_positions(NodeContext& ctx, const std::vector<TopicPartition>& tps) {
  if (config_.auto_offset_reset == "none") {
    ctx.events().emit(ctx.now(), "consumer_no_offset", {{"consumer", spec_.name}});
    return;
  }
  // ListOffsets goes to each partition's leader.
  std::map<int32_t, std::vector<TopicPartition>> by_leader;
  for (TopicPartition tp : tps) {
    const int32_t leader = leader_of(tp);
    if (leader < 0) continue;
    by_leader[leader].push_back(tp);
    if (auto* st = state(tp)) st->resetting = true;
  }
  for (auto& [broker, list] : by_leader) {
    int64_t id = next_request_id_++;
    pending_requests_[id] = {kListOffsets, ctx.now() + config_.request_timeout_s};
    arm_timeout_check(ctx, ctx.now() + config_.request_timeout_s);
    ctx.send(metadata_.broker_node(broker),
             ListOffsetsRequest{id, config_.auto_offset_reset == "earliest", std::move(list)});
  }
}

void Consumer::on_connection_refused(NodeContext& ctx, NodeId peer) {
  if (app_ == AppState::stopped || app_ == AppState::starting) return;
  if (group_) group_->on_connection_refused(ctx, peer);
  for (int32_t b = 0; b < metadata_.broker_count(); ++b)
    if (metadata_.broker_node(b) == peer) fetch_in_flight_.erase(b);
  // Whatever was pending with that broker is lost; ask for metadata again and retry.
  for (auto it = pending_requests_.begin(); it != pending_requests_.end();) {
    if (it->second.first == kMetadata) metadata_in_flight_ = false;
    if (it->second.first == kOffsetFetch || it->second.first == kMetadata) it = pending_requests_.erase(it);
    else ++it;
  }
  metadata_known_ = false;
  pump(ctx);
}

void Consumer::pump(NodeContext& ctx) {
  if (app_ == AppState::starting || app_ == AppState::stopped) return;
  if (!metadata_known_) {
    request_metadata(ctx);
    return;
  }
  // Inside poll() the group comes first: a member rejoins (and revokes) there, and returns records only once
  // it is stable (KIP-62: nothing of this happens while the application processes).
  if (group_ && in_poll(ctx.now()) && !group_->poll(ctx)) {
    send_fetches(ctx);
    return;
  }
  // Positions: committed offsets first (with a group), auto.offset.reset otherwise.
  bool need_offsets = false;
  for (const auto& p : partitions_) need_offsets = need_offsets || (p.position < 0 && !p.resetting);
  if (need_offsets) {
    bool offset_fetch_pending = false;
    for (const auto& [id, req] : pending_requests_) offset_fetch_pending |= req.first == kOffsetFetch;
    if (!config_.group_id.empty() && !offsets_fetched_) {
      if (!offset_fetch_pending && commit_coordinator() >= 0) {
        OffsetFetchRequest req;
        req.request_id = next_request_id_++;
        req.group_id = config_.group_id;
        for (const auto& p : partitions_)
          if (p.position < 0 && !p.resetting) req.partitions.push_back(p.tp);
        pending_requests_[req.request_id] = {kOffsetFetch, ctx.now() + config_.request_timeout_s};
        arm_timeout_check(ctx, ctx.now() + config_.request_timeout_s);
        ctx.send(metadata_.broker_node(commit_coordinator()), std::move(req));
      }
    } else {
      std::vector<TopicPartition> tps;
      for (const auto& p : partitions_)
        if (p.position < 0 && !p.resetting) tps.push_back(p.tp);
      reset_positions(ctx, tps);
    }
  }
  // As KafkaConsumer.poll(): hand out what is buffered first, then fetch. A partition with buffered records is
  // left out of fetches, so fetching first would leave the ones poll() just drained waiting for the next fetch to
  // their broker, which the broker may hold for fetch.max.wait.ms.
  if (app_ == AppState::idle) {
    if (ctx.now() >= paused_until_)
      poll(ctx);
    else if (paused_until_ != kNever)
      ctx.set_timer(paused_until_, kCheckTimeouts);
  }
  send_fetches(ctx);
}

void Consumer::send_fetches(NodeContext& ctx) {
  std::map<int32_t, FetchRequest> requests;
  for (const auto& p : partitions_) {
    if (p.fetch_position < 0 || p.resetting || !p.buffered.empty()) continue;
    const int32_t leader = leader_of(p.tp);
    if (leader < 0 || fetch_in_flight_.count(leader)) continue;
    FetchRequest& req = requests[leader];
    req.partitions.push_back({p.tp, p.fetch_position, config_.max_partition_fetch_bytes, -1});
  }
  for (auto& [broker, req] : requests) {
    req.request_id = next_request_id_++;
    req.replica_id = -1;
    req.max_wait_s = config_.fetch_max_wait_s;
    req.min_bytes = config_.fetch_min_bytes;
    req.max_bytes = config_.fetch_max_bytes;
    SimTime deadline = ctx.now() + config_.request_timeout_s + config_.fetch_max_wait_s;
    fetch_in_flight_[broker] = {req.request_id, deadline};
    arm_timeout_check(ctx, deadline);
    ++stats_.fetch_requests;
    ctx.send(metadata_.broker_node(broker), std::move(req));
  }
}

void Consumer::poll(NodeContext& ctx) {
  const SimTime now = ctx.now();
  // Auto-commit runs inside poll(), committing what earlier polls returned.
  if (config_.enable_auto_commit && spec_.commit == ConsumerSpec::Commit::auto_commit && now + 1e-9 >= next_auto_commit_) {
    commit(ctx, false);
    next_auto_commit_ = now + config_.auto_commit_interval_s;
    ctx.set_timer(next_auto_commit_, kAutoCommit);  // an idle application still polls, and commits
  }

  int64_t budget = config_.max_poll_records;
  std::vector<std::pair<TopicPartition, RecordBatch>> taken;
  const size_t n = partitions_.size();
  for (size_t k = 0; k < n && budget > 0; ++k) {
    auto& p = partitions_[(poll_cursor_ + k) % n];
    while (budget > 0 && !p.buffered.empty()) {
      RecordBatch& b = p.buffered.front();
      // Records below the position (a fetch that started inside a batch) are skipped.
      Offset first = std::max(p.position, b.base_offset);
      int64_t available = b.next_offset() - first;
      if (available <= 0) {
        p.buffered.pop_front();
        continue;
      }
      int64_t take = std::min(available, budget);
      RecordBatch part = b;
      part.first_record_seq = b.first_record_seq + (first - b.base_offset);
      part.base_offset = first;
      part.record_count = static_cast<int32_t>(take);
      taken.emplace_back(p.tp, part);
      p.position = first + take;
      budget -= take;
      if (p.position >= b.next_offset()) p.buffered.pop_front();
    }
  }
  poll_cursor_ = n ? (poll_cursor_ + 1) % n : 0;
  if (taken.empty()) return;

  ++stats_.polls;
  double processing = 0;
  for (const auto& [tp, part] : taken) {
    stats_.records_polled += part.record_count;
    // Delivered = handed to the application by poll(); end-to-end latency is measured here.
    ledger_.on_delivered(ledger_group_, part.producer, tp, part.first_record_seq, part.record_count, now);
    for (int32_t i = 0; i < part.record_count; ++i)
      processing += sample_seconds(spec_.processing_time_s, processing_rng_) * processing_factor_;
  }
  if (spec_.commit == ConsumerSpec::Commit::before_processing) commit(ctx, false);
  stats_.busy_s += processing;
  in_process_ = std::move(taken);
  app_ = AppState::processing;
  ctx.set_timer(now + processing, kProcessingDone);
}

int32_t Consumer::commit_coordinator() const {
  if (group_) return group_->coordinator();
  return metadata_.group_coordinator(config_.group_id);
}

void Consumer::fail_commit(NodeContext& ctx, ErrorCode error) {
  // Kafka's CommitFailedException (or RebalanceInProgressException): raised before any request is sent.
  ++stats_.commits_failed;
  ctx.events().emit(ctx.now(), "commit_failed", {{"consumer", spec_.name}, {"error", error_name(error)}});
}

bool Consumer::commit(NodeContext& ctx, bool sync, const std::vector<TopicPartition>* only) {
  if (config_.group_id.empty()) return false;
  OffsetCommitRequest req;
  req.request_id = next_request_id_++;
  req.group_id = config_.group_id;
  for (const auto& p : partitions_)
    if (p.position >= 0 && (!only || std::find(only->begin(), only->end(), p.tp) != only->end()))
      req.offsets.emplace_back(p.tp, p.position);
  if (req.offsets.empty()) return false;
  if (group_) {
    ConsumerCoordinator::CommitIdentity id = group_->commit_identity();
    if (id.error != ErrorCode::none) {
      fail_commit(ctx, id.error);
      return false;
    }
    req.generation = id.generation;
    req.member_id = id.member_id;
    req.group_instance_id = config_.group_instance_id;
  }
  const int32_t coordinator = commit_coordinator();
  if (coordinator < 0) {
    fail_commit(ctx, ErrorCode::coordinator_not_available);
    return false;
  }
  ++stats_.commits;
  pending_requests_[req.request_id] = {kCommit, ctx.now() + config_.request_timeout_s};
  arm_timeout_check(ctx, ctx.now() + config_.request_timeout_s);
  if (sync) app_ = AppState::committing;
  ctx.send(metadata_.broker_node(coordinator), std::move(req));
  return true;
}

nlohmann::ordered_json Consumer::partition_names(const std::vector<TopicPartition>& tps) const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (TopicPartition tp : tps) out.push_back(metadata_.topic_name(tp.topic) + "/" + std::to_string(tp.partition));
  return out;
}

bool Consumer::revoke_partitions(NodeContext& ctx, const std::vector<TopicPartition>& tps, bool lost) {
  ctx.events().emit(ctx.now(), "partitions_revoked",
                    {{"consumer", spec_.name}, {"group", config_.group_id}, {"lost", lost},
                     {"partitions", partition_names(tps)}});
  // onPartitionsRevoked: with auto-commit on, Kafka commits synchronously before giving them up.
  bool pending = false;
  if (!lost && config_.enable_auto_commit && spec_.commit == ConsumerSpec::Commit::auto_commit)
    pending = commit(ctx, true, &tps);
  std::vector<TopicPartition> released;
  std::erase_if(partitions_, [&](const PartitionFetchState& p) {
    const bool gone = std::find(tps.begin(), tps.end(), p.tp) != tps.end();
    if (gone) released.push_back(p.tp);
    return gone;
  });
  if (ownership_) ownership_->on_released(ledger_group_, released, ctx.now());
  // An offset fetch under way may answer for partitions given up and assigned again later: drop it.
  std::erase_if(pending_requests_, [](const auto& entry) { return entry.second.first == kOffsetFetch; });
  offsets_fetched_ = false;
  poll_cursor_ = 0;
  return pending;
}

void Consumer::assign_partitions(NodeContext& ctx, const std::vector<TopicPartition>& tps) {
  std::vector<TopicPartition> taken;
  for (TopicPartition tp : tps)
    if (!state(tp)) {
      partitions_.push_back(PartitionFetchState{tp, -1, -1, {}, false});
      taken.push_back(tp);
    }
  if (ownership_ && group_) ownership_->on_owned(ledger_group_, taken, ctx.now());
  std::sort(partitions_.begin(), partitions_.end(),
            [](const PartitionFetchState& a, const PartitionFetchState& b) { return a.tp < b.tp; });
  if (!tps.empty()) offsets_fetched_ = false;
  ctx.events().emit(ctx.now(), "partitions_assigned",
                    {{"consumer", spec_.name}, {"group", config_.group_id},
                     {"generation", group_ ? group_->generation() : -1}, {"partitions", partition_names(tps)}});
}

std::vector<TopicPartition> Consumer::owned_partitions() const {
  std::vector<TopicPartition> out;
  for (const auto& p : partitions_) out.push_back(p.tp);
  return out;
}

bool Consumer::in_poll(SimTime now) const { return app_ == AppState::idle && now + 1e-9 >= paused_until_; }

void Consumer::release_all_partitions(SimTime now) {
  if (ownership_ && group_) ownership_->on_released(ledger_group_, owned_partitions(), now);
}

void Consumer::on_crash(NodeContext& ctx, bool) {
  // Nothing survives but what the coordinator holds; start() brings a new process.
  app_ = AppState::starting;
  timeout_check_at_ = 0;
  fetch_in_flight_.clear();
  pending_requests_.clear();
  commit_in_flight_.clear();
  leaders_.clear();
  metadata_known_ = metadata_in_flight_ = offsets_fetched_ = false;
  in_process_.clear();
  poll_cursor_ = 0;
  paused_until_ = 0;
  if (group_) {
    group_->stop();
    release_all_partitions(ctx.now());
    partitions_.clear();
  } else {
    for (auto& p : partitions_) p = PartitionFetchState{p.tp, -1, -1, {}, false};
  }
}

void Consumer::on_poke(NodeContext& ctx) {
  if (start_requested_) {
    start_requested_ = false;
    if (app_ == AppState::stopped) {
      on_crash(ctx, false);  // a fresh process: nothing carried over
      ctx.set_timer(ctx.now(), kStart);
    }
    return;
  }
  if (!close_reason_.empty()) {
    std::string reason = std::move(close_reason_);
    close_reason_.clear();
    close(ctx, reason);
    return;
  }
  pump(ctx);
}

void Consumer::close(NodeContext& ctx, std::string reason) {
  if (app_ == AppState::stopped) return;
  // KafkaConsumer.close(): with auto-commit on, commit what was consumed before leaving the group.
  if (app_ == AppState::processing || app_ == AppState::committing) {
    close_after_commit_ = reason;
    return;
  }
  if (!close_committed_ && config_.enable_auto_commit && spec_.commit == ConsumerSpec::Commit::auto_commit) {
    close_committed_ = true;
    if (commit(ctx, true)) {
      close_after_commit_ = reason;
      return;
    }
  }
  close_after_commit_.clear();
  close_committed_ = false;
  if (group_) {
    group_->leave_group(ctx, reason);
    group_->stop();
  }
  app_ = AppState::stopped;
  release_all_partitions(ctx.now());
  partitions_.clear();
  in_process_.clear();
  ctx.events().emit(ctx.now(), "consumer_stopped", {{"consumer", spec_.name}, {"reason", reason}});
}

}  // namespace kafkasim
