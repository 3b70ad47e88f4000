#include "platform/runtime.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <queue>
#include <set>
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

double engine_clock() { return sg4::Engine::get_clock(); }

// A node with at most this many peers connected to it listens to all of them all the time, as it always
// did; one with more listens only to connections with a transfer on the way (see ConnectionLink).
constexpr size_t kListenedConnectionsMax = 16;

// Fast path: a transfer of at most this many bytes on an idle connection between two hosts is not a SimGrid
// comm. It arrives at now + one-way latency + bytes / (the slower of the two host links, bounded by TCP's
// window as CM02 bounds it): what an uncontended SimGrid transfer takes, but it ignores contention, which a
// few kilobytes barely feel. It costs no SimGrid activity when the receiver wakes before then anyway (its
// wait-any times out at the arrival); otherwise one zero-byte wake signal per receiver and latency period.
// Heartbeats, fetch requests, empty fetch responses, commits and group requests all take it.
constexpr int64_t kFastPathBytesMax = 2048;

// What both ends of one connection see. A receiver with many peers listens (keeps a receive posted) only on
// its busy connections: each posted receive costs every wait of its actor loop (SimGrid's wait-any registers
// on all of them), and a broker with a thousand connected clients would pay a thousand per message. A sender that
// starts a transfer on a connection its receiver no longer listens to sends a connect signal first; the
// signal takes the network latency and no bandwidth, so it always arrives before the transfer does.
struct ConnectionLink {
  sg4::Mailbox* mailbox = nullptr;
  uint64_t transfers_started = 0;    // by the sender
  uint64_t transfers_delivered = 0;  // by the receiver
  bool receiver_listening = false;   // a receive is posted, or a connect signal is on its way
  bool connected = false;            // the first connect signal was sent
  uint64_t order = 0;                // at the receiver: when the connection first connected (0: not yet)
};

// Sent to a node's control mailbox, zero bytes: by the timeline (crash, restart, poke; it arrives at once) or
// by a peer opening a connection to it (after the network latency, before the connection's first message).
// A connect for a connection the node stopped listening to goes to its listen mailbox instead: a zero-byte
// message is taken at once by a receive posted after it was sent, so more traffic on the control mailbox
// would move the times at which the timeline's signals arrive.
struct Signal {
  enum class Kind { crash, power_loss, restart, poke, connect, wake } kind;  // wake: a fast-path arrival is due
  ConnectionLink* connection = nullptr;  // connect: the connection to listen to
};

// What one transfer on a connection carries: the messages queued while the previous transfer was on the wire.
struct Bundle {
  std::vector<Message*> messages;
  ~Bundle() {
    for (Message* m : messages) delete m;
  }
};

struct RuntimeShared;

// Per-node state of the actor loop. It lives outside the actor, like a machine outlives its processes.
class SimGridContext : public NodeContext {
 public:
  struct Timer {
    SimTime at;
    uint64_t seq;
    uint64_t token;
    bool operator>(const Timer& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
  };
  struct DelayedSend {
    SimTime at;
    uint64_t seq;
    NodeId to;
    std::shared_ptr<MessageBody> body;  // to transmit; null: only report `token` sent and/or a refusal
    uint64_t token;
    bool refused = false;
    bool fast_done = false;  // the fast-path transfer on the connection to `to` has arrived
    bool operator>(const DelayedSend& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
  };

  SimGridContext(NodeId id, RuntimeShared& shared, EventLog& events) : id_(id), shared_(shared), events_(events) {}

  SimTime now() const override { return sg4::Engine::get_clock(); }
  NodeId self() const override { return id_; }
  void send(NodeId to, MessageBody body, uint64_t sent_token) override;
  void write_to_disk(int64_t bytes, uint64_t token) override { disk_queue_.emplace_back(bytes, token); }
  void set_timer(SimTime at, uint64_t token) override { timers_.push(Timer{at, seq_++, token}); }
  EventLog& events() override { return events_; }

  void transmit(NodeId to, MessageBody body, uint64_t sent_token);

