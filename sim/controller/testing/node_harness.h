// A deterministic stand-in for the SimGrid runtime, for unit tests of control-plane Nodes: hosts Nodes,
// delivers messages after a fixed latency, fires timers in time order (ties in the order they were set),
// crashes and restarts nodes and cuts links. Header-only and test-only: nothing in the simulator uses it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/event_log.h"
#include "protocol/node.h"

namespace kafkasim::testing {

class NodeHarness {
 public:
  struct Sent {
    SimTime at = 0;
    NodeId from;
    NodeId to;
    MessageBody body;
    bool delivered = false;  // false: cut, filtered, or the receiver was down on arrival
  };

  explicit NodeHarness(SimTime latency_s = 0.0002) : latency_s_(latency_s), events_(&event_text_) {}

  void add(NodeId id, Node* node) {
    auto host = std::make_unique<Host>();
    host->node = node;
    host->ctx = std::make_unique<Context>(*this, id);
    hosts_[id.value] = std::move(host);
    order_.push_back(id);
  }
  void start_all() {
    for (NodeId id : order_) {
      Host& h = host(id);
      h.up = true;
      h.node->start(*h.ctx);
    }
  }

  SimTime now() const { return now_; }
  // Runs every event due at or before `t`, then sets the clock to `t`.
  void run_until(SimTime t) {
    while (!queue_.empty() && queue_.begin()->first.first <= t) {
      auto it = queue_.begin();
      Pending p = std::move(it->second);
      now_ = it->first.first;
      queue_.erase(it);
      Host& h = host(p.to);
      if (p.refused) {
        if (h.up && p.life == h.life) h.node->on_connection_refused(*h.ctx, p.from);
        continue;
      }
      if (!h.up || p.life != h.life) {
        if (p.is_message && p.sent_index < sent_.size()) sent_[p.sent_index].delivered = false;
        if (p.is_message && refuse_when_down && !h.up) {
          Pending r;
          r.refused = true;
          r.from = p.to;
          r.to = p.from;
          r.life = host(p.from).life;
          queue_.emplace(std::make_pair(now_ + latency_s_, seq_++), std::move(r));
        }
        continue;
      }
      if (p.is_message) {
        h.node->on_message(*h.ctx, Message{p.from, p.to, std::move(p.body)});
      } else {
        h.node->on_timer(*h.ctx, p.token);
      }
    }
    if (t > now_) now_ = t;
  }
  // Runs until `done()` holds (checked after every event) or `limit`; returns whether it held.
  bool run_until(const std::function<bool()>& done, SimTime limit) {
    while (!done()) {
      if (queue_.empty() || queue_.begin()->first.first > limit) {
        now_ = std::max(now_, limit);
        return done();
      }
      run_until(queue_.begin()->first.first);
    }
    return true;
  }

  // Sends `body` as if `from` had sent it now (a test playing a node it does not simulate).
  void send_as(NodeId from, NodeId to, MessageBody body) { send(from, to, std::move(body)); }

  void crash(NodeId id, bool power_loss = false) {
    Host& h = host(id);
    if (!h.up) return;
    h.node->on_crash(*h.ctx, power_loss);
    h.up = false;
    ++h.life;
  }
  void restart(NodeId id) {
    Host& h = host(id);
    if (h.up) return;
    h.up = true;
    ++h.life;
    h.node->start(*h.ctx);
  }
  bool up(NodeId id) { return host(id).up; }

  void cut(NodeId a, NodeId b) { cuts_.insert(key(a, b)); }
  void heal(NodeId a, NodeId b) { cuts_.erase(key(a, b)); }
  void isolate(NodeId a) {
    for (NodeId b : order_)
      if (b != a) cut(a, b);
  }
  void heal_all() { cuts_.clear(); }
  // Drops messages the filter returns true for (in addition to cuts).
  std::function<bool(const Message&)> drop;
  // A message reaching a crashed node is refused: the sender's on_connection_refused runs a round trip
  // later (the runtime does this for a dead process on a live machine).
  bool refuse_when_down = false;

