// Loading scenario files: defaults, every kind of error (with exact pointers), config rules, overrides.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "scenario/scenario_loader.h"

namespace kafkasim {
namespace {

std::string data(const std::string& name) { return std::string(KAFKASIM_TEST_DATA) + "/scenario/" + name; }

std::string dump(const LoadResult& r) {
  std::string out = "errors:\n";
  for (const auto& d : r.errors) out += "  " + format_diagnostic(d) + "\n";
  out += "warnings:\n";
  for (const auto& d : r.warnings) out += "  " + format_diagnostic(d) + "\n";
  return out;
}

const Diagnostic* find(const std::vector<Diagnostic>& diagnostics, const std::string& pointer,
                       const std::string& fragment) {
  for (const auto& d : diagnostics)
    if (d.pointer == pointer && d.message.find(fragment) != std::string::npos) return &d;
  return nullptr;
}

LoadResult parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_scenario_text(text, "scenario.json", overrides);
}

// One topic "orders" (6 partitions, RF 3) plus `extra` top-level members.
LoadResult parse_with(const std::string& extra, const std::vector<std::string>& overrides = {}) {
  return parse(R"({"topics": [{"name": "orders", "partitions": 6, "replication_factor": 3}])" +
                   (extra.empty() ? std::string() : ", " + extra) + "}",
               overrides);
}

#define EXPECT_ERROR(result, pointer, fragment)                                                             \
  EXPECT_NE(find((result).errors, (pointer), (fragment)), nullptr)                                         \
      << "no error at \"" << (pointer) << "\" containing: " << (fragment) << "\n" << dump(result)

#define EXPECT_WARNING(result, pointer, fragment)                                                           \
  EXPECT_NE(find((result).warnings, (pointer), (fragment)), nullptr)                                       \
      << "no warning at \"" << (pointer) << "\" containing: " << (fragment) << "\n" << dump(result)

#define ASSERT_LOADS(result) ASSERT_TRUE((result).ok()) << dump(result)

// ---- defaults ----

TEST(ScenarioDefaults, MinimalFileGetsEveryDefault) {
  LoadResult r = load_scenario_file(data("minimal.json"));
  ASSERT_LOADS(r);
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.file, data("minimal.json"));
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.duration_s, 60.0);
  EXPECT_EQ(s.cluster.brokers, 3);
  EXPECT_EQ(s.cluster.network.bandwidth_Bps, 1.25e9);
  EXPECT_EQ(s.cluster.network.latency_s, 0.0002);
  EXPECT_EQ(s.cluster.disk.write_bandwidth_Bps, 500e6);
  EXPECT_EQ(s.cluster.control_plane.mode, ControllerMode::kraft);
  EXPECT_EQ(s.cluster.control_plane.nodes, 3);
  EXPECT_EQ(s.cluster.broker_config.get_int("min.insync.replicas"), 1);
  EXPECT_EQ(s.cluster.broker_config.get_int("log.flush.interval.ms"), -1);
  EXPECT_EQ(s.cluster.broker_config.get_string("inter.broker.protocol.version"), "3.7");
  EXPECT_EQ(s.cluster.broker_config.get_double("kafkasim.controller.election.ms.per.partition"), 5.0);
  EXPECT_FALSE(s.cluster.broker_config.has("broker.id")) << "ignored keys are not part of the resolved config";
  ASSERT_EQ(s.topics.size(), 1u);
  const TopicSpec& t = s.topics[0];
  EXPECT_EQ(t.name, "orders");
  EXPECT_EQ(t.partitions, 1);
  EXPECT_EQ(t.replication_factor, 1);
  EXPECT_EQ(t.config.get_int("min.insync.replicas"), 1);
  EXPECT_FALSE(t.config.get_bool("unclean.leader.election.enable"));
  EXPECT_EQ(t.config.get_int("flush.messages"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(t.config.get_int("flush.ms"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(t.config.get_int("retention.ms"), 168LL * 3600 * 1000);
  EXPECT_EQ(t.config.get_int("segment.bytes"), 1073741824);
  EXPECT_TRUE(s.producers.empty());
  EXPECT_TRUE(s.consumers.empty());
  EXPECT_TRUE(s.faults.empty());
  EXPECT_EQ(s.metrics.interval_s, 1.0);
}

TEST(ScenarioDefaults, ProducerDefaults) {
  LoadResult r = parse_with(R"("producers": [{}])");
  ASSERT_LOADS(r);
  const ProducerSpec& p = r.scenario->producers.at(0);
  EXPECT_EQ(p.name, "producer-0");
  EXPECT_EQ(p.topic, 0);
  EXPECT_EQ(p.rate_per_s, 1000);
  EXPECT_EQ(p.arrival, ProducerSpec::Arrival::poisson);
  EXPECT_EQ(p.record_size_bytes.kind, Distribution::Kind::fixed);
  EXPECT_EQ(p.record_size_bytes.mean, 100);
  EXPECT_EQ(p.keys.kind, KeySpec::Kind::none);
  EXPECT_EQ(p.start_s, 0);
  EXPECT_FALSE(p.stop_s);
  EXPECT_FALSE(p.max_records);
  EXPECT_EQ(p.config.get_string("acks"), "all");
  EXPECT_TRUE(p.config.get_bool("enable.idempotence"));
  EXPECT_EQ(p.config.get_int("retries"), 2147483647);
  EXPECT_EQ(p.config.get_int("delivery.timeout.ms"), 120000);
  EXPECT_EQ(p.config.get_int("linger.ms"), 0);
  EXPECT_EQ(p.config.get_int("batch.size"), 16384);
  EXPECT_EQ(p.config.get_string("transactional.id"), "");
  EXPECT_FALSE(p.config.has("bootstrap.servers"));
}

TEST(ScenarioDefaults, ConsumerDefaults) {
  LoadResult r = parse(R"({"topics": [{"name": "a"}, {"name": "b"}], "consumers": [{}, {"config": {"group.id": "g"}}]})");
  ASSERT_LOADS(r);
  const ConsumerSpec& c = r.scenario->consumers.at(0);
  EXPECT_EQ(c.name, "consumer-0");
  EXPECT_EQ(c.topics, (std::vector<int>{0, 1}));
  EXPECT_TRUE(c.assignment.empty());
  EXPECT_EQ(c.processing_time_s.kind, Distribution::Kind::fixed);
  EXPECT_EQ(c.processing_time_s.mean, 0);
  EXPECT_EQ(c.commit, ConsumerSpec::Commit::auto_commit);
  EXPECT_EQ(c.start_s, 0);
  EXPECT_EQ(c.config.get_string("group.id"), "");
  EXPECT_FALSE(c.config.get_bool("enable.auto.commit")) << "Kafka disables auto-commit without a group.id";
  EXPECT_EQ(c.config.get_int("session.timeout.ms"), 45000);
  EXPECT_EQ(c.config.get_string("auto.offset.reset"), "latest");
  EXPECT_EQ(c.config.get_list("partition.assignment.strategy"),
            (std::vector<std::string>{"range", "cooperative-sticky"}));
  EXPECT_TRUE(r.scenario->consumers.at(1).config.get_bool("enable.auto.commit"));
  EXPECT_EQ(r.scenario->consumers.at(1).name, "consumer-1");
}

TEST(ScenarioDefaults, TopicDefaultsComeFromTheBrokerConfig) {
  LoadResult r = parse(R"({
    "cluster": {"brokers": 5, "config": {"min.insync.replicas": 2, "unclean.leader.election.enable": "true",
      "log.flush.interval.messages": 1000, "log.flush.interval.ms": 5000, "log.retention.hours": 2,
      "log.segment.bytes": 1000000, "num.partitions": 12, "default.replication.factor": 3}},
    "topics": [{"name": "inherits"}, {"name": "own", "config": {"min.insync.replicas": 1, "flush.ms": 7,
                                                                "retention.ms": -1}}]})");
  ASSERT_LOADS(r);
  const TopicSpec& a = r.scenario->topics[0];
  EXPECT_EQ(a.partitions, 12);
  EXPECT_EQ(a.replication_factor, 3);
  EXPECT_EQ(a.config.get_int("min.insync.replicas"), 2);
  EXPECT_TRUE(a.config.get_bool("unclean.leader.election.enable"));
  EXPECT_EQ(a.config.get_int("flush.messages"), 1000);
  EXPECT_EQ(a.config.get_int("flush.ms"), 5000);
  EXPECT_EQ(a.config.get_int("retention.ms"), 7200000);
  EXPECT_EQ(a.config.get_int("segment.bytes"), 1000000);
  const TopicSpec& b = r.scenario->topics[1];
  EXPECT_EQ(b.config.get_int("min.insync.replicas"), 1);
  EXPECT_EQ(b.config.get_int("flush.ms"), 7);
  EXPECT_EQ(b.config.get_int("retention.ms"), -1);
  EXPECT_TRUE(b.config.get_bool("unclean.leader.election.enable"));
}

TEST(ScenarioDefaults, FullFileLoadsAsWritten) {
  LoadResult r = load_scenario_file(data("full.json"));
  ASSERT_LOADS(r);
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.duration_s, 30.0);
  EXPECT_EQ(s.cluster.network.bandwidth_Bps, 1.25e8);
  EXPECT_EQ(s.cluster.network.latency_s, 0.0005);
  EXPECT_EQ(s.cluster.disk.write_bandwidth_Bps, 2e8);
  const ProducerSpec& p0 = s.producers[0];
  EXPECT_EQ(p0.arrival, ProducerSpec::Arrival::constant);
  EXPECT_EQ(p0.record_size_bytes.kind, Distribution::Kind::normal);
  EXPECT_EQ(p0.record_size_bytes.mean, 1024);
  EXPECT_EQ(p0.record_size_bytes.stddev, 100);
  EXPECT_EQ(p0.keys.kind, KeySpec::Kind::zipf);
  EXPECT_EQ(p0.keys.count, 1000);
  EXPECT_EQ(p0.keys.zipf_exponent, 1.2);
  EXPECT_EQ(p0.start_s, 1.0);
  EXPECT_EQ(*p0.stop_s, 20.0);
  EXPECT_EQ(*p0.max_records, 100000);
  EXPECT_EQ(p0.config.get_string("acks"), "all");
  EXPECT_EQ(p0.config.get_int("linger.ms"), 5);
  const ProducerSpec& p1 = s.producers[1];
  EXPECT_EQ(p1.name, "producer-1");
  EXPECT_EQ(p1.topic, 1);
  EXPECT_EQ(p1.config.get_string("acks"), "1");
  EXPECT_FALSE(p1.config.get_bool("enable.idempotence"));
  EXPECT_WARNING(r, "/producers/1/config/bootstrap.servers", "bootstrap.servers has no effect in the simulator");
  const ConsumerSpec& c0 = s.consumers[0];
  EXPECT_EQ(c0.processing_time_s.kind, Distribution::Kind::exponential);
  EXPECT_EQ(c0.processing_time_s.mean, 0.002);
  EXPECT_EQ(c0.commit, ConsumerSpec::Commit::sync_after_processing);
  EXPECT_FALSE(c0.config.get_bool("enable.auto.commit")) << "the application commits itself";
  EXPECT_EQ(c0.config.get_list("partition.assignment.strategy"), (std::vector<std::string>{"roundrobin", "sticky"}));
  const ConsumerSpec& c1 = s.consumers[1];
  EXPECT_EQ(c1.topics, (std::vector<int>{1}));
  EXPECT_EQ(c1.assignment, (std::vector<std::pair<int, int>>{{1, 1}}));
  EXPECT_EQ(c1.start_s, 2.0);
  const ConsumerSpec& c2 = s.consumers[2];
  EXPECT_EQ(c2.assignment, (std::vector<std::pair<int, int>>{{1, 0}}));
  EXPECT_EQ(c2.processing_time_s.kind, Distribution::Kind::uniform);
  EXPECT_EQ(c2.processing_time_s.min, 0.001);
  EXPECT_EQ(c2.processing_time_s.max, 0.003);
  ASSERT_EQ(s.faults.size(), 7u);
  EXPECT_EQ(s.faults[0].kind, FaultSpec::Kind::crash);
  EXPECT_EQ(s.faults[0].target, "broker-1");
  EXPECT_EQ(*s.faults[0].duration_s, 5.0);
  EXPECT_EQ(s.faults[0].pointer, "/faults/0");
  EXPECT_EQ(s.faults[1].kind, FaultSpec::Kind::power_loss);
  EXPECT_FALSE(s.faults[1].duration_s);
  EXPECT_EQ(s.faults[2].groups,
            (std::vector<std::vector<std::string>>{{"broker-0", "p0"}, {"broker-2", "controller-1"}}));
  EXPECT_TRUE(s.faults[2].one_way);
  EXPECT_EQ(s.faults[2].traffic, "replication");
  EXPECT_EQ(s.faults[3].extra_latency_s, 0.02);
  EXPECT_EQ(s.faults[3].drop_probability, 0.1);
  EXPECT_EQ(s.faults[3].factor, 1.0);
  EXPECT_EQ(s.faults[4].factor, 0.25);
  EXPECT_EQ(s.faults[5].kind, FaultSpec::Kind::consumer_pause);
  EXPECT_EQ(s.faults[6].factor, 4.0);
  EXPECT_EQ(s.metrics.interval_s, 0.5);
}

TEST(ScenarioDefaults, StockServerPropertiesPastes) {
  LoadResult r = load_scenario_file(data("server.properties.json"));
  ASSERT_LOADS(r);
  const ConfigMap& c = r.scenario->cluster.broker_config;
  EXPECT_EQ(c.get_int("offsets.topic.replication.factor"), 1);
  EXPECT_EQ(c.get_int("group.initial.rebalance.delay.ms"), 0);
  int ignored = 0;
  for (const auto& w : r.warnings) ignored += w.message.find("has no effect in the simulator") != std::string::npos;
  EXPECT_EQ(ignored, 12) << dump(r);
  EXPECT_WARNING(r, "/cluster/config/zookeeper.connect", "zookeeper.connect has no effect in the simulator");
}

TEST(ScenarioDefaults, ZooKeeperModeCommentsAndOldProtocol) {
  LoadResult r = load_scenario_file(data("zookeeper.json"));
  ASSERT_LOADS(r);
  EXPECT_EQ(r.scenario->cluster.control_plane.mode, ControllerMode::zookeeper);
  EXPECT_EQ(r.scenario->faults[0].target, "zookeeper-2");
  EXPECT_TRUE(r.scenario->topics[0].config.get_bool("unclean.leader.election.enable"));
}

TEST(ScenarioDefaults, UnitsInFields) {
  LoadResult r = parse(R"({"duration": "2min",
    "cluster": {"network": {"bandwidth": "100Mbps", "latency": "1ms"}, "disk": {"write_bandwidth": "1GiBps"}},
    "topics": [{"name": "t"}],
    "producers": [{"record_size": "1KiB", "start": "500ms", "stop": "1.5min"}],
    "consumers": [{"processing_time": "250us"}],
    "metrics": {"interval": "100 ms"}})");
  ASSERT_LOADS(r);
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.duration_s, 120.0);
  EXPECT_EQ(s.cluster.network.bandwidth_Bps, 12.5e6);
  EXPECT_EQ(s.cluster.network.latency_s, 0.001);
  EXPECT_EQ(s.cluster.disk.write_bandwidth_Bps, 1073741824.0);
  EXPECT_EQ(s.producers[0].record_size_bytes.mean, 1024);
  EXPECT_EQ(s.producers[0].start_s, 0.5);
  EXPECT_EQ(*s.producers[0].stop_s, 90.0);
  EXPECT_DOUBLE_EQ(s.consumers[0].processing_time_s.mean, 250e-6);
  EXPECT_DOUBLE_EQ(s.metrics.interval_s, 0.1);
}

