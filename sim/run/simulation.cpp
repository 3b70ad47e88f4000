#include "run/simulation.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <memory>
#include <sstream>
#include <vector>

#include "broker/broker.h"
#include "check/delivery_checker.h"
#include "check/record_ledger.h"
#include "client/consumer.h"
#include "client/producer.h"
#include "cluster/cluster_metadata.h"
#include "core/check.h"
#include "metrics/event_log.h"
#include "metrics/failover_report.h"
#include "metrics/metrics_recorder.h"
#include "metrics/partition_ownership.h"
#include "metrics/results_writer.h"
#include "controller/broker_heartbeater.h"
#include "controller/control_plane_wiring.h"
#include "controller/kraft_controller.h"
#include "controller/zk_controller.h"
#include "controller/zookeeper_server.h"
#include "faults/fault_injector.h"
#include "platform/runtime.h"
#include "run/snapshot_builder.h"

namespace kafkasim {
namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Progress on stderr, driven by simulated ticks; wall time only decides whether to show it.
class ProgressBar {
 public:
  ProgressBar(bool enabled, SimTime end) : enabled_(enabled), end_(end), started_(std::chrono::steady_clock::now()) {}
  void update(SimTime now) {
    if (!enabled_) return;
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (wall < 1.0 && now < end_) return;
    if (!shown_ && now >= end_) return;  // finished quickly: no bar at all
    shown_ = true;
    int width = 30;
    int filled = static_cast<int>(width * now / end_);
    std::fprintf(stderr, "\r[%s%s] %5.1f%%  %.1f / %.1f s simulated  %.1f s wall", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), 100.0 * now / end_, now, end_, wall);
    if (now >= end_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  SimTime end_;
  std::chrono::steady_clock::time_point started_;
  bool shown_ = false;
};

// The fault injector's hands, over the runtime and the client nodes.
class RuntimeActuator : public FaultActuator {
 public:
  RuntimeActuator(Runtime& runtime, std::map<std::string, std::pair<NodeId, Consumer*>> consumers)
      : runtime_(runtime), consumers_(std::move(consumers)) {}
  bool host_exists(const std::string& host) const override { return runtime_.host_exists(host); }
  std::string host_of_node(int32_t node) const override { return runtime_.host_of_node(NodeId{node}); }
  void crash(const std::string& host, bool power_loss) override { runtime_.crash_host(host, power_loss); }
  void restart(const std::string& host) override { runtime_.restart_host(host); }
  NetworkConditions& network() override { return runtime_.network(); }
  void apply_bandwidth(const std::string& host) override { runtime_.apply_bandwidth(host); }
  void set_disk_factor(const std::string& host, double factor) override { runtime_.set_disk_factor(host, factor); }
  void pause_consumer(const std::string& consumer, SimTime until) override {
    auto it = consumers_.find(consumer);
    if (it == consumers_.end()) return;
    it->second.second->pause_until(until);
    runtime_.poke(it->second.first);
  }
  void slow_consumer(const std::string& consumer, double factor) override {
    auto it = consumers_.find(consumer);
    if (it != consumers_.end()) it->second.second->set_processing_factor(factor);
  }
  void stop_consumer(const std::string& consumer, const std::string& reason) override {
    auto it = consumers_.find(consumer);
    if (it == consumers_.end()) return;
    it->second.second->request_close(reason);
    runtime_.poke(it->second.first);
  }
  void start_consumer(const std::string& consumer) override {
    auto it = consumers_.find(consumer);
    if (it == consumers_.end()) return;
    it->second.second->request_start();
    runtime_.poke(it->second.first);
  }

