// The scenario a user writes, after parsing and validation: every field present, every default filled in.
// Kafka configs keep Kafka's own key names (see kafka_configs.h for the keys, types and defaults).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/time.h"

namespace kafkasim {

// A Kafka config value after validation. Lists are Kafka's comma-separated lists, split.
using ConfigValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;

// Resolved Kafka configs of one entity: every known key of its kind present, defaults filled in.
class ConfigMap {
 public:
  std::map<std::string, ConfigValue> values;

  bool get_bool(const std::string& key) const;
  int64_t get_int(const std::string& key) const;
  double get_double(const std::string& key) const;  // accepts int values too
  const std::string& get_string(const std::string& key) const;
  const std::vector<std::string>& get_list(const std::string& key) const;
  bool has(const std::string& key) const { return values.count(key) != 0; }
  bool operator==(const ConfigMap&) const = default;
};

// A random quantity, e.g. per-record processing time. "fixed" ignores stddev.
struct Distribution {
  enum class Kind { fixed, exponential, normal, lognormal, uniform };
  Kind kind = Kind::fixed;
  double mean = 0;    // in the field's unit (seconds or bytes)
  double stddev = 0;  // normal and lognormal
  double min = 0;     // uniform: [min, max]
  double max = 0;

  bool operator==(const Distribution&) const = default;
};

struct NetworkSpec {
  double bandwidth_Bps = 1.25e9;  // per host link, each direction (10Gbps)
  double latency_s = 0.0002;      // one way, host to host

  bool operator==(const NetworkSpec&) const = default;
};

struct DiskSpec {
  double write_bandwidth_Bps = 500e6;
  // Page cache a broker may fill with data not yet written back before its appends wait for the disk: about
  // Linux's vm.dirty_ratio (20%) of a 32 GiB broker's memory.
  double dirty_limit_bytes = 6.0 * 1024 * 1024 * 1024;

  bool operator==(const DiskSpec&) const = default;
};

enum class ControllerMode { kraft, zookeeper };

struct ControlPlaneSpec {
  ControllerMode mode = ControllerMode::kraft;
  int nodes = 3;  // KRaft controllers or ZooKeeper servers

  bool operator==(const ControlPlaneSpec&) const = default;
};

struct ClusterSpec {
  int brokers = 3;
  NetworkSpec network;
  DiskSpec disk;
  ControlPlaneSpec control_plane;
  ConfigMap broker_config;  // server.properties keys

  bool operator==(const ClusterSpec&) const = default;
};

struct TopicSpec {
  std::string name;
  int partitions = 1;          // num.partitions
  int replication_factor = 1;  // default.replication.factor
  ConfigMap config;            // topic-level keys; broker defaults filled in

  bool operator==(const TopicSpec&) const = default;
};

struct KeySpec {
  enum class Kind { none, uniform, zipf, sequential };  // none = null keys (sticky partitioner)
  Kind kind = Kind::none;
  int64_t count = 0;          // size of the key space ("key-0" .. "key-<count-1>")
  double zipf_exponent = 1.0;

  bool operator==(const KeySpec&) const = default;
};

struct ProducerSpec {
  std::string name;
  int topic = 0;                  // index into Scenario::topics
  double rate_per_s = 1000;       // records per second
  enum class Arrival { poisson, constant };
  Arrival arrival = Arrival::poisson;
  Distribution record_size_bytes{Distribution::Kind::fixed, 100};  // value bytes (key bytes added)
  KeySpec keys;
  SimTime start_s = 0;
  std::optional<SimTime> stop_s;        // stops sending at this time (default: end of run)
  std::optional<int64_t> max_records;   // stops after this many records
  // Time the application thread spends in each send() call (serializing, partitioning, appending): one
  // producer thread sends at most 1 / send_time records per second. A client-hardware parameter, not a
  // Kafka config; 0 = an infinitely fast client.
  SimTime send_time_s = 0;
  ConfigMap config;                     // producer.properties keys

