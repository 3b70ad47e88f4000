#include "scenario/parse_context.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/units.h"

namespace kafkasim::scenario_detail {

std::string pointer_child(const std::string& parent, std::string_view key) {
  std::string out = parent + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_child(const std::string& parent, size_t index) { return parent + "/" + std::to_string(index); }

std::string shown(const json& value) {
  if (value.is_object() && value.size() > 3) return "an object";
  if (value.is_array() && value.size() > 8) return "an array of " + std::to_string(value.size());
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string number_text(double value) {
  if (std::fabs(value) < 9.2e18 && value == std::floor(value)) return std::to_string(static_cast<int64_t>(value));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                            std::tolower(static_cast<unsigned char>(b[j - 1]))
                        ? 0
                        : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  size_t best_prefix = 0;
  for (const auto& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    // Close enough to be a typo: one edit for short names, up to a third of the shorter name for long ones.
    size_t limit = std::max<size_t>(1, std::min(word.size(), candidate.size()) / 3);
    if (distance > limit) continue;
    // Among equally distant names, the one sharing the longest start ("node": "nodes" rather than "mode").
    size_t prefix = 0;
    while (prefix < word.size() && prefix < candidate.size() && word[prefix] == candidate[prefix]) ++prefix;
    if (distance < best_distance || (distance == best_distance && prefix > best_prefix)) {
      best = candidate;
      best_distance = distance;
      best_prefix = prefix;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = closest_name(word, candidates);
  return best ? " (did you mean " + in_quotes(*best) + "?)" : "";
}

std::string range_violation(double value, const NumberRange& range) {
  bool low = range.min && (range.min_exclusive ? value <= *range.min : value < *range.min);
  bool high = range.max && value > *range.max;
  if (!low && !high) return "";
  std::string got = ", got " + number_text(value);
  std::string lower;
  if (range.min) lower = (range.min_exclusive ? "greater than " : "at least ") + number_text(*range.min);
  if (range.min && range.max) {
    if (range.min_exclusive) return "must be " + lower + " and at most " + number_text(*range.max) + got;
    return "must be between " + number_text(*range.min) + " and " + number_text(*range.max) + got;
  }
  if (range.min) return "must be " + lower + got;
  return "must be at most " + number_text(*range.max) + got;
}

// ---- Fields ----

Fields::Fields(const json& object, std::string pointer, std::vector<std::string> known, std::string what,
               Diagnostics& diagnostics)
    : object_(&object), pointer_(std::move(pointer)), diagnostics_(diagnostics) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    diagnostics_.error(pointer_child(pointer_, key),
                       "unknown field " + in_quotes(key) + " in " + what + did_you_mean(key, known));
  }
}

const json* Fields::get(std::string_view key) const {
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

void Fields::missing(std::string_view key, const std::string& why) const {
  diagnostics_.error(pointer_, "missing required field " + in_quotes(key) + (why.empty() ? "" : " (" + why + ")"));
}

std::optional<std::string> Fields::string(std::string_view key, bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_string()) {
    diagnostics_.error(at(key), "expected a string, got " + shown(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> Fields::choice(std::string_view key, const std::vector<std::string>& allowed,
                                          bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + in_quotes(a);
  if (v->is_string()) {
    auto text = v->get<std::string>();
    if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return text;
    diagnostics_.error(at(key), "expected one of " + list + ", got " + shown(*v) + did_you_mean(text, allowed));
    return std::nullopt;
  }
  diagnostics_.error(at(key), "expected one of " + list + ", got " + shown(*v));
  return std::nullopt;
}

std::optional<bool> Fields::boolean(std::string_view key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    diagnostics_.error(at(key), "expected true or false, got " + shown(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<int64_t> Fields::integer(std::string_view key, int64_t min, int64_t max, bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  std::string bounds = "an integer between " + std::to_string(min) + " and " + std::to_string(max);
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    diagnostics_.error(at(key), "expected " + bounds + ", got " + shown(*v));
    return std::nullopt;
  }
  if (!v->is_number_integer()) {
    diagnostics_.error(at(key), "expected " + bounds + ", got " + shown(*v));
    return std::nullopt;
  }
  int64_t value = v->get<int64_t>();
  if (value < min || value > max) {
    std::string message = max == std::numeric_limits<int64_t>::max()
                              ? "must be at least " + std::to_string(min)
                              : "must be between " + std::to_string(min) + " and " + std::to_string(max);
    diagnostics_.error(at(key), message + ", got " + std::to_string(value));
    return std::nullopt;
  }
  return value;
}

std::optional<double> Fields::number(std::string_view key, const NumberRange& range, bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_number()) {
    diagnostics_.error(at(key), "expected a number, got " + shown(*v));
    return std::nullopt;
  }
  double value = v->get<double>();
  if (auto e = range_violation(value, range); !e.empty()) {
    diagnostics_.error(at(key), e);
    return std::nullopt;
  }
  return value;
}

std::optional<double> Fields::duration_s(std::string_view key, bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  return read_unit(*v, UnitKind::duration, at(key), diagnostics_);
}

std::optional<double> Fields::bytes(std::string_view key, bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  return read_unit(*v, UnitKind::bytes, at(key), diagnostics_);
}

std::optional<double> Fields::bandwidth_Bps(std::string_view key, bool required) const {
  const json* v = get(key);
  if (!v) {
    if (required) missing(key);
    return std::nullopt;
  }
  return read_unit(*v, UnitKind::bandwidth, at(key), diagnostics_);
}

// ---- units ----

namespace {

struct UnitInfo {
  const char* example;
  const char* kind_name;
  const char* units;
  std::optional<double> (*parse)(std::string_view);
};

UnitInfo unit_info(UnitKind kind) {
  switch (kind) {
    case UnitKind::duration: return {"250ms", "duration", "ns, us, ms, s, m, min, h", units::parse_duration_s};
    case UnitKind::bytes: return {"16KB", "size", "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB", units::parse_bytes};
    case UnitKind::bandwidth:
      return {"10Gbps", "bandwidth", "bps, Kbps, Mbps, Gbps, Bps, KBps, MBps, GBps, MB/s, MiBps, ...",
              units::parse_bandwidth_Bps};
  }
  return {"", "", "", nullptr};
}

std::string shortest_fixed(double value) {
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  if (ec != std::errc()) return number_text(value);
  return std::string(buf, end);
}

}  // namespace

std::optional<double> read_unit(const json& value, UnitKind kind, const std::string& pointer, Diagnostics& d) {
  UnitInfo info = unit_info(kind);
  if (!value.is_string()) {
    d.error(pointer, std::string("expected a string like \"") + info.example + "\", got " + shown(value));
    return std::nullopt;
  }
  std::string text = value.get<std::string>();
  if (!text.empty() && text[0] == '-') {
    d.error(pointer, std::string("a ") + info.kind_name + " cannot be negative, got " + shown(value));
    return std::nullopt;
  }
  auto parsed = info.parse(text);
  if (!parsed) {
    d.error(pointer, std::string("expected a ") + info.kind_name + " like \"" + info.example + "\" (units " +
                         info.units + "), got " + shown(value));
    return std::nullopt;
  }
  return parsed;
}

std::string exact_text(double value, UnitKind kind, bool byte_units) {
  struct Unit {
    const char* suffix;
    double factor;
  };
  static const std::vector<Unit> durations = {{"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}};
  static const std::vector<Unit> sizes = {{"B", 1.0},         {"KB", 1e3},          {"MB", 1e6},
                                          {"GB", 1e9},        {"KiB", 1024.0},      {"MiB", 1048576.0},
                                          {"GiB", 1073741824.0}};
  static const std::vector<Unit> bandwidths = {{"Gbps", 1e9 / 8}, {"Mbps", 1e6 / 8}, {"Kbps", 1e3 / 8},
                                               {"GBps", 1e9},     {"MBps", 1e6},     {"KBps", 1e3},
                                               {"Bps", 1.0}};
  static const std::vector<Unit> byte_bandwidths = {{"Bps", 1.0}, {"MBps", 1e6}, {"GBps", 1e9}, {"KBps", 1e3}};
  const auto& table = kind == UnitKind::duration ? durations
                      : kind == UnitKind::bytes  ? sizes
                      : byte_units               ? byte_bandwidths
                                                 : bandwidths;
  const auto parse = unit_info(kind).parse;
  std::string best;
  for (const auto& unit : table) {
    std::string text = shortest_fixed(value / unit.factor) + unit.suffix;
    auto back = parse(text);
    if (back && *back == value && (best.empty() || text.size() < best.size())) best = text;
  }
  if (best.empty()) best = shortest_fixed(value) + (kind == UnitKind::duration ? "s" : kind == UnitKind::bytes ? "B" : "Bps");
  return best;
}

// ---- configs ----

ConfigMap read_config(ConfigScope scope, const json* given, const std::string& pointer, Diagnostics& diagnostics,
                      std::set<std::string>* explicit_keys, const ConfigMap* broker) {
  ConfigMap map;
  const auto& defs = config_defs(scope);
  if (given && !given->is_object()) {
    diagnostics.error(pointer, "expected an object of " + std::string(to_string(scope)) +
                                   " configs (Kafka key to value), got " + shown(*given));
  } else if (given) {
    std::vector<std::string> names;
    for (const auto& def : defs) names.push_back(def.name);
    for (const auto& [key, raw] : given->items()) {
      std::string at = pointer_child(pointer, key);
      const ConfigDef* def = find_config(scope, key);
      if (!def) {
        std::string message = "unknown " + std::string(to_string(scope)) + " config " + in_quotes(key);
        std::string elsewhere;
        for (auto other : {ConfigScope::producer, ConfigScope::consumer, ConfigScope::broker, ConfigScope::topic})
          if (other != scope && find_config(other, key))
            elsewhere += (elsewhere.empty() ? "" : " and ") + std::string(to_string(other));
        if (!elsewhere.empty())
          message += " (it is a " + elsewhere + " config)";
        else
          message += did_you_mean(key, names);
        diagnostics.error(at, message);
        continue;
      }
      ConfigConversion converted = convert_config_value(*def, raw);
      if (!converted.value) {
        diagnostics.error(at, converted.error);
        continue;
      }
      if (!def->simulated) {
        diagnostics.warning(at, key + " has no effect in the simulator");
        continue;
      }
      map.values[key] = *converted.value;
      if (explicit_keys) explicit_keys->insert(key);
    }
  }
  for (const auto& def : defs) {
    if (!def.simulated || map.has(def.name)) continue;
    if (broker && !def.inherited_from.empty())
      map.values[def.name] = def.inherit ? def.inherit(*broker) : broker->values.at(def.inherited_from);
    else
      map.values[def.name] = def.default_value;
  }
  return map;
}

}  // namespace kafkasim::scenario_detail
