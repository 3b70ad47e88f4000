#include "client/consumer.h"

#include <algorithm>
#include <variant>

#include "client/workload.h"
#include "metrics/event_log.h"

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
  if (spec.assignment.empty()) {
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

void Consumer::request_metadata(NodeContext& ctx) {
  if (metadata_in_flight_) return;
  metadata_in_flight_ = true;
  auto broker = static_cast<int32_t>(client_rng_.uniform_below(static_cast<uint64_t>(metadata_.broker_count())));
  int64_t id = next_request_id_++;
  pending_requests_[id] = {kMetadata, ctx.now() + config_.request_timeout_s};
  ctx.set_timer(ctx.now() + config_.request_timeout_s, kCheckTimeouts);
  ctx.send(metadata_.broker_node(broker), MetadataRequest{id});
}

void Consumer::on_timer(NodeContext& ctx, uint64_t token) {
  const SimTime now = ctx.now();
  switch (token) {
    case kStart:
      ctx.events().emit(now, "consumer_started",
                        {{"consumer", spec_.name}, {"group", config_.group_id}, {"partitions", partitions_.size()}});
      app_ = AppState::idle;
      next_auto_commit_ = now + config_.auto_commit_interval_s;
      if (config_.enable_auto_commit && spec_.commit == ConsumerSpec::Commit::auto_commit)
        ctx.set_timer(next_auto_commit_, kAutoCommit);
      request_metadata(ctx);
      break;
    case kProcessingDone: {
      app_ = AppState::idle;
      using Commit = ConsumerSpec::Commit;
      if (spec_.commit == Commit::sync_after_processing) commit(ctx, true);
      if (spec_.commit == Commit::async_after_processing) commit(ctx, false);
      break;
    }
    case kCheckTimeouts: {
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
        } else if (kind == kOffsetFetch) {
          offsets_fetched_ = false;
        } else if (kind == kListOffsets) {
          for (auto& p : partitions_) p.resetting = false;
        }
      }
      break;
    }
    default:
      break;
  }
  pump(ctx);
}

void Consumer::on_message(NodeContext& ctx, Message&& message) {
  const SimTime now = ctx.now();
  std::visit(
      [&](auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, MetadataResponse>) {
          if (!pending_requests_.erase(body.request_id)) return;
          metadata_in_flight_ = false;
          for (const auto& pm : body.partitions) leaders_[pm.tp] = pm.leader;
          metadata_known_ = true;
        } else if constexpr (std::is_same_v<T, OffsetFetchResponse>) {
          if (!pending_requests_.erase(body.request_id)) return;
          if (body.error != ErrorCode::none) return;  // retried by pump
          offsets_fetched_ = true;
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
          }
          commit_in_flight_.clear();
          if (app_ == AppState::committing) app_ = AppState::idle;
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

void Consumer::reset_positions(NodeContext& ctx, const std::vector<TopicPartition>& tps) {
  if (config_.auto_offset_reset == "none") {
    ctx.events().emit(ctx.now(), "consumer_no_offset", {{"consumer", spec_.name}});
    return;
  }
  // ListOffsets goes to each partition's leader.
  std::map<int32_t, std::vector<TopicPartition>> by_leader;
  for (TopicPartition tp : tps) {
    auto it = leaders_.find(tp);
    if (it == leaders_.end() || it->second < 0) continue;
    by_leader[it->second].push_back(tp);
    if (auto* st = state(tp)) st->resetting = true;
  }
  for (auto& [broker, list] : by_leader) {
    int64_t id = next_request_id_++;
    pending_requests_[id] = {kListOffsets, ctx.now() + config_.request_timeout_s};
    ctx.set_timer(ctx.now() + config_.request_timeout_s, kCheckTimeouts);
    ctx.send(metadata_.broker_node(broker),
             ListOffsetsRequest{id, config_.auto_offset_reset == "earliest", std::move(list)});
  }
}

void Consumer::on_connection_refused(NodeContext& ctx, NodeId peer) {
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
  if (app_ == AppState::starting) return;
  if (!metadata_known_) {
    request_metadata(ctx);
    return;
  }
  // Positions: committed offsets first (with a group), auto.offset.reset otherwise.
  bool need_offsets = false;
  for (const auto& p : partitions_) need_offsets = need_offsets || (p.position < 0 && !p.resetting);
  if (need_offsets) {
    bool offset_fetch_pending = false;
    for (const auto& [id, req] : pending_requests_) offset_fetch_pending |= req.first == kOffsetFetch;
    if (!config_.group_id.empty() && !offsets_fetched_) {
      if (!offset_fetch_pending) {
        OffsetFetchRequest req;
        req.request_id = next_request_id_++;
        req.group_id = config_.group_id;
        for (const auto& p : partitions_) req.partitions.push_back(p.tp);
        pending_requests_[req.request_id] = {kOffsetFetch, ctx.now() + config_.request_timeout_s};
        ctx.set_timer(ctx.now() + config_.request_timeout_s, kCheckTimeouts);
        ctx.send(metadata_.broker_node(metadata_.group_coordinator(config_.group_id)), std::move(req));
      }
    } else {
      std::vector<TopicPartition> tps;
      for (const auto& p : partitions_)
        if (p.position < 0 && !p.resetting) tps.push_back(p.tp);
      reset_positions(ctx, tps);
    }
  }
  send_fetches(ctx);
  if (app_ != AppState::idle) return;
  if (ctx.now() < paused_until_) {
    if (paused_until_ != kNever) ctx.set_timer(paused_until_, kCheckTimeouts);
    return;
  }
  poll(ctx);
}

void Consumer::send_fetches(NodeContext& ctx) {
  std::map<int32_t, FetchRequest> requests;
  for (const auto& p : partitions_) {
    if (p.fetch_position < 0 || p.resetting || !p.buffered.empty()) continue;
    auto it = leaders_.find(p.tp);
    if (it == leaders_.end() || it->second < 0 || fetch_in_flight_.count(it->second)) continue;
    FetchRequest& req = requests[it->second];
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
    ctx.set_timer(deadline, kCheckTimeouts);
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
  app_ = AppState::processing;
  ctx.set_timer(now + processing, kProcessingDone);
}

void Consumer::commit(NodeContext& ctx, bool sync) {
  if (config_.group_id.empty()) return;
  OffsetCommitRequest req;
  req.request_id = next_request_id_++;
  req.group_id = config_.group_id;
  for (const auto& p : partitions_)
    if (p.position >= 0) req.offsets.emplace_back(p.tp, p.position);
  if (req.offsets.empty()) return;
  ++stats_.commits;
  pending_requests_[req.request_id] = {kCommit, ctx.now() + config_.request_timeout_s};
  ctx.set_timer(ctx.now() + config_.request_timeout_s, kCheckTimeouts);
  if (sync) app_ = AppState::committing;
  ctx.send(metadata_.broker_node(metadata_.group_coordinator(config_.group_id)), std::move(req));
}

}  // namespace kafkasim
