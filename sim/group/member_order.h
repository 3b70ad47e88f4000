// The order Kafka's range and roundrobin assignors give group members (AbstractPartitionAssignor.MemberInfo):
// static members (with group.instance.id) first, by instance id; then dynamic members by member id. Strings compare
// as Java's String.compareTo does, by UTF-16 code units: for ASCII that is byte order, so "consumer10" < "consumer2".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "group/assignor.h"

namespace kafkasim {

// Java's String.compareTo over the UTF-16 code units of two UTF-8 strings: negative, zero or positive.
// Invalid UTF-8 bytes count as U+FFFD, as Java's decoder reads them.
int java_string_compare(std::string_view a, std::string_view b);

struct JavaStringLess {
  bool operator()(std::string_view a, std::string_view b) const { return java_string_compare(a, b) < 0; }
};

// MemberInfo.compareTo: true if a comes before b.
bool member_info_less(const AssignorMember& a, const AssignorMember& b);

// Indices of `members` in the order Kafka's leader iterates them (java.util.HashMap keyed by member id, filled in
// the given order); range and roundrobin start from this order before sorting, the sticky assignors use it as is.
std::vector<size_t> leader_iteration_order(const std::vector<AssignorMember>& members);

// Member ids in Kafka's MemberInfo order (a stable sort of the leader's iteration order, as Collections.sort is).
std::vector<std::string> kafka_member_order(const std::vector<AssignorMember>& members);

}  // namespace kafkasim
