#include "group/member_order.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "client/partitioner.h"
#include "group/assignor_java_hash.h"

namespace kafkasim {
namespace {

// Decodes UTF-8 into UTF-16 code units (surrogate pairs above the BMP); invalid bytes become U+FFFD.
std::u16string utf16_units(std::string_view utf8) {
  std::u16string units;
  units.reserve(utf8.size());
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  size_t i = 0;
  while (i < utf8.size()) {
    const unsigned char c = s[i];
    const int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    uint32_t cp;
    if (extra < 0 || (extra > 0 && i + static_cast<size_t>(extra) >= utf8.size())) {
      cp = 0xfffd;
      i += 1;
    } else {
      cp = extra == 0 ? c : extra == 1 ? (c & 0x1fu) : extra == 2 ? (c & 0x0fu) : (c & 0x07u);
      for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (s[i + static_cast<size_t>(k)] & 0x3fu);
      i += 1 + static_cast<size_t>(extra);
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      units.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      units.push_back(static_cast<char16_t>(cp));
    }
  }
  return units;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

int java_string_compare(std::string_view a, std::string_view b) {
  if (is_ascii(a) && is_ascii(b)) {
    const int c = a.compare(b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  const std::u16string ua = utf16_units(a);
  const std::u16string ub = utf16_units(b);
  const int c = ua.compare(ub);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool member_info_less(const AssignorMember& a, const AssignorMember& b) {
  if (a.group_instance_id && b.group_instance_id) return java_string_compare(*a.group_instance_id, *b.group_instance_id) < 0;
  if (a.group_instance_id) return true;
  if (b.group_instance_id) return false;
  return java_string_compare(a.member_id, b.member_id) < 0;
}

std::vector<size_t> leader_iteration_order(const std::vector<AssignorMember>& members) {
  std::vector<int32_t> hashes;
  hashes.reserve(members.size());
  for (const auto& m : members) hashes.push_back(java_string_hash(m.member_id));
  return java_hash_map_order(hashes);
}

std::vector<std::string> kafka_member_order(const std::vector<AssignorMember>& members) {
  std::vector<size_t> order = leader_iteration_order(members);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return member_info_less(members[a], members[b]); });
  std::vector<std::string> ids;
  ids.reserve(order.size());
  for (size_t i : order) ids.push_back(members[i].member_id);
  return ids;
}

}  // namespace kafkasim
