// Timers cannot be cancelled (NodeContext::set_timer), so each kind of timer a node uses carries a generation
// in its token: arming a kind again, disarming it or crashing makes the earlier tokens stale.
#pragma once

#include <array>
#include <cstdint>

namespace kafkasim {

class TimerSlots {
 public:
  static constexpr int kMaxKinds = 32;

  // A token for the one live timer of `kind`: earlier tokens of that kind become stale.
  uint64_t arm(int kind) {
    uint64_t generation = ++next_;
    current_[static_cast<size_t>(kind)] = generation;
    return generation << 8 | static_cast<uint64_t>(kind);
  }
  // A token for a timer of `kind` that may coexist with others of its kind (sweeps that are harmless when
  // early or repeated); it goes stale only with invalidate_all().
  uint64_t arm_shared(int kind) const { return life_ << 8 | 0x80 | static_cast<uint64_t>(kind); }

  // The kind of a fired token that is still live, or -1. An exclusive timer is live once.
  int fired(uint64_t token) {
    int kind = static_cast<int>(token & 0x7f);
    if (kind >= kMaxKinds) return -1;
    if (token & 0x80) return (token >> 8) == life_ ? kind : -1;
    if (current_[static_cast<size_t>(kind)] != token >> 8) return -1;
    current_[static_cast<size_t>(kind)] = 0;
    return kind;
  }
  void disarm(int kind) { current_[static_cast<size_t>(kind)] = 0; }
  bool armed(int kind) const { return current_[static_cast<size_t>(kind)] != 0; }
  // After a crash: every token handed out so far is stale.
  void invalidate_all() {
    current_.fill(0);
    life_ = ++next_;
  }

 private:
  std::array<uint64_t, kMaxKinds> current_{};
  uint64_t next_ = 0;
  uint64_t life_ = 0;
};

}  // namespace kafkasim