// ---- errors ----

TEST(ScenarioErrors, ReplicationFactorAboveBrokersHasTheExactMessage) {
  LoadResult r = parse(R"({"cluster": {"brokers": 3}, "topics": [{"name": "t", "replication_factor": 4}]})");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_FALSE(r.scenario);
  EXPECT_EQ(format_diagnostic(r.errors[0]), "scenario.json: /topics/0/replication_factor: 4 exceeds the 3 brokers");
  LoadResult by_default = parse(R"({"cluster": {"brokers": 1, "config": {"default.replication.factor": 2,
    "offsets.topic.replication.factor": 1, "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1}}, "topics": [{"name": "t"}]})");
  EXPECT_ERROR(by_default, "/topics/0", "default.replication.factor = 2, which exceeds the 1 broker");
}

TEST(ScenarioErrors, FiveProblemsGiveFiveDiagnostics) {
  LoadResult r = load_scenario_file(data("five_errors.json"));
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.scenario);
  ASSERT_EQ(r.errors.size(), 5u) << dump(r);
  EXPECT_ERROR(r, "/topics/0/partitons", "unknown field \"partitons\" in a topic (did you mean \"partitions\"?)");
  EXPECT_ERROR(r, "/topics/0/replication_factor", "4 exceeds the 3 brokers");
  EXPECT_ERROR(r, "/producers/0/topic", "unknown topic \"ordres\" (did you mean \"orders\"?)");
  EXPECT_ERROR(r, "/producers/0/rate", "expected a number, got \"fast\"");
  EXPECT_ERROR(r, "/faults/0/at", "at 40s is not before the end of the run (duration 30s)");
  for (const auto& e : r.errors) EXPECT_EQ(e.file, data("five_errors.json"));
}

