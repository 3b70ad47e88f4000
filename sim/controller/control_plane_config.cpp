#include "controller/control_plane_config.h"

#include <string>

namespace kafkasim {
namespace {

SimTime ms_or(const ConfigMap& c, const std::string& key, SimTime fallback_s) {
  return c.has(key) ? from_ms(c.get_double(key)) : fallback_s;
}

}  // namespace

ControlPlaneConfig ControlPlaneConfig::from(const Scenario& scenario) {
  const ConfigMap& c = scenario.cluster.broker_config;
  ControlPlaneConfig p;
  p.zookeeper_session_timeout_s = ms_or(c, "zookeeper.session.timeout.ms", p.zookeeper_session_timeout_s);
  p.quorum_election_timeout_s = ms_or(c, "controller.quorum.election.timeout.ms", p.quorum_election_timeout_s);
  p.quorum_fetch_timeout_s = ms_or(c, "controller.quorum.fetch.timeout.ms", p.quorum_fetch_timeout_s);
  p.broker_session_timeout_s = ms_or(c, "broker.session.timeout.ms", p.broker_session_timeout_s);
  p.broker_heartbeat_interval_s = ms_or(c, "broker.heartbeat.interval.ms", p.broker_heartbeat_interval_s);
  p.metadata_load_s_per_partition =
      ms_or(c, "kafkasim.controller.metadata.load.ms.per.partition", p.metadata_load_s_per_partition);
  p.election_s_per_partition = ms_or(c, "kafkasim.controller.election.ms.per.partition", p.election_s_per_partition);
  return p;
}

std::string quorum_host_name(ControllerMode mode, int32_t index) {
  return (mode == ControllerMode::kraft ? "controller-" : "zookeeper-") + std::to_string(index);
}

std::string broker_host_name(int32_t broker_id) { return "broker-" + std::to_string(broker_id); }

}  // namespace kafkasim
