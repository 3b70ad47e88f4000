#include "controller/metadata_publisher.h"

#include <algorithm>
#include <map>

#include "metrics/event_log.h"

namespace kafkasim {

MetadataPublisher::MetadataPublisher(const ControlPlaneWiring& wiring, ClusterMetadata& metadata)
    : wiring_(wiring), metadata_(metadata) {}

void MetadataPublisher::publish(NodeContext& ctx, const ControllerState& state, const PublishBatch& batch,
                                int32_t controller_epoch) {
  const SimTime now = ctx.now();
  bool liveness_changed = false;
  if (metadata_.broker_alive.size() < static_cast<size_t>(state.broker_count()))
    metadata_.broker_alive.resize(static_cast<size_t>(state.broker_count()), true);
  for (int32_t b = 0; b < state.broker_count(); ++b) {
    bool live = state.broker_live(b);
    if (metadata_.broker_alive[static_cast<size_t>(b)] == live) continue;
    metadata_.broker_alive[static_cast<size_t>(b)] = live;
    liveness_changed = true;
    ctx.events().emit(now, live ? "broker_unfenced" : "broker_fenced", {{"broker", b}});
  }

  std::vector<PartitionLeaderState> fresh;
  for (const PartitionLeaderState& s : batch.partitions) {
    PartitionState& md = metadata_.partition(s.tp);
    if (s.partition_epoch <= md.partition_epoch) continue;
    const std::string& topic = metadata_.topic_name(s.tp.topic);
    if (s.leader != md.leader) {
      bool unclean = s.leader >= 0 && std::find(md.isr.begin(), md.isr.end(), s.leader) == md.isr.end();
      ctx.events().emit(now, "leader_elected",
                        {{"topic", topic},
                         {"partition", s.tp.partition},
                         {"leader", s.leader},
                         {"leader_epoch", s.leader_epoch},
                         {"isr", s.isr},
                         {"unclean", unclean}});
    } else if (s.isr != md.isr) {
      ctx.events().emit(now, "isr_changed",
                        {{"topic", topic}, {"partition", s.tp.partition}, {"leader", s.leader}, {"isr", s.isr}});
    }
    md.leader = s.leader;
    md.leader_epoch = s.leader_epoch;
    md.partition_epoch = s.partition_epoch;
    md.isr = s.isr;
    fresh.push_back(s);
  }

  const int32_t controller_id = ctx.self().value;
  std::map<int32_t, std::map<TopicPartition, PartitionLeaderState>> leader_and_isr;
  for (const PartitionLeaderState& s : fresh)
    for (int32_t r : s.replicas)
      if (state.broker_live(r)) leader_and_isr[r][s.tp] = s;
  for (int32_t b : batch.full_state_brokers) {
    if (!state.broker_live(b)) continue;
    auto& parts = leader_and_isr[b];  // an entry even without replicas: the broker learns the controller
    for (TopicPartition tp : state.replicas_on(b)) parts[tp] = state.partition(tp);
  }
  for (auto& [broker, parts] : leader_and_isr) {
    if (static_cast<size_t>(broker) >= wiring_.brokers.size()) continue;
    LeaderAndIsrRequest req;
    req.request_id = next_request_id_++;
    req.controller_epoch = controller_epoch;
    req.controller_id = controller_id;
    for (auto& [tp, s] : parts) req.partitions.push_back(s);
    ctx.send(wiring_.brokers[static_cast<size_t>(broker)], std::move(req));
  }

  if (fresh.empty() && !liveness_changed && !batch.announce) return;
  std::vector<int32_t> live = state.live_brokers();
  for (int32_t b : live) {
    if (static_cast<size_t>(b) >= wiring_.brokers.size()) continue;
    UpdateMetadataRequest req;
    req.request_id = next_request_id_++;
    req.controller_epoch = controller_epoch;
    req.controller_id = controller_id;
    req.partitions = fresh;
    req.live_brokers = live;
    ctx.send(wiring_.brokers[static_cast<size_t>(b)], std::move(req));
  }
}

}  // namespace kafkasim
