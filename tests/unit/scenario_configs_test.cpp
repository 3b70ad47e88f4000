// The Kafka config table, value conversion and ConfigMap access.
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "scenario/kafka_configs.h"

namespace kafkasim {
namespace {

using nlohmann::json;

TEST(ScenarioConfigs, TableHoldsTheKafkaKeysAndDefaults) {
  struct Expected {
    ConfigScope scope;
    const char* key;
    ConfigValue value;
  };
  const int64_t long_max = std::numeric_limits<int64_t>::max();
  const std::vector<Expected> expected = {
      {ConfigScope::producer, "acks", std::string("all")},
      {ConfigScope::producer, "enable.idempotence", true},
      {ConfigScope::producer, "retries", int64_t{2147483647}},
      {ConfigScope::producer, "delivery.timeout.ms", int64_t{120000}},
      {ConfigScope::producer, "request.timeout.ms", int64_t{30000}},
      {ConfigScope::producer, "linger.ms", int64_t{0}},
      {ConfigScope::producer, "batch.size", int64_t{16384}},
      {ConfigScope::producer, "max.in.flight.requests.per.connection", int64_t{5}},
      {ConfigScope::producer, "retry.backoff.ms", int64_t{100}},
      {ConfigScope::producer, "max.request.size", int64_t{1048576}},
      {ConfigScope::producer, "buffer.memory", int64_t{33554432}},
      {ConfigScope::producer, "max.block.ms", int64_t{60000}},
      {ConfigScope::producer, "transactional.id", std::string()},
      {ConfigScope::producer, "transaction.timeout.ms", int64_t{60000}},
      {ConfigScope::producer, "partitioner.ignore.keys", false},
      {ConfigScope::consumer, "group.id", std::string()},
      {ConfigScope::consumer, "group.instance.id", std::string()},
      {ConfigScope::consumer, "session.timeout.ms", int64_t{45000}},
      {ConfigScope::consumer, "heartbeat.interval.ms", int64_t{3000}},
      {ConfigScope::consumer, "max.poll.interval.ms", int64_t{300000}},
      {ConfigScope::consumer, "max.poll.records", int64_t{500}},
      {ConfigScope::consumer, "auto.offset.reset", std::string("latest")},
      {ConfigScope::consumer, "enable.auto.commit", true},
      {ConfigScope::consumer, "auto.commit.interval.ms", int64_t{5000}},
      {ConfigScope::consumer, "isolation.level", std::string("read_uncommitted")},
      {ConfigScope::consumer, "partition.assignment.strategy",
       std::vector<std::string>{"range", "cooperative-sticky"}},
      {ConfigScope::consumer, "group.protocol", std::string("classic")},
      {ConfigScope::consumer, "fetch.min.bytes", int64_t{1}},
      {ConfigScope::consumer, "fetch.max.wait.ms", int64_t{500}},
      {ConfigScope::consumer, "fetch.max.bytes", int64_t{52428800}},
      {ConfigScope::consumer, "max.partition.fetch.bytes", int64_t{1048576}},
      {ConfigScope::consumer, "request.timeout.ms", int64_t{30000}},
      {ConfigScope::consumer, "retry.backoff.ms", int64_t{100}},
      {ConfigScope::broker, "min.insync.replicas", int64_t{1}},
      {ConfigScope::broker, "unclean.leader.election.enable", false},
      {ConfigScope::broker, "replica.lag.time.max.ms", int64_t{30000}},
      {ConfigScope::broker, "default.replication.factor", int64_t{1}},
      {ConfigScope::broker, "num.partitions", int64_t{1}},
      {ConfigScope::broker, "group.initial.rebalance.delay.ms", int64_t{3000}},
      {ConfigScope::broker, "offsets.topic.num.partitions", int64_t{50}},
      {ConfigScope::broker, "offsets.topic.replication.factor", int64_t{3}},
      {ConfigScope::broker, "transaction.state.log.num.partitions", int64_t{50}},
      {ConfigScope::broker, "transaction.state.log.replication.factor", int64_t{3}},
      {ConfigScope::broker, "transaction.state.log.min.isr", int64_t{2}},
      {ConfigScope::broker, "log.segment.bytes", int64_t{1073741824}},
      {ConfigScope::broker, "log.retention.hours", int64_t{168}},
      {ConfigScope::broker, "log.flush.interval.messages", long_max},
      {ConfigScope::broker, "log.flush.interval.ms", int64_t{-1}},
      {ConfigScope::broker, "replica.fetch.wait.max.ms", int64_t{500}},
      {ConfigScope::broker, "replica.fetch.min.bytes", int64_t{1}},
      {ConfigScope::broker, "replica.fetch.max.bytes", int64_t{1048576}},
      {ConfigScope::broker, "replica.socket.timeout.ms", int64_t{30000}},
      {ConfigScope::broker, "message.max.bytes", int64_t{1048588}},
      {ConfigScope::broker, "zookeeper.session.timeout.ms", int64_t{18000}},
      {ConfigScope::broker, "controller.quorum.election.timeout.ms", int64_t{1000}},
      {ConfigScope::broker, "controller.quorum.fetch.timeout.ms", int64_t{2000}},
      {ConfigScope::broker, "broker.session.timeout.ms", int64_t{9000}},
      {ConfigScope::broker, "broker.heartbeat.interval.ms", int64_t{2000}},
      {ConfigScope::broker, "inter.broker.protocol.version", std::string("3.7")},
      {ConfigScope::broker, "kafkasim.controller.metadata.load.ms.per.partition", 2.0},
      {ConfigScope::broker, "kafkasim.controller.election.ms.per.partition", 5.0},
  };
  for (const auto& e : expected) {
    const ConfigDef* def = find_config(e.scope, e.key);
    ASSERT_NE(def, nullptr) << e.key;
    EXPECT_TRUE(def->simulated) << e.key;
    EXPECT_EQ(def->default_value, e.value) << e.key;
    EXPECT_FALSE(def->description.empty()) << e.key;
  }
  for (const char* key : {"min.insync.replicas", "unclean.leader.election.enable", "flush.messages", "flush.ms",
                          "retention.ms", "segment.bytes"})
    EXPECT_NE(find_config(ConfigScope::topic, key), nullptr) << key;
}

TEST(ScenarioConfigs, IgnoredKeysAreAcceptedButNotSimulated) {
  for (const char* key : {"bootstrap.servers", "client.id", "key.serializer", "value.serializer", "compression.type"})
    EXPECT_FALSE(find_config(ConfigScope::producer, key)->simulated) << key;
  for (const char* key : {"bootstrap.servers", "client.id", "key.deserializer", "value.deserializer"})
    EXPECT_FALSE(find_config(ConfigScope::consumer, key)->simulated) << key;
  for (const char* key : {"broker.id", "listeners", "log.dirs", "zookeeper.connect"})
    EXPECT_FALSE(find_config(ConfigScope::broker, key)->simulated) << key;
}

TEST(ScenarioConfigs, EveryDefaultPassesItsOwnValidation) {
  for (auto scope : {ConfigScope::producer, ConfigScope::consumer, ConfigScope::broker, ConfigScope::topic}) {
    const auto& defs = config_defs(scope);
    ASSERT_FALSE(defs.empty());
    for (size_t i = 0; i < defs.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(defs[i - 1].name, defs[i].name) << "table must be sorted and unique";
      }
      const ConfigDef& def = defs[i];
      EXPECT_EQ(find_config(scope, def.name), &def);
      auto converted = convert_config_value(def, config_value_to_json(def.default_value));
      ASSERT_TRUE(converted.value) << def.name << ": " << converted.error;
      EXPECT_EQ(*converted.value, def.default_value) << def.name;
      if (scope == ConfigScope::topic) {
        EXPECT_NE(find_config(ConfigScope::broker, def.inherited_from), nullptr) << def.name;
      }
    }
  }
  EXPECT_EQ(find_config(ConfigScope::producer, "no.such.key"), nullptr);
  EXPECT_EQ(find_config(ConfigScope::consumer, "acks"), nullptr);
}

ConfigConversion convert(ConfigScope scope, const char* key, const json& raw) {
  const ConfigDef* def = find_config(scope, key);
  EXPECT_NE(def, nullptr) << key;
  return convert_config_value(*def, raw);
}

TEST(ScenarioConfigs, AcceptsJsonValuesAndPropertiesStrings) {
  EXPECT_EQ(*convert(ConfigScope::producer, "linger.ms", 5).value, ConfigValue(int64_t{5}));
  EXPECT_EQ(*convert(ConfigScope::producer, "linger.ms", "5").value, ConfigValue(int64_t{5}));
  EXPECT_EQ(*convert(ConfigScope::producer, "linger.ms", " 5 ").value, ConfigValue(int64_t{5}));
  EXPECT_EQ(*convert(ConfigScope::producer, "enable.idempotence", "false").value, ConfigValue(false));
  EXPECT_EQ(*convert(ConfigScope::producer, "enable.idempotence", "TRUE").value, ConfigValue(true));
  EXPECT_EQ(*convert(ConfigScope::broker, "kafkasim.controller.election.ms.per.partition", "12.5").value,
            ConfigValue(12.5));
  EXPECT_EQ(*convert(ConfigScope::broker, "kafkasim.controller.election.ms.per.partition", 3).value, ConfigValue(3.0));
  EXPECT_EQ(*convert(ConfigScope::broker, "log.flush.interval.messages", "9223372036854775807").value,
            ConfigValue(std::numeric_limits<int64_t>::max()));
}

TEST(ScenarioConfigs, NormalisesAcksAndAssignors) {
  EXPECT_EQ(*convert(ConfigScope::producer, "acks", "-1").value, ConfigValue(std::string("all")));
  EXPECT_EQ(*convert(ConfigScope::producer, "acks", -1).value, ConfigValue(std::string("all")));
  EXPECT_EQ(*convert(ConfigScope::producer, "acks", 1).value, ConfigValue(std::string("1")));
  EXPECT_EQ(*convert(ConfigScope::producer, "acks", "0").value, ConfigValue(std::string("0")));
  EXPECT_EQ(*convert(ConfigScope::producer, "acks", "ALL").value, ConfigValue(std::string("all")));
  EXPECT_EQ(*convert(ConfigScope::consumer, "isolation.level", "READ_COMMITTED").value,
            ConfigValue(std::string("read_committed")));
  using List = std::vector<std::string>;
  EXPECT_EQ(*convert(ConfigScope::consumer, "partition.assignment.strategy",
                     "org.apache.kafka.clients.consumer.CooperativeStickyAssignor, range")
                 .value,
            ConfigValue(List{"cooperative-sticky", "range"}));
  EXPECT_EQ(*convert(ConfigScope::consumer, "partition.assignment.strategy",
                     json::array({"org.apache.kafka.clients.consumer.RoundRobinAssignor",
                                  "org.apache.kafka.clients.consumer.StickyAssignor",
                                  "org.apache.kafka.clients.consumer.RangeAssignor"}))
                 .value,
            ConfigValue(List{"roundrobin", "sticky", "range"}));
  EXPECT_EQ(*convert(ConfigScope::producer, "bootstrap.servers", "a:9092,b:9092").value,
            ConfigValue(List{"a:9092", "b:9092"}));
}

TEST(ScenarioConfigs, RejectsWrongTypesAndRanges) {
  EXPECT_EQ(convert(ConfigScope::producer, "linger.ms", "abc").error, "expected an integer, got \"abc\"");
  EXPECT_EQ(convert(ConfigScope::producer, "linger.ms", 1.5).error, "expected an integer, got 1.5");
  EXPECT_EQ(convert(ConfigScope::producer, "linger.ms", true).error, "expected an integer, got true");
  EXPECT_EQ(convert(ConfigScope::producer, "linger.ms", -1).error,
            "must be at least 0, got -1");
  EXPECT_EQ(convert(ConfigScope::producer, "max.in.flight.requests.per.connection", 0).error,
            "must be between 1 and 2147483647, got 0");
  EXPECT_EQ(convert(ConfigScope::producer, "enable.idempotence", "yes").error, "expected true or false, got \"yes\"");
  EXPECT_EQ(convert(ConfigScope::producer, "acks", "2").error,
            "expected one of \"all\", \"0\", \"1\", \"-1\", got \"2\"");
  EXPECT_EQ(convert(ConfigScope::producer, "transactional.id", 5).error, "expected a string, got 5");
  EXPECT_NE(convert(ConfigScope::consumer, "partition.assignment.strategy", "range,fair").error.find(
                "\"fair\" is not one of"),
            std::string::npos);
  EXPECT_NE(convert(ConfigScope::consumer, "partition.assignment.strategy", "").error.find("expected at least one"),
            std::string::npos);
  EXPECT_NE(convert(ConfigScope::broker, "inter.broker.protocol.version", "three").error.find(
                "expected a Kafka version like \"3.7\""),
            std::string::npos);
}

TEST(ScenarioConfigs, KafkaVersions) {
  EXPECT_EQ(parse_kafka_version("3.7"), (KafkaVersion{3, 7, 0}));
  EXPECT_EQ(parse_kafka_version("0.10.2"), (KafkaVersion{0, 10, 2}));
  EXPECT_EQ(parse_kafka_version("2.8-IV1"), (KafkaVersion{2, 8, 0}));
  EXPECT_FALSE(parse_kafka_version("3"));
  EXPECT_FALSE(parse_kafka_version("3.x"));
  EXPECT_FALSE(parse_kafka_version("3.7.1.2"));
  EXPECT_FALSE(parse_kafka_version("-1.2"));
  EXPECT_FALSE(parse_kafka_version(""));
  ConfigMap broker;
  broker.values["inter.broker.protocol.version"] = std::string("0.10.2");
  EXPECT_FALSE(uses_leader_epoch_truncation(broker));
  broker.values["inter.broker.protocol.version"] = std::string("0.11");
  EXPECT_TRUE(uses_leader_epoch_truncation(broker));
}

TEST(ScenarioConfigs, ConfigMapAccessorsCheckTypes) {
  ConfigMap m;
  m.values["acks"] = std::string("all");
  m.values["linger.ms"] = int64_t{5};
  m.values["enable.idempotence"] = true;
  m.values["cpu"] = 2.5;
  m.values["strategy"] = std::vector<std::string>{"range"};
  EXPECT_EQ(m.get_string("acks"), "all");
  EXPECT_EQ(m.get_int("linger.ms"), 5);
  EXPECT_EQ(m.get_double("linger.ms"), 5.0);
  EXPECT_EQ(m.get_double("cpu"), 2.5);
  EXPECT_TRUE(m.get_bool("enable.idempotence"));
  EXPECT_EQ(m.get_list("strategy").size(), 1u);
  try {
    m.get_int("acks");
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("acks"), std::string::npos) << e.what();
  }
  EXPECT_THROW(m.get_bool("linger.ms"), std::logic_error);
  EXPECT_THROW(m.get_list("acks"), std::logic_error);
  EXPECT_THROW(m.get_double("acks"), std::logic_error);
  EXPECT_THROW(m.get_string("missing.key"), std::logic_error);
}

}  // namespace
}  // namespace kafkasim
