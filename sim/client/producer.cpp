#include "client/producer.h"

#include <algorithm>
#include <variant>

#include "core/check.h"
#include "metrics/event_log.h"

namespace kafkasim {
namespace {

// Timers fire at exactly the time asked, but sums of doubles may land a hair early.
bool reached(SimTime now, SimTime deadline) { return now + 1e-9 >= deadline; }

}  // namespace

ProducerConfig ProducerConfig::from(const ConfigMap& c) {
  ProducerConfig p;
  const std::string& acks = c.get_string("acks");
  p.acks = acks == "all" || acks == "-1" ? -1 : static_cast<int16_t>(std::stoi(acks));
  p.idempotence = c.get_bool("enable.idempotence");
  p.retries = c.get_int("retries");
  p.delivery_timeout_s = from_ms(c.get_double("delivery.timeout.ms"));
  p.request_timeout_s = from_ms(c.get_double("request.timeout.ms"));
  p.linger_s = from_ms(c.get_double("linger.ms"));
  p.retry_backoff_s = from_ms(c.get_double("retry.backoff.ms"));
  p.max_block_s = from_ms(c.get_double("max.block.ms"));
  p.batch_size = c.get_int("batch.size");
  p.max_in_flight = c.get_int("max.in.flight.requests.per.connection");
  p.max_request_size = c.get_int("max.request.size");
  p.buffer_memory = c.get_int("buffer.memory");
  return p;
}

Producer::Producer(int32_t index, const ProducerSpec& spec, const ClusterMetadata& metadata, RecordLedger& ledger,
                   SimTime run_end, uint64_t seed)
    : index_(index),
      spec_(spec),
      config_(ProducerConfig::from(spec.config)),
      metadata_(metadata),
      ledger_(ledger),
      workload_(spec, metadata.partition_count(spec.topic), run_end, seed),
      rng_(seed, "producer:" + spec.name + ":client"),
      topic_(spec.topic) {
  partitions_.resize(static_cast<size_t>(metadata.partition_count(topic_)));
  leaders_.assign(partitions_.size(), -1);
  if (config_.idempotence) producer_id_ = 1000 + index;  // as if assigned by InitProducerId
}

void Producer::start(NodeContext& ctx) {
  ctx.events().emit(ctx.now(), "producer_started",
                    {{"producer", spec_.name},
                     {"topic", metadata_.topic_name(topic_)},
                     {"acks", config_.acks == -1 ? "all" : std::to_string(config_.acks)},
                     {"idempotence", config_.idempotence}});
  request_metadata(ctx);
  schedule(ctx, workload_.done() ? ctx.now() : workload_.peek().time);
}

void Producer::request_metadata(NodeContext& ctx) {
  if (metadata_in_flight_) return;
  auto broker = static_cast<int32_t>(rng_.uniform_below(static_cast<uint64_t>(metadata_.broker_count())));
  metadata_in_flight_ = true;
  metadata_deadline_ = ctx.now() + config_.request_timeout_s;
  ctx.send(metadata_.broker_node(broker), MetadataRequest{next_request_id_++});
}

void Producer::on_message(NodeContext& ctx, Message&& message) {
  if (auto* md = std::get_if<MetadataResponse>(&message.body)) {
    for (const auto& pm : md->partitions)
      if (pm.tp.topic == topic_) set_leader(static_cast<size_t>(pm.tp.partition), pm.leader);
    metadata_known_ = true;
    metadata_in_flight_ = false;
  } else if (auto* resp = std::get_if<ProduceResponse>(&message.body)) {
    auto it = in_flight_.find(resp->request_id);
    if (it != in_flight_.end()) {  // else it timed out already and its batches were retried
      InFlight f = std::move(it->second);
      in_flight_.erase(it);
      --in_flight_per_broker_[f.broker];
      for (size_t i = 0; i < f.batches.size(); ++i) {
        Batch& b = f.batches[i];
        add_in_flight(static_cast<size_t>(b.partition), -1);
        ErrorCode error = i < resp->results.size() ? resp->results[i].error : ErrorCode::network_exception;
        if (error == ErrorCode::none || error == ErrorCode::duplicate_sequence_number) {
          complete(ctx, b, ErrorCode::none, f.broker, resp->results[i].base_offset);
          continue;
        }
        ++stats_.errors[error_name(error)];
        if (error == ErrorCode::not_leader_or_follower || error == ErrorCode::unknown_topic_or_partition ||
            error == ErrorCode::leader_not_available) {
          set_leader(static_cast<size_t>(b.partition), -1);
          request_metadata(ctx);
        }
        // An idempotent producer retries an out-of-order batch: an earlier one is being retried ahead of it.
        if (error == ErrorCode::out_of_order_sequence_number && config_.idempotence)
          error = ErrorCode::network_exception;
        retry_or_fail(ctx, std::move(b), error);
      }
    }
  }
  pump(ctx);
}

void Producer::on_timer(NodeContext& ctx, uint64_t) {
  while (!scheduled_.empty() && reached(ctx.now(), *scheduled_.begin())) scheduled_.erase(scheduled_.begin());
  pump(ctx);
}

void Producer::on_sent(NodeContext& ctx, uint64_t token) {
  // acks=0: the send completes once the request is on the wire.
  auto it = in_flight_.find(static_cast<int64_t>(token));
  if (it == in_flight_.end()) return;
  InFlight f = std::move(it->second);
  in_flight_.erase(it);
  --in_flight_per_broker_[f.broker];
  for (const Batch& b : f.batches) {
    add_in_flight(static_cast<size_t>(b.partition), -1);
    complete(ctx, b, ErrorCode::none);
  }
  pump(ctx);
}

void Producer::on_connection_refused(NodeContext& ctx, NodeId peer) {
  // The broker's process is gone: Kafka's NetworkClient sees the disconnect, fails what was in flight to
  // it (retriable) and refreshes metadata.
  for (int32_t b = 0; b < metadata_.broker_count(); ++b) {
    if (metadata_.broker_node(b) != peer) continue;
    std::vector<int64_t> ids;
    for (const auto& [id, f] : in_flight_)
      if (f.broker == b) ids.push_back(id);
    for (int64_t id : ids) fail_in_flight(ctx, id, ErrorCode::network_exception);
    for (size_t p = 0; p < leaders_.size(); ++p)
      if (leaders_[p] == b) set_leader(p, -1);
  }
  if (metadata_in_flight_) metadata_in_flight_ = false;  // it may have gone to the dead broker
  request_metadata(ctx);
  pump(ctx);
}

void Producer::pump(NodeContext& ctx) {
  accept_arrivals(ctx.now());
  expire(ctx);
  drain_and_send(ctx);
  schedule(ctx, next_wake(ctx.now()));
  if (!stopped_event_ && finished()) {
    stopped_event_ = true;
    ctx.events().emit(ctx.now(), "producer_finished",
                      {{"producer", spec_.name}, {"records", workload_.generated()}});
  }
}

void Producer::schedule(NodeContext& ctx, SimTime at) {
  if (at == kNever) return;
  if (!scheduled_.empty() && *scheduled_.begin() <= at) return;
  scheduled_.insert(at);
  ctx.set_timer(at, 0);
}

void Producer::generate_until(SimTime t) {
  while (!workload_.done() && workload_.peek().time <= t) {
    Arrival a = workload_.pop();
    partitions_[static_cast<size_t>(a.partition)].future.push_back(a);
    with_future_.insert(static_cast<size_t>(a.partition));
  }
}

void Producer::finalize(SimTime end) { accept_arrivals(end); }

void Producer::accept_arrivals(SimTime now) {
  // A blocked application sends nothing new until send() returns.
  if (blocked_since_) {
    int64_t waiting_bytes = 0;
    for (size_t p : with_future_) waiting_bytes = std::max(waiting_bytes, partitions_[p].future.front().wire_bytes);
    if (buffered_bytes_ + waiting_bytes + kBatchHeaderBytes <= config_.buffer_memory) {
      blocked_since_.reset();
      workload_.resume_at(now);
    }
  }
  if (!blocked_since_) generate_until(now);
  std::vector<size_t>& arrived = scratch_;
  arrived.assign(with_future_.begin(), with_future_.end());
  for (size_t p : arrived) {
    PartitionQueue& q = partitions_[p];
    struct ForgetWhenEmpty {  // on every way out, `return` included
      Producer& producer;
      size_t p;
      ~ForgetWhenEmpty() {
        if (producer.partitions_[p].future.empty()) producer.with_future_.erase(p);
      }
    } forget{*this, p};
    while (!q.future.empty() && reached(now, q.future.front().time)) {
      const Arrival a = q.future.front();
      // send() blocks while buffer.memory is used up, and gives up after max.block.ms.
      if (buffered_bytes_ + a.wire_bytes + kBatchHeaderBytes > config_.buffer_memory) {
        if (!blocked_since_) blocked_since_ = now;
        if (!reached(now, *blocked_since_ + config_.max_block_s)) return;
        q.future.pop_front();
        TopicPartition tp{topic_, static_cast<int32_t>(p)};
        int64_t seq = q.next_seq++;
        ledger_.on_produced(index_, tp, seq, a.time);
        ledger_.on_failed(index_, tp, seq, 1);
        ++stats_.records_failed;
        ++stats_.errors[error_name(ErrorCode::buffer_exhausted)];
        blocked_since_ = now;
        continue;
      }
      q.future.pop_front();
      int64_t seq = q.next_seq++;
      ledger_.on_produced(index_, TopicPartition{topic_, static_cast<int32_t>(p)}, seq, a.time);
      bool fits = !q.batches.empty() && !q.batches.back().closed &&
                  q.batches.back().bytes + a.wire_bytes <= config_.batch_size;
      if (!fits) {
        if (!q.batches.empty()) q.batches.back().closed = true;
        Batch b;
        b.partition = static_cast<int32_t>(p);
        b.first_seq = seq;
        b.created = a.time;
        q.batches.push_back(b);
        added_batch(p);
        buffered_bytes_ += kBatchHeaderBytes;
      }
      Batch& b = q.batches.back();
      ++b.count;
      b.bytes += a.wire_bytes;
      buffered_bytes_ += a.wire_bytes;
      if (b.bytes >= config_.batch_size) b.closed = true;
    }
  }
}

void Producer::expire(NodeContext& ctx) {
  const SimTime now = ctx.now();
  // A request that outlives request.timeout.ms: Kafka closes the connection, failing everything in flight to
  // that broker with a retriable NetworkException, and refreshes metadata.
  std::vector<int64_t> timed_out;
  for (const auto& [id, f] : in_flight_)
    if (reached(now, f.deadline)) timed_out.push_back(id);
  for (int64_t id : timed_out) {
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) continue;
    int32_t broker = it->second.broker;
    std::vector<int64_t> same_broker;
    for (const auto& [other, f] : in_flight_)
      if (f.broker == broker) same_broker.push_back(other);
    for (int64_t other : same_broker) fail_in_flight(ctx, other, ErrorCode::network_exception);
    request_metadata(ctx);
  }
  if (metadata_in_flight_ && reached(now, metadata_deadline_)) {
    metadata_in_flight_ = false;
    request_metadata(ctx);
  }
  // Batches still in the accumulator after delivery.timeout.ms fail.
  std::vector<size_t>& batched = scratch_;
  batched.assign(with_batches_.begin(), with_batches_.end());
  for (size_t p : batched) {
    PartitionQueue& q = partitions_[p];
    while (!q.batches.empty() && reached(now, q.batches.front().created + config_.delivery_timeout_s)) {
      Batch b = q.batches.front();
      q.batches.pop_front();
      removed_batch(p);
      ++stats_.errors[error_name(ErrorCode::delivery_timeout)];
      complete(ctx, b, ErrorCode::delivery_timeout);
    }
  }
}

