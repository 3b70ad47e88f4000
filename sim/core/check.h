// Invariant checks for bugs in the simulator itself (not user errors, not simulated failures).
// A failed check prints where the simulation was (time, seed) so the run can be reproduced, then aborts.
#pragma once

#include <cstdint>
#include <string>

namespace kafkasim {

// Set by the simulation driver; read when an invariant breaks.
struct BugContext {
  static double (*clock)();
  static uint64_t seed;
};

[[noreturn]] void invariant_failed(const char* expr, const char* file, int line, const std::string& detail);

}  // namespace kafkasim

#define KSIM_ASSERT(cond, detail)                                                      \
  do {                                                                                 \
    if (!(cond)) ::kafkasim::invariant_failed(#cond, __FILE__, __LINE__, (detail));    \
  } while (false)
