// The control plane's settings, read once from the scenario's broker configs (Kafka's own key names).
#pragma once

#include "core/time.h"
#include "scenario/scenario.h"

namespace kafkasim {

struct ControlPlaneConfig {
  SimTime zookeeper_session_timeout_s = 18;     // zookeeper.session.timeout.ms
  SimTime quorum_election_timeout_s = 1;        // controller.quorum.election.timeout.ms
  SimTime quorum_fetch_timeout_s = 2;           // controller.quorum.fetch.timeout.ms
  SimTime broker_session_timeout_s = 9;         // broker.session.timeout.ms
  SimTime broker_heartbeat_interval_s = 2;      // broker.heartbeat.interval.ms
  SimTime metadata_load_s_per_partition = 0.002;  // kafkasim.controller.metadata.load.ms.per.partition
  SimTime election_s_per_partition = 0.005;       // kafkasim.controller.election.ms.per.partition

  // Keys missing from the map (hand-built scenarios in tests) keep Kafka's defaults.
  static ControlPlaneConfig from(const Scenario& scenario);
};

// The host names events use: "controller-<i>" / "zookeeper-<i>" for the quorum, "broker-<id>" for brokers.
std::string quorum_host_name(ControllerMode mode, int32_t index);
std::string broker_host_name(int32_t broker_id);

}  // namespace kafkasim
