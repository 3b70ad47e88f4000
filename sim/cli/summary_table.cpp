#include "cli/summary_table.h"

#include <cstdio>
#include <sstream>

namespace kafkasim::cli {
namespace {

std::string row(const std::string& label, const std::string& value) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-28s %s\n", label.c_str(), value.c_str());
  return buf;
}

std::string num(const nlohmann::ordered_json& v) {
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v.get<double>());
    return buf;
  }
  return v.dump();
}

}  // namespace

std::string format_summary_table(const nlohmann::ordered_json& s) {
  std::ostringstream out;
  out << "kafkasim " << s.value("kafkasim_version", "") << " — scenario '" << s.value("scenario", "")
      << "', seed " << s["seed"].dump() << ", " << num(s["duration_s"]) << " s simulated\n\n";
  out << "Records\n";
  const auto& r = s["records"];
  for (const char* key : {"produced", "acknowledged", "failed", "unresolved", "consumed", "delivered_twice",
                          "duplicated", "lost", "above_high_watermark", "reordered"})
    out << row(key, num(r[key]));
  out << "\nEnd-to-end latency (send to poll)\n";
  const auto& l = s["latency_ms"];
  out << row("p50", num(l["p50"]) + " ms") << row("p99", num(l["p99"]) + " ms") << row("p99.9", num(l["p999"]) + " ms")
      << row("max", num(l["max"]) + " ms");
  out << "\nThroughput\n";
  const auto& t = s["throughput"];
  out << row("produced", num(t["produced_records_per_s"]) + " records/s")
      << row("acknowledged", num(t["acknowledged_records_per_s"]) + " records/s")
      << row("consumed", num(t["consumed_records_per_s"]) + " records/s")
      << row("written to logs", num(t["log_MB_per_s"]) + " MB/s");
  if (!s["consumers"].empty()) {
    out << "\nConsumers\n";
    for (const auto& c : s["consumers"])
      out << row(c["name"].get<std::string>(),
                 num(c["records"]) + " records, lag at end " + num(c["lag_at_end"]) + ", commits " + num(c["commits"]));
  }
  out << "\nEvents: " << num(s["events"]["count"]) << " (fnv1a64 " << s["events"]["fnv1a64"].get<std::string>()
      << ")\n";
  return out.str();
}

}  // namespace kafkasim::cli
