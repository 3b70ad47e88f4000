#include "platform/runtime.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <tuple>

#include <simgrid/s4u.hpp>
#include <xbt/config.hpp>
#include <xbt/log.h>

#include "core/check.h"
#include "core/random.h"
#include "metrics/event_log.h"

namespace sg4 = simgrid::s4u;

namespace kafkasim {
namespace {

// Fast path: a transfer of at most this many bytes between two hosts is not a SimGrid comm. It arrives at
// now + one-way latency + bytes / (the slower of the two host links, bounded by TCP's window as CM02 bounds
// it): what an uncontended SimGrid transfer takes, but it ignores contention, which a few kilobytes barely
// feel. Heartbeats, fetch requests, empty fetch responses, commits and group requests all take it.
constexpr int64_t kFastPathBytesMax = 2048;

// What one transfer on a connection carries: the messages queued while the previous transfer was on the wire.
struct Bundle {
  struct Sent {
    Message message;
    uint64_t receiver_incarnation;  // the receiving process it was sent to
  };
  std::vector<Sent> messages;
};

// One thing to happen at a simulated time. Ties break by `seq`, the order in which they were scheduled.
struct Event {
  enum class Kind : uint8_t {
    timeline,   // the scenario's timeline action `index`
    start,      // Node::start of `node`, the first time (faults act at once, not as events)
    timer,      // Node::on_timer(token)
    arrival,    // a fast-path bundle reaches `node`
    transmit,   // `node` sends `body` to `peer` now (it waited for a network delay)
    sent,       // Node::on_sent(token)
    refused,    // Node::on_connection_refused(peer)
    written,    // Node::on_disk_written(token): the append is in the page cache
    fast_done,  // the fast-path transfer on `node`'s connection to `peer` has arrived
  };
  SimTime at = 0;
  uint64_t seq = 0;
  Kind kind = Kind::timer;
  size_t node = 0;
  size_t peer = 0;
  uint64_t incarnation = 0;  // node-local events are dropped when the node died since they were scheduled
  uint64_t token = 0;        // timer, sent; timeline: the action's index
  uint64_t peer_incarnation = 0;  // transmit: the receiving process the message was sent to
  std::unique_ptr<MessageBody> body = nullptr;
  std::unique_ptr<Bundle> bundle = nullptr;
};

// The heap holds only when, in which order and where: moving 100-byte events through a heap of a hundred
// thousand pending timers cost more than handling them.
struct EventRef {
  SimTime at;
  uint64_t seq;
  uint32_t slot;  // in EventLoop::slots
  bool operator>(const EventRef& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
};

class EventLoop;

// One process: its Node, its connections and its disk queue. It lives outside any actor, like a machine
// outlives its processes.
class SimGridContext : public NodeContext {
 public:
  SimGridContext(NodeId id, Node* node, EventLoop& loop, EventLog& events, double dirty_limit_bytes)
      : id_(id),
        node_(node),
        loop_(loop),
        events_(events),
        dirty_limit_(static_cast<int64_t>(std::min(dirty_limit_bytes, 4e18))) {}

  SimTime now() const override;
  NodeId self() const override { return id_; }
  void send(NodeId to, MessageBody body, uint64_t sent_token) override;
  void write_to_disk(int64_t bytes, uint64_t token) override;
  void set_timer(SimTime at, uint64_t token) override;
  EventLog& events() override { return events_; }

  void transmit(size_t peer, MessageBody body, uint64_t sent_token, uint64_t receiver_incarnation);
  void start_transfer(size_t peer);
  void fast_done(size_t peer);
  void transfer_done(size_t peer);
  void admit_writes();
  void start_writeback();
  void written_back();
  // A process's life, driven by the run's start and by fault hooks.
  void start_process();
  void restart_process();
  void crash_process(bool power_loss);
  void poke_process();

