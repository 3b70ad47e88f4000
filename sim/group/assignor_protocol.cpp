// ClassicGroup.selectProtocol: candidates supported by every member, one vote per member for its first candidate,
// most votes wins, ties to the first entry of Java's HashMap<String, Integer> iteration.
#include <algorithm>
#include <map>

#include "client/partitioner.h"
#include "group/assignor.h"
#include "group/assignor_java_hash.h"

namespace kafkasim {

std::string select_protocol(const std::vector<std::vector<std::string>>& member_strategies) {
  if (member_strategies.empty()) return "";
  std::vector<std::string> candidates;
  for (const auto& protocol : member_strategies.front()) {
    const bool everywhere = std::all_of(member_strategies.begin(), member_strategies.end(), [&](const auto& list) {
      return std::find(list.begin(), list.end(), protocol) != list.end();
    });
    if (everywhere && std::find(candidates.begin(), candidates.end(), protocol) == candidates.end())
      candidates.push_back(protocol);
  }
  if (candidates.empty()) return "";

  // votesByProtocol, keyed in the order votes first arrive.
  std::vector<std::string> voted;
  std::map<std::string, int> votes;
  for (const auto& list : member_strategies) {
    auto vote = std::find_if(list.begin(), list.end(), [&](const std::string& p) {
      return std::find(candidates.begin(), candidates.end(), p) != candidates.end();
    });
    if (votes[*vote]++ == 0) voted.push_back(*vote);
  }
  JavaHashOrder map;
  for (size_t i = 0; i < voted.size(); ++i) map.insert(static_cast<int64_t>(i), java_string_hash(voted[i]));
  std::string winner;
  int best = -1;
  for (int64_t key : map.order()) {
    const std::string& protocol = voted[static_cast<size_t>(key)];
    if (votes[protocol] > best) {  // strictly greater: the first maximum stays
      best = votes[protocol];
      winner = protocol;
    }
  }
  return winner;
}

}  // namespace kafkasim
