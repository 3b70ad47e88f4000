// Simulated time. Seconds as double, as SimGrid's clock is; helpers keep unit conversions in one place.
#pragma once

#include <cstdint>
#include <limits>

namespace kafkasim {

using SimTime = double;  // seconds since the start of the run

inline constexpr SimTime kNever = std::numeric_limits<double>::infinity();

constexpr SimTime from_ms(double ms) { return ms / 1000.0; }
constexpr double to_ms(SimTime t) { return t * 1000.0; }

}  // namespace kafkasim
