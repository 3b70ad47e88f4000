// A NodeContext for unit tests: records what a node sends, writes and schedules, and lets the test drive
// time, deliver messages and complete disk writes by hand.
#pragma once

#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "metrics/event_log.h"
#include "protocol/node.h"

namespace kafkasim::testing {

class FakeNodeContext : public NodeContext {
 public:
  explicit FakeNodeContext(NodeId self) : self_(self) {}

  SimTime now() const override { return now_; }
  NodeId self() const override { return self_; }
  void send(NodeId to, MessageBody body, uint64_t sent_token) override {
    sent.push_back({self_, to, std::move(body)});
    (void)sent_token;
  }
  void write_to_disk(int64_t bytes, uint64_t token) override { disk.emplace_back(bytes, token); }
  void set_timer(SimTime at, uint64_t token) override { timers.emplace_back(at, token); }
  EventLog& events() override { return log; }

  void advance_to(SimTime t) { now_ = t; }

  // Completes every queued disk write, in order.
  void finish_disk_writes(Node& node) {
    while (!disk.empty()) {
      auto [bytes, token] = disk.front();
      disk.pop_front();
      node.on_disk_written(*this, token);
    }
  }
  // Fires every timer due at now(), in order.
  void fire_due_timers(Node& node) {
    for (;;) {
      std::optional<size_t> due;
      for (size_t i = 0; i < timers.size(); ++i)
        if (timers[i].first <= now_ && (!due || timers[i].first < timers[*due].first)) due = i;
      if (!due) return;
      uint64_t token = timers[*due].second;
      timers.erase(timers.begin() + static_cast<std::ptrdiff_t>(*due));
      node.on_timer(*this, token);
    }
  }
  // Removes and returns the sent messages of type T.
  template <typename T>
  std::vector<std::pair<NodeId, T>> take() {
    std::vector<std::pair<NodeId, T>> out;
    for (auto it = sent.begin(); it != sent.end();) {
      if (auto* m = std::get_if<T>(&it->body)) {
        out.emplace_back(it->to, std::move(*m));
        it = sent.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }

  std::vector<Message> sent;
  std::deque<std::pair<int64_t, uint64_t>> disk;
  std::vector<std::pair<SimTime, uint64_t>> timers;
  EventLog log;

 private:
  NodeId self_;
  SimTime now_ = 0;
};

}  // namespace kafkasim::testing