TEST(ScenarioErrors, MalformedJsonGivesLineAndColumn) {
  LoadResult r = load_scenario_file(data("malformed.json"));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].pointer, "");
  std::string text = format_diagnostic(r.errors[0]);
  EXPECT_EQ(text.rfind(data("malformed.json") + ": line 4, column 23: ", 0), 0u) << text;
  EXPECT_NE(text.find("unexpected ','"), std::string::npos) << text;
  EXPECT_NE(text.find("json.exception"), 0u);

  LoadResult truncated = parse("{\"topics\": [\n");
  ASSERT_EQ(truncated.errors.size(), 1u);
  EXPECT_EQ(truncated.errors[0].message.rfind("line 2, column 1: ", 0), 0u) << truncated.errors[0].message;
}

TEST(ScenarioErrors, UnreadableFile) {
  LoadResult r = load_scenario_file(data("no_such_file.json"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, data("no_such_file.json"));
  EXPECT_NE(r.errors[0].message.find("cannot read the scenario"), std::string::npos);
  EXPECT_NE(r.errors[0].message.find("No such file"), std::string::npos) << r.errors[0].message;
  LoadResult dir = load_scenario_file(std::string(KAFKASIM_TEST_DATA));
  ASSERT_EQ(dir.errors.size(), 1u);
  EXPECT_NE(dir.errors[0].message.find("directory"), std::string::npos);
}

TEST(ScenarioErrors, NotAnObjectOrNoTopics) {
  EXPECT_ERROR(parse("[1, 2]"), "", "expected a JSON object at the top level");
  EXPECT_ERROR(parse("{}"), "", "missing required field \"topics\"");
  EXPECT_ERROR(parse(R"({"topics": []})"), "/topics", "expected at least one topic");
  EXPECT_ERROR(parse(R"({"topics": {"name": "x"}})"), "/topics", "expected an array of topics");
}

TEST(ScenarioErrors, UnknownKeysEverywhereWithSuggestions) {
  LoadResult r = parse(R"({"duraton": "1s", "metrics": {"intreval": "1s"},
    "cluster": {"broker": 3, "network": {"latncy": "1ms"}, "control_plane": {"mode": "kraft", "node": 3},
                "config": {"min.insync.replica": 2}},
    "topics": [{"name": "orders", "replicaton_factor": 1, "config": {"retention.m": 5}}],
    "producers": [{"rat": 5, "config": {"linger.m": 5, "group.id": "x"}}],
    "consumers": [{"topic": ["orders"], "config": {"acks": "all", "zzz.completely.unknown": 1}}],
    "faults": [{"at": "1s", "kind": "crash", "traget": "broker-0", "factor": 2}]})");
  EXPECT_ERROR(r, "/duraton", "unknown field \"duraton\" in the scenario (did you mean \"duration\"?)");
  EXPECT_ERROR(r, "/metrics/intreval", "(did you mean \"interval\"?)");
  EXPECT_ERROR(r, "/cluster/broker", "unknown field \"broker\" in cluster (did you mean \"brokers\"?)");
  EXPECT_ERROR(r, "/cluster/network/latncy", "(did you mean \"latency\"?)");
  EXPECT_ERROR(r, "/cluster/control_plane/node", "(did you mean \"nodes\"?)");
  EXPECT_ERROR(r, "/cluster/config/min.insync.replica",
               "unknown broker config \"min.insync.replica\" (did you mean \"min.insync.replicas\"?)");
  EXPECT_ERROR(r, "/topics/0/replicaton_factor", "(did you mean \"replication_factor\"?)");
  EXPECT_ERROR(r, "/topics/0/config/retention.m", "unknown topic config \"retention.m\" (did you mean \"retention.ms\"?)");
  EXPECT_ERROR(r, "/producers/0/rat", "unknown field \"rat\" in a producer (did you mean \"rate\"?)");
  EXPECT_ERROR(r, "/producers/0/config/linger.m", "(did you mean \"linger.ms\"?)");
  EXPECT_ERROR(r, "/producers/0/config/group.id", "unknown producer config \"group.id\" (it is a consumer config)");
  EXPECT_ERROR(r, "/consumers/0/topic", "unknown field \"topic\" in a consumer (did you mean \"topics\"?)");
  EXPECT_ERROR(r, "/consumers/0/config/acks", "unknown consumer config \"acks\" (it is a producer config)");
  EXPECT_ERROR(r, "/consumers/0/config/zzz.completely.unknown", "unknown consumer config \"zzz.completely.unknown\"");
  EXPECT_EQ(find(r.errors, "/consumers/0/config/zzz.completely.unknown", "did you mean"), nullptr);
  EXPECT_ERROR(r, "/faults/0/traget", "unknown field \"traget\" in a crash fault (did you mean \"target\"?)");
  EXPECT_ERROR(r, "/faults/0/factor", "unknown field \"factor\" in a crash fault");
  EXPECT_ERROR(r, "/faults/0", "missing required field \"target\"");
  EXPECT_EQ(r.errors.size(), 17u) << dump(r);
}