void Producer::fail_in_flight(NodeContext& ctx, int64_t request_id, ErrorCode error) {
  auto it = in_flight_.find(request_id);
  if (it == in_flight_.end()) return;
  InFlight f = std::move(it->second);
  in_flight_.erase(it);
  --in_flight_per_broker_[f.broker];
  for (Batch& b : f.batches) {
    add_in_flight(static_cast<size_t>(b.partition), -1);
    ++stats_.errors[error_name(error)];
    retry_or_fail(ctx, std::move(b), error);
  }
}

void Producer::retry_or_fail(NodeContext& ctx, Batch batch, ErrorCode error) {
  bool in_time = !reached(ctx.now(), batch.created + config_.delivery_timeout_s);
  if (is_retriable(error) && batch.attempts <= config_.retries && in_time) {
    batch.closed = true;
    auto& batches = partitions_[static_cast<size_t>(batch.partition)].batches;
    // Back in sequence order, ahead of batches not yet sent.
    auto pos = std::find_if(batches.begin(), batches.end(),
                            [&](const Batch& b) { return b.first_seq > batch.first_seq; });
    const auto partition = static_cast<size_t>(batch.partition);
    batches.insert(pos, std::move(batch));
    added_batch(partition);
    return;
  }
  complete(ctx, batch, in_time ? error : ErrorCode::delivery_timeout);
}