  bool operator==(const ProducerSpec&) const = default;
};

struct ConsumerSpec {
  std::string name;
  std::vector<int> topics;                          // indexes into Scenario::topics
  std::vector<std::pair<int, int>> assignment;      // (topic, partition); empty = every partition of `topics`
  Distribution processing_time_s;                   // per record
  // When offsets are committed, relative to processing (Kafka leaves this to the application).
  enum class Commit { auto_commit, sync_after_processing, async_after_processing, before_processing, none };
  Commit commit = Commit::auto_commit;              // auto_commit follows enable.auto.commit
  SimTime start_s = 0;
  ConfigMap config;                                 // consumer.properties keys (group.id, fetch.min.bytes, ...)

  bool operator==(const ConsumerSpec&) const = default;
};

// One entry of the fault timeline. Which fields apply depends on the kind; the parser checks them.
struct FaultSpec {
  enum class Kind {
    crash,           // process crash: page cache survives; restarts after `duration` if given
    power_loss,      // host loses power: unflushed data is gone; back after `duration` if given
    partition,       // network cut between `groups` (or one-way from groups[0] to groups[1]) for some traffic
    link_degrade,    // extra latency, lower bandwidth and/or dropped requests on `target`'s link
    slow_disk,       // `target`'s disk runs at `factor` of its bandwidth
    consumer_pause,  // a consumer stops processing (e.g. a long GC) for `duration`
    consumer_slow,   // a consumer's per-record processing time is multiplied by `factor`
    consumer_crash,  // a consumer process dies (no LeaveGroup); restarts after `duration` if given
    consumer_leave,  // a consumer closes cleanly (LeaveGroup unless static) and stays gone
    rolling_restart, // every member of `target` ("group:<id>") in turn: clean close, down for `duration`,
                     // start again; the next member goes `interval` after the previous one came back
  };
  Kind kind = Kind::crash;
  SimTime at_s = 0;
  std::optional<SimTime> duration_s;  // heals after this long; none = until the end of the run
  std::string target;                 // "broker-1", "leader:orders/0", "controller:active", "consumer:c0", ...
  std::vector<std::vector<std::string>> groups;  // partition: host groups
  bool one_way = false;                          // partition: cut only groups[0] -> groups[1]
  std::string traffic = "all";                   // partition: "all", "replication", "client", "control"
  double factor = 1.0;                           // slow_disk, consumer_slow, link_degrade bandwidth
  SimTime extra_latency_s = 0;                   // link_degrade
  double drop_probability = 0;                   // link_degrade
  SimTime interval_s = 0;                        // rolling_restart: from one member's return to the next's stop
  std::string pointer;                           // JSON pointer of this entry, for messages at run time

  bool operator==(const FaultSpec&) const = default;
};

struct MetricsSpec {
  SimTime interval_s = 1.0;

  bool operator==(const MetricsSpec&) const = default;
};

struct Scenario {
  std::string file;  // where it was read from, for messages
  std::string name;
  std::string description;
  std::string expected;  // the outcome the scenario is meant to show, in words
  uint64_t seed = 1;
  SimTime duration_s = 60;
  // After the fault timeline: faults healed, producers stopped, the cluster given this long to recover,
  // then a final read of every partition. 0 = no settle phase (the checker reads the logs as they are).
  SimTime settle_s = 0;
  ClusterSpec cluster;
  std::vector<TopicSpec> topics;
  std::vector<ProducerSpec> producers;
  std::vector<ConsumerSpec> consumers;
  std::vector<FaultSpec> faults;
  MetricsSpec metrics;

  // The group.id of every consumer that has one, sorted, each once.
  std::vector<std::string> group_ids() const {
    std::set<std::string> ids;
    for (const ConsumerSpec& c : consumers)
      if (c.config.has("group.id") && !c.config.get_string("group.id").empty())
        ids.insert(c.config.get_string("group.id"));
    return {ids.begin(), ids.end()};
  }

  bool operator==(const Scenario&) const = default;
};

}  // namespace kafkasim