TEST(ScenarioErrors, WrongTypes) {
  LoadResult r = parse(R"({"duration": 250, "seed": "42", "name": 5,
    "cluster": {"brokers": "3", "network": {"bandwidth": 1000}, "disk": "fast"},
    "topics": [{"name": "orders", "partitions": 2.5}, "logs"],
    "producers": [{"record_size": 100, "arrival": 1, "keys": "none", "config": {"linger.ms": "soon"}}],
    "consumers": [{"topics": "orders", "processing_time": 0.001}],
    "faults": {"at": "1s"}})");
  EXPECT_ERROR(r, "/duration", "expected a string like \"250ms\", got 250");
  EXPECT_ERROR(r, "/seed", "expected an integer between 0 and 18446744073709551615, got \"42\"");
  EXPECT_ERROR(r, "/name", "expected a string, got 5");
  EXPECT_ERROR(r, "/cluster/brokers", "expected an integer between 1 and 1000, got \"3\"");
  EXPECT_ERROR(r, "/cluster/network/bandwidth", "expected a string like \"10Gbps\", got 1000");
  EXPECT_ERROR(r, "/cluster/disk", "expected an object, got \"fast\"");
  EXPECT_ERROR(r, "/topics/0/partitions", "expected an integer between 1 and 100000, got 2.5");
  EXPECT_ERROR(r, "/topics/1", "expected a topic object like");
  EXPECT_ERROR(r, "/producers/0/record_size", "expected a string like \"100B\" or a distribution object");
  EXPECT_ERROR(r, "/producers/0/arrival", "expected one of \"poisson\", \"constant\", got 1");
  EXPECT_ERROR(r, "/producers/0/keys", "expected an object, got \"none\"");
  EXPECT_ERROR(r, "/producers/0/config/linger.ms", "expected an integer, got \"soon\"");
  EXPECT_ERROR(r, "/consumers/0/topics", "expected an array of topic names, got \"orders\"");
  EXPECT_ERROR(r, "/consumers/0/processing_time", "expected a string like \"1ms\" or a distribution object");
  EXPECT_ERROR(r, "/faults", "expected an array of faults");
}

TEST(ScenarioErrors, BadUnitsAndRanges) {
  LoadResult r = parse(R"({"duration": "0s", "seed": -1,
    "cluster": {"brokers": 0, "network": {"latency": "10 parsecs"}, "control_plane": {"nodes": 4}},
    "topics": [{"name": "orders", "partitions": 0}],
    "producers": [{"rate": 0, "start": "-1s", "max_records": 0, "arrival": "posson",
                   "keys": {"distribution": "zipf", "exponent": 0}}]})");
  EXPECT_ERROR(r, "/duration", "must be greater than 0s");
  EXPECT_ERROR(r, "/seed", "expected an integer between 0 and 18446744073709551615, got -1");
  EXPECT_ERROR(r, "/cluster/brokers", "must be between 1 and 1000, got 0");
  EXPECT_ERROR(r, "/cluster/network/latency",
               "expected a duration like \"250ms\" (units ns, us, ms, s, m, min, h), got \"10 parsecs\"");
  EXPECT_ERROR(r, "/cluster/control_plane/nodes", "must be odd");
  EXPECT_ERROR(r, "/topics/0/partitions", "must be between 1 and 100000, got 0");
  EXPECT_ERROR(r, "/producers/0/rate", "must be greater than 0, got 0");
  EXPECT_ERROR(r, "/producers/0/start", "a duration cannot be negative, got \"-1s\"");
  EXPECT_ERROR(r, "/producers/0/max_records", "must be at least 1, got 0");
  EXPECT_ERROR(r, "/producers/0/arrival", "(did you mean \"poisson\"?)");
  EXPECT_ERROR(r, "/producers/0/keys", "missing required field \"count\"");
  EXPECT_ERROR(r, "/producers/0/keys/exponent", "must be greater than 0, got 0");

  LoadResult big = parse(R"({"seed": 18446744073709551615, "duration": "10s", "metrics": {"interval": "20s"},
    "topics": [{"name": "t"}], "producers": [{"start": "5s", "stop": "5s"}, {"start": "10s"}]})");
  EXPECT_EQ(find(big.errors, "/seed", ""), nullptr) << dump(big);
  EXPECT_ERROR(big, "/metrics/interval", "interval 20s exceeds the run's duration 10s");
  EXPECT_ERROR(big, "/producers/0/stop", "stop 5s must be after start 5s");
  EXPECT_ERROR(big, "/producers/1/start", "start 10s is not before the end of the run");
  EXPECT_ERROR(parse(R"({"seed": 18446744073709551616, "topics": [{"name": "t"}]})"), "/seed",
               "expected an integer between 0");
  EXPECT_ERROR(parse(R"({"metrics": {"interval": "0s"}, "topics": [{"name": "t"}]})"), "/metrics/interval",
               "must be greater than 0s");
}

TEST(ScenarioErrors, Distributions) {
  LoadResult r = parse_with(R"("producers": [
    {"record_size": {"distribution": "normal", "mean": "1KB"}},
    {"record_size": {"distribution": "uniform", "min": "2KB", "max": "1KB"}},
    {"record_size": {"distribution": "fixed", "mean": "1KB", "stddev": "1B"}},
    {"record_size": {"distribution": "exponential", "mean": "0B"}},
    {"record_size": {"distribution": "gaussian", "mean": "1KB"}},
    {"record_size": {"distribution": "exponential", "mean": "1ms"}}])");
  EXPECT_ERROR(r, "/producers/0/record_size", "missing required field \"stddev\" (a normal distribution needs it)");
  EXPECT_ERROR(r, "/producers/1/record_size/max", "max must not be below min");
  EXPECT_ERROR(r, "/producers/2/record_size/stddev", "\"stddev\" is not used by a fixed distribution");
  EXPECT_ERROR(r, "/producers/3/record_size/mean", "needs a mean greater than 0");
  EXPECT_ERROR(r, "/producers/4/record_size/distribution", "expected one of \"fixed\"");
  EXPECT_ERROR(r, "/producers/5/record_size/mean", "expected a size like \"16KB\"");
  EXPECT_EQ(r.errors.size(), 6u) << dump(r);
}

TEST(ScenarioErrors, DuplicateNames) {
  LoadResult r = parse(R"({"topics": [{"name": "a"}, {"name": "a"}],
    "producers": [{"name": "p", "topic": "a"}, {"name": "p", "topic": "a"}, {"name": "x", "topic": "a"}],
    "consumers": [{"name": "x"}, {"name": "broker-0"}, {"name": "bad name"}]})");
  EXPECT_ERROR(r, "/topics/1/name", "duplicate topic name \"a\" (also /topics/0)");
  EXPECT_ERROR(r, "/producers/1/name", "duplicate name \"p\" (also /producers/0)");
  EXPECT_ERROR(r, "/consumers/0/name", "duplicate name \"x\" (also /producers/2)");
  EXPECT_ERROR(r, "/consumers/1/name", "\"broker-0\" is the name of a cluster host");
  EXPECT_ERROR(r, "/consumers/2/name", "invalid name \"bad name\"");
  EXPECT_EQ(r.errors.size(), 5u) << dump(r);
  EXPECT_ERROR(parse(R"({"topics": [{"name": "a b"}, {"name": "__consumer_offsets"}]})"), "/topics/0/name",
               "invalid topic name \"a b\"");
  EXPECT_ERROR(parse(R"({"topics": [{"name": "__consumer_offsets"}]})"), "/topics/0/name",
               "is one of Kafka's internal topics");
}