  NodeId id_;
  Node* node_;
  EventLoop& loop_;
  EventLog& events_;
  bool down_ = false;
  bool powered_off_ = false;
  bool started_ = false;  // Node::start has run (a process crashed at time 0 never started)
  uint64_t incarnation_ = 0;

  // Connections, like TCP's: one per (sender, receiver) pair, so messages of one connection arrive in order
  // while a large message on one connection never holds back another connection's. A connection is one flow
  // on the network, as a TCP connection is: one transfer at a time, and what is sent meanwhile leaves
  // together in the next one. (One SimGrid comm per message would give a client with five requests in
  // flight five shares of a link against a replica fetcher's one.)
  struct Connection {
    sg4::CommPtr active;                  // the SimGrid transfer on the wire
    std::unique_ptr<Bundle> active_bundle;
    std::vector<uint64_t> active_tokens;  // on_sent tokens of its messages
    std::unique_ptr<Bundle> queued;
    int64_t queued_bytes = 0;
    std::vector<uint64_t> queued_tokens;
    SimTime fast_until = 0;             // a fast-path transfer is on the wire until then
    std::vector<uint64_t> fast_tokens;  // its on_sent tokens
    bool fast_done_scheduled = false;   // a fast_done event at fast_until is queued
    SimTime delayed_until = 0;          // the last message held back by extra latency enters the wire then
  };
  // Opened on first use; a deque keeps references valid while new ones open. Found through a per-peer index:
  // a thousand clients each holding a slot for every node filled the cache with empty connections.
  std::deque<Connection> connections_out_;
  std::vector<int32_t> connection_of_;  // per peer node: index in connections_out_, -1 until opened
  Connection& connection(size_t peer);
  bool connection_idle(const Connection& c) const {
    return !c.active && !c.fast_done_scheduled && c.fast_until <= now();
  }

  // The page cache, as Linux keeps it: an append is done once its bytes are in memory, and the disk writes dirty
  // bytes back behind it. An append waits only while the dirty bytes would pass the limit (vm.dirty_ratio), so
  // a disk slower than the appends holds them back once the cache is full, not before.
  std::deque<std::pair<int64_t, uint64_t>> disk_queue_;  // appends waiting for room: bytes, token
  const int64_t dirty_limit_;
  int64_t dirty_bytes_ = 0;      // in the cache, not yet on disk (what is being written back included)
  int64_t writeback_bytes_ = 0;  // the write-back on the disk now
  bool through_pending_ = false;  // an append that did not fit the cache waits for the disk
  uint64_t through_token_ = 0;
  sg4::ExecPtr disk_write_;
};

// The whole simulation runs in one SimGrid actor: an event loop over a heap of timed events (timers, small
// messages, the timeline) that hands SimGrid only what SimGrid models better than a formula — transfers of
// more than a few kilobytes, which share links, and disk writes — and waits for those while they run.
// One actor per node, each woken by SimGrid for every small message, cost a context switch and a zero-byte
// wake comm per message: a thousand consumers spent most of their wall time there.
class EventLoop {
 public:
  struct InFlight {
    sg4::ActivityPtr activity;
    bool is_transfer = false;
    size_t node = 0;  // transfer: the sender; disk write: the writer
    size_t peer = 0;
  };

  SimTime clock = 0;
  uint64_t seq = 0;
  std::vector<EventRef> heap;
  std::vector<Event> slots;
  std::vector<uint32_t> free_slots;
  std::vector<std::unique_ptr<SimGridContext>> contexts;
  std::vector<std::string> host_name;  // per node
  std::vector<sg4::Host*> hosts;       // per node
  std::vector<sg4::Host*> disk_hosts;  // per node
  std::vector<InFlight> in_flight;     // in the order they started
  NetworkConditions* network = nullptr;
  Rng drops{0};
  std::map<std::string, double> disk_factor;
  double round_trip_s = 0;
  double latency_s = 0;
  double bandwidth_Bps = 0;
  double tcp_gamma = 0;  // CM02 bounds a flow's rate by gamma / (2 * latency)

