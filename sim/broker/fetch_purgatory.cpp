#include "broker/fetch_purgatory.h"

#include <algorithm>

#include "core/check.h"

namespace kafkasim {

void FetchPurgatory::emplace(uint64_t token, DelayedFetch fetch) {
  for (const auto& fp : fetch.request.partitions) watchers_[fp.tp].insert(token);
  bool fresh = fetches_.emplace(token, std::move(fetch)).second;
  KSIM_ASSERT(fresh, "a fetch token waits twice in the purgatory");
}

void FetchPurgatory::erase(iterator it) {
  for (const auto& fp : it->second.request.partitions) {
    auto w = watchers_.find(fp.tp);
    if (w == watchers_.end()) continue;
    w->second.erase(it->first);
    if (w->second.empty()) watchers_.erase(w);
  }
  fetches_.erase(it);
}

void FetchPurgatory::clear() {
  fetches_.clear();
  watchers_.clear();
  changed_.clear();
}

std::vector<uint64_t> FetchPurgatory::take_changed() {
  std::vector<uint64_t> tokens;
  for (TopicPartition tp : changed_)
    if (auto w = watchers_.find(tp); w != watchers_.end()) tokens.insert(tokens.end(), w->second.begin(), w->second.end());
  changed_.clear();
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

}  // namespace kafkasim