TEST(ScenarioErrors, TopicReferences) {
  LoadResult r = parse(R"({"topics": [{"name": "orders", "partitions": 3}, {"name": "audit", "partitions": 2}],
    "producers": [{"name": "p0"}, {"name": "p1", "topic": "nope"}],
    "consumers": [
      {"name": "c0", "topics": ["orders", "nope", "orders"]},
      {"name": "c1", "topics": ["orders"], "partitions": [0, 3, 0]},
      {"name": "c2", "partitions": [1]},
      {"name": "c3", "topics": ["orders"], "partitions": [{"topic": "audit", "partition": 1}]},
      {"name": "c4", "topics": ["orders", "audit"], "partitions": [0]},
      {"name": "c5", "partitions": [{"topic": "audit", "partition": 2}, {"topic": "audit"}, "x"]},
      {"name": "c6", "topics": [], "partitions": []}]})");
  EXPECT_ERROR(r, "/producers/0", "missing required field \"topic\" (the scenario has 2 topics)");
  EXPECT_ERROR(r, "/producers/1/topic", "unknown topic \"nope\"");
  EXPECT_ERROR(r, "/consumers/0/topics/1", "unknown topic \"nope\"");
  EXPECT_ERROR(r, "/consumers/0/topics/2", "topic \"orders\" is listed twice");
  EXPECT_ERROR(r, "/consumers/1/partitions/1", "partition 3 does not exist: topic \"orders\" has 3 partitions (0..2)");
  EXPECT_ERROR(r, "/consumers/1/partitions/2", "partition 0 of \"orders\" is listed twice");
  EXPECT_ERROR(r, "/consumers/2/partitions/0", "the scenario has 2 topics: give partitions as {\"topic\"");
  EXPECT_ERROR(r, "/consumers/3/partitions/0/topic", "topic \"audit\" is not in this consumer's \"topics\"");
  EXPECT_ERROR(r, "/consumers/4/partitions/0", "with 2 topics, give partitions as {\"topic\"");
  EXPECT_ERROR(r, "/consumers/5/partitions/0/partition", "partition 2 does not exist: topic \"audit\" has 2 partitions");
  EXPECT_ERROR(r, "/consumers/5/partitions/1", "missing required field \"partition\"");
  EXPECT_ERROR(r, "/consumers/5/partitions/2", "expected a partition number or {\"topic\"");
  EXPECT_ERROR(r, "/consumers/6/topics", "expected at least one topic");
  EXPECT_ERROR(r, "/consumers/6/partitions", "expected at least one partition");
  EXPECT_EQ(r.errors.size(), 14u) << dump(r);
}

TEST(ScenarioErrors, CoordinatorRoleNamesAGroupOfTheScenario) {
  LoadResult r = parse_with(R"("duration": "60s",
    "consumers": [{"name": "c0", "config": {"group.id": "billing"}}],
    "faults": [
      {"at": "1s", "kind": "power_loss", "target": "coordinator:billing"},
      {"at": "1s", "kind": "crash", "target": "coordinator:biling"},
      {"at": "1s", "kind": "partition", "groups": [["coordinator:billing"], ["broker-1"]]}])");
  EXPECT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_ERROR(r, "/faults/1/target", "unknown consumer group \"biling\" in \"coordinator:biling\" (did you mean \"billing\"?)");
}

TEST(ScenarioErrors, FaultKindsAndFields) {
  LoadResult r = parse_with(R"("duration": "60s",
    "producers": [{"name": "p0"}], "consumers": [{"name": "c0", "config": {"group.id": "g"}}],
    "faults": [
      {"at": "1s", "kind": "crsh", "target": "broker-0"},
      {"at": "1s"},
      {"at": "1s", "kind": "crash", "target": "broker-3"},
      {"at": "1s", "kind": "crash", "target": "zookeeper-0"},
      {"at": "1s", "kind": "power_loss", "target": "leader:nope/0"},
      {"at": "1s", "kind": "power_loss", "target": "leader:orders/6"},
      {"at": "1s", "kind": "crash", "target": "p0"},
      {"at": "1s", "kind": "crash", "target": "controller-3"},
      {"at": "1s", "kind": "partition", "groups": [["broker-0", "broker-1"]]},
      {"at": "1s", "kind": "partition", "groups": [["broker-0"], ["broker-1"], ["c0"]], "one_way": true},
      {"at": "1s", "kind": "partition", "groups": [["broker-0", "brokr-1"], ["broker-0"]], "traffic": "data"},
      {"at": "1s", "kind": "link_degrade", "target": "c0"},
      {"at": "1s", "kind": "link_degrade", "target": "c0", "bandwidth_factor": 0, "drop_probability": 1.5},
      {"at": "1s", "kind": "slow_disk", "target": "broker-1", "factor": 1.5},
      {"at": "1s", "kind": "slow_disk", "target": "controller-0", "factor": 0.5},
      {"at": "1s", "kind": "consumer_pause", "target": "consumer:c0"},
      {"at": "1s", "kind": "consumer_slow", "target": "consumer:c9", "factor": 2},
      {"at": "1s", "kind": "consumer_slow", "target": "c0"},
      {"at": "61s", "kind": "crash", "target": "broker-0", "duration": "0s"},
      {"kind": "crash", "target": "controller:active"}])");
  EXPECT_ERROR(r, "/faults/0/kind", "got \"crsh\" (did you mean \"crash\"?)");
  EXPECT_ERROR(r, "/faults/1", "missing required field \"kind\"");
  EXPECT_ERROR(r, "/faults/2/target", "unknown host \"broker-3\": the brokers are broker-0 to broker-2");
  EXPECT_ERROR(r, "/faults/3/target", "the control plane is kraft, which has no ZooKeeper");
  EXPECT_ERROR(r, "/faults/4/target", "unknown topic \"nope\" in \"leader:nope/0\"");
  EXPECT_ERROR(r, "/faults/5/target", "partition 6 of topic \"orders\" does not exist (it has 6 partitions)");
  EXPECT_ERROR(r, "/faults/6/target", "unknown target \"p0\": expected a host");
  EXPECT_ERROR(r, "/faults/7/target", "the controllers are controller-0 to controller-2");
  EXPECT_ERROR(r, "/faults/8/groups", "expected at least 2 groups, got 1");
  EXPECT_ERROR(r, "/faults/9/one_way", "a one-way partition needs exactly 2 groups");
  EXPECT_ERROR(r, "/faults/10/groups/0/1", "unknown host \"brokr-1\"");
  EXPECT_ERROR(r, "/faults/10/groups/0/1", "(did you mean \"broker-1\"?)");
  EXPECT_ERROR(r, "/faults/10/groups/1/0", "\"broker-0\" is already in /faults/10/groups/0/0");
  EXPECT_ERROR(r, "/faults/10/traffic", "expected one of \"all\", \"replication\", \"client\", \"control\"");
  EXPECT_ERROR(r, "/faults/11", "a link_degrade fault needs at least one of");
  EXPECT_ERROR(r, "/faults/12/bandwidth_factor", "must be greater than 0 and at most 1, got 0");
  EXPECT_ERROR(r, "/faults/12/drop_probability", "must be between 0 and 1, got 1.5");
  EXPECT_ERROR(r, "/faults/13/factor", "must be greater than 0 and at most 1, got 1.5");
  EXPECT_ERROR(r, "/faults/14/target", "expected a broker");
  EXPECT_ERROR(r, "/faults/15", "missing required field \"duration\"");
  EXPECT_ERROR(r, "/faults/16/target", "unknown consumer \"c9\" (did you mean \"c0\"?)");
  EXPECT_ERROR(r, "/faults/17/target", "expected \"consumer:<name>\"");
  EXPECT_ERROR(r, "/faults/17", "missing required field \"factor\"");
  EXPECT_ERROR(r, "/faults/18/at", "at 61s is not before the end of the run (duration 60s)");
  EXPECT_ERROR(r, "/faults/18/duration", "must be greater than 0s");
  EXPECT_ERROR(r, "/faults/19", "missing required field \"at\"");
  EXPECT_EQ(r.errors.size(), 25u) << dump(r);
}

