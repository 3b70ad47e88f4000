// The failover section of summary.json, computed from events one at a time.
#include <gtest/gtest.h>

#include "metrics/failover_report.h"

namespace kafkasim {
namespace {

nlohmann::ordered_json ev(double t, const std::string& type, nlohmann::ordered_json fields) {
  nlohmann::ordered_json e{{"t", t}, {"type", type}};
  for (auto& [k, v] : fields.items()) e[k] = v;
  return e;
}

nlohmann::ordered_json elected(double t, int partition, int leader) {
  return ev(t, "leader_elected", {{"topic", "t"}, {"partition", partition}, {"leader", leader}, {"isr", {leader}}});
}

TEST(FailoverReport, TimesUntilEveryPartitionTheBrokerLedHasALeaderAgain) {
  FailoverReport r;
  r.on_event(ev(0, "topic_created", {{"topic", "t"}, {"partitions", {{{"partition", 0}, {"leader", 1}},
                                                                     {{"partition", 1}, {"leader", 2}},
                                                                     {{"partition", 2}, {"leader", 1}}}}}));
  r.on_event(ev(0, "controller_elected", {{"controller", "controller-0"}, {"epoch", 1}}));
  r.on_event(ev(10, "fault_started", {{"fault", "power_loss"}, {"index", 0}, {"target", "broker-1"}}));
  r.on_event(elected(12, 1, 0));   // not led by broker-1: ignored
  r.on_event(elected(19, 0, -1));  // offline is not a leader
  r.on_event(elected(20, 0, 2));
  r.on_event(elected(21.5, 2, 0));
  r.on_event(elected(30, 2, 2));  // already counted
  auto out = r.to_json();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["target"], "broker-1");
  EXPECT_EQ(out[0]["partitions_led"], 2);
  EXPECT_EQ(out[0]["partitions_reelected"], 2);
  EXPECT_DOUBLE_EQ(out[0]["first_election_s"].get<double>(), 10);
  EXPECT_DOUBLE_EQ(out[0]["last_election_s"].get<double>(), 11.5);
  EXPECT_FALSE(out[0]["controller"].get<bool>());
  EXPECT_TRUE(out[0]["controller_ready_s"].is_null());
}

TEST(FailoverReport, ControllerFailoverAndFaultsThatAreNotFailures) {
  FailoverReport r;
  r.on_event(ev(0, "topic_created", {{"topic", "t"}, {"partitions", {{{"partition", 0}, {"leader", 0}}}}}));
  r.on_event(ev(0, "controller_elected", {{"controller", "broker-0"}, {"epoch", 1}}));
  r.on_event(ev(5, "fault_started", {{"fault", "slow_disk"}, {"index", 0}, {"target", "broker-0"}}));
  r.on_event(ev(10, "fault_started", {{"fault", "crash"}, {"index", 1}, {"target", "broker-0"},
                                      {"role", "controller:active"}}));
  r.on_event(ev(26, "controller_elected", {{"controller", "broker-1"}, {"epoch", 2}}));
  r.on_event(ev(28, "leader_elected", {{"topic", "t"}, {"partition", 0}, {"leader", 1}}));
  r.on_event(ev(28, "controller_ready", {{"controller", "broker-1"}, {"epoch", 2}}));
  auto out = r.to_json();
  ASSERT_EQ(out.size(), 1u);  // a slow disk is not a failure
  EXPECT_EQ(out[0]["fault"], 1);
  EXPECT_EQ(out[0]["role"], "controller:active");
  EXPECT_TRUE(out[0]["controller"].get<bool>());
  EXPECT_DOUBLE_EQ(out[0]["controller_elected_s"].get<double>(), 16);
  EXPECT_DOUBLE_EQ(out[0]["controller_ready_s"].get<double>(), 18);
  EXPECT_DOUBLE_EQ(out[0]["last_election_s"].get<double>(), 18);
}

TEST(FailoverReport, NeverReelectedIsNull) {
  FailoverReport r;
  r.on_event(ev(0, "topic_created", {{"topic", "t"}, {"partitions", {{{"partition", 0}, {"leader", 0}}}}}));
  r.on_event(ev(1, "fault_started", {{"fault", "crash"}, {"index", 0}, {"target", "broker-0"}}));
  r.on_event(elected(10, 0, -1));
  auto out = r.to_json();
  EXPECT_EQ(out[0]["partitions_led"], 1);
  EXPECT_EQ(out[0]["partitions_reelected"], 0);
  EXPECT_TRUE(out[0]["last_election_s"].is_null());
}

}  // namespace
}  // namespace kafkasim
