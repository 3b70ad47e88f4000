#include "client/workload.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "protocol/messages.h"

namespace kafkasim {

double sample_seconds(const Distribution& d, Rng& rng) {
  double v = 0;
  switch (d.kind) {
    case Distribution::Kind::fixed: v = d.mean; break;
    case Distribution::Kind::exponential: v = d.mean > 0 ? rng.exponential(1.0 / d.mean) : 0; break;
    case Distribution::Kind::normal: v = rng.normal(d.mean, d.stddev); break;
    case Distribution::Kind::lognormal: {
      // Parameterised by the distribution's own mean and stddev, not by mu/sigma of the log.
      if (d.mean <= 0) break;
      double var = d.stddev * d.stddev;
      double sigma2 = std::log1p(var / (d.mean * d.mean));
      v = rng.lognormal(std::log(d.mean) - sigma2 / 2, std::sqrt(sigma2));
      break;
    }
    case Distribution::Kind::uniform: v = d.min + (d.max - d.min) * rng.uniform01(); break;
  }
  return std::max(v, 0.0);
}

int64_t sample_distribution(const Distribution& d, Rng& rng, double minimum) {
  return static_cast<int64_t>(std::llround(std::max(sample_seconds(d, rng), minimum)));
}

ArrivalStream::ArrivalStream(const ProducerSpec& spec, int32_t num_partitions, SimTime run_end, uint64_t seed)
    : spec_(spec),
      num_partitions_(num_partitions),
      end_(spec.stop_s ? std::min(*spec.stop_s, run_end) : run_end),
      arrivals_rng_(seed, "producer:" + spec.name + ":arrivals"),
      keys_rng_(seed, "producer:" + spec.name + ":keys"),
      sizes_rng_(seed, "producer:" + spec.name + ":sizes"),
      sticky_(num_partitions, spec.config.get_int("batch.size"), Rng(seed, "producer:" + spec.name + ":sticky")),
      clock_(spec.start_s) {
  ignore_keys_ = spec.config.has("partitioner.ignore.keys") && spec.config.get_bool("partitioner.ignore.keys");
  if (spec.keys.kind == KeySpec::Kind::zipf) zipf_.emplace(static_cast<uint64_t>(spec.keys.count), spec.keys.zipf_exponent);
  if (spec.keys.kind != KeySpec::Kind::none && spec.keys.count <= 1'000'000) {
    key_partition_cache_.resize(static_cast<size_t>(spec.keys.count));
    for (int64_t k = 0; k < spec.keys.count; ++k)
      key_partition_cache_[static_cast<size_t>(k)] = partition_for_key("key-" + std::to_string(k), num_partitions);
  }
  generate_next();
}

int64_t ArrivalStream::sample_value_bytes() { return sample_distribution(spec_.record_size_bytes, sizes_rng_, 0.0); }

void ArrivalStream::generate_next() {
  next_.reset();
  if (spec_.max_records && generated_ >= *spec_.max_records) return;
  if (spec_.rate_per_s <= 0) return;
  double gap = spec_.arrival == ProducerSpec::Arrival::constant ? 1.0 / spec_.rate_per_s
                                                                 : arrivals_rng_.exponential(spec_.rate_per_s);
  // The application's thread cannot call send() again before the previous call returned.
  gap = std::max(gap, spec_.send_time_s);
  // The first constant-rate record goes at the start time itself.
  SimTime t = (generated_ == 0 && spec_.arrival == ProducerSpec::Arrival::constant) ? clock_ : clock_ + gap;
  if (t >= end_) return;
  clock_ = t;
  Arrival a;
  a.time = t;
  int64_t value = sample_value_bytes();
  int64_t key_bytes = 0;
  if (spec_.keys.kind == KeySpec::Kind::none) {
    a.partition = -1;
  } else {
    int64_t k = 0;
    switch (spec_.keys.kind) {
      case KeySpec::Kind::uniform: k = static_cast<int64_t>(keys_rng_.uniform_below(static_cast<uint64_t>(spec_.keys.count))); break;
      case KeySpec::Kind::zipf: k = static_cast<int64_t>(zipf_->sample(keys_rng_)); break;
      case KeySpec::Kind::sequential: k = sequential_key_++ % spec_.keys.count; break;
      case KeySpec::Kind::none: break;
    }
    std::string key = "key-" + std::to_string(k);
    key_bytes = static_cast<int64_t>(key.size());
    a.partition = k < static_cast<int64_t>(key_partition_cache_.size()) ? key_partition_cache_[static_cast<size_t>(k)]
                                                                        : partition_for_key(key, num_partitions_);
  }
  a.wire_bytes = value + key_bytes + kRecordOverheadBytes;
  if (a.partition < 0 || ignore_keys_) a.partition = sticky_.next(a.wire_bytes);
  ++generated_;
  next_ = a;
}

void ArrivalStream::resume_at(SimTime t) {
  if (!next_ || next_->time >= t) return;
  const SimTime shift = t - next_->time;
  next_->time = t;
  clock_ += shift;
  if (next_->time >= end_) next_.reset();
}

Arrival ArrivalStream::pop() {
  Arrival a = *next_;
  generate_next();
  return a;
}

}  // namespace kafkasim
