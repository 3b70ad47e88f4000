#include <stdexcept>

#include "scenario/scenario.h"

namespace kafkasim {
namespace {

const char* type_name(const ConfigValue& v) {
  switch (v.index()) {
    case 0: return "bool";
    case 1: return "int";
    case 2: return "double";
    case 3: return "string";
    case 4: return "list";
  }
  return "?";
}

// A missing key or a wrong-type access is a bug in the caller: the loader fills every key with its table type.
template <typename T>
const T& get(const ConfigMap& map, const std::string& key, const char* wanted) {
  auto it = map.values.find(key);
  if (it == map.values.end()) throw std::logic_error("config \"" + key + "\" is not set");
  if (const T* v = std::get_if<T>(&it->second)) return *v;
  throw std::logic_error("config \"" + key + "\" is a " + type_name(it->second) + ", read as a " + wanted);
}

}  // namespace

bool ConfigMap::get_bool(const std::string& key) const { return get<bool>(*this, key, "bool"); }

int64_t ConfigMap::get_int(const std::string& key) const { return get<int64_t>(*this, key, "int"); }

double ConfigMap::get_double(const std::string& key) const {
  auto it = values.find(key);
  if (it != values.end())
    if (const int64_t* v = std::get_if<int64_t>(&it->second)) return static_cast<double>(*v);
  return get<double>(*this, key, "double");
}

const std::string& ConfigMap::get_string(const std::string& key) const {
  return get<std::string>(*this, key, "string");
}

const std::vector<std::string>& ConfigMap::get_list(const std::string& key) const {
  return get<std::vector<std::string>>(*this, key, "list");
}

}  // namespace kafkasim