void Producer::complete(NodeContext& ctx, const Batch& b, ErrorCode error, int32_t broker, Offset offset) {
  buffered_bytes_ -= b.bytes;
  TopicPartition tp{topic_, b.partition};
  if (error == ErrorCode::none) {
    ledger_.on_acknowledged(index_, tp, b.first_seq, b.count, broker, offset, ctx.now());
    return;
  }
  ledger_.on_failed(index_, tp, b.first_seq, b.count);
  stats_.records_failed += b.count;
  ctx.events().emit(ctx.now(), "batch_failed",
                    {{"producer", spec_.name},
                     {"topic", metadata_.topic_name(topic_)},
                     {"partition", b.partition},
                     {"records", b.count},
                     {"first_sequence", b.first_seq},
                     {"attempts", b.attempts},
                     {"error", error_name(error)}});
}

bool Producer::node_has_room(int32_t broker) const {
  if (broker < 0) return false;
  auto it = in_flight_per_broker_.find(broker);
  return it == in_flight_per_broker_.end() || it->second < config_.max_in_flight;
}

void Producer::set_leader(size_t partition, int32_t broker) {
  if (leaders_[partition] == broker) return;
  leaders_[partition] = broker;
  led_stale_ = true;
}

const std::vector<size_t>& Producer::led_by(int32_t broker) {
  if (led_stale_) {
    for (auto& led : led_) led.clear();
    for (size_t p = 0; p < leaders_.size(); ++p) {
      const auto slot = static_cast<size_t>(leaders_[p] + 1);
      if (slot >= led_.size()) led_.resize(slot + 1);
      led_[slot].push_back(p);
    }
    led_stale_ = false;
  }
  static const std::vector<size_t> none;
  const auto slot = static_cast<size_t>(broker + 1);
  return slot < led_.size() ? led_[slot] : none;
}

