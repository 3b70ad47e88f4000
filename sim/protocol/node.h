// The boundary between Kafka logic and the simulation engine. Brokers, producers and consumers are plain
// state machines (Node) that react to messages, timers and disk completions, and act only through a
// NodeContext. The SimGrid layer (platform/) implements NodeContext; unit tests implement it with a fake.
#pragma once

#include <cstdint>

#include "core/ids.h"
#include "core/time.h"
#include "protocol/messages.h"

namespace kafkasim {

class EventLog;

class NodeContext {
 public:
  virtual ~NodeContext() = default;
  virtual SimTime now() const = 0;
  virtual NodeId self() const = 0;
  // Sends a message; it arrives after the network's latency and transfer time, or never if the network drops
  // it. With a non-zero `sent_token`, Node::on_sent(sent_token) is called once the bytes have left.
  virtual void send(NodeId to, MessageBody body, uint64_t sent_token = 0) = 0;
  // Queues a write of `bytes` to this node's disk; Node::on_disk_written(token) is called when it completes.
  // Writes complete in the order they were queued.
  virtual void write_to_disk(int64_t bytes, uint64_t token) = 0;
  // Calls Node::on_timer(token) at `at` (or now, if `at` has passed). Timers cannot be cancelled: a node
  // ignores tokens it no longer expects.
  virtual void set_timer(SimTime at, uint64_t token) = 0;
  virtual EventLog& events() = 0;
};

class Node {
 public:
  virtual ~Node() = default;
  virtual void start(NodeContext& ctx) = 0;
  virtual void on_message(NodeContext& ctx, Message&& message) = 0;
  virtual void on_timer(NodeContext& ctx, uint64_t token) = 0;
  virtual void on_disk_written(NodeContext&, uint64_t) {}
  virtual void on_sent(NodeContext&, uint64_t) {}
  // The process died (power_loss: its host lost power too). Drop volatile state here; durable state (logs
  // up to what the page cache or the disk keeps) stays. No callback arrives until a restart calls start().
  virtual void on_crash(NodeContext&, bool /*power_loss*/) {}
  // A message to `peer` found its process dead while its machine was up: the connection was refused
  // (TCP reset). A powered-off machine stays silent instead; senders find out by timeouts.
  virtual void on_connection_refused(NodeContext&, NodeId /*peer*/) {}
  // The fault injector changed something about this node (e.g. paused it): look again at what to do.
  virtual void on_poke(NodeContext&) {}
};

}  // namespace kafkasim
