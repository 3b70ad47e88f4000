// A line-by-line port of Kafka's AbstractStickyAssignor (3.5+, rack-unaware branches) and of what
// StickyAssignor / CooperativeStickyAssignor add to it. Kafka's choices that depend on java.util.HashMap / HashSet
// iteration are reproduced with JavaHashOrder: the order of members in the leader's subscription map, and the
// first element of a HashSet of moved partitions in PartitionMovements. Everything else Kafka sorts.
#include "group/assignor_sticky.h"

#include <algorithm>
#include <list>
#include <set>
#include <stdexcept>

#include "client/partitioner.h"
#include "core/check.h"
#include "group/assignor_impl.h"
#include "group/assignor_java_hash.h"
#include "group/member_order.h"

namespace kafkasim {
namespace {

constexpr int32_t kDefaultGeneration = -1;  // AbstractStickyAssignor.DEFAULT_GENERATION

// A topic partition with the topic as an index into names sorted in Java order, so that comparing indices compares
// names and the default ordering is Kafka's (topic, partition) order.
struct Tp {
  int32_t topic = 0;
  int32_t partition = 0;
  auto operator<=>(const Tp&) const = default;
};

int64_t tp_key(Tp tp) { return (static_cast<int64_t>(tp.topic) << 32) | static_cast<uint32_t>(tp.partition); }
Tp tp_from_key(int64_t key) {
  return Tp{static_cast<int32_t>(key >> 32), static_cast<int32_t>(static_cast<uint32_t>(key & 0xffffffff))};
}

// The group as the sticky code sees it; consumers are indices into names sorted in Java order, so comparing
// indices compares member ids.
struct Group {
  std::vector<std::string> topic_names;
  std::vector<int32_t> topic_hashes;
  std::vector<int32_t> num_partitions;  // -1: not in partitionsPerTopic
  std::vector<int32_t> metadata_topics;  // topics in partitionsPerTopic, ascending
  int32_t total_partitions = 0;

  std::vector<std::string> consumer_names;
  std::vector<std::vector<int32_t>> subscriptions;  // topics as subscribed (including unknown ones)
  std::vector<std::vector<Tp>> owned;                // MemberData.partitions
  std::vector<int32_t> generations;
  std::vector<int32_t> leader_order;  // iteration order of the leader's HashMap<String, Subscription>

