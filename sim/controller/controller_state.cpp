#include "controller/controller_state.h"

#include <algorithm>
#include <map>
#include <string>

#include "core/check.h"

namespace kafkasim {
namespace {

bool contains(const std::vector<int32_t>& v, int32_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::vector<int32_t> without(const std::vector<int32_t>& v, int32_t x) {
  std::vector<int32_t> out;
  for (int32_t y : v)
    if (y != x) out.push_back(y);
  return out;
}

}  // namespace

ElectionResult elect_leader(int32_t current, const std::vector<int32_t>& replicas, const std::vector<int32_t>& isr,
                            const std::function<bool(int32_t)>& acceptable, bool unclean_allowed) {
  auto valid = [&](int32_t r) { return r >= 0 && contains(isr, r) && acceptable(r); };
  if (valid(current)) return {current, false};
  for (int32_t r : replicas)
    if (valid(r)) return {r, false};
  if (unclean_allowed)
    for (int32_t r : replicas)
      if (acceptable(r)) return {r, true};
  return {-1, false};
}

ControllerState::ControllerState(const ClusterMetadata& metadata, const Scenario& scenario, ControllerFlavor flavor)
    : flavor_(flavor) {
  live_.assign(static_cast<size_t>(metadata.broker_count()), true);
  replicas_on_.resize(live_.size());
  for (int32_t t = 0; t < metadata.topic_count_with_internal(); ++t) {
    topic_offset_.push_back(partitions_.size());
    // Topic config first, then the broker's; the internal __consumer_offsets topic has only the broker's.
    bool unclean = false;
    const bool user_topic = static_cast<size_t>(t) < scenario.topics.size();
    if (user_topic && scenario.topics[static_cast<size_t>(t)].config.has("unclean.leader.election.enable")) {
      unclean = scenario.topics[static_cast<size_t>(t)].config.get_bool("unclean.leader.election.enable");
    } else if (scenario.cluster.broker_config.has("unclean.leader.election.enable")) {
      unclean = scenario.cluster.broker_config.get_bool("unclean.leader.election.enable");
    }
    unclean_.push_back(unclean);
    for (int32_t p = 0; p < metadata.partition_count(t); ++p) {
      const PartitionState& st = metadata.partition({t, p});
      PartitionLeaderState s;
      s.tp = {t, p};
      s.leader = st.leader;
      s.leader_epoch = st.leader_epoch;
      s.partition_epoch = st.partition_epoch;
      s.isr = st.isr;
      s.replicas = st.replicas;
      for (int32_t r : st.replicas) {
        KSIM_ASSERT(r >= 0 && static_cast<size_t>(r) < replicas_on_.size(), "replica on an unknown broker");
        replicas_on_[static_cast<size_t>(r)].push_back(s.tp);
      }
      partitions_.push_back(std::move(s));
    }
  }
}

bool ControllerState::broker_live(int32_t broker) const {
  return broker >= 0 && static_cast<size_t>(broker) < live_.size() && live_[static_cast<size_t>(broker)];
}

std::vector<int32_t> ControllerState::live_brokers() const {
  std::vector<int32_t> out;
  for (size_t b = 0; b < live_.size(); ++b)
    if (live_[b]) out.push_back(static_cast<int32_t>(b));
  return out;
}

const std::vector<TopicPartition>& ControllerState::replicas_on(int32_t broker) const {
  static const std::vector<TopicPartition> none;
  if (broker < 0 || static_cast<size_t>(broker) >= replicas_on_.size()) return none;
  return replicas_on_[static_cast<size_t>(broker)];
}

bool ControllerState::unclean_allowed(int32_t topic) const {
  return topic >= 0 && static_cast<size_t>(topic) < unclean_.size() && unclean_[static_cast<size_t>(topic)];
}

bool ControllerState::has_partition(TopicPartition tp) const {
  if (tp.topic < 0 || static_cast<size_t>(tp.topic) >= topic_offset_.size() || tp.partition < 0) return false;
  size_t end = static_cast<size_t>(tp.topic) + 1 < topic_offset_.size() ? topic_offset_[static_cast<size_t>(tp.topic) + 1]
                                                                       : partitions_.size();
  return topic_offset_[static_cast<size_t>(tp.topic)] + static_cast<size_t>(tp.partition) < end;
}

size_t ControllerState::index(TopicPartition tp) const {
  KSIM_ASSERT(has_partition(tp), "unknown partition " + std::to_string(tp.topic) + "/" + std::to_string(tp.partition));
  return topic_offset_[static_cast<size_t>(tp.topic)] + static_cast<size_t>(tp.partition);
}

std::optional<PartitionLeaderState> ControllerState::build_change(const PartitionLeaderState& current,
                                                                  std::vector<int32_t> target_isr,
                                                                  const std::function<bool(int32_t)>& acceptable,
                                                                  bool controller_initiated) const {
  PartitionLeaderState next = current;
  ElectionResult election =
      elect_leader(current.leader, current.replicas, target_isr, acceptable, unclean_allowed(current.tp.topic));
  const bool leader_changed = election.leader != current.leader;
  if (leader_changed) {
    next.leader = election.leader;
    // An unclean leader starts a new history: the ISR is just itself (and what it lacks is lost).
    if (election.unclean) target_isr = {election.leader};
  }
  // Kafka never writes an empty ISR (without ELR): the last member stays, so it can come back clean.
  if (!target_isr.empty()) next.isr = target_isr;
  const bool isr_changed = next.isr != current.isr;
  if (!leader_changed && !isr_changed) return std::nullopt;
  ++next.partition_epoch;
  const bool isr_shrank = std::any_of(current.isr.begin(), current.isr.end(),
                                      [&](int32_t r) { return !contains(next.isr, r); });
  // ZooKeeper mode: the controller's LeaderAndIsr must carry a newer leader epoch for brokers to accept it.
  if (leader_changed || (flavor_ == ControllerFlavor::zookeeper && controller_initiated && isr_shrank))
    ++next.leader_epoch;
  return next;
}

std::vector<PartitionLeaderState> ControllerState::broker_failed(int32_t broker) const {
  std::vector<PartitionLeaderState> out;
  auto acceptable = [&](int32_t r) { return r != broker && broker_live(r); };
  for (const PartitionLeaderState& p : partitions_) {
    if (!contains(p.isr, broker) && p.leader != broker) continue;
    auto change = build_change(p, without(p.isr, broker), acceptable, true);
    if (change) out.push_back(std::move(*change));
  }
  return out;
}

std::vector<PartitionLeaderState> ControllerState::brokers_failed(const std::vector<int32_t>& brokers) const {
  ControllerState scratch = *this;
  std::map<TopicPartition, PartitionLeaderState> final_states;
  for (int32_t b : brokers) {
    scratch.set_broker_live(b, false);
    for (auto& s : scratch.broker_failed(b)) {
      scratch.apply(s);
      final_states[s.tp] = std::move(s);
    }
  }
  std::vector<PartitionLeaderState> out;
  for (auto& [tp, s] : final_states) out.push_back(std::move(s));
  return out;
}

std::vector<PartitionLeaderState> ControllerState::broker_started(int32_t broker) const {
  std::vector<PartitionLeaderState> out;
  auto acceptable = [&](int32_t r) { return r == broker || broker_live(r); };
  for (const PartitionLeaderState& p : partitions_) {
    if (p.leader >= 0) continue;
    auto change = build_change(p, p.isr, acceptable, true);
    if (change) out.push_back(std::move(*change));
  }
  return out;
}

AlterPartitionDecision ControllerState::alter_partition(int32_t broker, const AlterPartitionRequest::Item& item) const {
  AlterPartitionDecision d;
  if (!has_partition(item.tp)) {
    d.error = ErrorCode::unknown_topic_or_partition;
    return d;
  }
  const PartitionLeaderState& p = partition(item.tp);
  if (item.leader_epoch > p.leader_epoch || item.partition_epoch > p.partition_epoch) {
    d.error = ErrorCode::not_controller;  // the leader knows more than we do: we are probably not the controller
  } else if (item.leader_epoch < p.leader_epoch) {
    d.error = ErrorCode::fenced_leader_epoch;
  } else if (broker != p.leader) {
    d.error = ErrorCode::not_leader_or_follower;
  } else if (item.partition_epoch < p.partition_epoch) {
    d.error = ErrorCode::invalid_update_version;
  } else {
    std::vector<int32_t> seen;
    for (int32_t r : item.new_isr) {
      if (!contains(p.replicas, r) || contains(seen, r)) d.error = ErrorCode::ineligible_replica;
      seen.push_back(r);
    }
    if (!contains(item.new_isr, p.leader)) d.error = ErrorCode::ineligible_replica;
    for (int32_t r : item.new_isr)
      if (!broker_live(r)) d.error = ErrorCode::ineligible_replica;
  }
  if (d.error != ErrorCode::none) return d;
  // The leader stays (it is in the new ISR and live); only the ISR and the partition epoch change.
  d.change = build_change(p, item.new_isr, [&](int32_t r) { return broker_live(r); }, false);
  return d;
}

void ControllerState::apply(const PartitionLeaderState& state) { partitions_[index(state.tp)] = state; }

void ControllerState::set_broker_live(int32_t broker, bool live) {
  KSIM_ASSERT(broker >= 0 && static_cast<size_t>(broker) < live_.size(), "unknown broker " + std::to_string(broker));
  live_[static_cast<size_t>(broker)] = live;
}

void ControllerState::apply(const MetadataRecord& record) {
  switch (record.kind) {
    case MetadataRecord::Kind::partition_change:
      apply(record.partition);
      break;
    case MetadataRecord::Kind::broker_registration:
    case MetadataRecord::Kind::broker_fencing:
      set_broker_live(record.broker, !record.fenced);
      break;
    case MetadataRecord::Kind::leader_change:
      break;
  }
}

}  // namespace kafkasim