TEST(ScenarioErrors, ConsumerGroupFaults) {
  LoadResult r = parse_with(R"("duration": "60s",
    "producers": [{"name": "p0"}], "consumers": [{"name": "c0", "config": {"group.id": "billing"}}],
    "faults": [
      {"at": "1s", "kind": "consumer_crash", "target": "consumer:c0", "duration": "5s"},
      {"at": "1s", "kind": "consumer_leave", "target": "consumer:c0"},
      {"at": "1s", "kind": "rolling_restart", "target": "group:billing", "duration": "2s", "interval": "3s"},
      {"at": "1s", "kind": "consumer_crash", "target": "c0"},
      {"at": "1s", "kind": "rolling_restart", "target": "group:biling", "duration": "2s"},
      {"at": "1s", "kind": "rolling_restart", "target": "billing", "duration": "2s"},
      {"at": "1s", "kind": "rolling_restart", "target": "group:billing"},
      {"at": "1s", "kind": "consumer_leave", "target": "consumer:c0", "interval": "1s"}])");
  EXPECT_ERROR(r, "/faults/3/target", "expected \"consumer:<name>\"");
  EXPECT_ERROR(r, "/faults/4/target", "no consumer has group.id \"biling\" (did you mean \"billing\"?)");
  EXPECT_ERROR(r, "/faults/5/target", "expected \"group:<group.id>\"");
  EXPECT_ERROR(r, "/faults/6", "missing required field \"duration\"");
  EXPECT_ERROR(r, "/faults/7/interval", "");
  EXPECT_EQ(r.errors.size(), 5u) << dump(r);

  LoadResult ok = parse_with(R"("duration": "60s",
    "producers": [{"name": "p0"}], "consumers": [{"name": "c0", "config": {"group.id": "billing"}}],
    "faults": [
      {"at": "1s", "kind": "consumer_crash", "target": "consumer:c0", "duration": "5s"},
      {"at": "1s", "kind": "consumer_leave", "target": "consumer:c0"},
      {"at": "1s", "kind": "rolling_restart", "target": "group:billing", "duration": "2s", "interval": "3s"}])");
  ASSERT_TRUE(ok.ok()) << dump(ok);
  const auto& faults = ok.scenario->faults;
  EXPECT_EQ(faults[0].kind, FaultSpec::Kind::consumer_crash);
  EXPECT_EQ(faults[1].kind, FaultSpec::Kind::consumer_leave);
  EXPECT_EQ(faults[2].kind, FaultSpec::Kind::rolling_restart);
  EXPECT_EQ(faults[2].target, "group:billing");
  EXPECT_DOUBLE_EQ(faults[2].interval_s, 3.0);
  EXPECT_DOUBLE_EQ(faults[2].duration_s.value_or(0), 2.0);
}

TEST(ScenarioErrors, ZooKeeperModeHosts) {
  LoadResult r = parse(R"({"cluster": {"control_plane": {"mode": "zookeeper", "nodes": 1}},
    "topics": [{"name": "t"}],
    "faults": [{"at": "1s", "kind": "crash", "target": "controller-0"},
               {"at": "1s", "kind": "crash", "target": "zookeeper-1"},
               {"at": "1s", "kind": "partition", "groups": [["zookeeper-0"], ["broker-0", "broker-1"]]}]})");
  EXPECT_ERROR(r, "/faults/0/target", "in zookeeper mode the controller is a broker");
  EXPECT_ERROR(r, "/faults/1/target", "the ZooKeeper nodes are zookeeper-0 to zookeeper-0");
  EXPECT_EQ(r.errors.size(), 2u) << dump(r);
}

TEST(ScenarioErrors, DiagnosticsAreDeterministic) {
  LoadResult a = load_scenario_file(data("five_errors.json"));
  LoadResult b = load_scenario_file(data("five_errors.json"));
  ASSERT_EQ(a.errors.size(), b.errors.size());
  for (size_t i = 0; i < a.errors.size(); ++i) EXPECT_EQ(format_diagnostic(a.errors[i]), format_diagnostic(b.errors[i]));
}

// ---- Kafka config rules ----

TEST(ScenarioConfigRules, AcksAndPropertiesStyleValues) {
  LoadResult r = parse_with(R"("producers": [
    {"config": {"acks": -1, "linger.ms": "10", "enable.idempotence": "true", "batch.size": 32768}},
    {"config": {"acks": "0"}}],
    "consumers": [{"config": {"group.id": "g", "enable.auto.commit": "false", "max.poll.records": "10",
      "partition.assignment.strategy": "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"}}])");
  ASSERT_LOADS(r);
  const auto& p0 = r.scenario->producers[0].config;
  EXPECT_EQ(p0.get_string("acks"), "all");
  EXPECT_EQ(p0.get_int("linger.ms"), 10);
  EXPECT_TRUE(p0.get_bool("enable.idempotence"));
  EXPECT_EQ(r.scenario->producers[1].config.get_string("acks"), "0");
  const auto& c0 = r.scenario->consumers[0].config;
  EXPECT_FALSE(c0.get_bool("enable.auto.commit"));
  EXPECT_EQ(c0.get_int("max.poll.records"), 10);
  EXPECT_EQ(c0.get_list("partition.assignment.strategy"), (std::vector<std::string>{"cooperative-sticky"}));
  EXPECT_ERROR(parse_with(R"("producers": [{"config": {"acks": 2}}])"), "/producers/0/config/acks",
               "expected one of \"all\", \"0\", \"1\", \"-1\", got 2");
  EXPECT_ERROR(parse_with(R"("consumers": [{"config": {"max.poll.records": 0}}])"),
               "/consumers/0/config/max.poll.records", "must be between 1 and 2147483647, got 0");
}

TEST(ScenarioConfigRules, IdempotenceTurnedOffWithWarningWhenNotExplicit) {
  LoadResult r = parse_with(R"("producers": [{"config": {"acks": 1}}, {"config": {"retries": 0,
    "max.in.flight.requests.per.connection": 10}}])");
  ASSERT_LOADS(r);
  EXPECT_FALSE(r.scenario->producers[0].config.get_bool("enable.idempotence"));
  EXPECT_FALSE(r.scenario->producers[1].config.get_bool("enable.idempotence"));
  EXPECT_WARNING(r, "/producers/0/config/acks", "enable.idempotence turned off because acks=1");
  EXPECT_WARNING(r, "/producers/1/config/max.in.flight.requests.per.connection",
                 "because max.in.flight.requests.per.connection=10 and retries=0");
  EXPECT_EQ(r.warnings.size(), 2u) << dump(r);
}

TEST(ScenarioConfigRules, IdempotenceConflictIsAnErrorWhenExplicit) {
  LoadResult r = parse_with(R"("producers": [{"config": {"enable.idempotence": true, "acks": "1",
    "max.in.flight.requests.per.connection": 6, "retries": 0}}])");
  EXPECT_ERROR(r, "/producers/0/config/acks",
               "acks=1 conflicts with enable.idempotence=true: the idempotent producer needs acks=all");
  EXPECT_ERROR(r, "/producers/0/config/max.in.flight.requests.per.connection", "needs max.in.flight");
  EXPECT_ERROR(r, "/producers/0/config/retries", "needs retries > 0");
  EXPECT_EQ(r.errors.size(), 3u) << dump(r);
  LoadResult off = parse_with(R"("producers": [{"config": {"enable.idempotence": false, "acks": "1"}}])");
  ASSERT_LOADS(off);
  EXPECT_TRUE(off.warnings.empty()) << dump(off);
}