  const std::vector<Sent>& sent() const { return sent_; }
  // Messages of type T delivered to `to` (or to anyone with NodeId{-1}), with their arrival times.
  template <typename T>
  std::vector<std::pair<SimTime, T>> delivered(NodeId to = NodeId{-1}) const {
    std::vector<std::pair<SimTime, T>> out;
    for (const Sent& s : sent_)
      if (s.delivered && (to.value < 0 || s.to == to))
        if (const T* m = std::get_if<T>(&s.body)) out.emplace_back(s.at + latency_s_, *m);
    return out;
  }

  EventLog& events() { return events_; }
  std::vector<nlohmann::json> events_of(const std::string& type) const {
    std::vector<nlohmann::json> out;
    std::istringstream in(event_text_.str());
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      if (j["type"] == type) out.push_back(j);
    }
    return out;
  }

 private:
  class Context : public NodeContext {
   public:
    Context(NodeHarness& h, NodeId self) : h_(h), self_(self) {}
    SimTime now() const override { return h_.now_; }
    NodeId self() const override { return self_; }
    void send(NodeId to, MessageBody body, uint64_t) override { h_.send(self_, to, std::move(body)); }
    void write_to_disk(int64_t, uint64_t) override {}
    void set_timer(SimTime at, uint64_t token) override { h_.set_timer(self_, at, token); }
    EventLog& events() override { return h_.events_; }

   private:
    NodeHarness& h_;
    NodeId self_;
  };
  struct Host {
    Node* node = nullptr;
    std::unique_ptr<Context> ctx;
    bool up = false;
    uint64_t life = 0;
  };
  struct Pending {
    bool is_message = false;
    bool refused = false;  // a refusal notice for `to` about `from`
    NodeId from;
    NodeId to;
    MessageBody body;
    uint64_t token = 0;
    uint64_t life = 0;
    size_t sent_index = 0;
  };

  static std::pair<int32_t, int32_t> key(NodeId a, NodeId b) {
    return a.value < b.value ? std::make_pair(a.value, b.value) : std::make_pair(b.value, a.value);
  }
  Host& host(NodeId id) { return *hosts_.at(id.value); }

  void send(NodeId from, NodeId to, MessageBody body) {
    Sent s{now_, from, to, body, true};
    bool lost = hosts_.count(to.value) == 0 || cuts_.count(key(from, to)) != 0 ||
                (drop && drop(Message{from, to, body}));
    s.delivered = !lost;
    sent_.push_back(s);
    if (lost) return;
    Pending p;
    p.is_message = true;
    p.from = from;
    p.to = to;
    p.body = std::move(body);
    p.life = host(to).life;
    p.sent_index = sent_.size() - 1;
    queue_.emplace(std::make_pair(now_ + latency_s_, seq_++), std::move(p));
  }
  void set_timer(NodeId node, SimTime at, uint64_t token) {
    Pending p;
    p.to = node;
    p.token = token;
    p.life = host(node).life;
    queue_.emplace(std::make_pair(std::max(at, now_), seq_++), std::move(p));
  }

  SimTime latency_s_;
  SimTime now_ = 0;
  uint64_t seq_ = 0;
  std::map<int32_t, std::unique_ptr<Host>> hosts_;
  std::vector<NodeId> order_;
  std::multimap<std::pair<SimTime, uint64_t>, Pending> queue_;
  std::set<std::pair<int32_t, int32_t>> cuts_;
  std::vector<Sent> sent_;
  std::ostringstream event_text_;
  EventLog events_;
};

// A node that only records what it receives (stands in for brokers), optionally answering through `reply`.
class RecordingNode : public Node {
 public:
  std::vector<std::pair<SimTime, Message>> received;
  std::function<void(NodeContext&, const Message&)> reply;
  void start(NodeContext&) override {}
  void on_message(NodeContext& ctx, Message&& m) override {
    received.emplace_back(ctx.now(), m);
    if (reply) reply(ctx, received.back().second);
  }
  void on_timer(NodeContext&, uint64_t) override {}
  template <typename T>
  std::vector<std::pair<SimTime, T>> of_type() const {
    std::vector<std::pair<SimTime, T>> out;
    for (const auto& [t, m] : received)
      if (const T* b = std::get_if<T>(&m.body)) out.emplace_back(t, *b);
    return out;
  }
};

}  // namespace kafkasim::testing