  NodeId id_;
  RuntimeShared& shared_;
  EventLog& events_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::priority_queue<DelayedSend, std::vector<DelayedSend>, std::greater<>> delayed_;
  // Fast-path transfers on their way to this node, by (arrival, order of sending): they are on the wire, so
  // a crash does not clear them; they are read only if the node is up when they arrive.
  struct FastArrival {
    std::unique_ptr<Bundle> bundle;
  };
  std::map<std::pair<SimTime, uint64_t>, FastArrival> fast_inbox_;
  uint64_t fast_seq_ = 0;
  SimTime blocked_until_ = 0;  // when the actor's current wait times out (kNever: no timeout)
  bool wake_in_flight_ = false;  // a wake signal is on its way; it arrives before any fast arrival sent since
  uint64_t seq_ = 0;
  std::deque<std::pair<int64_t, uint64_t>> disk_queue_;
  bool down_ = false;
  bool powered_off_ = false;
  uint64_t incarnation_ = 0;
  // Connections, like TCP's: one mailbox per (sender, receiver) pair, so messages of one connection arrive in
  // order while a large message on one connection never holds back another connection's (a single mailbox
  // per receiver delivered in posting order: a produce request waited behind a megabyte replica fetch).
  // A connection is one flow on the network, as a TCP connection is: one transfer at a time, and what is
  // sent meanwhile leaves together in the next one. (One SimGrid comm per message would give a client with
  // five requests in flight five shares of a link against a replica fetcher's one.)
  struct Connection {
    ConnectionLink* link = nullptr;
    sg4::CommPtr active;              // the transfer on the wire
    std::vector<uint64_t> active_tokens;  // on_sent tokens of its messages
    std::unique_ptr<Bundle> queued;
    int64_t queued_bytes = 0;
    std::vector<uint64_t> queued_tokens;
    SimTime fast_until = 0;               // a fast-path transfer is on the wire until then
    std::vector<uint64_t> fast_tokens;    // its on_sent tokens
    bool fast_done_scheduled = false;     // a DelayedSend{fast_done} at fast_until is queued
  };
  std::vector<Connection> connections_out_;  // per receiver node, opened on first use
  std::set<size_t> sending_;                 // receivers whose connection has a transfer on the wire
  void start_transfer(size_t peer);
  bool connection_idle(const Connection& c) const { return !c.active && !c.fast_done_scheduled && c.fast_until <= now(); }
  void fast_done(size_t peer, Node& node);
  struct Inbound {
    ConnectionLink* connection;
    sg4::CommPtr receive;
    Bundle* incoming = nullptr;
  };
  // Connections listened to, in the order they first connected (the order a wait-any breaks ties in). A
  // map: get_async keeps a pointer to `incoming`.
  std::map<uint64_t, Inbound> inbound_;
  uint64_t connections_seen_ = 0;
  // Activities of the actor loop, here rather than on the actor's stack so on_exit can cancel them.
  sg4::CommPtr control_;
  sg4::CommPtr listen_;
  Signal* listen_signal_ = nullptr;
  sg4::ExecPtr disk_write_;
  uint64_t disk_token_ = 0, disk_incarnation_ = 0;
  Signal* signal_ = nullptr;
};

struct RuntimeShared {
  std::vector<NodeSpec> specs;
  std::vector<std::string> host_name;  // per node
  std::vector<sg4::Mailbox*> control_mailboxes;
  std::vector<sg4::Mailbox*> listen_mailboxes;
  std::vector<std::unique_ptr<ConnectionLink>> connections;  // every connection, to release at the end
  std::vector<sg4::ActorPtr> actors;       // per node
  NetworkConditions* network = nullptr;
  Rng drops{0};
  std::map<std::string, double> disk_factor;
  std::vector<SimGridContext*> contexts;
  double round_trip_s = 0;
  double latency_s = 0;
  double bandwidth_Bps = 0;
  double tcp_gamma = 0;  // CM02 bounds a flow's rate by gamma / (2 * latency)
};

void SimGridContext::send(NodeId to, MessageBody body, uint64_t sent_token) {
  const std::string& from_host = shared_.host_name[static_cast<size_t>(id_.value)];
  const std::string& to_host = shared_.host_name[static_cast<size_t>(to.value)];
  NetworkConditions& net = *shared_.network;
  if (!net.empty()) {
    // A cut or dropped message vanishes, as a packet would; senders notice through their timeouts.
    // The bytes still leave the sender, so a waiting sender hears they were sent.
    bool lost = net.is_cut(from_host, to_host, traffic_class(body));
    // Drops hit client requests and responses (a flaky client path); replication and control traffic ride
    // long-lived connections where TCP retransmits, so they are only delayed.
    double drop = traffic_class(body) == TrafficClass::client ? net.drop_probability(from_host, to_host) : 0.0;
    if (!lost && drop > 0 && shared_.drops.uniform01() < drop) lost = true;
    if (lost) {
      if (sent_token) delayed_.push(DelayedSend{now(), seq_++, to, nullptr, sent_token, false});
      return;
    }
  }
  const SimGridContext* peer = shared_.contexts[static_cast<size_t>(to.value)];
  if (peer->down_) {
    // Nobody listens: a live machine answers with a reset after a round trip; a dead one says nothing.
    if (sent_token) delayed_.push(DelayedSend{now(), seq_++, to, nullptr, sent_token, false});
    if (!peer->powered_off_) delayed_.push(DelayedSend{now() + shared_.round_trip_s, seq_++, to, nullptr, 0, true});
    return;
  }
  if (!net.empty()) {
    double extra = net.extra_latency_s(from_host, to_host);
    if (extra > 0) {
      delayed_.push(
          DelayedSend{now() + extra, seq_++, to, std::make_shared<MessageBody>(std::move(body)), sent_token, false});
      return;
    }
  }
  transmit(to, std::move(body), sent_token);
}

void SimGridContext::transmit(NodeId to, MessageBody body, uint64_t sent_token) {
  const int64_t bytes = wire_size(body);
  const auto peer = static_cast<size_t>(to.value);
  if (connections_out_.empty()) connections_out_.resize(shared_.specs.size());
  Connection& c = connections_out_[peer];
  if (c.link == nullptr) {
    c.link = shared_.connections.emplace_back(std::make_unique<ConnectionLink>()).get();
    c.link->mailbox =
        sg4::Mailbox::by_name(shared_.specs[static_cast<size_t>(id_.value)].name + "->" + shared_.specs[peer].name);
    c.link->mailbox->set_receiver(shared_.actors[peer]);  // data flows before the receiver posts its get
  }
  if (!c.queued) c.queued = std::make_unique<Bundle>();
  c.queued->messages.push_back(new Message{id_, to, std::move(body)});
  c.queued_bytes += bytes;
  if (sent_token) c.queued_tokens.push_back(sent_token);
  if (connection_idle(c)) {
    start_transfer(peer);
  } else if (!c.active && !c.fast_done_scheduled) {
    // Behind a fast-path transfer: leave when it has arrived.
    c.fast_done_scheduled = true;
    delayed_.push(DelayedSend{c.fast_until, seq_++, to, nullptr, 0, false, true});
  }
}

void SimGridContext::fast_done(size_t peer, Node& node) {
  Connection& c = connections_out_[peer];
  c.fast_done_scheduled = false;
  std::vector<uint64_t> tokens = std::move(c.fast_tokens);
  c.fast_tokens.clear();
  if (c.queued && connection_idle(c)) start_transfer(peer);
  for (uint64_t token : tokens)
    if (!down_) node.on_sent(*this, token);
}

void SimGridContext::start_transfer(size_t peer) {
  Connection& c = connections_out_[peer];
  ConnectionLink& link = *c.link;
  const std::string& from_host = shared_.host_name[static_cast<size_t>(id_.value)];
  const std::string& to_host = shared_.host_name[peer];
  if (c.queued_bytes <= kFastPathBytesMax && from_host != to_host) {
    // The same time an uncontended SimGrid transfer takes on the star network (see kFastPathBytesMax).
    const NetworkConditions& net = *shared_.network;
    double rate = shared_.bandwidth_Bps * std::min(net.bandwidth_factor(from_host), net.bandwidth_factor(to_host));
    if (shared_.tcp_gamma > 0 && shared_.latency_s > 0) rate = std::min(rate, shared_.tcp_gamma / (2 * shared_.latency_s));
    const SimTime arrival = now() + shared_.latency_s + static_cast<double>(c.queued_bytes) / rate;
    SimGridContext& receiver = *shared_.contexts[peer];
    receiver.fast_inbox_.emplace(std::make_pair(arrival, receiver.fast_seq_++), FastArrival{std::move(c.queued)});
    if (receiver.blocked_until_ > arrival && !receiver.wake_in_flight_) {
      // It would sleep through the arrival: a wake signal takes the latency, so it arrives first (every
      // arrival sent later is later still), and the receiver then waits for its fast inbox.
      receiver.wake_in_flight_ = true;
      shared_.listen_mailboxes[peer]->put_init(new Signal{Signal::Kind::wake}, 0)->detach([](void* p) {
        delete static_cast<Signal*>(p);
      });
    }
    c.fast_until = arrival;
    c.fast_tokens = std::move(c.queued_tokens);
    c.queued_tokens.clear();
    c.queued_bytes = 0;
    if (!c.fast_tokens.empty()) {
      c.fast_done_scheduled = true;
      delayed_.push(DelayedSend{arrival, seq_++, NodeId{static_cast<int32_t>(peer)}, nullptr, 0, false, true});
    }
    return;
  }
  ++link.transfers_started;
  if (!link.receiver_listening) {
    link.receiver_listening = true;
    auto& mailboxes = link.connected ? shared_.listen_mailboxes : shared_.control_mailboxes;
    link.connected = true;
    mailboxes[peer]->put_init(new Signal{Signal::Kind::connect, &link}, 0)->detach([](void* p) {
      delete static_cast<Signal*>(p);
    });
  }
  sending_.insert(peer);
  c.active = link.mailbox->put_init(c.queued.release(), static_cast<uint64_t>(c.queued_bytes));
  c.active->start();
  c.active_tokens = std::move(c.queued_tokens);
  c.queued_tokens.clear();
  c.queued_bytes = 0;
}

}  // namespace

struct Runtime::Impl {
  sg4::Engine engine;
  RuntimeShared shared;
  std::vector<std::unique_ptr<SimGridContext>> contexts;
  std::vector<sg4::Host*> hosts;       // per node
  std::vector<sg4::Host*> disk_hosts;  // per node
  std::map<std::string, sg4::Link*> links;
  std::map<std::string, std::vector<size_t>> nodes_on_host;
  NetworkSpec network;