TEST(ScenarioConfigRules, TransactionsNeedIdempotence) {
  LoadResult r = parse_with(R"("producers": [{"config": {"transactional.id": "t", "acks": "1"}},
    {"config": {"transactional.id": "t", "enable.idempotence": false}},
    {"config": {"transactional.id": "t"}}])");
  EXPECT_ERROR(r, "/producers/0/config/transactional.id",
               "transactional.id needs enable.idempotence=true (it was turned off because acks=1)");
  EXPECT_ERROR(r, "/producers/1/config/transactional.id", "transactional.id needs enable.idempotence=true");
  EXPECT_EQ(r.errors.size(), 5u) << dump(r);  // and each is refused as not modelled (next test)
}

TEST(ScenarioConfigRules, TransactionsAreRefusedUntilModelled) {
  LoadResult r = parse_with(R"("producers": [{"config": {"transactional.id": "t"}},
                                             {"config": {"transactional.id": ""}}],
    "consumers": [{"config": {"isolation.level": "read_committed"}}])");
  EXPECT_ERROR(r, "/producers/0/config/transactional.id", "transactions are not modelled yet");
  EXPECT_EQ(r.errors.size(), 1u) << dump(r);  // an empty id and read_committed (LSO = HW without them) are fine
}

TEST(ScenarioConfigRules, DeliveryTimeout) {
  LoadResult r = parse_with(R"("producers": [{"config": {"delivery.timeout.ms": 1000, "linger.ms": 100}},
    {"config": {"linger.ms": 100000}}])");
  EXPECT_ERROR(r, "/producers/0/config/delivery.timeout.ms",
               "delivery.timeout.ms 1000 must be at least linger.ms + request.timeout.ms = 30100");
  EXPECT_WARNING(r, "/producers/1/config/linger.ms", "delivery.timeout.ms raised to linger.ms + request.timeout.ms = 130000");
  EXPECT_EQ(r.errors.size(), 1u) << dump(r);
}

TEST(ScenarioConfigRules, ConsumerGroupRules) {
  LoadResult r = parse_with(R"("consumers": [
    {"commit": "sync_after_processing"},
    {"config": {"enable.auto.commit": true}},
    {"config": {"group.instance.id": "i"}},
    {"config": {"group.id": "g", "heartbeat.interval.ms": 5000, "session.timeout.ms": 5000}},
    {"config": {"group.id": "g", "session.timeout.ms": 2000000}},
    {"commit": "none"}])");
  EXPECT_ERROR(r, "/consumers/0/commit",
               "commit \"sync_after_processing\" needs a group.id: Kafka rejects offset commits without a group");
  EXPECT_ERROR(r, "/consumers/1/config/enable.auto.commit", "enable.auto.commit=true needs a group.id");
  EXPECT_ERROR(r, "/consumers/2/config/group.instance.id", "group.instance.id needs a group.id");
  EXPECT_ERROR(r, "/consumers/3/config/heartbeat.interval.ms",
               "heartbeat.interval.ms (5000) must be lower than session.timeout.ms (5000)");
  EXPECT_ERROR(r, "/consumers/3/config/session.timeout.ms",
               "session.timeout.ms 5000 is below the brokers' group.min.session.timeout.ms (6000)");
  EXPECT_ERROR(r, "/consumers/4/config/session.timeout.ms", "is above the brokers' group.max.session.timeout.ms");
  EXPECT_EQ(r.errors.size(), 6u) << dump(r);

  LoadResult zk = parse(R"({"cluster": {"control_plane": {"mode": "zookeeper"}}, "topics": [{"name": "t"}],
    "consumers": [{"config": {"group.id": "g", "group.protocol": "consumer"}}]})");
  EXPECT_ERROR(zk, "/consumers/0/config/group.protocol", "needs KRaft");
}

TEST(ScenarioConfigRules, CommitModesAndAutoCommit) {
  LoadResult r = parse_with(R"("consumers": [
    {"name": "a", "commit": "before_processing", "config": {"group.id": "g"}},
    {"name": "b", "commit": "async_after_processing", "config": {"group.id": "g", "enable.auto.commit": true}},
    {"name": "c", "config": {"group.id": "g", "enable.auto.commit": false}},
    {"name": "d", "config": {"group.id": "h", "partition.assignment.strategy": "roundrobin"}},
    {"name": "e", "config": {"group.id": "h", "partition.assignment.strategy": ["range", "sticky"]}}])");
  ASSERT_LOADS(r);
  EXPECT_EQ(r.scenario->consumers[0].commit, ConsumerSpec::Commit::before_processing);
  EXPECT_FALSE(r.scenario->consumers[0].config.get_bool("enable.auto.commit"));
  EXPECT_TRUE(r.scenario->consumers[1].config.get_bool("enable.auto.commit"));
  EXPECT_WARNING(r, "/consumers/1/config/enable.auto.commit", "also committed in the background");
  EXPECT_WARNING(r, "/consumers/2/config/enable.auto.commit", "never commits offsets");
  EXPECT_WARNING(r, "/consumers/4/config", "INCONSISTENT_GROUP_PROTOCOL");
  EXPECT_EQ(r.warnings.size(), 3u) << dump(r);
}

TEST(ScenarioConfigRules, BrokerRulesAndWarnings) {
  LoadResult r = parse(R"({"cluster": {"brokers": 2, "config": {"replica.fetch.wait.max.ms": 40000,
      "inter.broker.protocol.version": "0.10.2", "min.insync.replicas": 3}},
    "topics": [{"name": "t", "replication_factor": 2}, {"name": "u", "replication_factor": 2,
      "config": {"min.insync.replicas": 4}}]})");
  EXPECT_ERROR(r, "/cluster/config/replica.fetch.wait.max.ms",
               "replica.fetch.wait.max.ms (40000) must not exceed replica.socket.timeout.ms (30000)");
  EXPECT_ERROR(r, "/cluster/config/replica.fetch.wait.max.ms",
               "must not exceed replica.lag.time.max.ms (30000)");
  EXPECT_EQ(r.errors.size(), 2u) << dump(r);
  EXPECT_WARNING(r, "/cluster/config/inter.broker.protocol.version", "KRaft needs Kafka 3.0 or later");
  EXPECT_WARNING(r, "/cluster/config/min.insync.replicas",
                 "min.insync.replicas 3 exceeds the replication factor 2 of topic \"t\"");
  EXPECT_WARNING(r, "/topics/1/config/min.insync.replicas",
                 "min.insync.replicas 4 exceeds the replication factor 2 of topic \"u\"");
  EXPECT_EQ(r.warnings.size(), 3u) << dump(r);

  LoadResult internal = parse(R"({"cluster": {"brokers": 1}, "topics": [{"name": "t"}],
    "producers": [{"config": {"transactional.id": "x"}}], "consumers": [{"config": {"group.id": "g"}}]})");
  EXPECT_WARNING(internal, "/cluster/config",
                 "offsets.topic.replication.factor 3 exceeds the 1 broker: real Kafka cannot create "
                 "__consumer_offsets, so consumer groups would not work (set it to 1)");
  EXPECT_WARNING(internal, "/cluster/config", "transaction.state.log.replication.factor 3 exceeds the 1 broker");
  EXPECT_EQ(internal.warnings.size(), 2u) << dump(internal);
  LoadResult unused = parse(R"({"cluster": {"brokers": 1}, "topics": [{"name": "t"}], "producers": [{}]})");
  EXPECT_TRUE(unused.warnings.empty()) << dump(unused);
  EXPECT_ERROR(parse(R"({"cluster": {"config": {"inter.broker.protocol.version": "latest"}}, "topics": [{}]})"),
               "/cluster/config/inter.broker.protocol.version", "expected a Kafka version like \"3.7\"");
}

// ---- overrides ----

const char* const kOverrideBase = R"({"duration": "30s", "topics": [{"name": "orders", "partitions": 3}],
  "producers": [{"name": "p0", "config": {"linger.ms": 5}}, {"name": "p1"}]})";

