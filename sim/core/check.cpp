#include "core/check.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace kafkasim {

double (*BugContext::clock)() = nullptr;
uint64_t BugContext::seed = 0;

void invariant_failed(const char* expr, const char* file, int line, const std::string& detail) {
  double now = BugContext::clock ? BugContext::clock() : 0.0;
  std::fprintf(stderr,
               "kafkasim: internal error (a bug in the simulator, please report it with the scenario):\n"
               "  %s:%d: %s\n  %s\n  simulated time %.6f s, seed %llu\n",
               file, line, expr, detail.c_str(), now, static_cast<unsigned long long>(BugContext::seed));
  std::abort();
}

}  // namespace kafkasim
