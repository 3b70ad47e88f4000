// KRaft mode: the broker's lifecycle agent (Kafka's BrokerLifecycleManager), co-hosted with the broker. Sends
// BrokerHeartbeatRequest every broker.heartbeat.interval.ms to the controller it believes active: first a
// random quorum member (from its own Rng), then whoever a not_controller answer names; with no answer by the
// next heartbeat, or no name, it tries the next quorum member. Each process start is a new incarnation.
#pragma once

#include <cstdint>

#include "controller/control_plane_config.h"
#include "controller/control_plane_wiring.h"
#include "controller/timer_slots.h"
#include "core/random.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

class BrokerHeartbeater : public Node {
 public:
  BrokerHeartbeater(int32_t broker_id, const ControlPlaneWiring& wiring, const Scenario& scenario);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_crash(NodeContext& ctx, bool power_loss) override;
  // The controller's process is down on a live machine: try the next one at once.
  void on_connection_refused(NodeContext& ctx, NodeId peer) override;

  int32_t broker_id() const { return broker_id_; }
  int32_t target_index() const { return target_; }  // quorum index heartbeats go to
  bool fenced() const { return fenced_; }           // as the last answer said
  int64_t incarnation() const { return incarnation_; }

 private:
  enum TimerKind { kHeartbeat };
  void send_heartbeat(NodeContext& ctx);
  void rotate();

  const int32_t broker_id_;
  const ControlPlaneWiring wiring_;  // a copy: the driver's may not outlive the node
  const ControlPlaneConfig config_;
  Rng rng_;
  TimerSlots timers_;
  bool up_ = false;
  int64_t incarnation_ = 0;
  int32_t target_ = 0;
  int64_t next_request_id_ = 1;
  int64_t awaiting_ = -1;  // request id of the unanswered heartbeat, -1 none
  bool fenced_ = false;
  SimTime refused_at_ = -1e9;
};

}  // namespace kafkasim
