// Quantities with units as scenario files write them: "250ms", "30s", "16KB", "1Gbps".
// SI prefixes are powers of 1000 (KB, MB), IEC ones powers of 1024 (KiB, MiB), as in SimGrid and most tools.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kafkasim::units {

// Each returns nothing when the text is not a valid quantity of that kind.
std::optional<double> parse_duration_s(std::string_view text);     // "250ms" -> 0.25; units us, ms, s, m, min, h
std::optional<double> parse_bytes(std::string_view text);          // "16KB" -> 16000, "16KiB" -> 16384, "100B"
std::optional<double> parse_bandwidth_Bps(std::string_view text);  // "1Gbps" -> 1.25e8, "125MBps" and "125MB/s" -> 1.25e8

// Canonical text for a value, used when writing the resolved scenario (round-trips through the parsers).
std::string format_duration(double seconds);
std::string format_bytes(double bytes);
std::string format_bandwidth(double bytes_per_s);

}  // namespace kafkasim::units
