// The runtime's delivery rules under faults, with two toy processes "a" and "b" on a 100 Mbps, 1 ms network.
// SimGrid allows one Engine per process, so each case runs in a child process (a death test whose exit code
// says whether the expectations held): the binary works run directly as well as under ctest.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/event_log.h"
#include "platform/runtime.h"

namespace kafkasim {
namespace {

constexpr int64_t kLarge = 10'000'000;  // 0.8 s on the wire at 100 Mbps: a SimGrid transfer
constexpr int64_t kSmall = 200;         // the runtime's own fast path

// Sends what its script says (at < 0: from start(), else on a timer at that time), records what it reads.
class ToyNode : public Node {
 public:
  struct Send {
    SimTime at;
    int32_t to;
    int64_t id;
    int64_t bytes;
  };
  std::vector<Send> script;
  std::vector<SimTime> alarms;  // timers whose firing is recorded
  std::vector<int64_t> writes;  // appends to its disk at start, in this order
  std::vector<int64_t> writes_after_restart;
  std::vector<SimTime> written;  // when each append was done
  std::vector<std::pair<SimTime, int64_t>> received;
  std::vector<SimTime> alarms_fired;
  int starts = 0;

  void start(NodeContext& ctx) override {
    if (starts++ > 0) {  // a restart does not replay the script
      for (size_t i = 0; i < writes_after_restart.size(); ++i) ctx.write_to_disk(writes_after_restart[i], 100 + i);
      return;
    }
    for (size_t i = 0; i < script.size(); ++i) {
      if (script[i].at < 0)
        send(ctx, script[i]);
      else
        ctx.set_timer(script[i].at, i + 1);
    }
    for (SimTime at : alarms) ctx.set_timer(at, kAlarm);
    for (size_t i = 0; i < writes.size(); ++i) ctx.write_to_disk(writes[i], i);
  }
  void on_disk_written(NodeContext& ctx, uint64_t) override { written.push_back(ctx.now()); }
  void on_message(NodeContext& ctx, Message&& message) override {
    received.emplace_back(ctx.now(), std::get<ProduceRequest>(message.body).request_id);
  }
  void on_timer(NodeContext& ctx, uint64_t token) override {
    if (token == kAlarm)
      alarms_fired.push_back(ctx.now());
    else
      send(ctx, script[token - 1]);
  }

