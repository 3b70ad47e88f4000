// The application side of a producer: when records are sent, with which key and size. Arrival times follow
// the scenario's process (Poisson or constant rate); keys follow its key distribution and decide the
// partition exactly as Kafka's default partitioner would.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "client/partitioner.h"
#include "core/random.h"
#include "scenario/scenario.h"

namespace kafkasim {

struct Arrival {
  SimTime time = 0;
  int32_t partition = 0;
  int64_t wire_bytes = 0;  // the record's size inside a batch (key, value, per-record overhead)
};

class ArrivalStream {
 public:
  ArrivalStream(const ProducerSpec& spec, int32_t num_partitions, SimTime run_end, uint64_t seed);

  bool done() const { return !next_.has_value(); }
  const Arrival& peek() const { return *next_; }  // REQUIRES !done()
  Arrival pop();                                   // REQUIRES !done()
  // The application was blocked in send() until `t`: records it would have sent meanwhile come later.
  void resume_at(SimTime t);
  int64_t generated() const { return generated_; }

 private:
  void generate_next();
  int64_t sample_value_bytes();

  const ProducerSpec& spec_;
  int32_t num_partitions_;
  SimTime end_;
  Rng arrivals_rng_, keys_rng_, sizes_rng_;
  StickyPartitioner sticky_;
  std::optional<ZipfTable> zipf_;
  std::vector<int32_t> key_partition_cache_;
  std::optional<Arrival> next_;
  SimTime clock_;
  int64_t generated_ = 0;
  int64_t sequential_key_ = 0;
  bool ignore_keys_ = false;
};

int64_t sample_distribution(const Distribution& d, Rng& rng, double minimum);
double sample_seconds(const Distribution& d, Rng& rng);

}  // namespace kafkasim
