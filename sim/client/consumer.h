// KafkaConsumer as a state machine: the fetcher keeps one fetch in flight per broker for partitions with
// nothing buffered; the application polls up to max.poll.records, spends its processing time on them, and
// commits offsets as its commit strategy says. With a fixed `assignment` it reads those partitions (manual
// assign, no membership); subscribed with a group.id it is a group member and its ConsumerCoordinator
// (KIP-62 poll loop, eager or cooperative rebalances) decides what it owns.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <memory>

#include <nlohmann/json.hpp>

#include "check/record_ledger.h"
#include "client/consumer_coordinator.h"
#include "cluster/cluster_metadata.h"
#include "core/random.h"
#include "protocol/node.h"
#include "scenario/scenario.h"

namespace kafkasim {

struct ConsumerConfig {
  std::string group_id;
  int64_t fetch_min_bytes = 1, fetch_max_bytes = 52428800, max_partition_fetch_bytes = 1048576;
  int64_t max_poll_records = 500;
  std::string group_instance_id;
  SimTime session_timeout_s = 45, heartbeat_interval_s = 3, max_poll_interval_s = 300;
  std::vector<std::string> assignment_strategies;
  SimTime fetch_max_wait_s = 0.5, auto_commit_interval_s = 5, request_timeout_s = 30, retry_backoff_s = 0.1;
  std::string auto_offset_reset = "latest";
  bool enable_auto_commit = true;
  static ConsumerConfig from(const ConfigMap& config);
};

struct ConsumerStats {
  int64_t polls = 0;
  int64_t records_polled = 0;
  int64_t fetch_requests = 0;
  int64_t commits = 0;
  int64_t commits_failed = 0;
  int64_t records_processed = 0;
  double busy_s = 0;  // time spent processing
};

class PartitionOwnership;

class Consumer : public Node, private ConsumerCoordinator::Host {
 public:
  Consumer(int32_t index, const ConsumerSpec& spec, const ClusterMetadata& metadata, RecordLedger& ledger,
           uint64_t seed);

  void start(NodeContext& ctx) override;
  void on_message(NodeContext& ctx, Message&& message) override;
  void on_timer(NodeContext& ctx, uint64_t token) override;
  void on_poke(NodeContext& ctx) override;
  void on_connection_refused(NodeContext& ctx, NodeId peer) override;
  // The process died: everything but committed offsets is gone; a restart is a new member (new member id
  // unless group.instance.id is set).
  void on_crash(NodeContext& ctx, bool power_loss) override;
  // consumer_leave: close() — LeaveGroup (dynamic members) and stop for good.
  void close(NodeContext& ctx, std::string reason);
  // The fault injector asks for close(); it happens at the next poke (which the injector sends).
  void request_close(const std::string& reason) { close_reason_ = reason; }
  // Start a closed consumer again (a new process: a new member unless static), at the next poke.
  void request_start() { start_requested_ = true; }

  // Consumer faults: the application stops polling until `until` (a long GC pause), or processes slower.
  void pause_until(SimTime until) { paused_until_ = until; }
  void set_processing_factor(double factor) { processing_factor_ = factor; }

  const std::string& name() const { return spec_.name; }
  const std::vector<int>& topics() const { return spec_.topics; }
  // The group whose deliveries and offsets this consumer counts towards.
  const std::string& ledger_group() const { return ledger_group_; }
  // Where a group member reports the partitions it takes and gives up (idle partition time); may stay unset.
  void set_ownership_tracker(PartitionOwnership* ownership) { ownership_ = ownership; }
  // Next offset the application will see, per assigned partition (-1 until known).
  std::map<TopicPartition, Offset> positions() const;
  const ConsumerStats& stats() const { return stats_; }
  // The group membership (nullptr with a fixed assignment or without group.id).
  const ConsumerCoordinator* group_membership() const { return group_.get(); }