  // Queues `e` at e.at (never before now), after everything queued before it for the same time.
  void schedule(Event e) {
    e.at = std::max(e.at, clock);
    e.seq = seq++;
    e.incarnation = e.node < contexts.size() ? contexts[e.node]->incarnation_ : 0;
    uint32_t slot;
    if (free_slots.empty()) {
      slot = static_cast<uint32_t>(slots.size());
      slots.push_back(Event{});
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
    }
    heap.push_back(EventRef{e.at, e.seq, slot});
    slots[slot] = std::move(e);
    std::push_heap(heap.begin(), heap.end(), std::greater<>{});
  }
  Event pop() {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
    const uint32_t slot = heap.back().slot;
    heap.pop_back();
    Event e = std::move(slots[slot]);
    free_slots.push_back(slot);
    return e;
  }

  // SimGrid's clock stays behind while nothing of SimGrid's runs; catch it up before starting an activity.
  void sync_simgrid() {
    if (in_flight.empty() && sg4::Engine::get_clock() < clock) sg4::this_actor::sleep_until(clock);
  }
  void start(sg4::ActivityPtr activity, bool is_transfer, size_t node, size_t peer) {
    in_flight.push_back(InFlight{std::move(activity), is_transfer, node, peer});
  }
  void cancel(const sg4::ActivityPtr& activity) {
    activity->cancel();
    auto it = std::find_if(in_flight.begin(), in_flight.end(),
                           [&](const InFlight& f) { return f.activity == activity; });
    if (it != in_flight.end()) in_flight.erase(it);
  }
  void deliver(Bundle& bundle, size_t receiver);

  void run(SimTime end, std::vector<TimelineAction>& actions);

