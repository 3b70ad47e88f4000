// Entry points: reading the file, JSON syntax errors with line and column, --set overrides, diagnostics text.
#include "scenario/scenario_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/parse_context.h"
#include "scenario/scenario_schema.h"

namespace kafkasim {
namespace {

using namespace scenario_detail;

struct AppliedOverride {
  std::string pointer;  // where the value went (an appended element by its index)
  std::string label;    // "--set PATH=VALUE"
};

// Line and column (both from 1) of the character at `byte` (nlohmann counts from 1; 0 = before any input).
std::pair<size_t, size_t> line_and_column(const std::string& text, size_t byte) {
  size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < end; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return {line, end - line_start + 1};
}

// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string parse_error_reason(const std::string& what) {
  auto column = what.find("column ");
  auto colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Follows "$ref": "#/$defs/<name>" in the scenario schema.
const nlohmann::json* resolve_schema(const nlohmann::json& root, const nlohmann::json* s) {
  while (s != nullptr && s->is_object() && s->contains("$ref")) {
    const std::string ref = (*s)["$ref"].get<std::string>();
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0 || !root["$defs"].contains(ref.substr(prefix.size()))) return nullptr;
    s = &root["$defs"][ref.substr(prefix.size())];
  }
  return s;
}

// The schema of a member (objects) or element (arrays) under `s`; null where the format defines none.
const nlohmann::json* child_schema(const nlohmann::json& root, const nlohmann::json* s, const std::string& token) {
  s = resolve_schema(root, s);
  if (s == nullptr || !s->is_object()) return nullptr;
  if (s->contains("properties") && (*s)["properties"].contains(token))
    return resolve_schema(root, &(*s)["properties"][token]);
  if (s->contains("items")) return resolve_schema(root, &(*s)["items"]);
  return nullptr;
}

bool is_object_schema(const nlohmann::json* s) {
  return s != nullptr && s->is_object() && s->value("type", "") == "object";
}

std::vector<Diagnostic> apply(nlohmann::json& doc, const std::vector<std::string>& overrides,
                              std::vector<AppliedOverride>* applied) {
  std::vector<Diagnostic> errors;
  const nlohmann::json schema = scenario_json_schema();
  for (const auto& text : overrides) {
    const std::string label = "--set " + text;
    auto fail = [&](const std::string& pointer, const std::string& message) {
      errors.push_back({label, pointer, message});
    };
    auto eq = text.find('=');
    if (eq == std::string::npos) {
      fail("", "expected PATH=VALUE, like producers/0/config/acks=1");
      continue;
    }
    std::string path = text.substr(0, eq);
    std::string raw = text.substr(eq + 1);
    if (!path.empty() && path[0] == '/') path.erase(0, 1);
    if (path.empty()) {
      fail("", "the path is empty; name a field, like duration=30s");
      continue;
    }
    std::vector<std::string> tokens;
    for (size_t start = 0;;) {
      size_t slash = path.find('/', start);
      std::string token = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      std::string unescaped;
      for (size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
          unescaped += token[i + 1] == '0' ? '~' : '/';
          ++i;
        } else {
          unescaped += token[i];
        }
      }
      tokens.push_back(unescaped);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    nlohmann::json value = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) value = raw;  // not JSON: a plain string such as all or 30s

    auto index_of = [](const std::string& token, size_t size) -> std::optional<size_t> {
      if (token.empty() || token.size() > 9 || !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          (token.size() > 1 && token[0] == '0'))
        return std::nullopt;
      size_t i = std::stoul(token);
      return i < size ? std::optional<size_t>(i) : std::nullopt;
    };
    auto kind = [](const nlohmann::json& v) -> std::string {
      if (v.is_string()) return "a string";
      if (v.is_number()) return "a number";
      if (v.is_boolean()) return "a boolean";
      return "null";
    };

    nlohmann::json* node = &doc;
    std::string pointer;
    bool ok = true;
    // Objects the scenario format defines (cluster, cluster/control_plane, a producer's config, ...) are
    // created when missing, so that setting one field means what the file saying only that field means.
    const nlohmann::json* node_schema = &schema;
    size_t missing_from = tokens.size();  // first token of the objects to create
    for (size_t t = 0; t + 1 < tokens.size() && ok; ++t) {
      const std::string& token = tokens[t];
      std::string next = pointer_child(pointer, token);
      node_schema = child_schema(schema, node_schema, token);
      if (missing_from < t) {
        // Under an object to be created: every level must be an object the format defines.
        if (!is_object_schema(node_schema)) {
          std::string prefix;
          for (size_t k = 0; k <= t; ++k) prefix += (k ? "/" : "") + tokens[k];
          fail(next, "does not exist; set it as a whole, like " + prefix + "={\"" + tokens[t + 1] + "\": ...}");
          ok = false;
        }
      } else if (node->is_object()) {
        auto it = node->find(token);
        if (it == node->end() && is_object_schema(node_schema)) {
          missing_from = t;
        } else if (it == node->end()) {
          std::string prefix;
          for (size_t k = 0; k <= t; ++k) prefix += (k ? "/" : "") + tokens[k];
          fail(next, "does not exist; set it as a whole, like " + prefix + "={\"" + tokens[t + 1] + "\": ...}");
          ok = false;
        } else {
          node = &*it;
        }
      } else if (node->is_array()) {
        auto i = index_of(token, node->size());
        if (!i) {
          fail(next, "no such element: the array has " + std::to_string(node->size()) + " element" +
                         (node->size() == 1 ? "" : "s"));
          ok = false;
        } else {
          node = &(*node)[*i];
        }
      } else {
        fail(pointer, "is " + kind(*node) + ", not an object or array");
        ok = false;
      }
      pointer = next;
    }
    if (!ok) continue;
    for (size_t t = missing_from; t + 1 < tokens.size(); ++t) node = &((*node)[tokens[t]] = nlohmann::json::object());
    const std::string& last = tokens.back();
    if (node->is_object()) {
      (*node)[last] = value;
      if (applied) applied->push_back({pointer_child(pointer, last), label});
    } else if (node->is_array()) {
      if (last == "-") {
        if (applied) applied->push_back({pointer_child(pointer, node->size()), label});
        node->push_back(value);
      } else if (auto i = index_of(last, node->size())) {
        (*node)[*i] = value;
        if (applied) applied->push_back({pointer_child(pointer, *i), label});
      } else {
        fail(pointer_child(pointer, last), "no such element: the array has " + std::to_string(node->size()) +
                                               " element" + (node->size() == 1 ? "" : "s") +
                                               " (use \"-\" to append)");
      }
    } else {
      fail(pointer, "is " + kind(*node) + ", not an object or array");
    }
  }
  return errors;
}