 private:
  static constexpr uint64_t kAlarm = 1u << 30;
  static void send(NodeContext& ctx, const Send& s) {
    ProduceRequest request;
    request.request_id = s.id;
    RecordBatch batch;
    batch.bytes = s.bytes;
    request.batches.emplace_back(TopicPartition{}, batch);
    ctx.send(NodeId{s.to}, request);
  }
};

struct Toys {
  ToyNode a, b;
};

// Runs a and b for 5 s with the given timeline, then checks; the child exits 0 when `check` returns true.
void run_case(const std::function<void(Toys&)>& script,
              const std::function<std::vector<TimelineAction>(Runtime&)>& timeline,
              const std::function<bool(const Toys&)>& check, double dirty_limit_bytes = 0) {
  Toys toys;
  script(toys);
  int argc = 1;
  char name[] = "runtime_test";
  char* argv[] = {name, nullptr};
  EventLog events;
  Runtime runtime(&argc, argv, 1);
  // a's disk writes 1 MB/s.
  runtime.add_node({.name = "a", .node = &toys.a, .has_disk = true, .disk_bandwidth_Bps = 1e6,
                    .dirty_limit_bytes = dirty_limit_bytes});
  runtime.add_node({.name = "b", .node = &toys.b});
  runtime.build(NetworkSpec{.bandwidth_Bps = 12.5e6, .latency_s = 0.001}, events);
  runtime.run(5.0, timeline(runtime));
  bool ok = check(toys);
  if (!ok) {
    std::fprintf(stderr, "b received:");
    for (const auto& [t, id] : toys.b.received) std::fprintf(stderr, " #%lld at %.6f", static_cast<long long>(id), t);
    std::fprintf(stderr, "; a's alarms fired: %zu; a's appends done at:", toys.a.alarms_fired.size());
    for (SimTime t : toys.a.written) std::fprintf(stderr, " %.6f", t);
    std::fprintf(stderr, "\n");
  }
  std::fflush(stderr);
  std::_Exit(ok ? 0 : 1);
}

#define EXPECT_CASE(...) EXPECT_EXIT(run_case(__VA_ARGS__), ::testing::ExitedWithCode(0), "")

auto large_from_a_at_0 = [](Toys& t) { t.a.script = {{0.0, 1, 1, kLarge}}; };

TEST(Runtime, LargeTransferArrivesAfterItsTimeOnTheWire) {  // the control for the cases below
  EXPECT_CASE(large_from_a_at_0, [](Runtime&) { return std::vector<TimelineAction>{}; },
              [](const Toys& t) { return t.b.received.size() == 1 && t.b.received[0].second > 0.8; });
}

TEST(Runtime, AProcessCrashedAtATimeHandlesNoEventDueThen) {
  EXPECT_CASE([](Toys& t) { t.a.alarms = {1.0}; },
              [](Runtime& r) {
                return std::vector<TimelineAction>{{1.0, [&r](SimTime) { r.crash_host("a", false); }}};
              },
              [](const Toys& t) { return t.a.alarms_fired.empty(); });
}

TEST(Runtime, MessagesOnTheirWayToACrashedProcessAreNotReadAfterItRestarts) {
  EXPECT_CASE(large_from_a_at_0,
              [](Runtime& r) {
                return std::vector<TimelineAction>{{0.1, [&r](SimTime) { r.crash_host("b", false); }},
                                                   {0.3, [&r](SimTime) { r.restart_host("b"); }}};
              },
              [](const Toys& t) { return t.b.starts == 2 && t.b.received.empty(); });
}

TEST(Runtime, ExtraLatencyThatHealsNeverReordersAConnection) {
  // #1 leaves at 0.5 under 1 s of extra latency; the degradation heals at 0.6; #2 leaves at 0.7.
  EXPECT_CASE([](Toys& t) { t.a.script = {{0.5, 1, 1, kSmall}, {0.7, 1, 2, kSmall}}; },
              [](Runtime& r) {
                auto id = std::make_shared<int>(0);
                return std::vector<TimelineAction>{
                    {0.0, [&r, id](SimTime) { *id = r.network().add_degradation("a", 1.0, 1.0, 0.0); }},
                    {0.6, [&r, id](SimTime) { r.network().remove_degradation(*id); }}};
              },
              [](const Toys& t) {
                return t.b.received.size() == 2 && t.b.received[0].second == 1 && t.b.received[1].second == 2 &&
                       t.b.received[0].first > 1.5;
              });
}

TEST(Runtime, ACutStopsWhatIsAlreadyOnTheWire) {
  EXPECT_CASE(large_from_a_at_0,
              [](Runtime& r) {
                return std::vector<TimelineAction>{
                    {0.1, [&r](SimTime) { r.network().add_cut({{"a"}, {"b"}}, false, std::nullopt); }}};
              },
              [](const Toys& t) { return t.b.received.empty(); });
}

TEST(Runtime, APowerLossStopsTheSendersTransfer) {
  EXPECT_CASE(large_from_a_at_0,
              [](Runtime& r) {
                return std::vector<TimelineAction>{{0.1, [&r](SimTime) { r.crash_host("a", true); }}};
              },
              [](const Toys& t) { return t.b.received.empty(); });
}

TEST(Runtime, AProcessCrashLetsTheKernelFinishTheTransfer) {
  EXPECT_CASE(large_from_a_at_0,
              [](Runtime& r) {
                return std::vector<TimelineAction>{{0.1, [&r](SimTime) { r.crash_host("a", false); }}};
              },
              [](const Toys& t) { return t.b.received.size() == 1; });
}

TEST(Runtime, ProcessesStartAfterTheTimelinesActionsAtTimeZero) {
  EXPECT_CASE([](Toys& t) { t.a.script = {{-1, 1, 1, kSmall}}; },
              [](Runtime& r) {
                return std::vector<TimelineAction>{
                    {0.0, [&r](SimTime) { r.network().add_cut({{"a"}, {"b"}}, false, std::nullopt); }}};
              },
              [](const Toys& t) { return t.b.received.empty(); });
}

constexpr double kOneMegabyteCache = 1e6;
auto ten_appends_of_200kb = [](Toys& t) { t.a.writes = std::vector<int64_t>(10, 200'000); };
auto ten_appends_then_five_after_a_restart = [](Toys& t) {
  t.a.writes = std::vector<int64_t>(10, 200'000);
  t.a.writes_after_restart = std::vector<int64_t>(5, 200'000);
};
auto no_faults = [](Runtime&) { return std::vector<TimelineAction>{}; };
// Whether a's appends were done exactly at these times, in this order.
bool appends_done_at(const Toys& t, const std::vector<SimTime>& expected) {
  if (t.a.written.size() != expected.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i)
    if (std::abs(t.a.written[i] - expected[i]) > 1e-6) return false;
  return true;
}

TEST(Runtime, WithoutAPageCacheEachAppendWaitsForTheDisk) {
  EXPECT_CASE(ten_appends_of_200kb, no_faults, [](const Toys& t) {
    return appends_done_at(t, {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0});
  });
}

TEST(Runtime, APageCacheTakesAppendsAtOnceUntilItIsFull) {
  // 1 MB of cache: five appends are done at once. The write-back of the first (0.2 s) makes room for the sixth;
  // the next write-back takes the 1 MB then in the cache, and the last four wait for it (1.2 s).
  EXPECT_CASE(
      ten_appends_of_200kb, no_faults,
      [](const Toys& t) { return appends_done_at(t, {0, 0, 0, 0, 0, 0.2, 1.2, 1.2, 1.2, 1.2}); }, kOneMegabyteCache);
}

TEST(Runtime, APowerLossEmptiesThePageCache) {
  // As above, the cache is full at 0.5 s (a 1 MB write-back under way, four appends queued); power fails: the
  // queued appends die with the process and the cache is lost. Power returns at 0.6 s; five new appends find the
  // cache empty and are done at once.
  EXPECT_CASE(
      ten_appends_then_five_after_a_restart,
      [](Runtime& r) {
        return std::vector<TimelineAction>{{0.5, [&r](SimTime) { r.crash_host("a", true); }},
                                           {0.6, [&r](SimTime) { r.restart_host("a"); }}};
      },
      [](const Toys& t) {
        return t.a.starts == 2 && appends_done_at(t, {0, 0, 0, 0, 0, 0.2, 0.6, 0.6, 0.6, 0.6, 0.6});
      },
      kOneMegabyteCache);
}

TEST(Runtime, AMessageHeldBackByLatencyIsNotReadByTheReceiversNextProcess) {
  // Sent at 0.5 under 1 s of extra latency; b crashes at 0.6 and is back at 0.7, before the message arrives.
  EXPECT_CASE([](Toys& t) { t.a.script = {{0.5, 1, 1, kSmall}}; },
              [](Runtime& r) {
                return std::vector<TimelineAction>{
                    {0.0, [&r](SimTime) { r.network().add_degradation("a", 1.0, 1.0, 0.0); }},
                    {0.6, [&r](SimTime) { r.crash_host("b", false); }},
                    {0.7, [&r](SimTime) { r.restart_host("b"); }}};
              },
              [](const Toys& t) { return t.b.starts == 2 && t.b.received.empty(); });
}

TEST(Runtime, AProcessCrashedAndRestartedAtTimeZeroStartsOnce) {
  EXPECT_CASE([](Toys&) {},
              [](Runtime& r) {
                return std::vector<TimelineAction>{{0.0, [&r](SimTime) { r.crash_host("a", false); }},
                                                   {0.0, [&r](SimTime) { r.restart_host("a"); }}};
              },
              [](const Toys& t) { return t.a.starts == 1; });
}

TEST(Runtime, APowerLossUnderACrashedProcessStillEmptiesThePageCache) {
  // The process crashes at 0.1 with the cache full; the machine loses power at 0.3, while 800 kB are still being
  // written back; back at 0.4, five appends find the cache empty.
  EXPECT_CASE(
      ten_appends_then_five_after_a_restart,
      [](Runtime& r) {
        return std::vector<TimelineAction>{{0.1, [&r](SimTime) { r.crash_host("a", false); }},
                                           {0.3, [&r](SimTime) { r.crash_host("a", true); }},
                                           {0.4, [&r](SimTime) { r.restart_host("a"); }}};
      },
      [](const Toys& t) {
        return t.a.starts == 2 && appends_done_at(t, {0, 0, 0, 0, 0, 0.4, 0.4, 0.4, 0.4, 0.4});
      },
      kOneMegabyteCache);
}

}  // namespace
}  // namespace kafkasim
