// The producer application's send() time caps how fast one producer thread can send.
#include <gtest/gtest.h>

#include "client/workload.h"

namespace kafkasim {
namespace {

ProducerSpec spec(double rate, ProducerSpec::Arrival arrival, SimTime send_time) {
  ProducerSpec s;
  s.name = "p";
  s.rate_per_s = rate;
  s.arrival = arrival;
  s.send_time_s = send_time;
  s.config.values["batch.size"] = int64_t{16384};
  return s;
}

int64_t records_in(const ProducerSpec& s, SimTime end) {
  ArrivalStream stream(s, 6, end, 7);
  int64_t n = 0;
  while (!stream.done()) {
    stream.pop();
    ++n;
  }
  return n;
}

TEST(WorkloadSendTime, CapsAConstantRateAtOneOverSendTime) {
  // Asked for 2M/s, but each send() takes 1.25 us: 800k/s.
  EXPECT_NEAR(static_cast<double>(records_in(spec(2e6, ProducerSpec::Arrival::constant, 1.25e-6), 1.0)), 800000, 2);
  // Slower than the cap: the rate asked for.
  EXPECT_NEAR(static_cast<double>(records_in(spec(5e5, ProducerSpec::Arrival::constant, 1.25e-6), 1.0)), 500000, 2);
}

TEST(WorkloadSendTime, PoissonArrivalsNeverCloserThanSendTime) {
  ProducerSpec s = spec(1e6, ProducerSpec::Arrival::poisson, 2e-6);
  ArrivalStream stream(s, 6, 0.1, 3);
  SimTime last = -1;
  int64_t n = 0;
  while (!stream.done()) {
    SimTime t = stream.pop().time;
    if (last >= 0) {
      EXPECT_GE(t - last, 2e-6 - 1e-12);
    }
    last = t;
    ++n;
  }
  // Exponential gaps of mean 1 us, each at least 2 us: about 2.14 us on average (2 + e^-2 us).
  EXPECT_NEAR(static_cast<double>(n), 0.1 / 2.135e-6, 1000);
  // Without a send time the same stream is twice as dense.
  EXPECT_GT(records_in(spec(1e6, ProducerSpec::Arrival::poisson, 0), 0.1), 95000);
}

}  // namespace
}  // namespace kafkasim