  int32_t topic_index(const std::string& name) const {
    auto it = std::lower_bound(topic_names.begin(), topic_names.end(), name, JavaStringLess{});
    return static_cast<int32_t>(it - topic_names.begin());
  }
  bool in_metadata(int32_t topic) const { return num_partitions[static_cast<size_t>(topic)] >= 0; }
  int32_t partitions_of(int32_t topic) const { return num_partitions[static_cast<size_t>(topic)]; }
  int32_t hash(Tp tp) const {
    uint32_t result = 31u * (31u + static_cast<uint32_t>(tp.partition));
    return static_cast<int32_t>(result + static_cast<uint32_t>(topic_hashes[static_cast<size_t>(tp.topic)]));
  }
  bool subscribed(int32_t consumer, int32_t topic) const {
    const auto& s = subscriptions[static_cast<size_t>(consumer)];
    return std::find(s.begin(), s.end(), topic) != s.end();
  }
  std::pair<std::string, int32_t> name(Tp tp) const { return {topic_names[static_cast<size_t>(tp.topic)], tp.partition}; }
};

Group make_group(const assignor_detail::CleanInput& in) {
  Group g;
  std::set<std::string, JavaStringLess> topics;
  for (const auto& [topic, count] : in.partitions_per_topic) topics.insert(topic);
  for (const auto& m : in.members) {
    topics.insert(m.topics.begin(), m.topics.end());
    for (const auto& tp : m.owned_partitions) topics.insert(tp.first);
  }
  g.topic_names.assign(topics.begin(), topics.end());
  for (const auto& t : g.topic_names) {
    g.topic_hashes.push_back(java_string_hash(t));
    auto it = in.partitions_per_topic.find(t);
    g.num_partitions.push_back(it == in.partitions_per_topic.end() ? -1 : it->second);
    if (it != in.partitions_per_topic.end()) {
      g.metadata_topics.push_back(static_cast<int32_t>(g.num_partitions.size() - 1));
      g.total_partitions += it->second;
    }
  }

  std::vector<size_t> by_name(in.members.size());
  for (size_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
  std::sort(by_name.begin(), by_name.end(), [&](size_t a, size_t b) {
    return java_string_compare(in.members[a].member_id, in.members[b].member_id) < 0;
  });
  std::vector<int32_t> consumer_of_input(in.members.size());
  for (size_t c = 0; c < by_name.size(); ++c) {
    const AssignorMember& m = in.members[by_name[c]];
    consumer_of_input[by_name[c]] = static_cast<int32_t>(c);
    g.consumer_names.push_back(m.member_id);
    std::vector<int32_t> subscription;
    for (const auto& t : m.topics) subscription.push_back(g.topic_index(t));
    g.subscriptions.push_back(std::move(subscription));
    std::vector<Tp> owned;
    for (const auto& [topic, partition] : m.owned_partitions) owned.push_back(Tp{g.topic_index(topic), partition});
    g.owned.push_back(std::move(owned));
    g.generations.push_back(m.generation);
  }
  for (size_t i : leader_iteration_order(in.members)) g.leader_order.push_back(consumer_of_input[i]);
  return g;
}

// What allSubscriptionsEqual works out besides its answer.
struct OwnedPartitions {
  bool all_subscriptions_equal = true;
  std::vector<std::vector<Tp>> consumer_to_owned;  // previously owned, still existing, conflicts resolved
  std::set<Tp> with_multiple_previous_owners;      // claimed by two members of one generation
  int32_t max_generation = kDefaultGeneration;
};

OwnedPartitions all_subscriptions_equal(const Group& g) {
  OwnedPartitions r;
  r.consumer_to_owned.resize(g.consumer_names.size());
  std::set<int32_t> subscribed_topics;
  std::map<Tp, int32_t> previous_owner;
  for (int32_t consumer : g.leader_order) {
    const auto& topics = g.subscriptions[static_cast<size_t>(consumer)];
    if (subscribed_topics.empty()) {
      subscribed_topics.insert(topics.begin(), topics.end());
    } else if (r.all_subscriptions_equal &&
               !(topics.size() == subscribed_topics.size() &&
                 std::all_of(topics.begin(), topics.end(), [&](int32_t t) { return subscribed_topics.count(t) > 0; }))) {
      r.all_subscriptions_equal = false;
    }
    const int32_t generation = g.generations[static_cast<size_t>(consumer)];
    r.max_generation = std::max(r.max_generation, generation);
    auto& owned = r.consumer_to_owned[static_cast<size_t>(consumer)];
    for (const Tp tp : g.owned[static_cast<size_t>(consumer)]) {
      if (!g.in_metadata(tp.topic)) continue;
      auto prev = previous_owner.find(tp);
      if (prev == previous_owner.end()) {
        owned.push_back(tp);
        previous_owner[tp] = consumer;
        continue;
      }
      const int32_t other = prev->second;
      const int32_t other_generation = g.generations[static_cast<size_t>(other)];
      auto& other_owned = r.consumer_to_owned[static_cast<size_t>(other)];
      if (generation == other_generation) {
        // Two members of one generation claim it: it is taken from both.
        r.with_multiple_previous_owners.insert(tp);
        auto it = std::find(other_owned.begin(), other_owned.end(), tp);
        if (it != other_owned.end()) other_owned.erase(it);
        prev->second = consumer;
      } else if (generation > other_generation) {
        owned.push_back(tp);
        auto it = std::find(other_owned.begin(), other_owned.end(), tp);
        if (it != other_owned.end()) other_owned.erase(it);
        prev->second = consumer;
      }
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// ConstrainedAssignmentBuilder: every member has the same subscription.

struct ConstrainedResult {
  std::vector<std::vector<Tp>> assignment;
  std::map<Tp, int32_t> transferring;
};

ConstrainedResult constrained_assign(const Group& g, const OwnedPartitions& owned) {
  const auto num_consumers = static_cast<int32_t>(g.consumer_names.size());
  const int32_t total = g.total_partitions;
  const int32_t min_quota = total / num_consumers;
  const int32_t max_quota = (total + num_consumers - 1) / num_consumers;
  const int32_t expected_over_min = total % num_consumers;
  int32_t current_over_min = 0;

  ConstrainedResult r;
  r.assignment.resize(g.consumer_names.size());
  std::set<Tp> assigned;
  std::map<Tp, int32_t> maybe_revoked;  // owned partitions over the quota -> the member that gives them up
  std::list<int32_t> under_min;  // unfilledMembersWithUnderMinQuotaPartitions
  std::list<int32_t> exactly_min;  // unfilledMembersWithExactlyMinQuotaPartitions

  // consumerToOwnedPartitions is a HashMap filled in the leader's order; assignOwnedPartitions walks it.
  JavaHashOrder owned_map;
  for (int32_t c : g.leader_order) owned_map.insert(c, java_string_hash(g.consumer_names[static_cast<size_t>(c)]));
  for (int64_t key : owned_map.order()) {
    const auto consumer = static_cast<int32_t>(key);
    std::vector<Tp> partitions = owned.consumer_to_owned[static_cast<size_t>(consumer)];
    std::stable_sort(partitions.begin(), partitions.end(), [&](Tp a, Tp b) {
      return a.partition != b.partition ? a.partition < b.partition : a.topic < b.topic;
    });
    std::erase_if(partitions, [&](Tp tp) { return owned.with_multiple_previous_owners.count(tp) > 0; });
    auto& mine = r.assignment[static_cast<size_t>(consumer)];
    const auto size = static_cast<int32_t>(partitions.size());
    auto keep = [&](int32_t n) {
      for (int32_t i = 0; i < size; ++i) {
        if (i < n) {
          mine.push_back(partitions[static_cast<size_t>(i)]);
          assigned.insert(partitions[static_cast<size_t>(i)]);
        } else {
          maybe_revoked[partitions[static_cast<size_t>(i)]] = consumer;
        }
      }
    };
    if (size < min_quota) {
      keep(size);
      under_min.push_back(consumer);
    } else if (size >= max_quota && current_over_min < expected_over_min) {
      ++current_over_min;
      if (current_over_min == expected_over_min) exactly_min.clear();
      keep(max_quota);
    } else {
      keep(min_quota);
      if (current_over_min < expected_over_min) exactly_min.push_back(consumer);
    }
  }

  std::vector<Tp> unassigned;
  for (int32_t t : g.metadata_topics)
    for (int32_t p = 0; p < g.partitions_of(t); ++p)
      if (!assigned.count(Tp{t, p})) unassigned.push_back(Tp{t, p});

  under_min.sort();
  exactly_min.sort();

  auto assign_new = [&](Tp tp, int32_t consumer) {
    auto& mine = r.assignment[static_cast<size_t>(consumer)];
    mine.push_back(tp);
    // It changes owner unless it went back to the member that gave it up (KAFKA-15170's form; without racks a
    // member that gives partitions up never gets one back in the same round, so older versions agree).
    auto revoked = maybe_revoked.find(tp);
    if ((revoked != maybe_revoked.end() && revoked->second != consumer) || owned.with_multiple_previous_owners.count(tp))
      r.transferring[tp] = consumer;
    return static_cast<int32_t>(mine.size());
  };

  // assignRoundRobin: a LinkedList iterator over the under-minQuota members, restarted when it runs out.
  auto next = under_min.begin();
  auto last = under_min.end();
  for (const Tp tp : unassigned) {
    int32_t consumer;
    bool from_iterator = true;
    if (next != under_min.end()) {
      last = next++;
      consumer = *last;
    } else if (under_min.empty() && exactly_min.empty()) {
      throw std::logic_error("sticky assignor: no more unfilled consumers to be assigned");
    } else if (under_min.empty()) {
      consumer = exactly_min.front();
      exactly_min.pop_front();
      from_iterator = false;
    } else {
      next = under_min.begin();
      last = next++;
      consumer = *last;
    }
    const int32_t count = assign_new(tp, consumer);
    if (count == min_quota) {
      KSIM_ASSERT(from_iterator, "sticky assignor: a member at minQuota reached minQuota again");
      under_min.erase(last);
      last = under_min.end();
      exactly_min.push_back(consumer);
    } else if (count == max_quota) {
      ++current_over_min;
    }
  }

  // verifyUnfilledMembers
  if (!under_min.empty()) {
    if (current_over_min != expected_over_min)
      throw std::logic_error("sticky assignor: expected members over minQuota not reached");
    for (int32_t c : under_min)
      if (static_cast<int32_t>(r.assignment[static_cast<size_t>(c)].size()) != min_quota)
        throw std::logic_error("sticky assignor: a member did not reach minQuota");
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// GeneralAssignmentBuilder: members subscribe to different topics.

// PartitionMovements: which partitions moved between which pair of members during this assignment, kept so that a
// partition moving back along a pair undoes an earlier move instead of starting a new one.
class PartitionMovements {
 public:
  explicit PartitionMovements(const Group& g) : g_(g) {}

  Tp actual_partition_to_move(Tp partition, int32_t old_consumer, int32_t new_consumer) const {
    auto topic_it = by_topic_.find(partition.topic);
    if (topic_it == by_topic_.end()) return partition;
    auto moved = movements_.find(partition);
    if (moved != movements_.end()) old_consumer = moved->second.first;  // where it was before it first moved
    auto reverse = topic_it->second.find(Pair{new_consumer, old_consumer});
    if (reverse == topic_it->second.end()) return partition;
    return tp_from_key(reverse->second.first());  // HashSet.iterator().next()
  }

  void move(Tp partition, int32_t old_consumer, int32_t new_consumer) {
    auto moved = movements_.find(partition);
    if (moved != movements_.end()) {
      const Pair existing = remove_record(partition);
      KSIM_ASSERT(existing.second == old_consumer, "sticky assignor: partition movement out of step");
      if (existing.first != new_consumer) add_record(partition, Pair{existing.first, new_consumer});
    } else {
      add_record(partition, Pair{old_consumer, new_consumer});
    }
  }

 private:
  using Pair = std::pair<int32_t, int32_t>;  // (source member, destination member)

  Pair remove_record(Tp partition) {
    const Pair pair = movements_.at(partition);
    movements_.erase(partition);
    auto& for_topic = by_topic_.at(partition.topic);
    auto& set = for_topic.at(pair);
    set.erase(tp_key(partition));
    if (set.empty()) for_topic.erase(pair);
    if (for_topic.empty()) by_topic_.erase(partition.topic);
    return pair;
  }

  void add_record(Tp partition, Pair pair) {
    movements_[partition] = pair;
    by_topic_[partition.topic][pair].insert(tp_key(partition), g_.hash(partition));  // a new HashSet<>() if absent
  }

  const Group& g_;
  std::map<Tp, Pair> movements_;
  std::map<int32_t, std::map<Pair, JavaHashOrder>> by_topic_;
};

class GeneralAssignment {
 public:
  GeneralAssignment(const Group& g, const OwnedPartitions& owned) : g_(g), owned_(owned), movements_(g) {
    const size_t n = g.consumer_names.size();
    topic_consumers_.resize(g.topic_names.size());
    consumer_topics_.resize(n);
    for (int32_t consumer : g.leader_order) {
      for (int32_t t : g.subscriptions[static_cast<size_t>(consumer)]) {
        if (!g.in_metadata(t)) continue;
        consumer_topics_[static_cast<size_t>(consumer)].push_back(t);
        topic_consumers_[static_cast<size_t>(t)].push_back(consumer);
      }
    }
    current_.resize(n);
    participating_.assign(n, true);
    for (size_t c = 0; c < n; ++c) {
      for (Tp tp : owned.consumer_to_owned[c]) {
        current_[c].insert(tp);
        partition_consumer_[tp] = static_cast<int32_t>(c);
      }
    }
    std::vector<int32_t> sorted_topics = g.metadata_topics;
    std::stable_sort(sorted_topics.begin(), sorted_topics.end(), [&](int32_t a, int32_t b) {
      const size_t ca = topic_consumers_[static_cast<size_t>(a)].size();
      const size_t cb = topic_consumers_[static_cast<size_t>(b)].size();
      return ca != cb ? ca < cb : a < b;
    });
    for (int32_t t : sorted_topics)
      for (int32_t p = 0; p < g.partitions_of(t); ++p) sorted_all_partitions_.push_back(Tp{t, p});
  }

  std::vector<std::set<Tp>> build() {
    std::map<Tp, std::pair<int32_t, int32_t>> prev_assignment;  // partition -> (consumer, generation)
    prepopulate_previous_assignment(prev_assignment);
    const std::set<Tp> assigned = assign_owned_partitions();
    std::vector<Tp> unassigned;
    for (Tp tp : sorted_all_partitions_)
      if (!assigned.count(tp)) unassigned.push_back(tp);
    for (size_t c = 0; c < current_.size(); ++c) add_sorted(static_cast<int32_t>(c));
    balance(prev_assignment, unassigned);
    return current_;
  }

 private:
  // prepopulateCurrentAssignments: the latest previous owner of each partition among members whose generation is
  // below the group's highest; the first one in the leader's order wins a tie.
  void prepopulate_previous_assignment(std::map<Tp, std::pair<int32_t, int32_t>>& prev) const {
    for (int32_t consumer : g_.leader_order) {
      const int32_t generation = g_.generations[static_cast<size_t>(consumer)];
      if (generation >= owned_.max_generation) continue;
      for (Tp tp : g_.owned[static_cast<size_t>(consumer)]) {
        auto it = prev.find(tp);
        if (it == prev.end())
          prev[tp] = {consumer, generation};
        else if (generation > it->second.second)
          it->second = {consumer, generation};
      }
    }
  }

  std::set<Tp> assign_owned_partitions() {
    std::set<Tp> assigned;
    for (size_t c = 0; c < current_.size(); ++c) {
      for (auto it = current_[c].begin(); it != current_[c].end();) {
        const Tp tp = *it;
        if (!g_.in_metadata(tp.topic)) {
          partition_consumer_.erase(tp);
          it = current_[c].erase(it);
        } else if (!g_.subscribed(static_cast<int32_t>(c), tp.topic)) {
          // No longer subscribed: revoke (Kafka leaves currentPartitionConsumer stale until it is reassigned).
          it = current_[c].erase(it);
          revocation_required_ = true;
        } else {
          assigned.insert(tp);
          ++it;
        }
      }
    }
    return assigned;
  }

  int32_t size(int32_t consumer) const { return static_cast<int32_t>(current_[static_cast<size_t>(consumer)].size()); }

  // sortedCurrentSubscriptions: a TreeSet ordered by assignment size, then member id.
  void add_sorted(int32_t consumer) {
    sorted_.insert({size(consumer), consumer});
    size_in_sorted_[consumer] = size(consumer);
  }
  void remove_sorted(int32_t consumer) {
    auto it = size_in_sorted_.find(consumer);
    if (it == size_in_sorted_.end()) return;
    sorted_.erase({it->second, consumer});
    size_in_sorted_.erase(it);
  }

  int32_t max_assignment_size(int32_t consumer) const {
    int32_t total = 0;
    for (int32_t t : consumer_topics_[static_cast<size_t>(consumer)]) total += g_.partitions_of(t);
    return total;
  }

  bool can_subscribe(int32_t consumer, int32_t topic) const {
    const auto& topics = consumer_topics_[static_cast<size_t>(consumer)];
    return std::find(topics.begin(), topics.end(), topic) != topics.end();
  }

  bool is_balanced() const {
    const int32_t min = sorted_.begin()->first;
    const int32_t max = sorted_.rbegin()->first;
    if (min >= max - 1) return true;
    for (const auto& [count, consumer] : sorted_) {
      if (count == max_assignment_size(consumer)) continue;
      const auto& mine = current_[static_cast<size_t>(consumer)];
      for (int32_t t : consumer_topics_[static_cast<size_t>(consumer)]) {
        for (int32_t p = 0; p < g_.partitions_of(t); ++p) {
          const Tp tp{t, p};
          if (mine.count(tp)) continue;
          auto owner = partition_consumer_.find(tp);
          if (owner == partition_consumer_.end() || !participating_[static_cast<size_t>(owner->second)]) continue;
          if (count + 1 < size(owner->second)) return false;
        }
      }
    }
    return true;
  }

  int64_t balance_score() const {
    std::vector<int32_t> sizes;
    for (size_t c = 0; c < current_.size(); ++c)
      if (participating_[c]) sizes.push_back(static_cast<int32_t>(current_[c].size()));
    int64_t score = 0;
    for (size_t i = 0; i < sizes.size(); ++i)
      for (size_t j = i + 1; j < sizes.size(); ++j) score += std::abs(sizes[i] - sizes[j]);
    return score;
  }

  bool can_topic_participate(int32_t topic) const { return topic_consumers_[static_cast<size_t>(topic)].size() >= 2; }

  bool can_consumer_participate(int32_t consumer) const {
    if (size(consumer) < max_assignment_size(consumer)) return true;
    for (Tp tp : current_[static_cast<size_t>(consumer)])
      if (can_topic_participate(tp.topic)) return true;
    return false;
  }

  void maybe_assign_partition(Tp tp) {
    for (const auto& [count, consumer] : sorted_) {
      if (!can_subscribe(consumer, tp.topic)) continue;
      const int32_t c = consumer;
      remove_sorted(c);
      current_[static_cast<size_t>(c)].insert(tp);
      partition_consumer_[tp] = c;
      add_sorted(c);
      return;
    }
  }

  void process_partition_movement(Tp tp, int32_t new_consumer) {
    const int32_t old_consumer = partition_consumer_.at(tp);
    remove_sorted(old_consumer);
    remove_sorted(new_consumer);
    movements_.move(tp, old_consumer, new_consumer);
    current_[static_cast<size_t>(old_consumer)].erase(tp);
    current_[static_cast<size_t>(new_consumer)].insert(tp);
    partition_consumer_[tp] = new_consumer;
    add_sorted(new_consumer);
    add_sorted(old_consumer);
  }

  void reassign_partition(Tp tp, int32_t new_consumer) {
    const int32_t consumer = partition_consumer_.at(tp);
    process_partition_movement(movements_.actual_partition_to_move(tp, consumer, new_consumer), new_consumer);
  }

  void reassign_partition(Tp tp) {
    for (const auto& [count, consumer] : sorted_) {
      if (can_subscribe(consumer, tp.topic)) {
        reassign_partition(tp, consumer);
        return;
      }
    }
    KSIM_ASSERT(false, "sticky assignor: no member can take a reassigned partition");
  }

  bool perform_reassignments(const std::vector<Tp>& reassignable,
                             const std::map<Tp, std::pair<int32_t, int32_t>>& prev_assignment) {
    bool performed = false;
    bool modified;
    do {
      modified = false;
      for (auto it = reassignable.begin(); it != reassignable.end() && !is_balanced(); ++it) {
        const Tp tp = *it;
        auto owner = partition_consumer_.find(tp);
        if (owner == partition_consumer_.end()) continue;
        const int32_t consumer = owner->second;
        auto prev = prev_assignment.find(tp);
        // Kafka dereferences the previous owner's assignment; one set aside as fixed would be a
        // NullPointerException there, so that case is skipped here.
        if (prev != prev_assignment.end() && participating_[static_cast<size_t>(prev->second.first)] &&
            size(consumer) > size(prev->second.first) + 1) {
          reassign_partition(tp, prev->second.first);
          performed = modified = true;
          continue;
        }
        for (int32_t other : topic_consumers_[static_cast<size_t>(tp.topic)]) {
          if (participating_[static_cast<size_t>(other)] && size(consumer) > size(other) + 1) {
            reassign_partition(tp);
            performed = modified = true;
            break;
          }
        }
      }
    } while (modified);
    return performed;
  }

  void balance(const std::map<Tp, std::pair<int32_t, int32_t>>& prev_assignment, std::vector<Tp> unassigned) {
    const bool initializing = current_[static_cast<size_t>(sorted_.rbegin()->second)].empty();

    for (Tp tp : unassigned)
      if (!topic_consumers_[static_cast<size_t>(tp.topic)].empty()) maybe_assign_partition(tp);

    // Only partitions of topics with two or more potential members can move.
    auto fixed_partition = [&](Tp tp) { return !can_topic_participate(tp.topic); };
    std::erase_if(sorted_all_partitions_, fixed_partition);
    std::erase_if(unassigned, fixed_partition);

    // Only members that could gain or lose something take part.
    std::vector<int32_t> fixed_consumers;
    for (size_t c = 0; c < current_.size(); ++c) {
      if (!can_consumer_participate(static_cast<int32_t>(c))) {
        remove_sorted(static_cast<int32_t>(c));
        participating_[c] = false;
        fixed_consumers.push_back(static_cast<int32_t>(c));
      }
    }

    const std::vector<std::set<Tp>> pre_balance_assignment = current_;
    const std::map<Tp, int32_t> pre_balance_partition_consumer = partition_consumer_;
    const int64_t pre_balance_score = balance_score();

    if (!revocation_required_) perform_reassignments(unassigned, prev_assignment);
    const bool performed = perform_reassignments(sorted_all_partitions_, prev_assignment);

    // Keep the result only if it is more balanced than what the owned partitions gave.
    if (!initializing && performed && balance_score() >= pre_balance_score) {
      current_ = pre_balance_assignment;
      partition_consumer_ = pre_balance_partition_consumer;
    }
    for (int32_t c : fixed_consumers) participating_[static_cast<size_t>(c)] = true;
  }

  const Group& g_;
  const OwnedPartitions& owned_;
  std::vector<std::vector<int32_t>> topic_consumers_;  // topic2AllPotentialConsumers
  std::vector<std::vector<int32_t>> consumer_topics_;  // consumer2AllPotentialTopics
  std::vector<std::set<Tp>> current_;                  // currentAssignment
  std::vector<bool> participating_;                    // false while set aside as a fixed assignment
  std::map<Tp, int32_t> partition_consumer_;           // currentPartitionConsumer
  std::vector<Tp> sorted_all_partitions_;
  std::set<std::pair<int32_t, int32_t>> sorted_;       // (assignment size, consumer)
  std::map<int32_t, int32_t> size_in_sorted_;
  bool revocation_required_ = false;
  PartitionMovements movements_;
};

}  // namespace

StickyAssignResult sticky_assign(const std::map<std::string, int32_t>& partitions_per_topic,
                                 const std::vector<AssignorMember>& members) {
  const assignor_detail::CleanInput in = assignor_detail::clean_input(partitions_per_topic, members);
  StickyAssignResult result;
  result.assignment = assignor_detail::empty_assignment(in.members);
  if (in.members.empty()) return result;

  const Group g = make_group(in);
  const OwnedPartitions owned = all_subscriptions_equal(g);
  result.all_subscriptions_equal = owned.all_subscriptions_equal;
  if (owned.all_subscriptions_equal) {
    ConstrainedResult r = constrained_assign(g, owned);
    for (size_t c = 0; c < r.assignment.size(); ++c) {
      auto& list = result.assignment[g.consumer_names[c]];
      for (Tp tp : r.assignment[c]) list.push_back(g.name(tp));
    }
    std::map<std::pair<std::string, int32_t>, std::string> transferring;
    for (const auto& [tp, consumer] : r.transferring) transferring[g.name(tp)] = g.consumer_names[static_cast<size_t>(consumer)];
    result.partitions_transferring_ownership = std::move(transferring);
  } else {
    GeneralAssignment general(g, owned);
    const std::vector<std::set<Tp>> assignment = general.build();
    for (size_t c = 0; c < assignment.size(); ++c) {
      auto& list = result.assignment[g.consumer_names[c]];
      for (Tp tp : assignment[c]) list.push_back(g.name(tp));
    }
  }
  assignor_detail::sort_partitions(result.assignment);
  return result;
}

namespace assignor_detail {

Assignment StickyAssignor::assign(const std::map<std::string, int32_t>& partitions_per_topic,
                                  const std::vector<AssignorMember>& members) const {
  return sticky_assign(partitions_per_topic, members).assignment;
}

Assignment CooperativeStickyAssignor::assign(const std::map<std::string, int32_t>& partitions_per_topic,
                                             const std::vector<AssignorMember>& members) const {
  StickyAssignResult result = sticky_assign(partitions_per_topic, members);
  std::map<std::pair<std::string, int32_t>, std::string> transferring;
  if (result.partitions_transferring_ownership) {
    transferring = std::move(*result.partitions_transferring_ownership);
  } else {
    // computePartitionsTransferringOwnership: newly assigned to one member while another still lists it as owned.
    const CleanInput in = clean_input(partitions_per_topic, members);
    std::map<std::pair<std::string, int32_t>, std::string> added;
    std::set<std::pair<std::string, int32_t>> revoked;
    for (const auto& m : in.members) {
      const auto& assigned = result.assignment.at(m.member_id);
      const std::set<std::pair<std::string, int32_t>> owned(m.owned_partitions.begin(), m.owned_partitions.end());
      const std::set<std::pair<std::string, int32_t>> now(assigned.begin(), assigned.end());
      for (const auto& tp : assigned)
        if (!owned.count(tp)) added[tp] = m.member_id;
      for (const auto& tp : m.owned_partitions)
        if (!now.count(tp)) revoked.insert(tp);
    }
    for (const auto& [tp, member] : added)
      if (revoked.count(tp)) transferring[tp] = member;
  }
  // adjustAssignment: the new owner gets it in the follow-up rebalance, once the old owner has revoked it.
  for (const auto& [tp, member] : transferring) std::erase(result.assignment.at(member), tp);
  return result.assignment;
}

}  // namespace assignor_detail
}  // namespace kafkasim
