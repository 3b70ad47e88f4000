#include "broker/broker.h"

#include <algorithm>
#include <variant>

#include "metrics/event_log.h"

namespace kafkasim {

Broker::Broker(int32_t broker_id, const Scenario& scenario, ClusterMetadata& metadata)
    : id_(broker_id), metadata_(metadata) {
  for (TopicPartition tp : metadata.all_partitions()) {
    const PartitionState& st = metadata.partition(tp);
    if (std::find(st.replicas.begin(), st.replicas.end(), id_) == st.replicas.end()) continue;
    Replica r;
    r.tp = tp;
    r.is_leader = st.leader == id_;
    r.leader_epoch = st.leader_epoch;
    const auto& topic = scenario.topics[static_cast<size_t>(tp.topic)];
    // Kafka uses min(min.insync.replicas, RF) in effect; a larger value makes acks=all fail, which is kept.
    r.min_insync_replicas = static_cast<int32_t>(topic.config.get_int("min.insync.replicas"));
    replicas_.emplace(tp, std::move(r));
  }
}

Replica* Broker::replica(TopicPartition tp) {
  auto it = replicas_.find(tp);
  return it == replicas_.end() ? nullptr : &it->second;
}

void Broker::start(NodeContext& ctx) {
  int32_t leaders = 0;
  for (const auto& [tp, r] : replicas_) leaders += r.is_leader ? 1 : 0;
  ctx.events().emit(ctx.now(), "broker_started",
                    {{"broker", id_}, {"replicas", replicas_.size()}, {"leaders", leaders}});
}

void Broker::on_message(NodeContext& ctx, Message&& message) {
  std::visit([&](auto& body) { handle(ctx, message.from, body); }, message.body);
}

void Broker::handle(NodeContext& ctx, NodeId from, MetadataRequest& r) {
  MetadataResponse resp;
  resp.request_id = r.request_id;
  for (TopicPartition tp : metadata_.all_partitions()) {
    const PartitionState& st = metadata_.partition(tp);
    resp.partitions.push_back({tp, st.leader, st.leader_epoch});
  }
  ctx.send(from, std::move(resp));
}

void Broker::handle(NodeContext& ctx, NodeId from, ProduceRequest& r) {
  PendingAppend pending;
  pending.client = from;
  int64_t bytes = 0;
  for (const auto& [tp, batch] : r.batches) {
    PartitionProduceResult result{tp, ErrorCode::none, -1};
    Replica* rep = replica(tp);
    if (rep == nullptr || !rep->is_leader) {
      result.error = ErrorCode::not_leader_or_follower;
    } else if (r.acks == -1) {
      const auto& isr = metadata_.partition(tp).isr;
      if (static_cast<int32_t>(isr.size()) < rep->min_insync_replicas) result.error = ErrorCode::not_enough_replicas;
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

void Broker::on_disk_written(NodeContext& ctx, uint64_t token) {
  auto it = pending_appends_.find(token);
  if (it == pending_appends_.end()) return;
  PendingAppend pending = std::move(it->second);
  pending_appends_.erase(it);
  const ProduceRequest& req = pending.request;
  DelayedProduce delayed{pending.client, req.request_id, ctx.now() + req.timeout_s, {}, {}};
  bool must_wait = false;
  for (size_t i = 0; i < req.batches.size(); ++i) {
    auto& result = pending.results[i];
    Offset required = -1;
    if (result.error == ErrorCode::none) {
      Replica* rep = replica(result.tp);
      if (rep == nullptr || !rep->is_leader) {
        result.error = ErrorCode::not_leader_or_follower;  // leadership moved while the write was queued
      } else {
        result.base_offset = rep->log.append_as_leader(req.batches[i].second, rep->leader_epoch);
        advance_high_watermark(ctx, *rep);
        if (req.acks == -1 && rep->high_watermark < rep->log.log_end_offset()) {
          required = rep->log.log_end_offset();
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
    ctx.set_timer(delayed.deadline, id);
    delayed_produces_.emplace(id, std::move(delayed));
    return;
  }
  ctx.send(pending.client, ProduceResponse{req.request_id, std::move(delayed.results)});
}

void Broker::advance_high_watermark(NodeContext& ctx, Replica& replica) {
  // With every ISR member at the leader's log end (RF 1, or followers caught up), HW = LEO.
  // Followers' fetch positions move it otherwise (replication).
  const auto& isr = metadata_.partition(replica.tp).isr;
  if (isr.size() == 1 && isr.front() == id_) {
    if (replica.log.log_end_offset() > replica.high_watermark) {
      replica.high_watermark = replica.log.log_end_offset();
      complete_delayed_produces(ctx, false);
    }
  }
}

void Broker::complete_delayed_produces(NodeContext& ctx, bool expire_all_due) {
  for (auto it = delayed_produces_.begin(); it != delayed_produces_.end();) {
    DelayedProduce& d = it->second;
    bool done = true;
    for (size_t i = 0; i < d.results.size(); ++i) {
      if (d.required_offsets[i] < 0) continue;
      Replica* rep = replica(d.results[i].tp);
      if (rep != nullptr && rep->high_watermark >= d.required_offsets[i]) {
        d.required_offsets[i] = -1;
      } else if (expire_all_due && ctx.now() >= d.deadline) {
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

int64_t Broker::gather_fetch(const FetchRequest& r, FetchResponse* out) {
  int64_t total = 0;
  for (const auto& fp : r.partitions) {
    FetchPartitionData data;
    data.tp = fp.tp;
    Replica* rep = replica(fp.tp);
    if (rep == nullptr || (!rep->is_leader && r.replica_id < 0)) {
      data.error = ErrorCode::not_leader_or_follower;
    } else if (fp.fetch_offset < rep->log.log_start_offset() || fp.fetch_offset > rep->log.log_end_offset()) {
      data.error = ErrorCode::offset_out_of_range;
    } else {
      // Consumers read below the high watermark; followers up to the log end.
      Offset upto = r.replica_id < 0 ? rep->high_watermark : rep->log.log_end_offset();
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
  ctx.set_timer(deadline, id);
}

void Broker::complete_delayed_fetches(NodeContext& ctx) {
  for (auto it = delayed_fetches_.begin(); it != delayed_fetches_.end();) {
    DelayedFetch& d = it->second;
    if (gather_fetch(d.request, nullptr) >= d.request.min_bytes) {
      FetchResponse resp;
      resp.request_id = d.request.request_id;
      resp.replica_id = d.request.replica_id;
      gather_fetch(d.request, &resp);
      ctx.send(d.client, std::move(resp));
      it = delayed_fetches_.erase(it);
    } else {
      ++it;
    }
  }
}

void Broker::on_timer(NodeContext& ctx, uint64_t token) {
  if (auto it = delayed_fetches_.find(token); it != delayed_fetches_.end()) {
    FetchResponse resp;
    resp.request_id = it->second.request.request_id;
    resp.replica_id = it->second.request.replica_id;
    gather_fetch(it->second.request, &resp);
    ctx.send(it->second.client, std::move(resp));
    delayed_fetches_.erase(it);
    return;
  }
  if (delayed_produces_.count(token)) complete_delayed_produces(ctx, true);
}

void Broker::handle(NodeContext& ctx, NodeId from, ListOffsetsRequest& r) {
  ListOffsetsResponse resp;
  resp.request_id = r.request_id;
  for (TopicPartition tp : r.partitions) {
    Replica* rep = replica(tp);
    if (rep == nullptr || !rep->is_leader) {
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
  if (metadata_.group_coordinator(r.group_id) != id_) {
    resp.error = ErrorCode::not_coordinator;
  } else {
    auto& offsets = group_offsets_[r.group_id];
    for (const auto& [tp, offset] : r.offsets) offsets[tp] = offset;
  }
  ctx.send(from, std::move(resp));
}

void Broker::handle(NodeContext& ctx, NodeId from, OffsetFetchRequest& r) {
  OffsetFetchResponse resp;
  resp.request_id = r.request_id;
  if (metadata_.group_coordinator(r.group_id) != id_) {
    resp.error = ErrorCode::not_coordinator;
  } else {
    const auto& offsets = group_offsets_[r.group_id];
    for (TopicPartition tp : r.partitions) {
      auto it = offsets.find(tp);
      resp.offsets.emplace_back(tp, it == offsets.end() ? -1 : it->second);
    }
  }
  ctx.send(from, std::move(resp));
}

}  // namespace kafkasim