  Impl(int* argc, char** argv) : engine(argc, argv) {}
  void run_node(size_t index);
  void signal(const std::string& host, Signal::Kind kind);
};

const char* Runtime::network_model_description() {
  return "SimGrid CM02 (latency and bandwidth factors 1: stated latency is simulated latency)";
}

Runtime::Runtime(int* argc, char** argv, uint64_t seed) {
  xbt_log_control_set("root.thresh:warning");
  impl_ = std::make_unique<Impl>(argc, argv);
  impl_->shared.network = &network_;
  impl_->shared.drops = Rng(seed, "network:drops");
  // CM02 applies stated latencies and bandwidths as given (LV08 would multiply latency by 13).
  sg4::Engine::set_config("network/model:CM02");
  BugContext::clock = &engine_clock;
  sg4::Engine::on_deadlock_cb([] {
    KSIM_ASSERT(false, "the simulation deadlocked: every actor waits for something that never comes");
  });
}

Runtime::~Runtime() = default;

SimTime Runtime::now() { return sg4::Engine::get_clock(); }

NodeId Runtime::add_node(NodeSpec spec) {
  impl_->shared.specs.push_back(std::move(spec));
  return NodeId{static_cast<int32_t>(impl_->shared.specs.size() - 1)};
}

void Runtime::build(const NetworkSpec& network, EventLog& events) {
  impl_->network = network;
  auto& specs = impl_->shared.specs;
  auto* zone = sg4::create_star_zone("cluster");
  impl_->hosts.assign(specs.size(), nullptr);
  impl_->disk_hosts.assign(specs.size(), nullptr);
  impl_->shared.host_name.assign(specs.size(), "");
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
    impl_->hosts[i] = host;
    impl_->links[spec.name] = link;
    impl_->shared.host_name[i] = spec.name;
    // SimGrid 3.32's Disk leaks activities into the caller (simgrid-notes.md): a disk is a host whose speed
    // in flops is the disk's bandwidth in bytes/s, and a write of n bytes is an exec of n flops on it.
    if (spec.has_disk) {
      auto* disk = zone->create_host(spec.name + ":disk", spec.disk_bandwidth_Bps);
      disk->seal();
      impl_->disk_hosts[i] = disk;
    }
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].host_of < 0) continue;
    auto owner = static_cast<size_t>(specs[i].host_of);
    KSIM_ASSERT(specs[owner].host_of < 0, "a shared host must belong to a node with its own host");
    impl_->hosts[i] = impl_->hosts[owner];
    impl_->disk_hosts[i] = impl_->disk_hosts[owner];
    impl_->shared.host_name[i] = impl_->shared.host_name[owner];
  }
  zone->seal();
  for (size_t i = 0; i < specs.size(); ++i) {
    impl_->shared.control_mailboxes.push_back(sg4::Mailbox::by_name(specs[i].name + ":control"));
    impl_->shared.listen_mailboxes.push_back(sg4::Mailbox::by_name(specs[i].name + ":listen"));
    impl_->contexts.push_back(
        std::make_unique<SimGridContext>(NodeId{static_cast<int32_t>(i)}, impl_->shared, events));
    impl_->nodes_on_host[impl_->shared.host_name[i]].push_back(i);
    impl_->shared.contexts.push_back(impl_->contexts.back().get());
  }
  impl_->shared.round_trip_s = 2 * network.latency_s;
  impl_->shared.latency_s = network.latency_s;
  impl_->shared.bandwidth_Bps = network.bandwidth_Bps;
  impl_->shared.tcp_gamma = simgrid::config::get_value<double>("network/TCP-gamma");
}