 private:
  void dispatch(Event& e, std::vector<TimelineAction>& actions);
};

SimTime SimGridContext::now() const { return loop_.clock; }

SimGridContext::Connection& SimGridContext::connection(size_t peer) {
  if (connection_of_.empty()) connection_of_.assign(loop_.contexts.size(), -1);
  int32_t& index = connection_of_[peer];
  if (index < 0) {
    index = static_cast<int32_t>(connections_out_.size());
    connections_out_.emplace_back();
  }
  return connections_out_[static_cast<size_t>(index)];
}

void SimGridContext::set_timer(SimTime at, uint64_t token) {
  loop_.schedule({.at = at, .kind = Event::Kind::timer, .node = static_cast<size_t>(id_.value), .token = token});
}

void SimGridContext::send(NodeId to, MessageBody body, uint64_t sent_token) {
  const auto self = static_cast<size_t>(id_.value);
  const auto peer = static_cast<size_t>(to.value);
  const std::string& from_host = loop_.host_name[self];
  const std::string& to_host = loop_.host_name[peer];
  NetworkConditions& net = *loop_.network;
  if (!net.empty()) {
    // A cut or dropped message vanishes, as a packet would; senders notice through their timeouts.
    // The bytes still leave the sender, so a waiting sender hears they were sent.
    bool lost = net.is_cut(from_host, to_host, traffic_class(body));
    // Drops hit client requests and responses (a flaky client path); replication and control traffic ride
    // long-lived connections where TCP retransmits, so they are only delayed.
    double drop = traffic_class(body) == TrafficClass::client ? net.drop_probability(from_host, to_host) : 0.0;
    if (!lost && drop > 0 && loop_.drops.uniform01() < drop) lost = true;
    if (lost) {
      if (sent_token) loop_.schedule({.at = now(), .kind = Event::Kind::sent, .node = self, .token = sent_token});
      return;
    }
  }
  const SimGridContext& receiver = *loop_.contexts[peer];
  if (receiver.down_) {
    // Nobody listens: a live machine answers with a reset after a round trip; a dead one says nothing.
    if (sent_token) loop_.schedule({.at = now(), .kind = Event::Kind::sent, .node = self, .token = sent_token});
    if (!receiver.powered_off_)
      loop_.schedule({.at = now() + loop_.round_trip_s, .kind = Event::Kind::refused, .node = self, .peer = peer});
    return;
  }
  // Extra latency delays a message before it enters the connection; it never lets a later message of the
  // same connection overtake it when the delay shrinks or heals meanwhile.
  Connection& c = connection(peer);
  if (!net.empty() || c.delayed_until > now()) {
    const SimTime at = std::max(now() + (net.empty() ? 0.0 : net.extra_latency_s(from_host, to_host)), c.delayed_until);
    if (at > now()) {
      c.delayed_until = at;
      loop_.schedule({.at = at,
                      .kind = Event::Kind::transmit,
                      .node = self,
                      .peer = peer,
                      .token = sent_token,
                      .peer_incarnation = receiver.incarnation_,
                      .body = std::make_unique<MessageBody>(std::move(body))});
      return;
    }
  }
  transmit(peer, std::move(body), sent_token, receiver.incarnation_);
}

void SimGridContext::transmit(size_t peer, MessageBody body, uint64_t sent_token, uint64_t receiver_incarnation) {
  const int64_t bytes = wire_size(body);
  Connection& c = connection(peer);
  if (!c.queued) c.queued = std::make_unique<Bundle>();
  c.queued->messages.push_back(
      {Message{id_, NodeId{static_cast<int32_t>(peer)}, std::move(body)}, receiver_incarnation});
  c.queued_bytes += bytes;
  if (sent_token) c.queued_tokens.push_back(sent_token);
  if (connection_idle(c)) {
    start_transfer(peer);
  } else if (!c.active && !c.fast_done_scheduled) {
    // Behind a fast-path transfer: leave when it has arrived.
    c.fast_done_scheduled = true;
    loop_.schedule(
        {.at = c.fast_until, .kind = Event::Kind::fast_done, .node = static_cast<size_t>(id_.value), .peer = peer});
  }
}

void SimGridContext::fast_done(size_t peer) {
  Connection& c = connection(peer);
  c.fast_done_scheduled = false;
  std::vector<uint64_t> tokens = std::move(c.fast_tokens);
  c.fast_tokens.clear();
  if (c.queued && connection_idle(c)) start_transfer(peer);
  for (uint64_t token : tokens)
    if (!down_) node_->on_sent(*this, token);
}

void SimGridContext::start_transfer(size_t peer) {
  Connection& c = connection(peer);
  const auto self = static_cast<size_t>(id_.value);
  const std::string& from_host = loop_.host_name[self];
  const std::string& to_host = loop_.host_name[peer];
  if (c.queued_bytes <= kFastPathBytesMax && from_host != to_host) {
    // The same time an uncontended SimGrid transfer takes on the star network (see kFastPathBytesMax).
    const NetworkConditions& net = *loop_.network;
    double rate = loop_.bandwidth_Bps * std::min(net.bandwidth_factor(from_host), net.bandwidth_factor(to_host));
    if (loop_.tcp_gamma > 0 && loop_.latency_s > 0) rate = std::min(rate, loop_.tcp_gamma / (2 * loop_.latency_s));
    const SimTime arrival = now() + loop_.latency_s + static_cast<double>(c.queued_bytes) / rate;
    loop_.schedule({.at = arrival, .kind = Event::Kind::arrival, .node = peer, .bundle = std::move(c.queued)});
    c.fast_until = arrival;
    c.fast_tokens = std::move(c.queued_tokens);
    c.queued_tokens.clear();
    c.queued_bytes = 0;
    if (!c.fast_tokens.empty()) {
      c.fast_done_scheduled = true;
      loop_.schedule({.at = arrival, .kind = Event::Kind::fast_done, .node = self, .peer = peer});
    }
    return;
  }
  loop_.sync_simgrid();
  c.active = sg4::Comm::sendto_async(loop_.hosts[self], loop_.hosts[peer], static_cast<uint64_t>(c.queued_bytes));
  loop_.start(c.active, true, self, peer);
  c.active_bundle = std::move(c.queued);
  c.active_tokens = std::move(c.queued_tokens);
  c.queued_tokens.clear();
  c.queued_bytes = 0;
}

void SimGridContext::transfer_done(size_t peer) {
  Connection& c = connection(peer);
  c.active = nullptr;
  std::unique_ptr<Bundle> bundle = std::move(c.active_bundle);
  std::vector<uint64_t> tokens = std::move(c.active_tokens);
  c.active_tokens.clear();
  loop_.deliver(*bundle, peer);
  if (c.queued) start_transfer(peer);
  for (uint64_t token : tokens)
    if (!down_) node_->on_sent(*this, token);  // the receiver owns the message now
}

void SimGridContext::write_to_disk(int64_t bytes, uint64_t token) {
  disk_queue_.emplace_back(bytes, token);
  admit_writes();
}

void SimGridContext::admit_writes() {
  const auto self = static_cast<size_t>(id_.value);
  while (!disk_queue_.empty() && !through_pending_) {
    auto [bytes, token] = disk_queue_.front();
    if (dirty_bytes_ > 0 && dirty_bytes_ + bytes > dirty_limit_) break;  // until write-back makes room
    disk_queue_.pop_front();
    dirty_bytes_ += bytes;
    if (dirty_bytes_ <= dirty_limit_) {
      loop_.schedule({.at = now(), .kind = Event::Kind::written, .node = self, .token = token});
    } else {
      // Larger than the whole cache (with a zero limit, every append): done once it is on disk.
      through_pending_ = true;
      through_token_ = token;
    }
  }
  if (!disk_write_ && dirty_bytes_ > 0) start_writeback();
}

void SimGridContext::start_writeback() {
  const auto self = static_cast<size_t>(id_.value);
  // In pieces, as the kernel's flusher writes (4 MiB at a time): room in a full cache comes back piece by piece.
  constexpr int64_t kWritebackChunk = 4 << 20;
  writeback_bytes_ = std::min(dirty_bytes_, kWritebackChunk);
  double factor = 1.0;
  if (auto it = loop_.disk_factor.find(loop_.host_name[self]); it != loop_.disk_factor.end()) factor = it->second;
  loop_.sync_simgrid();
  // SimGrid 3.32's Disk leaks activities into the caller (simgrid-notes.md): a disk is a host whose speed in
  // flops is the disk's bandwidth in bytes/s, and a write of n bytes is an exec of n flops on it.
  disk_write_ = sg4::Exec::init()
                    ->set_flops_amount(static_cast<double>(writeback_bytes_) / factor)
                    ->set_host(loop_.disk_hosts[self]);
  disk_write_->start();
  loop_.start(disk_write_, false, self, 0);
}

void SimGridContext::written_back() {
  disk_write_ = nullptr;
  dirty_bytes_ -= writeback_bytes_;
  writeback_bytes_ = 0;
  if (through_pending_ && dirty_bytes_ == 0) {
    through_pending_ = false;
    loop_.schedule(
        {.at = now(), .kind = Event::Kind::written, .node = static_cast<size_t>(id_.value), .token = through_token_});
  }
  admit_writes();
}

void SimGridContext::start_process() {
  started_ = true;
  node_->start(*this);
}

void SimGridContext::restart_process() {
  if (!down_) return;
  down_ = false;
  powered_off_ = false;
  start_process();
}

void SimGridContext::poke_process() {
  if (!down_) node_->on_poke(*this);
}

void SimGridContext::crash_process(bool power_loss) {
  if (down_ && (!power_loss || powered_off_)) return;  // a power loss still hits a crashed process's machine
  if (!down_) {
    down_ = true;
    ++incarnation_;  // its timers and pending sends die with it
    // Appends the process had not handed to the kernel die with it; the page cache is the kernel's and is
    // written back all the same, unless the machine loses power.
    disk_queue_.clear();
    through_pending_ = false;
    for (auto& c : connections_out_) {  // what had not left the socket buffers dies with the process
      c.queued.reset();
      c.queued_bytes = 0;
      c.queued_tokens.clear();
      c.active_tokens.clear();  // the transfer on the wire goes on, but nobody waits to hear it left
      c.fast_tokens.clear();    // its fast_done went with the incarnation; fast_until still holds the connection
      c.fast_done_scheduled = false;
      c.delayed_until = 0;
    }
  }
  if (power_loss) {  // the machine stops: the page cache is gone, the disk and the NIC stop
    powered_off_ = true;
    if (disk_write_) loop_.cancel(disk_write_);
    disk_write_ = nullptr;
    dirty_bytes_ = writeback_bytes_ = 0;
    for (auto& c : connections_out_) {
      if (!c.active) continue;
      loop_.cancel(c.active);
      c.active = nullptr;
      c.active_bundle.reset();
    }
  }
  if (started_) node_->on_crash(*this, power_loss);
}

// A message reaches the process it was sent to: not a dead one, nor a restarted one (its connections were
// reset), nor across a cut made while it was on the wire.
void EventLoop::deliver(Bundle& bundle, size_t receiver) {
  SimGridContext& to = *contexts[receiver];
  for (auto& [message, incarnation] : bundle.messages) {
    if (to.down_ || to.incarnation_ != incarnation) continue;
    if (!network->empty() && network->is_cut(host_name[static_cast<size_t>(message.from.value)], host_name[receiver],
                                             traffic_class(message.body)))
      continue;
    to.node_->on_message(to, std::move(message));
  }
}

void EventLoop::dispatch(Event& e, std::vector<TimelineAction>& actions) {
  if (e.kind == Event::Kind::timeline) {
    actions[e.token].run(e.at);
    return;
  }
  SimGridContext& ctx = *contexts[e.node];
  switch (e.kind) {
    case Event::Kind::start:  // not for a process crashed at time 0: its restart starts it
      if (e.incarnation == ctx.incarnation_) ctx.start_process();
      return;
    case Event::Kind::arrival:
      deliver(*e.bundle, e.node);  // on the wire when its sender died, it arrives all the same
      return;
    default:
      break;
  }
  if (e.incarnation != ctx.incarnation_) return;  // scheduled by a process that has died since
  switch (e.kind) {
    case Event::Kind::timer:
      if (!ctx.down_) ctx.node_->on_timer(ctx, e.token);
      break;
    case Event::Kind::transmit:
      ctx.transmit(e.peer, std::move(*e.body), e.token, e.peer_incarnation);
      break;
    case Event::Kind::sent:
      if (!ctx.down_) ctx.node_->on_sent(ctx, e.token);
      break;
    case Event::Kind::written:
      if (!ctx.down_) ctx.node_->on_disk_written(ctx, e.token);
      break;
    case Event::Kind::refused:
      if (!ctx.down_) ctx.node_->on_connection_refused(ctx, NodeId{static_cast<int32_t>(e.peer)});
      break;
    case Event::Kind::fast_done:
      ctx.fast_done(e.peer);
      break;
    default:
      break;
  }
}

void EventLoop::run(SimTime end, std::vector<TimelineAction>& actions) {
  for (size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].at > end) break;
    schedule({.at = actions[i].at, .kind = Event::Kind::timeline, .node = contexts.size(), .token = i});
  }
  // Nodes start after the timeline's actions at time 0, so a fault set at 0 is in place for their first sends.
  for (size_t i = 0; i < contexts.size(); ++i)
    schedule({.at = 0, .kind = Event::Kind::start, .node = i});
  std::vector<sg4::ActivityPtr> waiting;
  bool past_end = false;  // a SimGrid activity finished at `end`: the run is over for SimGrid's side
  for (;;) {
    if (heap.empty() && (in_flight.empty() || past_end)) break;
    const SimTime next = heap.empty() ? kNever : heap.front().at;
    if (!in_flight.empty() && !past_end) {
      // SimGrid runs its transfers and disk writes until the next event, or less if one of them ends first.
      waiting.clear();
      for (const InFlight& f : in_flight) waiting.push_back(f.activity);
      const double timeout = std::max(0.0, std::min(next, end) - sg4::Engine::get_clock());
      const ssize_t done = sg4::Activity::wait_any_for(waiting, timeout);
      if (done >= 0 && sg4::Engine::get_clock() >= end) {
        past_end = true;  // like node events due at `end`, it waits for a run that ends there
      } else if (done >= 0) {
        InFlight f = std::move(in_flight[static_cast<size_t>(done)]);
        in_flight.erase(in_flight.begin() + done);
        clock = std::max(clock, sg4::Engine::get_clock());
        if (f.is_transfer)
          contexts[f.node]->transfer_done(f.peer);
        else
          contexts[f.node]->written_back();
        continue;
      }
    }
    // The run ends at `end` once the timeline's actions there (the last metrics sample) have run.
    if (next > end || (next == end && slots[heap.front().slot].kind != Event::Kind::timeline)) break;
    clock = std::max(clock, next);
    while (!heap.empty() && heap.front().at <= clock) {
      if (heap.front().at >= end && slots[heap.front().slot].kind != Event::Kind::timeline) break;
      Event e = pop();
      dispatch(e, actions);
    }
  }
  // What SimGrid still runs ends with the run.
  for (InFlight& f : in_flight) f.activity->cancel();
  in_flight.clear();
}

const SimTime* g_clock = nullptr;  // the running loop's clock, for Runtime::now() and assertion messages
double loop_clock() { return g_clock ? *g_clock : 0.0; }

}  // namespace