 private:
  struct PartitionFetchState {
    TopicPartition tp;
    Offset position = -1;        // next offset for the application
    Offset fetch_position = -1;  // next offset to fetch
    std::deque<RecordBatch> buffered;
    bool resetting = false;      // a ListOffsets is under way
  };
  enum class AppState { starting, idle, processing, committing, stopped };
  enum Timer : uint64_t { kStart = 1, kProcessingDone = 2, kCheckTimeouts = 3, kAutoCommit = 4 };

  void pump(NodeContext& ctx);
  // Request timeouts are checked by one timer at the earliest deadline, re-armed when it fires: a timer per
  // request left a thousand members' hundred thousand stale timers pending.
  void arm_timeout_check(NodeContext& ctx, SimTime deadline);
  void request_metadata(NodeContext& ctx);
  void send_fetches(NodeContext& ctx);
  void poll(NodeContext& ctx);
  // Returns true when a request went out; `only` limits it to those partitions (revocation).
  bool commit(NodeContext& ctx, bool sync, const std::vector<TopicPartition>* only = nullptr);
  void fail_commit(NodeContext& ctx, ErrorCode error);
  int32_t commit_coordinator() const;
  // ConsumerCoordinator::Host
  bool revoke_partitions(NodeContext& ctx, const std::vector<TopicPartition>& tps, bool lost) override;
  void assign_partitions(NodeContext& ctx, const std::vector<TopicPartition>& tps) override;
  std::vector<TopicPartition> owned_partitions() const override;
  bool in_poll(SimTime now) const override;
  uint64_t next_request_id() override { return static_cast<uint64_t>(next_request_id_++); }
  nlohmann::ordered_json partition_names(const std::vector<TopicPartition>& tps) const;
  void reset_positions(NodeContext& ctx, const std::vector<TopicPartition>& tps);
  void handle_fetch(NodeContext& ctx, FetchResponse& resp);
  PartitionFetchState* state(TopicPartition tp);

  int32_t index_;
  const ConsumerSpec& spec_;
  ConsumerConfig config_;
  const ClusterMetadata& metadata_;
  RecordLedger& ledger_;
  PartitionOwnership* ownership_ = nullptr;
  void release_all_partitions(SimTime now);
  Rng processing_rng_, client_rng_;
  std::string ledger_group_;
  std::vector<PartitionFetchState> partitions_;
  // Leader broker per partition of every topic, from the last metadata response (-1: none known). Flat:
  // a thousand members each looking up a map of thousands of partitions missed the cache on every fetch.
  std::vector<std::vector<int32_t>> leaders_;
  int32_t leader_of(TopicPartition tp) const;
  std::map<int32_t, std::pair<int64_t, SimTime>> fetch_in_flight_;  // broker -> (request id, deadline)
  std::map<int64_t, std::pair<int64_t, SimTime>> pending_requests_;  // other requests: id -> (kind, deadline)
  std::map<TopicPartition, Offset> commit_in_flight_;                 // offsets of the sync commit under way
  AppState app_ = AppState::starting;
  bool metadata_known_ = false;
  bool metadata_in_flight_ = false;
  bool offsets_fetched_ = false;
  size_t poll_cursor_ = 0;
  SimTime timeout_check_at_ = 0;  // when the armed timeout check fires (passed: none armed)
  SimTime next_auto_commit_ = 0;
  int64_t next_request_id_ = 1;
  ConsumerStats stats_;
  SimTime paused_until_ = 0;
  double processing_factor_ = 1.0;
  std::unique_ptr<ConsumerCoordinator> group_;
  std::vector<std::pair<TopicPartition, RecordBatch>> in_process_;  // the batch the application works on
  bool started_once_ = false;
  std::string close_reason_;  // a close() asked for and not yet done
  bool start_requested_ = false;
  // close() waits for the batch under way and for its auto-commit: the application calls close() between
  // polls, and Kafka's close() commits synchronously.
  std::string close_after_commit_;
  bool close_committed_ = false;
};

}  // namespace kafkasim
