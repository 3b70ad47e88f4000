#include "platform/runtime.h"

#include <cmath>
#include <deque>
#include <queue>
#include <string>
#include <tuple>

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "core/check.h"
#include "metrics/event_log.h"

namespace sg4 = simgrid::s4u;

namespace kafkasim {
namespace {

double engine_clock() { return sg4::Engine::get_clock(); }

// Per-node state of the actor loop, kept outside the actor so a restarted actor could find it again.
class SimGridContext : public NodeContext {
 public:
  struct Timer {
    SimTime at;
    uint64_t seq;
    uint64_t token;
    bool operator>(const Timer& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
  };

  SimGridContext(NodeId id, std::vector<sg4::Mailbox*>& mailboxes, EventLog& events)
      : id_(id), mailboxes_(mailboxes), events_(events) {}

  SimTime now() const override { return sg4::Engine::get_clock(); }
  NodeId self() const override { return id_; }

  void send(NodeId to, MessageBody body, uint64_t sent_token) override {
    const int64_t bytes = wire_size(body);
    auto* message = new Message{id_, to, std::move(body)};
    sg4::CommPtr comm = mailboxes_[static_cast<size_t>(to.value)]->put_init(message, static_cast<uint64_t>(bytes));
    if (sent_token == 0) {
      comm->detach([](void* p) { delete static_cast<Message*>(p); });
    } else {
      comm->start();
      sends_.emplace_back(comm, sent_token);
    }
  }

  void write_to_disk(int64_t bytes, uint64_t token) override { disk_queue_.emplace_back(bytes, token); }

  void set_timer(SimTime at, uint64_t token) override { timers_.push(Timer{at, timer_seq_++, token}); }

  EventLog& events() override { return events_; }

  NodeId id_;
  std::vector<sg4::Mailbox*>& mailboxes_;
  EventLog& events_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_seq_ = 0;
  std::deque<std::pair<int64_t, uint64_t>> disk_queue_;
  std::vector<std::pair<sg4::CommPtr, uint64_t>> sends_;
  // Activities of the actor loop, here rather than on the actor's stack so on_exit can cancel them.
  sg4::CommPtr receive_;
  sg4::ExecPtr disk_write_;
  uint64_t disk_token_ = 0;
  Message* incoming_ = nullptr;
};

}  // namespace

struct Runtime::Impl {
  sg4::Engine engine;
  std::vector<NodeSpec> specs;
  std::vector<std::unique_ptr<SimGridContext>> contexts;
  std::vector<sg4::Mailbox*> mailboxes;
  std::vector<sg4::Host*> hosts;
  std::vector<sg4::Host*> disk_hosts;

  Impl(int* argc, char** argv) : engine(argc, argv) {}

