// Deterministic randomness: one generator per entity, derived from the run's seed and the entity's name, so
// adding an entity never shifts another entity's draws. Distributions are computed here, not by <random>,
// whose output differs between standard libraries.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace kafkasim {

class Rng {
 public:
  Rng(uint64_t run_seed, std::string_view entity_name);
  explicit Rng(uint64_t raw_seed);

  uint64_t next_u64();
  double uniform01();                        // in [0, 1)
  uint64_t uniform_below(uint64_t bound);    // in [0, bound), unbiased; REQUIRES bound > 0
  double exponential(double rate);           // mean 1/rate; REQUIRES rate > 0
  double normal(double mean, double stddev);
  double lognormal(double mu, double sigma);

 private:
  uint64_t s_[4];
};

// Draws ranks 0..n-1 with P(k) proportional to 1/(k+1)^exponent.
class ZipfTable {
 public:
  ZipfTable(uint64_t n, double exponent);
  uint64_t sample(Rng& rng) const;

 private:
  std::vector<double> cdf_;
};

uint64_t fnv1a64(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ULL);

}  // namespace kafkasim