struct Runtime::Impl {
  sg4::Engine engine;
  EventLoop loop;
  std::vector<NodeSpec> specs;
  std::map<std::string, sg4::Link*> links;
  std::map<std::string, std::vector<size_t>> nodes_on_host;
  NetworkSpec network;

  Impl(int* argc, char** argv) : engine(argc, argv) {}
  // Applied at once (fault hooks run from timeline actions, never inside a node's handler): a process crashed
  // at t handles none of its events due at t, and the timeline's next action at t sees it down.
  std::vector<SimGridContext*> processes_on(const std::string& host) {
    std::vector<SimGridContext*> out;
    for (size_t i : nodes_on_host.at(host)) out.push_back(loop.contexts[i].get());
    return out;
  }
};

const char* Runtime::network_model_description() {
  return "SimGrid CM02 (latency and bandwidth factors 1: stated latency is simulated latency)";
}

Runtime::Runtime(int* argc, char** argv, uint64_t seed) {
  xbt_log_control_set("root.thresh:warning");
  impl_ = std::make_unique<Impl>(argc, argv);
  impl_->loop.network = &network_;
  impl_->loop.drops = Rng(seed, "network:drops");
  // CM02 applies stated latencies and bandwidths as given (LV08 would multiply latency by 13).
  sg4::Engine::set_config("network/model:CM02");
  g_clock = &impl_->loop.clock;
  BugContext::clock = &loop_clock;
}