void Runtime::Impl::run_node(size_t index) {
  SimGridContext& ctx = *contexts[index];
  Node& node = *shared.specs[index].node;
  sg4::Mailbox* control = shared.control_mailboxes[index];
  // Eager delivery: messages flow like TCP data into the receiver's buffer without waiting for a get().
  control->set_receiver(sg4::Actor::self());
  sg4::Mailbox* listen = shared.listen_mailboxes[index];
  listen->set_receiver(sg4::Actor::self());
  // Node actors are daemons, killed when the timeline ends; cancel what is still under way so SimGrid does
  // not complain about activities freed before completion.
  sg4::this_actor::on_exit([&ctx](bool) {
    for (auto& [order, in] : ctx.inbound_)
      if (in.receive) in.receive->cancel();
    if (ctx.control_) ctx.control_->cancel();
    if (ctx.listen_) ctx.listen_->cancel();
    if (ctx.disk_write_) ctx.disk_write_->cancel();
    for (auto& c : ctx.connections_out_)
      if (c.active) c.active->cancel();
  });
  node.start(ctx);

  ctx.control_ = control->get_async<Signal>(&ctx.signal_);
  ctx.listen_ = listen->get_async<Signal>(&ctx.listen_signal_);
  auto listen_to = [&ctx](ConnectionLink* link) {
    if (link->order == 0) link->order = ++ctx.connections_seen_;
    auto [it, fresh] = ctx.inbound_.try_emplace(link->order, SimGridContext::Inbound{link, nullptr});
    KSIM_ASSERT(fresh, "a connect signal for a connection already listened to");
    it->second.receive = link->mailbox->get_async<Bundle>(&it->second.incoming);
  };
  std::vector<sg4::ActivityPtr> waiting;
  std::vector<SimGridContext::Inbound*> listened;  // inbound_ in waiting order
  std::vector<size_t> sending;                     // ctx.sending_ in waiting order
  for (;;) {
    if (!ctx.disk_write_ && !ctx.disk_queue_.empty()) {
      auto [bytes, token] = ctx.disk_queue_.front();
      ctx.disk_queue_.pop_front();
      ctx.disk_token_ = token;
      ctx.disk_incarnation_ = ctx.incarnation_;
      double factor = 1.0;
      if (auto it = shared.disk_factor.find(shared.host_name[index]); it != shared.disk_factor.end()) factor = it->second;
      ctx.disk_write_ = sg4::this_actor::exec_init(static_cast<double>(bytes) / factor)->set_host(disk_hosts[index]);
      ctx.disk_write_->start();
    }
    waiting.clear();
    waiting.push_back(boost::static_pointer_cast<sg4::Activity>(ctx.control_));
    if (ctx.disk_write_) waiting.push_back(boost::static_pointer_cast<sg4::Activity>(ctx.disk_write_));
    const size_t listen_index = waiting.size();
    waiting.push_back(boost::static_pointer_cast<sg4::Activity>(ctx.listen_));
    const size_t first_inbound = waiting.size();
    listened.clear();
    for (auto& [order, in] : ctx.inbound_) {
      listened.push_back(&in);
      waiting.push_back(boost::static_pointer_cast<sg4::Activity>(in.receive));
    }
    const size_t first_send = waiting.size();
    sending.assign(ctx.sending_.begin(), ctx.sending_.end());  // in waiting order
    for (size_t c : sending)
      waiting.push_back(boost::static_pointer_cast<sg4::Activity>(ctx.connections_out_[c].active));

    SimTime next = kNever;
    if (!ctx.timers_.empty()) next = ctx.timers_.top().at;
    if (!ctx.delayed_.empty()) next = std::min(next, ctx.delayed_.top().at);
    if (!ctx.fast_inbox_.empty()) next = std::min(next, ctx.fast_inbox_.begin()->first.first);
    double timeout = next == kNever ? -1.0 : std::max(0.0, next - sg4::Engine::get_clock());
    ctx.blocked_until_ = next;
    ssize_t done = sg4::Activity::wait_any_for(waiting, timeout);
    const SimTime now = sg4::Engine::get_clock();

    if (done < 0) {
      // Fast-path arrivals first: a SimGrid transfer completing with a timer also comes before it.
      while (!ctx.fast_inbox_.empty() && ctx.fast_inbox_.begin()->first.first <= now) {
        auto arrival = ctx.fast_inbox_.extract(ctx.fast_inbox_.begin());
        for (Message* message : arrival.mapped().bundle->messages)
          if (!ctx.down_) node.on_message(ctx, std::move(*message));  // a dead process reads nothing
      }
      while (!ctx.delayed_.empty() && ctx.delayed_.top().at <= now) {
        auto d = ctx.delayed_.top();
        ctx.delayed_.pop();
        if (d.body)
          ctx.transmit(d.to, std::move(*d.body), d.token);
        else if (d.fast_done)
          ctx.fast_done(static_cast<size_t>(d.to.value), node);
        else if (ctx.down_)
          continue;
        else if (d.refused)
          node.on_connection_refused(ctx, d.to);
        else
          node.on_sent(ctx, d.token);
      }
      while (!ctx.timers_.empty() && ctx.timers_.top().at <= now && !ctx.down_) {
        uint64_t token = ctx.timers_.top().token;
        ctx.timers_.pop();
        node.on_timer(ctx, token);
      }
    } else if (done == 0) {
      std::unique_ptr<Signal> signal(ctx.signal_);
      ctx.control_ = control->get_async<Signal>(&ctx.signal_);
      if (signal->kind == Signal::Kind::connect) {
        listen_to(signal->connection);
      } else if (signal->kind == Signal::Kind::poke) {
        if (!ctx.down_) node.on_poke(ctx);
      } else if (signal->kind == Signal::Kind::restart) {
        if (!ctx.down_) continue;
        ctx.down_ = false;
        ctx.powered_off_ = false;
        node.start(ctx);
      } else {
        if (ctx.down_) continue;
        ctx.down_ = true;
        ctx.powered_off_ = signal->kind == Signal::Kind::power_loss;
        ++ctx.incarnation_;
        ctx.timers_ = {};
        ctx.delayed_ = {};
        ctx.disk_queue_.clear();
        for (auto& c : ctx.connections_out_) {  // what had not left the socket buffers dies with the process
          c.queued.reset();
          c.queued_bytes = 0;
          c.queued_tokens.clear();
          c.fast_tokens.clear();  // its fast_done went with delayed_; fast_until still holds the connection
          c.fast_done_scheduled = false;
        }
        node.on_crash(ctx, signal->kind == Signal::Kind::power_loss);
      }
    } else if (ctx.disk_write_ && done == 1) {
      ctx.disk_write_ = nullptr;
      // A write that was under way when the process died completes for nobody.
      if (!ctx.down_ && ctx.disk_incarnation_ == ctx.incarnation_) node.on_disk_written(ctx, ctx.disk_token_);
    } else if (static_cast<size_t>(done) == listen_index) {
      std::unique_ptr<Signal> signal(ctx.listen_signal_);
      ctx.listen_ = listen->get_async<Signal>(&ctx.listen_signal_);
      if (signal->kind == Signal::Kind::wake)
        ctx.wake_in_flight_ = false;  // the next wait times out at the first fast arrival
      else
        listen_to(signal->connection);
    } else if (static_cast<size_t>(done) < first_send) {
      auto& in = *listened[static_cast<size_t>(done) - first_inbound];
      std::unique_ptr<Bundle> bundle(in.incoming);
      ConnectionLink* link = in.connection;
      ++link->transfers_delivered;
      if (ctx.connections_seen_ > kListenedConnectionsMax && link->transfers_delivered == link->transfers_started) {
        // Idle now: stop listening; the sender's next transfer signals first.
        link->receiver_listening = false;
        ctx.inbound_.erase(link->order);
      } else {
        in.receive = link->mailbox->get_async<Bundle>(&in.incoming);
      }
      for (Message* message : bundle->messages)
        if (!ctx.down_) node.on_message(ctx, std::move(*message));  // a dead process reads nothing
    } else {
      const size_t peer = sending[static_cast<size_t>(done) - first_send];
      auto& c = ctx.connections_out_[peer];
      c.active = nullptr;
      ctx.sending_.erase(peer);
      std::vector<uint64_t> tokens = std::move(c.active_tokens);
      c.active_tokens.clear();
      if (c.queued) ctx.start_transfer(peer);
      for (uint64_t token : tokens)
        if (!ctx.down_) node.on_sent(ctx, token);  // the receiver owns the message now
    }
  }
}