void Producer::removed_batch(size_t partition) {
  if (partitions_[partition].batches.empty()) with_batches_.erase(partition);
}

void Producer::add_in_flight(size_t partition, int32_t delta) {
  int32_t& n = partitions_[partition].in_flight;
  n += delta;
  if (n > 0)
    with_in_flight_.insert(partition);
  else
    with_in_flight_.erase(partition);
}

bool Producer::batch_ready(const PartitionQueue& q, SimTime now) const {
  if (q.batches.empty()) return false;
  if (q.in_flight && config_.max_in_flight == 1) return false;
  const Batch& b = q.batches.front();
  if (config_.idempotence && b.attempts > 0 && q.in_flight > 0) return false;
  if (b.attempts > 0) return reached(now, b.last_attempt + config_.retry_backoff_s);
  return b.closed || q.batches.size() > 1 || reached(now, b.created + config_.linger_s);
}

void Producer::drain_and_send(NodeContext& ctx) {
  if (!metadata_known_) return;
  const SimTime now = ctx.now();
  bool sent = true;
  while (sent) {
    sent = false;
    std::set<int32_t> ready;
    for (size_t p : with_batches_) {
      int32_t leader = leaders_[p];
      if (leader < 0) {
        request_metadata(ctx);
        continue;
      }
      if (node_has_room(leader) && batch_ready(partitions_[p], now)) ready.insert(leader);
    }
    for (int32_t broker : ready) {
      const std::vector<size_t>& led = led_by(broker);
      ProduceRequest req;
      InFlight f;
      f.broker = broker;
      int64_t size = kRequestHeaderBytes;
      size_t start = drain_index_[broker] % led.size();
      drain_index_[broker] = start + 1;
      // The broker's partitions from the rotating start, wrapping around; only those with batches matter.
      std::vector<size_t>& order = scratch_;
      order.clear();
      for (auto it = with_batches_.lower_bound(led[start]); it != with_batches_.end(); ++it)
        if (leaders_[*it] == broker) order.push_back(*it);
      for (auto it = with_batches_.begin(); it != with_batches_.end() && *it < led[start]; ++it)
        if (leaders_[*it] == broker) order.push_back(*it);
      for (size_t p : order) {
        PartitionQueue& q = partitions_[p];
        if (q.batches.empty() || (q.in_flight && config_.max_in_flight == 1)) continue;
        Batch& front = q.batches.front();
        if (front.attempts > 0 && !reached(now, front.last_attempt + config_.retry_backoff_s)) continue;
        // Idempotence: a retried batch goes alone, once nothing of its partition is in flight, so the broker's
        // five-batch window always holds it (Kafka's shouldStopDrainBatchesForPartition).
        if (config_.idempotence && front.attempts > 0 && q.in_flight > 0) continue;
        if (!req.batches.empty() && size + front.bytes > config_.max_request_size) break;
        Batch b = front;
        q.batches.pop_front();
        removed_batch(p);
        b.closed = true;
        if (config_.idempotence && b.base_sequence < 0) {
          b.base_sequence = q.next_sequence;
          q.next_sequence += b.count;
        }
        if (b.attempts > 0) ++stats_.retries;
        ++b.attempts;
        b.last_attempt = now;
        size += kPartitionEntryBytes + b.bytes;
        RecordBatch rb;
        rb.producer = index_;
        rb.first_record_seq = b.first_seq;
        rb.record_count = b.count;
        rb.bytes = b.bytes;
        rb.producer_id = producer_id_;
        rb.producer_epoch = config_.idempotence ? 0 : -1;
        rb.base_sequence = b.base_sequence;
        req.batches.emplace_back(TopicPartition{topic_, static_cast<int32_t>(p)}, rb);
        f.batches.push_back(b);
        add_in_flight(p, 1);
      }
      if (req.batches.empty()) continue;
      const int64_t id = next_request_id_++;
      req.request_id = id;
      req.acks = config_.acks;
      req.timeout_s = config_.request_timeout_s;
      f.deadline = now + config_.request_timeout_s;
      ++stats_.requests;
      stats_.batches_sent += static_cast<int64_t>(req.batches.size());
      ++in_flight_per_broker_[broker];
      in_flight_.emplace(id, std::move(f));
      ctx.send(metadata_.broker_node(broker), std::move(req), config_.acks == 0 ? static_cast<uint64_t>(id) : 0);
      sent = true;
    }
  }
}