Runtime::~Runtime() { g_clock = nullptr; }

SimTime Runtime::now() { return loop_clock(); }

NodeId Runtime::add_node(NodeSpec spec) {
  impl_->specs.push_back(std::move(spec));
  return NodeId{static_cast<int32_t>(impl_->specs.size() - 1)};
}

void Runtime::build(const NetworkSpec& network, EventLog& events) {
  impl_->network = network;
  EventLoop& loop = impl_->loop;
  auto& specs = impl_->specs;
  auto* zone = sg4::create_star_zone("cluster");
  loop.hosts.assign(specs.size(), nullptr);
  loop.disk_hosts.assign(specs.size(), nullptr);
  loop.host_name.assign(specs.size(), "");
  for (size_t i = 0; i < specs.size(); ++i) {
    const NodeSpec& spec = specs[i];
    if (spec.host_of >= 0) continue;
    auto* host = zone->create_host(spec.name, 1e9);
    // Each host hangs off the switch by its own full-duplex link; a message crosses two of them, so each
    // gets half of the stated host-to-host latency.
    auto* link = zone->create_split_duplex_link(spec.name + ":nic", network.bandwidth_Bps)
                     ->set_latency(network.latency_s / 2)
                     ->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {{link, sg4::LinkInRoute::Direction::UP}},
                    true);
    host->seal();
    loop.hosts[i] = host;
    impl_->links[spec.name] = link;
    loop.host_name[i] = spec.name;
    if (spec.has_disk) {
      auto* disk = zone->create_host(spec.name + ":disk", spec.disk_bandwidth_Bps);
      disk->seal();
      loop.disk_hosts[i] = disk;
    }
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].host_of < 0) continue;
    auto owner = static_cast<size_t>(specs[i].host_of);
    KSIM_ASSERT(specs[owner].host_of < 0, "a shared host must belong to a node with its own host");
    loop.hosts[i] = loop.hosts[owner];
    loop.disk_hosts[i] = loop.disk_hosts[owner];
    loop.host_name[i] = loop.host_name[owner];
  }
  zone->seal();
  for (size_t i = 0; i < specs.size(); ++i) {
    loop.contexts.push_back(std::make_unique<SimGridContext>(NodeId{static_cast<int32_t>(i)}, specs[i].node, loop,
                                                             events, specs[i].dirty_limit_bytes));
    impl_->nodes_on_host[loop.host_name[i]].push_back(i);
  }
  loop.round_trip_s = 2 * network.latency_s;
  loop.latency_s = network.latency_s;
  loop.bandwidth_Bps = network.bandwidth_Bps;
  loop.tcp_gamma = simgrid::config::get_value<double>("network/TCP-gamma");
}