TEST(ScenarioOverrides, SetValuesAsJsonOrString) {
  LoadResult r = parse(kOverrideBase, {"producers/0/config/acks=1", "/producers/0/config/linger.ms=20",
                                       "duration=10s", "topics/0/partitions=6", "producers/1/name=\"writer\"",
                                       "seed=7"});
  ASSERT_LOADS(r);
  EXPECT_EQ(r.scenario->producers[0].config.get_string("acks"), "1");
  EXPECT_EQ(r.scenario->producers[0].config.get_int("linger.ms"), 20);
  EXPECT_EQ(r.scenario->duration_s, 10.0);
  EXPECT_EQ(r.scenario->topics[0].partitions, 6);
  EXPECT_EQ(r.scenario->producers[1].name, "writer");
  EXPECT_EQ(r.scenario->seed, 7u);
  LoadResult all = parse(kOverrideBase, {"producers/0/config/acks=all"});
  ASSERT_LOADS(all);
  EXPECT_EQ(all.scenario->producers[0].config.get_string("acks"), "all");
}

TEST(ScenarioOverrides, AppendAndReplaceArrayElements) {
  LoadResult r = parse(kOverrideBase, {R"(topics/-={"name": "audit"})", R"(producers/-={"topic": "audit"})", "producers/1/topic=orders",
                                       R"(producers/0={"name": "only", "topic": "orders"})", "faults=[]"});
  ASSERT_LOADS(r);
  ASSERT_EQ(r.scenario->topics.size(), 2u);
  EXPECT_EQ(r.scenario->topics[1].name, "audit");
  ASSERT_EQ(r.scenario->producers.size(), 3u);
  EXPECT_EQ(r.scenario->producers[2].topic, 1);
  EXPECT_EQ(r.scenario->producers[0].name, "only");
  EXPECT_EQ(r.scenario->producers[0].config.get_int("linger.ms"), 0);
}

TEST(ScenarioOverrides, BadPathsNameTheOverride) {
  LoadResult r = parse(kOverrideBase, {"producers/5/rate=5", "producers/1/settings/acks=1", "nosuch/x=1",
                                       "duration/x=1", "noequals", "=5", "topics/7=1"});
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.scenario);
  ASSERT_EQ(r.errors.size(), 7u) << dump(r);
  EXPECT_EQ(format_diagnostic(r.errors[0]),
            "--set producers/5/rate=5: /producers/5: no such element: the array has 2 elements");
  EXPECT_EQ(r.errors[1].file, "--set producers/1/settings/acks=1");
  EXPECT_EQ(r.errors[1].pointer, "/producers/1/settings");
  EXPECT_NE(r.errors[1].message.find("producers/1/settings={\"acks\": ...}"), std::string::npos) << dump(r);
  EXPECT_EQ(r.errors[2].pointer, "/nosuch");
  EXPECT_EQ(r.errors[3].pointer, "/duration");
  EXPECT_NE(r.errors[3].message.find("is a string, not an object or array"), std::string::npos);
  EXPECT_EQ(r.errors[4].file, "--set noequals");
  EXPECT_NE(r.errors[4].message.find("expected PATH=VALUE"), std::string::npos);
  EXPECT_NE(r.errors[5].message.find("the path is empty"), std::string::npos);
  EXPECT_NE(r.errors[6].message.find("use \"-\" to append"), std::string::npos);
}

// Setting one field of an object the format defines, when the file has no such object, means what the file
// saying only that field would mean: the ZooKeeper ensemble gets its defaults.
TEST(ScenarioOverrides, SettingTheModeAloneCreatesTheControlPlane) {
  LoadResult set = parse(kOverrideBase, {"cluster/control_plane/mode=zookeeper", "faults=[{\"at\": \"1s\", "
                                         "\"kind\": \"crash\", \"target\": \"zookeeper-2\"}]"});
  ASSERT_LOADS(set);
  EXPECT_EQ(set.scenario->cluster.control_plane.mode, ControllerMode::zookeeper);
  EXPECT_EQ(set.scenario->cluster.control_plane.nodes, 3);
  LoadResult file = parse(R"({"duration": "30s", "topics": [{"name": "orders", "partitions": 3}],
    "producers": [{"name": "p0", "config": {"linger.ms": 5}}, {"name": "p1"}],
    "cluster": {"control_plane": {"mode": "zookeeper"}},
    "faults": [{"at": "1s", "kind": "crash", "target": "zookeeper-2"}]})");
  ASSERT_LOADS(file);
  EXPECT_EQ(to_resolved_json(*set.scenario), to_resolved_json(*file.scenario));
  // An existing object keeps its other fields.
  LoadResult five = parse(R"({"topics": [{"name": "t"}], "cluster": {"control_plane": {"mode": "kraft", "nodes": 5}}})",
                          {"cluster/control_plane/mode=zookeeper"});
  ASSERT_LOADS(five);
  EXPECT_EQ(five.scenario->cluster.control_plane.mode, ControllerMode::zookeeper);
  EXPECT_EQ(five.scenario->cluster.control_plane.nodes, 5);
  // Config maps are objects of the format too.
  LoadResult acks = parse(kOverrideBase, {"producers/1/config/acks=1"});
  ASSERT_LOADS(acks);
  EXPECT_EQ(acks.scenario->producers[1].config.get_string("acks"), "1");
}

TEST(ScenarioOverrides, OnlyObjectsOfTheFormatAreCreated) {
  LoadResult r = parse(kOverrideBase, {"cluster/brokers/x=1", "cluster/control_plane/mode/x=1", "topics/-/name=a"});
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  EXPECT_EQ(r.errors[0].pointer, "/cluster/brokers");
  EXPECT_EQ(r.errors[1].pointer, "/cluster/control_plane/mode");
  EXPECT_EQ(r.errors[2].pointer, "/topics/-");
  // A failed override leaves the document as it was.
  nlohmann::json doc = {{"topics", nlohmann::json::array()}};
  EXPECT_EQ(apply_overrides(doc, {"cluster/brokers/x=1"}).size(), 1u);
  EXPECT_EQ(doc, nlohmann::json({{"topics", nlohmann::json::array()}}));
}

TEST(ScenarioOverrides, ValidationErrorsOfOverriddenValuesNameTheOverride) {
  LoadResult r = parse(kOverrideBase, {"producers/0/config/acks=2", "topics/0/partitons=3", "duration=soon"});
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  const Diagnostic* acks = find(r.errors, "/producers/0/config/acks", "expected one of");
  ASSERT_NE(acks, nullptr) << dump(r);
  EXPECT_EQ(acks->file, "--set producers/0/config/acks=2");
  const Diagnostic* typo = find(r.errors, "/topics/0/partitons", "(did you mean \"partitions\"?)");
  ASSERT_NE(typo, nullptr) << dump(r);
  EXPECT_EQ(typo->file, "--set topics/0/partitons=3");
  const Diagnostic* duration = find(r.errors, "/duration", "expected a duration");
  ASSERT_NE(duration, nullptr) << dump(r);
  EXPECT_EQ(duration->file, "--set duration=soon");
}

TEST(ScenarioOverrides, ApplyOverridesOnADocument) {
  nlohmann::json doc = {{"a", {{"b/c", 1}, {"list", {1, 2}}}}};
  auto errors = apply_overrides(doc, {"a/b~1c=2", "a/list/-=3", "a/list/0=\"x\"", "a/new={\"k\": true}"});
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(doc["a"]["b/c"], 2);
  EXPECT_EQ(doc["a"]["list"], nlohmann::json({"x", 2, 3}));
  EXPECT_EQ(doc["a"]["new"]["k"], true);
}

}  // namespace
}  // namespace kafkasim