 private:
  Runtime& runtime_;
  std::map<std::string, std::pair<NodeId, Consumer*>> consumers_;
};

}  // namespace

nlohmann::ordered_json run_simulation(const Scenario& scenario, const nlohmann::json& resolved_scenario,
                                      const RunOptions& options, int* argc, char** argv) {
  BugContext::seed = scenario.seed;
  ResultsWriter writer(options.out_dir);
  std::ofstream events_file = writer.open("events.jsonl");
  std::ofstream metrics_file = writer.open("metrics.csv");
  EventLog events(&events_file);
  FailoverReport failover;
  events.add_observer([&failover](const nlohmann::ordered_json& event) { failover.on_event(event); });
  RecordLedger ledger;

  Runtime runtime(argc, argv, scenario.seed);
  // Node ids in order of creation: brokers (broker id == node id), each broker's control-plane agent on
  // the broker's host, the quorum (KRaft controllers or ZooKeeper servers), then clients.
  const int32_t broker_count = scenario.cluster.brokers;
  const int32_t quorum_size = scenario.cluster.control_plane.nodes;
  ControlPlaneWiring wiring;
  for (int32_t b = 0; b < broker_count; ++b) {
    wiring.brokers.push_back(NodeId{b});
    wiring.agents.push_back(NodeId{broker_count + b});
  }
  for (int32_t q = 0; q < quorum_size; ++q) wiring.quorum.push_back(NodeId{2 * broker_count + q});
  const bool kraft = scenario.cluster.control_plane.mode == ControllerMode::kraft;
  ClusterMetadata metadata(scenario, wiring.brokers);
  // The cluster starts warm, with a controller already active: KRaft controller 0, or broker 0 in
  // ZooKeeper mode.
  metadata.active_controller = kraft ? wiring.quorum.front().value : wiring.agents.front().value;

  std::vector<std::unique_ptr<Broker>> brokers;
  std::vector<std::unique_ptr<Producer>> producers;
  std::vector<std::unique_ptr<Consumer>> consumers;
  auto group_records = std::make_shared<GroupRecordStore>();
  auto group_totals = std::make_shared<GroupTotalsMap>();
  for (int32_t b = 0; b < scenario.cluster.brokers; ++b) {
    brokers.push_back(std::make_unique<Broker>(b, scenario, metadata));
    brokers.back()->set_group_record_store(group_records);
    brokers.back()->share_group_totals(group_totals);
    brokers.back()->set_truncation_observer([&ledger, &metadata](int32_t broker, TopicPartition tp,
                                                                 const std::vector<RecordBatch>& dropped, SimTime when,
                                                                 const char* reason) {
      if (metadata.is_internal(tp.topic)) return;  // __consumer_offsets holds no workload records
      ledger.on_truncated(broker, tp, dropped, when, reason);
    });
    NodeId id = runtime.add_node({.name = "broker-" + std::to_string(b),
                                  .node = brokers.back().get(),
                                  .has_disk = true,
                                  .disk_bandwidth_Bps = scenario.cluster.disk.write_bandwidth_Bps,
                                  .dirty_limit_bytes = scenario.cluster.disk.dirty_limit_bytes});
    KSIM_ASSERT(id == wiring.brokers[static_cast<size_t>(b)], "broker node ids follow broker ids");
  }
  std::vector<std::unique_ptr<Node>> control_plane;
  for (int32_t b = 0; b < broker_count; ++b) {
    if (kraft)
      control_plane.push_back(std::make_unique<BrokerHeartbeater>(b, wiring, scenario));
    else
      control_plane.push_back(std::make_unique<ZkController>(b, wiring, metadata, scenario));
    NodeId id = runtime.add_node({.name = "broker-" + std::to_string(b) + (kraft ? ":heartbeat" : ":zk-controller"),
                                  .node = control_plane.back().get(),
                                  .host_of = b});
    KSIM_ASSERT(id == wiring.agents[static_cast<size_t>(b)], "agent node ids follow broker ids");
  }
  for (int32_t q = 0; q < quorum_size; ++q) {
    if (kraft)
      control_plane.push_back(std::make_unique<KraftController>(q, wiring, metadata, scenario));
    else
      control_plane.push_back(std::make_unique<ZooKeeperServer>(q, wiring, scenario));
    NodeId id = runtime.add_node({(kraft ? "controller-" : "zookeeper-") + std::to_string(q),
                                  control_plane.back().get(), false, 0});
    KSIM_ASSERT(id == wiring.quorum[static_cast<size_t>(q)], "quorum node ids follow their indexes");
  }
  // Consumers register as readers before producers create records, so create times are kept for them.
  for (size_t i = 0; i < scenario.consumers.size(); ++i)
    consumers.push_back(std::make_unique<Consumer>(static_cast<int32_t>(i), scenario.consumers[i], metadata, ledger,
                                                   scenario.seed));
  for (size_t i = 0; i < scenario.producers.size(); ++i) {
    producers.push_back(std::make_unique<Producer>(static_cast<int32_t>(i), scenario.producers[i], metadata, ledger,
                                                   scenario.duration_s, scenario.seed));
    runtime.add_node({scenario.producers[i].name, producers.back().get(), false, 0});
  }
  PartitionOwnership ownership;
  for (auto& c : consumers) {
    if (!c->group_membership()) continue;
    std::vector<TopicPartition> tps;
    for (int32_t t : c->topics())
      for (int32_t p = 0; p < metadata.partition_count(t); ++p) tps.push_back({t, p});
    ownership.register_group(c->ledger_group(), tps);
    c->set_ownership_tracker(&ownership);
  }
  std::map<std::string, std::pair<NodeId, Consumer*>> consumer_nodes;
  for (auto& c : consumers) consumer_nodes[c->name()] = {runtime.add_node({c->name(), c.get(), false, 0}), c.get()};
  runtime.build(scenario.cluster.network, events);
  RuntimeActuator actuator(runtime, consumer_nodes);
  FaultInjector injector(scenario, metadata, actuator, events);

  std::vector<const Broker*> broker_views;
  for (auto& b : brokers) broker_views.push_back(b.get());
  std::vector<const Consumer*> consumer_views;
  for (auto& c : consumers) consumer_views.push_back(c.get());
  MetricsRecorder metrics(metrics_file, metadata, broker_views, consumer_views, ledger);

  events.emit(0, "run_started", {{"scenario", scenario.name}, {"seed", scenario.seed},
                                 {"duration_s", scenario.duration_s}, {"brokers", scenario.cluster.brokers}});
  for (int32_t t = 0; t < metadata.topic_count(); ++t) {
    nlohmann::ordered_json parts = nlohmann::ordered_json::array();
    for (int32_t p = 0; p < metadata.partition_count(t); ++p) {
      const PartitionState& st = metadata.partition({t, p});
      parts.push_back({{"partition", p}, {"replicas", st.replicas}, {"leader", st.leader}});
    }
    events.emit(0, "topic_created", {{"topic", metadata.topic_name(t)}, {"partitions", parts}});
  }
  const SimTime interval = scenario.metrics.interval_s;
  // The run: the scenario's duration, then the settle phase (faults healed, producers done) if any.
  const SimTime end = scenario.duration_s + scenario.settle_s;
  std::vector<TimelineAction> actions;
  for (auto& f : injector.timeline())
    if (f.at < scenario.duration_s || scenario.settle_s <= 0) actions.push_back({f.at, std::move(f.run)});
  if (scenario.settle_s > 0)
    actions.push_back({scenario.duration_s, [&](SimTime now) {
                         injector.heal_all(now);
                         events.emit(now, "settle_started", {{"until", end}});
                       }});
  // Metrics every interval and at the end; progress at least every 1% of the run.
  for (int64_t k = 1; static_cast<double>(k) * interval < end - 1e-9; ++k)
    actions.push_back({static_cast<double>(k) * interval, [&](SimTime now) { metrics.sample(now); }});
  actions.push_back({end, [&](SimTime now) { metrics.sample(now); }});
  ProgressBar progress(options.show_progress, end);
  for (int k = 1; k <= 100; ++k) actions.push_back({end * k / 100.0, [&](SimTime now) { progress.update(now); }});
  if (options.stop_at) {
    // Replay for `describe`: the same timeline, cut at the asked time; no results are written.
    const SimTime at = std::min(*options.stop_at, end);
    runtime.run(at, std::move(actions));
    events_file.flush();
    ClusterSnapshot snapshot = build_snapshot(at, {scenario, metadata, brokers, consumers});
    snapshot.events_file = writer.staging() / "events.jsonl";
    if (options.on_snapshot) options.on_snapshot(snapshot);
    return {};
  }
  runtime.run(end, std::move(actions));
  for (auto& p : producers) p->finalize(scenario.duration_s);
  events.emit(end, "run_finished", {});

  // The checker reads each partition's leader log as it stands at the end.
  std::map<TopicPartition, std::vector<RecordBatch>> final_logs;
  std::map<TopicPartition, Offset> high_watermarks;
  for (TopicPartition tp : metadata.all_partitions()) {
    // What a consumer reading from the start would get now: the current leader's log below its high
    // watermark; nothing while the partition is offline or its leader down.
    // Batches above the high watermark are kept apart: acknowledged (acks=1) but not yet committed.
    std::vector<RecordBatch> readable;
    int32_t leader = metadata.partition(tp).leader;
    high_watermarks[tp] = 0;
    if (leader >= 0 && brokers[static_cast<size_t>(leader)]->up()) {
      const Replica& r = brokers[static_cast<size_t>(leader)]->replicas().at(tp);
      readable.assign(r.log.batches().begin(), r.log.batches().end());
      high_watermarks[tp] = r.high_watermark;
    }
    final_logs[tp] = std::move(readable);
  }
  std::map<int32_t, std::vector<std::string>> readers;
  for (const auto& c : consumers)
    for (int32_t t : scenario.consumers[static_cast<size_t>(&c - &consumers[0])].topics) {
      auto& groups = readers[t];
      if (std::find(groups.begin(), groups.end(), c->ledger_group()) == groups.end()) groups.push_back(c->ledger_group());
    }
  std::map<TopicPartition, std::map<int32_t, std::vector<RecordBatch>>> replica_logs;
  for (const auto& b : brokers)
    for (const auto& [tp, r] : b->replicas())
      if (!metadata.is_internal(tp.topic)) replica_logs[tp][b->id()] = std::vector<RecordBatch>(r.log.batches().begin(), r.log.batches().end());
  std::vector<Anomaly> anomalies;
  DeliveryReport report = DeliveryChecker(ledger).check(final_logs, high_watermarks, readers, replica_logs, &anomalies);
  {
    std::ofstream out = writer.open("anomalies.jsonl");
    for (const Anomaly& a : anomalies) {
      nlohmann::ordered_json line{{"kind", a.kind}};
      if (a.producer >= 0) line["producer"] = scenario.producers[static_cast<size_t>(a.producer)].name;
      line["topic"] = metadata.topic_name(a.tp.topic);
      line["partition"] = a.tp.partition;
      if (a.kind == "divergent") {
        line["offset"] = a.first_sequence;
      } else {
        line["first_sequence"] = a.first_sequence;
        line["records"] = a.count;
      }
      line["history"] = a.history;
      out << line.dump() << "\n";
    }
    out.close();
    if (!out) throw std::runtime_error("cannot write anomalies.jsonl");
  }
  const LedgerTotals& totals = ledger.totals();
  const LatencyHistogram& latency = ledger.end_to_end_latency();
  int64_t log_bytes = 0;
  for (const auto& [tp, batches] : final_logs)
    for (const auto& b : batches)
      if (b.next_offset() <= high_watermarks[tp]) log_bytes += b.bytes;

  nlohmann::ordered_json summary;
  summary["kafkasim_version"] = KAFKASIM_VERSION;
  summary["scenario"] = scenario.name;
  summary["seed"] = scenario.seed;
  summary["duration_s"] = scenario.duration_s;
  summary["settle_s"] = scenario.settle_s;
  summary["network_model"] = Runtime::network_model_description();
  summary["records"] = {
      {"produced", totals.produced},
      {"acknowledged", totals.acknowledged},
      {"failed", totals.failed},
      {"unresolved", totals.produced - totals.acknowledged - totals.failed},
      {"in_log", report.in_log},
      {"consumed", totals.delivered},
      {"delivered_twice", totals.delivered_again},
      {"duplicated", report.duplicated_in_log},
      {"lost", report.lost},
      {"above_high_watermark", report.above_high_watermark},
      {"reordered", report.reordered},
      {"present_unacknowledged", report.present_unacknowledged},
      {"unseen", report.unseen},
      {"divergent_offsets", report.divergent_offsets},
  };
  summary["latency_ms"] = {{"count", latency.count()},
                           {"p50", round3(to_ms(latency.quantile(0.5)))},
                           {"p99", round3(to_ms(latency.quantile(0.99)))},
                           {"p999", round3(to_ms(latency.quantile(0.999)))},
                           {"max", round3(to_ms(latency.max()))},
                           {"mean", round3(to_ms(latency.mean()))}};
  summary["throughput"] = {
      {"produced_records_per_s", round3(static_cast<double>(totals.produced) / scenario.duration_s)},
      {"acknowledged_records_per_s", round3(static_cast<double>(totals.acknowledged) / scenario.duration_s)},
      {"consumed_records_per_s", round3(static_cast<double>(totals.delivered) / end)},
      {"log_MB_per_s", round3(static_cast<double>(log_bytes) / scenario.duration_s / 1e6)},
  };
  nlohmann::ordered_json producer_rows = nlohmann::ordered_json::array();
  for (const auto& p : producers) {
    const ProducerStats& s = p->stats();
    producer_rows.push_back({{"name", p->name()},
                             {"requests", s.requests},
                             {"batches", s.batches_sent},
                             {"retries", s.retries},
                             {"records_failed", s.records_failed},
                             {"errors", s.errors}});
  }
  summary["producers"] = producer_rows;
  nlohmann::ordered_json consumer_rows = nlohmann::ordered_json::array();
  for (const auto& c : consumers) {
    const ConsumerStats& s = c->stats();
    consumer_rows.push_back({{"name", c->name()},
                             {"group", c->ledger_group()},
                             {"polls", s.polls},
                             {"records", s.records_polled},
                             {"fetch_requests", s.fetch_requests},
                             {"commits", s.commits},
                             {"commits_failed", s.commits_failed},
                             {"busy_s", round3(s.busy_s)},
                             {"lag_at_end", metrics.consumer_lag(*c)}});
  }
  summary["consumers"] = consumer_rows;
  nlohmann::ordered_json partition_rows = nlohmann::ordered_json::array();
  for (TopicPartition tp : metadata.all_partitions()) {
    const PartitionState& st = metadata.partition(tp);
    partition_rows.push_back({{"topic", metadata.topic_name(tp.topic)},
                              {"partition", tp.partition},
                              {"leader", st.leader},
                              {"replicas", st.replicas},
                              {"isr", st.isr},
                              {"log_end_offset", metrics.log_end_offset(tp)},
                              {"high_watermark", metrics.high_watermark(tp)}});
  }
  summary["partitions"] = partition_rows;
  // Consumer groups, as their coordinators hold them at the end, with what the checker saw of each.
  nlohmann::ordered_json group_rows = nlohmann::ordered_json::array();
  int64_t rebalances = 0;
  for (const std::string& group_id : metrics.groups()) {
    const ConsumerGroup* g = metrics.group(group_id);
    int64_t commits_failed = 0;
    for (const auto& c : consumers)
      if (c->ledger_group() == group_id) commits_failed += c->stats().commits_failed;
    const GroupTotals totals = group_totals->count(group_id) ? group_totals->at(group_id) : GroupTotals{};
    rebalances += totals.rebalances;
    group_rows.push_back({{"group", group_id},
                          {"coordinator", metadata.group_coordinator(group_id)},
                          {"state", g ? group_state_name(g->state) : metadata.group_coordinator(group_id) < 0 ? "Unknown" : "Empty"},
                          {"generation", g ? g->generation : 0},
                          {"protocol", g ? g->protocol : ""},
                          {"members", g ? g->members.size() : 0},
                          {"rebalances", totals.rebalances},
                          {"rebalancing_s", round3(totals.rebalancing_s)},
                          {"idle_partition_s", round3(ownership.idle_partition_seconds(group_id, end))},
                          {"commits_failed", commits_failed},
                          {"delivered_twice", ledger.delivered_again(group_id)},
                          {"skipped", ledger.skipped(group_id)},
                          {"lag_at_end", metrics.group_lag(group_id)}});
  }
  summary["rebalances"] = rebalances;
  summary["groups"] = group_rows;
  summary["failover"] = failover.to_json();
  events_file.flush();
  summary["events"] = {{"count", events.count()}, {"fnv1a64", hex64(events.hash())}, {"by_type", events.counts_by_type()}};

  events_file.close();
  metrics_file.close();
  if (!events_file || !metrics_file) throw std::runtime_error("cannot write results in " + writer.staging().string());
  writer.write_file("summary.json", summary.dump(2) + "\n");
  writer.write_file("scenario.resolved.json", resolved_scenario.dump(2) + "\n");
  writer.commit();
  return summary;
}

}  // namespace kafkasim
