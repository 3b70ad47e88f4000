#include "controller/broker_heartbeater.h"

#include <string>
#include <variant>

namespace kafkasim {

BrokerHeartbeater::BrokerHeartbeater(int32_t broker_id, const ControlPlaneWiring& wiring, const Scenario& scenario)
    : broker_id_(broker_id),
      wiring_(wiring),
      config_(ControlPlaneConfig::from(scenario)),
      rng_(scenario.seed, "broker-heartbeater:" + std::to_string(broker_id)) {}

void BrokerHeartbeater::start(NodeContext& ctx) {
  up_ = true;
  ++incarnation_;
  awaiting_ = -1;
  fenced_ = false;
  if (!wiring_.quorum.empty()) target_ = static_cast<int32_t>(rng_.uniform_below(wiring_.quorum.size()));
  send_heartbeat(ctx);
  ctx.set_timer(ctx.now() + config_.broker_heartbeat_interval_s, timers_.arm(kHeartbeat));
}

void BrokerHeartbeater::on_crash(NodeContext&, bool) {
  up_ = false;
  timers_.invalidate_all();
  awaiting_ = -1;
}

void BrokerHeartbeater::on_connection_refused(NodeContext& ctx, NodeId peer) {
  if (!up_ || wiring_.quorum.empty() || peer != wiring_.quorum[static_cast<size_t>(target_)]) return;
  rotate();
  // At most one quick retry per interval: with every controller down this must not spin.
  if (ctx.now() - refused_at_ < config_.broker_heartbeat_interval_s) return;
  refused_at_ = ctx.now();
  send_heartbeat(ctx);
}

void BrokerHeartbeater::rotate() {
  if (!wiring_.quorum.empty()) target_ = (target_ + 1) % static_cast<int32_t>(wiring_.quorum.size());
}

void BrokerHeartbeater::send_heartbeat(NodeContext& ctx) {
  if (wiring_.quorum.empty()) return;
  BrokerHeartbeatRequest req;
  req.request_id = next_request_id_++;
  req.broker_id = broker_id_;
  req.want_unfence = true;
  req.incarnation = incarnation_;
  awaiting_ = req.request_id;
  ctx.send(wiring_.quorum[static_cast<size_t>(target_)], req);
}

void BrokerHeartbeater::on_timer(NodeContext& ctx, uint64_t token) {
  if (!up_ || timers_.fired(token) != kHeartbeat) return;
  if (awaiting_ >= 0) rotate();  // the last one went unanswered: that controller is gone or cut off
  send_heartbeat(ctx);
  ctx.set_timer(ctx.now() + config_.broker_heartbeat_interval_s, timers_.arm(kHeartbeat));
}

void BrokerHeartbeater::on_message(NodeContext& ctx, Message&& message) {
  if (!up_) return;
  auto* resp = std::get_if<BrokerHeartbeatResponse>(&message.body);
  if (resp == nullptr) return;
  if (resp->request_id == awaiting_) awaiting_ = -1;
  if (resp->error == ErrorCode::none) {
    fenced_ = resp->fenced;
    return;
  }
  if (resp->error != ErrorCode::not_controller) return;
  int32_t hint = -1;
  for (size_t i = 0; i < wiring_.quorum.size(); ++i)
    if (wiring_.quorum[i].value == resp->controller_hint) hint = static_cast<int32_t>(i);
  if (hint >= 0 && hint != target_) {
    target_ = hint;
    send_heartbeat(ctx);  // at once: the session keeps running while we look for the controller
  } else {
    rotate();
  }
}

}  // namespace kafkasim
