// The fetch purgatory: fetch requests waiting for fetch.min.bytes (or their max wait), kept by request token
// and watched by partition, like Kafka's DelayedOperationPurgatory keys. A change to a partition marks the
// fetches that read it; only those are checked again, so an append costs the fetches of that partition, not
// every waiting fetch of the broker.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "core/ids.h"
#include "protocol/messages.h"

namespace kafkasim {

struct DelayedFetch {
  NodeId client;
  FetchRequest request;
  SimTime deadline;
};

class FetchPurgatory {
 public:
  using Fetches = std::map<uint64_t, DelayedFetch>;
  using iterator = Fetches::iterator;

  // REQUIRES: `token` is not waiting already.
  void emplace(uint64_t token, DelayedFetch fetch);
  iterator find(uint64_t token) { return fetches_.find(token); }
  iterator end() { return fetches_.end(); }
  void erase(iterator it);
  void clear();
  size_t size() const { return fetches_.size(); }

  // What a fetch of `tp` would answer may have changed (data, high watermark, leadership, truncation).
  void partition_changed(TopicPartition tp) {
    if (watchers_.count(tp)) changed_.insert(tp);
  }
  // The waiting fetches that read a partition changed since the last call, in token order (the order in
  // which they arrived); forgets the changes.
  std::vector<uint64_t> take_changed();

 private:
  Fetches fetches_;
  std::map<TopicPartition, std::set<uint64_t>> watchers_;
  std::set<TopicPartition> changed_;
};

}  // namespace kafkasim