void Runtime::Impl::signal(const std::string& host, Signal::Kind kind) {
  for (size_t i : nodes_on_host.at(host))
    shared.control_mailboxes[i]->put_init(new Signal{kind}, 0)->detach([](void* p) { delete static_cast<Signal*>(p); });
}

std::vector<std::string> Runtime::host_names() const {
  std::vector<std::string> out;
  for (const auto& [name, nodes] : impl_->nodes_on_host) out.push_back(name);
  return out;
}

const std::string& Runtime::host_of_node(NodeId node) const {
  return impl_->shared.host_name[static_cast<size_t>(node.value)];
}

bool Runtime::host_exists(const std::string& host) const { return impl_->nodes_on_host.count(host) != 0; }

void Runtime::crash_host(const std::string& host, bool power_loss) {
  impl_->signal(host, power_loss ? Signal::Kind::power_loss : Signal::Kind::crash);
}

void Runtime::restart_host(const std::string& host) { impl_->signal(host, Signal::Kind::restart); }

void Runtime::poke(NodeId node) {
  impl_->shared.control_mailboxes[static_cast<size_t>(node.value)]
      ->put_init(new Signal{Signal::Kind::poke}, 0)
      ->detach([](void* p) { delete static_cast<Signal*>(p); });
}

bool Runtime::host_up(const std::string& host) const {
  for (size_t i : impl_->nodes_on_host.at(host))
    if (impl_->contexts[i]->down_) return false;
  return true;
}

