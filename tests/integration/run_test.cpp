// The kafkasim binary on scenario files: outcomes, determinism, accounting and result files.
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

#include "cli_harness.h"

namespace kafkasim::testing {
namespace {

namespace fs = std::filesystem;

TEST(Run, QuickstartLosesNothingAndConsumesEverythingAcknowledged) {
  auto s = run_summary(scenario("quickstart.json"), "quickstart");
  const auto& r = s["records"];
  EXPECT_GT(r["produced"].get<int64_t>(), 100000);
  EXPECT_EQ(r["lost"], 0);
  EXPECT_EQ(r["duplicated"], 0);
  EXPECT_EQ(r["failed"], 0);
  EXPECT_EQ(r["reordered"], 0);
  // Everything acknowledged is in the log, and the consumer keeps up with it.
  EXPECT_EQ(r["in_log"], r["acknowledged"]);
  EXPECT_GE(r["consumed"].get<int64_t>(), r["acknowledged"].get<int64_t>() * 99 / 100);
  EXPECT_GT(s["latency_ms"]["p50"].get<double>(), 0.0);
  EXPECT_LT(s["latency_ms"]["p99"].get<double>(), 50.0);
  const auto& l = s["latency_ms"];
  EXPECT_LE(l["p99"].get<double>(), l["p999"].get<double>());
  EXPECT_LE(l["p999"].get<double>(), l["max"].get<double>());
  EXPECT_LT(l["p999"].get<double>(), l["max"].get<double>()) << "p99.9 is a quantile, not the max";
}

TEST(Run, SmallMessagesTakeTheNetworkLatency) {
  // Group requests, produce requests and acknowledgements of quickstart are a few hundred bytes: they take
  // the runtime's small-message path, which must still cost the one-way latency per hop.
  auto out = fresh_dir("slow-links");
  ASSERT_EQ(kafkasim({"run", scenario("quickstart.json"), "--out", out.string(), "-q", "--set",
                      "cluster/network/latency=20ms", "--set", "duration=10s"})
                .exit_code,
            0);
  // The consumer's JoinGroup reaches the coordinator after five one-way trips: Metadata there and back,
  // FindCoordinator there and back, JoinGroup there; the coordinator then starts the rebalance at once.
  std::istringstream events(read_file(out / "events.jsonl"));
  double started = -1;
  for (std::string line; std::getline(events, line) && started < 0;) {
    auto e = nlohmann::json::parse(line);
    if (e["type"] == "rebalance_started") started = e["t"].get<double>();
  }
  EXPECT_GE(started, 5 * 0.020);
  EXPECT_LT(started, 5 * 0.020 + 0.001);
  // A record goes producer -> leader -> consumer, two hops at least.
  EXPECT_GE(read_json(out / "summary.json")["latency_ms"]["p50"].get<double>(), 40.0);
}

TEST(Run, LargeTransfersShareTheLinkBandwidth) {
  // 20 MB/s of 1 KB records: produce requests of many kilobytes go through SimGrid's network model, so the
  // producer's 80 Mb/s (10 MB/s) link caps what reaches the log; a 10 Gb/s link carries all of it.
  auto run = [](const std::string& name, const std::string& bandwidth) {
    auto out = fresh_dir(name);
    EXPECT_EQ(kafkasim({"run", scenario("quickstart.json"), "--out", out.string(), "-q", "--set",
                        "cluster/network/bandwidth=" + bandwidth, "--set", "producers/0/rate=20000", "--set",
                        "producers/0/record_size=1000B", "--set", "duration=10s"})
                  .exit_code,
              0);
    return read_json(out / "summary.json")["throughput"]["log_MB_per_s"].get<double>();
  };
  const double slow = run("bw-slow", "80Mbps");
  EXPECT_LE(slow, 10.0 * 1.01);
  EXPECT_GE(slow, 8.0);
  EXPECT_GE(run("bw-fast", "10Gbps"), 19.0);
}

TEST(Run, SameSeedGivesByteIdenticalResults) {
  auto a = fresh_dir("det-a"), b = fresh_dir("det-b");
  ASSERT_EQ(kafkasim({"run", test_data("integration/small.json"), "--out", a.string(), "-q"}).exit_code, 0);
  ASSERT_EQ(kafkasim({"run", test_data("integration/small.json"), "--out", b.string(), "-q"}).exit_code, 0);
  for (const char* f : {"summary.json", "metrics.csv", "events.jsonl", "scenario.resolved.json"}) {
    std::string fa = read_file(a / f);
    EXPECT_FALSE(fa.empty()) << f;
    EXPECT_EQ(fa, read_file(b / f)) << f << " differs between two runs with the same seed";
  }
}

TEST(Run, DifferentSeedChangesArrivals) {
  auto a = run_summary(test_data("integration/small.json"), "seed-a", {"--seed", "1"});
  auto b = run_summary(test_data("integration/small.json"), "seed-b", {"--seed", "2"});
  EXPECT_EQ(a["seed"], 1);
  EXPECT_EQ(b["seed"], 2);
  EXPECT_NE(a["records"]["produced"], b["records"]["produced"]);
}

TEST(Run, AcksOneWaitsForTheLeaderWhileAcksZeroDoesNot) {
  // A 1 MB/s disk takes about 9,000 records/s; the producer offers 20,000.
  auto one = run_summary(test_data("integration/slow_disk.json"), "acks1");
  auto zero = run_summary(test_data("integration/slow_disk.json"), "acks0", {"--set", "producers/0/config/acks=0"});
  // acks=1: acknowledged means appended, so everything acknowledged is in the log; the rest waits.
  EXPECT_EQ(one["records"]["acknowledged"], one["records"]["in_log"]);
  EXPECT_LT(one["records"]["acknowledged"].get<int64_t>(), one["records"]["produced"].get<int64_t>() * 3 / 4);
  EXPECT_EQ(one["records"]["lost"], 0);
  // acks=0: acknowledged as soon as sent, whether or not the broker has written it.
  EXPECT_GT(zero["records"]["acknowledged"].get<int64_t>(), zero["records"]["produced"].get<int64_t>() * 9 / 10);
  EXPECT_GT(zero["records"]["acknowledged"].get<int64_t>(), zero["records"]["in_log"].get<int64_t>());
  EXPECT_GT(zero["records"]["acknowledged"].get<int64_t>(), one["records"]["acknowledged"].get<int64_t>());
}

TEST(Run, APageCacheHidesASlowDiskUntilItFills) {
  // The same 2 MB/s of appends on the 1 MB/s disk: a 1 GB page cache takes them all in 5 s (acks=1 keeps up);
  // with 1 MB the appends wait for the disk after the first half second.
  auto cached =
      run_summary(test_data("integration/slow_disk.json"), "cached", {"--set", "cluster/disk/dirty_limit=1GB"});
  auto small = run_summary(test_data("integration/slow_disk.json"), "small");
  EXPECT_GT(cached["records"]["acknowledged"].get<int64_t>(), cached["records"]["produced"].get<int64_t>() * 99 / 100);
  EXPECT_LT(small["records"]["acknowledged"].get<int64_t>(), small["records"]["produced"].get<int64_t>() * 3 / 4);
  EXPECT_EQ(cached["records"]["lost"], 0);
}

TEST(Run, SetOverridesReachTheResolvedScenario) {
  auto out = fresh_dir("set");
  auto r = kafkasim({"run", test_data("integration/small.json"), "--out", out.string(), "-q", "--set",
                     "producers/0/config/linger.ms=7", "--set", "duration=2s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto resolved = read_json(out / "scenario.resolved.json");
  EXPECT_EQ(resolved["producers"][0]["config"]["linger.ms"], 7);
  EXPECT_EQ(read_json(out / "summary.json")["duration_s"], 2.0);
}

TEST(Run, ResolvedScenarioRunsAsIsWithTheSameResults) {
  auto a = fresh_dir("resolved-a"), b = fresh_dir("resolved-b");
  ASSERT_EQ(kafkasim({"run", test_data("integration/small.json"), "--out", a.string(), "-q"}).exit_code, 0);
  auto r = kafkasim({"run", (a / "scenario.resolved.json").string(), "--out", b.string(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(a / "events.jsonl"), read_file(b / "events.jsonl"));
  EXPECT_EQ(read_file(a / "metrics.csv"), read_file(b / "metrics.csv"));
}

TEST(Run, InvalidScenarioListsEveryProblemAndWritesNothing) {
  auto out = fresh_dir("invalid");
  auto r = kafkasim({"run", test_data("integration/invalid.json"), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/topics/0/replication_factor: 4 exceeds the 3 brokers"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/producers/0/topic"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("linger.ms"), std::string::npos) << r.err;  // the suggestion for "lingr.ms"
  EXPECT_NE(r.err.find("invalid.json"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Run, MalformedJsonAndMissingFilesExitWithTwo) {
  auto dir = fresh_dir("malformed");
  fs::create_directories(dir);
  std::ofstream(dir / "broken.json") << "{\n  \"topics\": [\n    {\"name\": \"x\",}\n  ]\n}\n";
  auto r = kafkasim({"run", (dir / "broken.json").string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_EQ(kafkasim({"run", (dir / "absent.json").string()}).exit_code, 2);
  EXPECT_EQ(kafkasim({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(kafkasim({"run", "--no-such-option", "x.json"}).exit_code, 2);
}

TEST(Run, KilledRunLeavesThePreviousResultsUntouched) {
  auto out = fresh_dir("killed");
  ASSERT_EQ(kafkasim({"run", test_data("integration/small.json"), "--out", out.string(), "-q"}).exit_code, 0);
  const std::string before = read_file(out / "summary.json");
  // A long run into the same folder, killed part-way.
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::freopen("/dev/null", "w", stderr);
    ::execl(KAFKASIM_BINARY, KAFKASIM_BINARY, "run", test_data("integration/small.json").c_str(), "--out",
            out.string().c_str(), "-q", "--set", "duration=3600s", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the long run finished before it could be killed";
  EXPECT_EQ(read_file(out / "summary.json"), before);
  // The next run cleans up what the killed one left in its staging folder.
  ASSERT_EQ(kafkasim({"run", test_data("integration/small.json"), "--out", out.string(), "-q"}).exit_code, 0);
  for (const auto& e : fs::directory_iterator(out.parent_path()))
    EXPECT_EQ(e.path().filename().string().find(".killed.partial-"), std::string::npos) << e.path();
}

TEST(Validate, ReportsOkAndErrorsPerFile) {
  auto r = kafkasim({"validate", scenario("quickstart.json"), test_data("integration/invalid.json")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("quickstart.json: ok"), std::string::npos);
  EXPECT_NE(r.err.find("replication_factor"), std::string::npos);
  EXPECT_EQ(kafkasim({"validate", scenario("quickstart.json")}).exit_code, 0);
}

TEST(Partition, PrintsKafkasChoice) {
  auto r = kafkasim({"partition", "--partitions", "10", "foobar", "21"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // murmur2("foobar") = -790332482 -> toPositive 1357151166 % 10 = 6; "21" -> 1173551340 % 10 = 0
  EXPECT_EQ(r.out, "foobar\t6\n21\t0\n");
  EXPECT_EQ(kafkasim({"partition", "--partitions", "0", "x"}).exit_code, 2);
}

TEST(Help, EveryCommandExplainsItself) {
  auto top = kafkasim({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* cmd : {"run", "validate", "partition"}) {
    EXPECT_NE(top.out.find(cmd), std::string::npos);
    auto r = kafkasim({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage: kafkasim"), std::string::npos) << cmd;
  }
  EXPECT_NE(kafkasim({"run", "--help"}).out.find("--set"), std::string::npos);
}

}  // namespace
}  // namespace kafkasim::testing
