// Strong identifiers for the simulated entities, so a broker id is never passed where a partition is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace kafkasim {

template <typename Tag, typename Rep = int32_t>
struct StrongId {
  Rep value{};
  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : value(v) {}
  constexpr auto operator<=>(const StrongId&) const = default;
};

struct BrokerTag {};
struct NodeTag {};
struct ProducerTag {};
using BrokerId = StrongId<BrokerTag>;  // Kafka's broker.id
using NodeId = StrongId<NodeTag>;      // any simulated process that sends or receives messages
using ProducerIndex = StrongId<ProducerTag>;

using Offset = int64_t;
using LeaderEpoch = int32_t;

// A topic partition, by topic index in the scenario and partition number.
struct TopicPartition {
  int32_t topic = 0;
  int32_t partition = 0;
  constexpr auto operator<=>(const TopicPartition&) const = default;
};

// Every record the workload creates is identified by who produced it, where it went and its sequence there.
// Sequences per (producer, partition) start at 0 and are contiguous, so a batch is a range of them.
struct RecordId {
  int32_t producer = 0;
  TopicPartition tp;
  int64_t sequence = 0;
  constexpr auto operator<=>(const RecordId&) const = default;
};

}  // namespace kafkasim