void Runtime::set_disk_factor(const std::string& host, double factor) { impl_->shared.disk_factor[host] = factor; }

void Runtime::apply_bandwidth(const std::string& host) {
  auto it = impl_->links.find(host);
  if (it == impl_->links.end()) return;
  it->second->set_bandwidth(impl_->network.bandwidth_Bps * network_.bandwidth_factor(host));
}

void Runtime::run(SimTime end, std::vector<TimelineAction> actions) {
  for (size_t i = 0; i < impl_->shared.specs.size(); ++i) {
    impl_->shared.actors.push_back(
        sg4::Actor::create(impl_->shared.specs[i].name, impl_->hosts[i], [this, i] { impl_->run_node(i); }));
    impl_->shared.actors.back()->daemonize();
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const TimelineAction& a, const TimelineAction& b) { return a.at < b.at; });
  // The timeline actor is the only non-daemon one: the run ends when it does. It needs a host of its own
  // so that its zero-byte signals never wait behind a busy link.
  sg4::Actor::create("timeline", impl_->hosts.front(), [end, actions = std::move(actions)] {
    for (const TimelineAction& a : actions) {
      if (a.at > end) break;
      sg4::this_actor::sleep_until(a.at);
      a.run(a.at);
    }
    sg4::this_actor::sleep_until(end);
  });
  impl_->engine.run();
  for (auto& link : impl_->shared.connections) link->mailbox->set_receiver(nullptr);
  for (auto* mailbox : impl_->shared.control_mailboxes) mailbox->set_receiver(nullptr);
  for (auto* mailbox : impl_->shared.listen_mailboxes) mailbox->set_receiver(nullptr);
}

}  // namespace kafkasim