  void run_node(size_t index);
};

const char* Runtime::network_model_description() {
  return "SimGrid CM02 (latency and bandwidth factors 1: stated latency is simulated latency)";
}

Runtime::Runtime(int* argc, char** argv) {
  xbt_log_control_set("root.thresh:warning");
  impl_ = std::make_unique<Impl>(argc, argv);
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
  impl_->specs.push_back(std::move(spec));
  return NodeId{static_cast<int32_t>(impl_->specs.size() - 1)};
}

void Runtime::build(const NetworkSpec& network, EventLog& events) {
  auto* zone = sg4::create_star_zone("cluster");
  // Each host hangs off the switch by its own full-duplex link; a message crosses two of them, so each gets
  // half of the stated host-to-host latency.
  for (const NodeSpec& spec : impl_->specs) {
    auto* host = zone->create_host(spec.name, 1e9);
    auto* link = zone->create_split_duplex_link(spec.name + ":nic", network.bandwidth_Bps)
                     ->set_latency(network.latency_s / 2)
                     ->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                    {{link, sg4::LinkInRoute::Direction::UP}}, true);
    host->seal();
    impl_->hosts.push_back(host);
    // SimGrid 3.32's Disk leaks activities into the caller (simgrid-notes.md): a disk is a host whose speed
    // in flops is the disk's bandwidth in bytes/s, and a write of n bytes is an exec of n flops on it.
    sg4::Host* disk = nullptr;
    if (spec.has_disk) {
      disk = zone->create_host(spec.name + ":disk", spec.disk_bandwidth_Bps);
      disk->seal();
    }
    impl_->disk_hosts.push_back(disk);
  }
  zone->seal();
  for (size_t i = 0; i < impl_->specs.size(); ++i) {
    impl_->mailboxes.push_back(sg4::Mailbox::by_name(impl_->specs[i].name));
    impl_->contexts.push_back(
        std::make_unique<SimGridContext>(NodeId{static_cast<int32_t>(i)}, impl_->mailboxes, events));
  }
}

void Runtime::Impl::run_node(size_t index) {
  SimGridContext& ctx = *contexts[index];
  Node& node = *specs[index].node;
  sg4::Mailbox* mailbox = mailboxes[index];
  // Eager delivery: messages flow like TCP data into the receiver's buffer without waiting for a get().
  mailbox->set_receiver(sg4::Actor::self());
  node.start(ctx);

  sg4::CommPtr& receive = ctx.receive_;
  sg4::ExecPtr& disk_write = ctx.disk_write_;
  uint64_t& disk_token = ctx.disk_token_;
  Message*& incoming = ctx.incoming_;
  receive = mailbox->get_async<Message>(&incoming);
  std::vector<sg4::ActivityPtr> waiting;
  // Node actors are daemons, killed when the timeline ends; cancel what is still under way so SimGrid does
  // not complain about activities freed before completion.
  sg4::this_actor::on_exit([&ctx](bool) {
    if (ctx.receive_) ctx.receive_->cancel();
    if (ctx.disk_write_) ctx.disk_write_->cancel();
    for (auto& [comm, token] : ctx.sends_) comm->cancel();
  });
  for (;;) {
    if (!disk_write && !ctx.disk_queue_.empty()) {
      auto [bytes, token] = ctx.disk_queue_.front();
      ctx.disk_queue_.pop_front();
      disk_token = token;
      disk_write = sg4::this_actor::exec_init(static_cast<double>(bytes))->set_host(disk_hosts[index]);
      disk_write->start();
    }
    waiting.clear();
    waiting.push_back(boost::static_pointer_cast<sg4::Activity>(receive));
    if (disk_write) waiting.push_back(boost::static_pointer_cast<sg4::Activity>(disk_write));
    for (auto& [comm, token] : ctx.sends_) waiting.push_back(boost::static_pointer_cast<sg4::Activity>(comm));

    double timeout = -1;
    if (!ctx.timers_.empty()) timeout = std::max(0.0, ctx.timers_.top().at - sg4::Engine::get_clock());
    ssize_t done = sg4::Activity::wait_any_for(waiting, timeout);

    if (done < 0) {
      const SimTime now = sg4::Engine::get_clock();
      while (!ctx.timers_.empty() && ctx.timers_.top().at <= now) {
        uint64_t token = ctx.timers_.top().token;
        ctx.timers_.pop();
        node.on_timer(ctx, token);
      }
    } else if (done == 0) {
      std::unique_ptr<Message> message(incoming);
      receive = mailbox->get_async<Message>(&incoming);
      node.on_message(ctx, std::move(*message));
    } else if (disk_write && done == 1) {
      disk_write = nullptr;
      node.on_disk_written(ctx, disk_token);
    } else {
      size_t send_index = static_cast<size_t>(done) - (disk_write ? 2 : 1);
      uint64_t token = ctx.sends_[send_index].second;
      // The receiver owns the message now.
      ctx.sends_.erase(ctx.sends_.begin() + static_cast<std::ptrdiff_t>(send_index));
      node.on_sent(ctx, token);
    }
  }
}

void Runtime::run(SimTime end, SimTime tick, const std::function<void(SimTime)>& on_tick) {
  for (size_t i = 0; i < impl_->specs.size(); ++i) {
    sg4::Actor::create(impl_->specs[i].name, impl_->hosts[i], [this, i] { impl_->run_node(i); })->daemonize();
  }
  // The timeline actor is the only non-daemon one: the run ends when it does.
  sg4::Actor::create("timeline", impl_->hosts.front(), [end, tick, &on_tick] {
    for (int64_t k = 1;; ++k) {
      SimTime t = std::min(end, static_cast<double>(k) * tick);
      sg4::this_actor::sleep_until(t);
      on_tick(t);
      if (t >= end) break;
    }
  });
  impl_->engine.run();
  for (auto* mailbox : impl_->mailboxes) mailbox->set_receiver(nullptr);
}

}  // namespace kafkasim