// A problem at or under an overridden value is reported against the override that put it there.
void attribute_to_overrides(std::vector<Diagnostic>& diagnostics, const std::vector<AppliedOverride>& applied) {
  for (auto& d : diagnostics) {
    for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
      if (d.pointer == it->pointer || d.pointer.rfind(it->pointer + "/", 0) == 0) {
        d.file = it->label;
        break;
      }
    }
  }
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) out += d.file + ": ";
  if (!d.pointer.empty()) out += d.pointer + ": ";
  return out + d.message;
}

std::vector<Diagnostic> apply_overrides(nlohmann::json& doc, const std::vector<std::string>& overrides) {
  return apply(doc, overrides, nullptr);
}

LoadResult parse_scenario_text(const std::string& text, const std::string& file_name,
                               const std::vector<std::string>& overrides) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, column] = line_and_column(text, e.byte);
    LoadResult result;
    result.errors.push_back({file_name, "",
                             "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                                 parse_error_reason(e.what())});
    return result;
  }
  std::vector<AppliedOverride> applied;
  std::vector<Diagnostic> override_errors = apply(doc, overrides, &applied);
  LoadResult result = parse_scenario_json(doc, file_name);
  attribute_to_overrides(result.errors, applied);
  attribute_to_overrides(result.warnings, applied);
  if (!override_errors.empty()) {
    result.errors.insert(result.errors.begin(), override_errors.begin(), override_errors.end());
    result.scenario.reset();
  }
  return result;
}

LoadResult load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    LoadResult result;
    result.errors.push_back({path, "", "cannot read the scenario: it is a directory"});
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.errors.push_back({path, "", std::string("cannot read the scenario: ") + std::strerror(errno)});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    LoadResult result;
    result.errors.push_back({path, "", "cannot read the scenario: read error"});
    return result;
  }
  return parse_scenario_text(text.str(), path, overrides);
}

}  // namespace kafkasim