SimTime Producer::next_wake(SimTime now) {
  SimTime t = kNever;
  bool any_room = false;
  // A partition with no batch and nothing in flight has room exactly when its leader has: count those per
  // leader and look at the others one by one.
  std::vector<size_t>& busy = scratch_;
  busy.clear();
  std::set_union(with_batches_.begin(), with_batches_.end(), with_in_flight_.begin(), with_in_flight_.end(),
                 std::back_inserter(busy));
  if (metadata_known_) {
    if (led_stale_) led_by(-1);
    scratch_count_.assign(led_.size(), 0);  // busy partitions per leader slot
    for (size_t p : busy) ++scratch_count_[static_cast<size_t>(leaders_[p] + 1)];
    for (size_t slot = 1; slot < led_.size(); ++slot)
      if (led_[slot].size() > scratch_count_[slot] && node_has_room(static_cast<int32_t>(slot) - 1)) any_room = true;
  }
  for (size_t p : busy) {
    const PartitionQueue& q = partitions_[p];
    const int32_t leader = leaders_[p];
    const bool room = metadata_known_ && node_has_room(leader) && !(q.in_flight && config_.max_in_flight == 1) &&
                      !(config_.idempotence && !q.batches.empty() && q.batches.front().attempts > 0 && q.in_flight);
    any_room = any_room || room;
    if (q.batches.empty()) continue;
    const Batch& b = q.batches.front();
    t = std::min(t, b.created + config_.delivery_timeout_s);
    if (!room) continue;
    if (b.attempts > 0)
      t = std::min(t, b.last_attempt + config_.retry_backoff_s);
    else if (!(b.closed || q.batches.size() > 1))
      t = std::min(t, b.created + config_.linger_s);
  }
  for (const auto& [id, f] : in_flight_) t = std::min(t, f.deadline);
  if (metadata_in_flight_) t = std::min(t, metadata_deadline_);
  if (blocked_since_) t = std::min(t, *blocked_since_ + config_.max_block_s);

  // While the application is blocked in send(), only freed buffer space (a response) or max.block.ms matter.
  if (blocked_since_) return std::max(t, now);
  // When would new records make something sendable?
  SimTime next_arrival = workload_.done() ? kNever : workload_.peek().time;
  for (size_t p : with_future_) next_arrival = std::min(next_arrival, partitions_[p].future.front().time);
  if (next_arrival == kNever) return t;
  if (!metadata_known_) return std::min(t, std::max(next_arrival, now));  // records still count as produced
  if (config_.linger_s <= 0) {
    if (any_room) t = std::min(t, next_arrival);
    return std::max(t, now);
  }
  // With linger: a batch becomes sendable when it fills (the first record that does not fit arrives) or
  // linger.ms after its first record. Look ahead only as far as the earliest other reason to wake.
  const SimTime horizon = std::min(t, next_arrival + config_.linger_s);
  generate_until(horizon);
  for (size_t p : with_future_) {
    const PartitionQueue& q = partitions_[p];
    if (!(node_has_room(leaders_[p]) && !(q.in_flight && config_.max_in_flight == 1))) continue;
    bool open = !q.batches.empty() && !q.batches.back().closed;
    int64_t bytes = open ? q.batches.back().bytes : 0;
    for (const Arrival& a : q.future) {
      if (a.time > horizon) break;
      if (!open) {
        t = std::min(t, a.time + config_.linger_s);
        open = true;
        bytes = kBatchHeaderBytes + a.wire_bytes;
        continue;
      }
      if (bytes + a.wire_bytes > config_.batch_size) {
        t = std::min(t, a.time);
        break;
      }
      bytes += a.wire_bytes;
      if (bytes >= config_.batch_size) {
        t = std::min(t, a.time);
        break;
      }
    }
  }
  return std::max(t, now);
}

bool Producer::finished() const {
  return workload_.done() && in_flight_.empty() && with_future_.empty() && with_batches_.empty();
}

}  // namespace kafkasim
