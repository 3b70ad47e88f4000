#include "metrics/event_log.h"

#include <cmath>

#include "core/random.h"

namespace kafkasim {

double round_time(SimTime t) { return std::round(t * 1e6) / 1e6; }

void EventLog::emit(SimTime t, const std::string& type, nlohmann::ordered_json fields) {
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["t"] = round_time(t);
  line["type"] = type;
  for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  std::string text = line.dump();
  text.push_back('\n');
  hash_ = fnv1a64(text, hash_);
  ++count_;
  ++counts_[type];
  if (out_) *out_ << text;
  for (const Observer& observer : observers_) observer(line);
}

}  // namespace kafkasim