std::vector<std::string> Runtime::host_names() const {
  std::vector<std::string> out;
  for (const auto& [name, nodes] : impl_->nodes_on_host) out.push_back(name);
  return out;
}

const std::string& Runtime::host_of_node(NodeId node) const {
  return impl_->loop.host_name[static_cast<size_t>(node.value)];
}

bool Runtime::host_exists(const std::string& host) const { return impl_->nodes_on_host.count(host) != 0; }

void Runtime::crash_host(const std::string& host, bool power_loss) {
  for (SimGridContext* process : impl_->processes_on(host)) process->crash_process(power_loss);
}

void Runtime::restart_host(const std::string& host) {
  for (SimGridContext* process : impl_->processes_on(host)) process->restart_process();
}

void Runtime::poke(NodeId node) { impl_->loop.contexts[static_cast<size_t>(node.value)]->poke_process(); }

bool Runtime::host_up(const std::string& host) const {
  for (size_t i : impl_->nodes_on_host.at(host))
    if (impl_->loop.contexts[i]->down_) return false;
  return true;
}

void Runtime::set_disk_factor(const std::string& host, double factor) { impl_->loop.disk_factor[host] = factor; }

void Runtime::apply_bandwidth(const std::string& host) {
  auto it = impl_->links.find(host);
  if (it == impl_->links.end()) return;
  impl_->loop.sync_simgrid();  // a change under running transfers takes effect now, not earlier
  it->second->set_bandwidth(impl_->network.bandwidth_Bps * network_.bandwidth_factor(host));
}

void Runtime::run(SimTime end, std::vector<TimelineAction> actions) {
  std::stable_sort(actions.begin(), actions.end(),
                   [](const TimelineAction& a, const TimelineAction& b) { return a.at < b.at; });
  // One actor runs everything; where it sits does not matter (its transfers and writes name their hosts).
  sg4::Actor::create("kafkasim", impl_->loop.hosts.front(), [this, end, &actions] { impl_->loop.run(end, actions); });
  impl_->engine.run();
}

}  // namespace kafkasim
