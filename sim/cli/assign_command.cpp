#include "cli/assign_command.h"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <boost/program_options.hpp>

#include "group/assignor.h"
#include "group/member_order.h"

namespace po = boost::program_options;

namespace kafkasim::cli {
namespace {

constexpr int kOk = 0;
constexpr int kBadInput = 2;

const char* const kUsage =
    "Usage: kafkasim assign [--strategy S] --topic NAME:PARTITIONS... --member SPEC...\n"
    "\n"
    "Prints the partition assignment Kafka's group leader computes, one line per member in Kafka's member\n"
    "order (static members by group.instance.id, then dynamic members by member id):\n"
    "  MEMBER -> TOPIC-P, TOPIC-P, ...      (an idle member prints '(none)')\n"
    "\n"
    "A member SPEC is the member id followed by ':key=value' fields (lists joined with '+'):\n"
    "  topics=T1+T2        subscription (default: every --topic)\n"
    "  owned=T-P+T-P       partitions it owned before this rebalance (sticky, cooperative-sticky)\n"
    "  generation=N        generation of those owned partitions (default -1: none)\n"
    "  instance=ID         group.instance.id, making it a static member\n"
    "  strategies=S1+S2    its partition.assignment.strategy, in preference order\n"
    "                      (default range+cooperative-sticky, Kafka's default)\n"
    "Member ids and instance ids cannot contain ':'; topic names use Kafka's characters [a-zA-Z0-9._-].\n"
    "Members are listed in JoinGroup order, which breaks ties in the leader's hash map exactly as Kafka does.\n"
    "Example:\n"
    "  kafkasim assign --strategy cooperative-sticky --topic orders:4 --topic payments.v2:2 \\\n"
    "    --member c1:topics=orders+payments.v2:owned=orders-0+orders-1+orders-2+orders-3:generation=3 \\\n"
    "    --member c2:topics=orders+payments.v2:generation=3\n"
    "\n"
    "Without --strategy the group protocol is chosen as Kafka's coordinator does from the members' strategies.\n"
    "cooperative-sticky leaves a partition that changes owner unassigned for this round (its owner revokes it\n"
    "first); such partitions are listed on stderr.\n"
    "\n"
    "Options";

int usage_error(const std::string& message) {
  std::cerr << "kafkasim: " << message << "\n";
  std::cerr << "Run 'kafkasim assign --help' for usage.\n";
  return kBadInput;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::optional<int32_t> parse_int(const std::string& s) {
  int32_t value = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return value;
}

bool valid_topic_name(const std::string& name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string format_partition(const std::pair<std::string, int32_t>& tp) {
  return tp.first + "-" + std::to_string(tp.second);
}

struct ParsedMember {
  AssignorMember member;
  std::vector<std::string> strategies;
};

// Parses one --member SPEC; appends problems to `errors`.
std::optional<ParsedMember> parse_member(const std::string& spec, const std::map<std::string, int32_t>& topics,
                                         std::vector<std::string>& errors) {
  const std::vector<std::string> fields = split(spec, ':');
  const std::string where = "--member '" + spec + "': ";
  const size_t errors_before = errors.size();
  ParsedMember parsed;
  parsed.member.member_id = fields.front();
  if (parsed.member.member_id.empty()) errors.push_back(where + "the member id is empty");
  std::vector<std::string> topic_list;
  bool topics_given = false;
  std::set<std::string> keys;
  for (size_t i = 1; i < fields.size(); ++i) {
    const size_t eq = fields[i].find('=');
    if (eq == std::string::npos) {
      errors.push_back(where + "field '" + fields[i] + "' is not key=value");
      continue;
    }
    const std::string key = fields[i].substr(0, eq);
    const std::string value = fields[i].substr(eq + 1);
    if (!keys.insert(key).second) {
      errors.push_back(where + "'" + key + "' is given twice");
      continue;
    }
    if (key == "topics") {
      topics_given = true;
      for (const auto& t : split(value, '+')) {
        if (t.empty()) {
          errors.push_back(where + "empty topic name in topics=" + value);
        } else if (!topics.count(t)) {
          errors.push_back(where + "subscribes to unknown topic '" + t + "' (declare it with --topic " + t + ":N)");
        } else {
          topic_list.push_back(t);
        }
      }
    } else if (key == "owned") {
      if (value.empty()) continue;
      for (const auto& item : split(value, '+')) {
        const size_t dash = item.rfind('-');
        const std::optional<int32_t> p = dash == std::string::npos ? std::nullopt : parse_int(item.substr(dash + 1));
        if (!p) {
          errors.push_back(where + "owned partition '" + item + "' is not TOPIC-PARTITION");
          continue;
        }
        const std::string topic = item.substr(0, dash);
        auto it = topics.find(topic);
        if (it == topics.end()) {
          errors.push_back(where + "owns a partition of unknown topic '" + topic + "'");
        } else if (*p < 0 || *p >= it->second) {
          errors.push_back(where + "owns " + item + " but " + topic + " has partitions 0.." + std::to_string(it->second - 1));
        } else {
          parsed.member.owned_partitions.emplace_back(topic, *p);
        }
      }
    } else if (key == "generation") {
      const auto g = parse_int(value);
      if (!g || *g < -1) {
        errors.push_back(where + "generation must be an integer >= -1, got '" + value + "'");
      } else {
        parsed.member.generation = *g;
      }
    } else if (key == "instance") {
      if (value.empty()) errors.push_back(where + "instance is empty");
      parsed.member.group_instance_id = value;
    } else if (key == "strategies") {
      for (const auto& s : split(value, '+')) {
        if (!make_assignor(s)) {
          errors.push_back(where + "unknown strategy '" + s + "'; valid: " + join(assignor_names(), ", "));
        } else {
          parsed.strategies.push_back(s);
        }
      }
    } else {
      errors.push_back(where + "unknown field '" + key + "' (valid: topics, owned, generation, instance, strategies)");
    }
  }
  if (!topics_given)
    for (const auto& [t, n] : topics) topic_list.push_back(t);
  parsed.member.topics = topic_list;
  if (parsed.strategies.empty() && !keys.count("strategies")) parsed.strategies = default_assignment_strategies();
  if (errors.size() != errors_before) return std::nullopt;
  return parsed;
}

}  // namespace

int run_assign_command(const std::vector<std::string>& args) {
  po::options_description opts(kUsage);
  std::vector<std::string> topic_specs;
  std::vector<std::string> member_specs;
  opts.add_options()("help,h", "show this help")(
      "strategy,s", po::value<std::string>(),
      "assignor: range, roundrobin, sticky or cooperative-sticky (default: chosen from the members' strategies)")(
      "topic,t", po::value<std::vector<std::string>>(&topic_specs)->composing(),
      "a topic and its partition count, NAME:PARTITIONS (repeatable)")(
      "member,m", po::value<std::vector<std::string>>(&member_specs)->composing(),
      "a group member, ID[:key=value]... (repeatable; see above)");
  const po::positional_options_description no_positional;  // every word belongs to an option
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(no_positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  if (vm.count("help")) {
    std::cout << opts;
    return kOk;
  }

  std::vector<std::string> errors;
  std::unique_ptr<Assignor> assignor;
  if (vm.count("strategy")) {
    const std::string strategy = vm["strategy"].as<std::string>();
    assignor = make_assignor(strategy);
    if (!assignor) errors.push_back("unknown --strategy '" + strategy + "'; valid: " + join(assignor_names(), ", "));
  }

  std::map<std::string, int32_t> topics;
  for (const auto& spec : topic_specs) {
    const size_t colon = spec.rfind(':');
    const std::optional<int32_t> n = colon == std::string::npos ? std::nullopt : parse_int(spec.substr(colon + 1));
    const std::string name = colon == std::string::npos ? spec : spec.substr(0, colon);
    if (!n) {
      errors.push_back("--topic '" + spec + "': expected NAME:PARTITIONS, e.g. orders:6");
    } else if (!valid_topic_name(name)) {
      errors.push_back("--topic '" + spec + "': '" + name + "' is not a legal Kafka topic name ([a-zA-Z0-9._-], 1..249)");
    } else if (*n < 1) {
      errors.push_back("--topic '" + spec + "': a topic has at least one partition");
    } else if (!topics.emplace(name, *n).second) {
      errors.push_back("--topic '" + spec + "': topic '" + name + "' is declared twice");
    }
  }
  if (topic_specs.empty()) errors.push_back("assign needs at least one --topic NAME:PARTITIONS");
  if (member_specs.empty()) errors.push_back("assign needs at least one --member SPEC");

  std::vector<ParsedMember> members;
  std::set<std::string> member_ids;
  std::set<std::string> instance_ids;
  for (const auto& spec : member_specs) {
    auto parsed = parse_member(spec, topics, errors);
    if (!parsed) continue;
    if (!member_ids.insert(parsed->member.member_id).second)
      errors.push_back("--member '" + spec + "': member id '" + parsed->member.member_id + "' is used twice");
    if (parsed->member.group_instance_id && !instance_ids.insert(*parsed->member.group_instance_id).second)
      errors.push_back("--member '" + spec + "': instance '" + *parsed->member.group_instance_id + "' is used twice");
    members.push_back(std::move(*parsed));
  }

  if (errors.empty() && !assignor) {
    std::vector<std::vector<std::string>> strategies;
    for (const auto& m : members) strategies.push_back(m.strategies);
    const std::string protocol = select_protocol(strategies);
    if (protocol.empty()) {
      errors.push_back("the members have no assignment strategy in common (Kafka rejects the joining member with "
                       "INCONSISTENT_GROUP_PROTOCOL); give --strategy or fix their strategies=");
    } else {
      std::cerr << "note: the group coordinator selects '" << protocol << "' from the members' strategies\n";
      assignor = make_assignor(protocol);
    }
  }
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << "kafkasim: " << e << "\n";
    std::cerr << "Run 'kafkasim assign --help' for usage.\n";
    return kBadInput;
  }

  std::vector<AssignorMember> group;
  for (const auto& m : members) group.push_back(m.member);
  const Assignment assignment = assignor->assign(topics, group);
  for (const auto& id : kafka_member_order(group)) {
    std::vector<std::string> partitions;
    for (const auto& tp : assignment.at(id)) partitions.push_back(format_partition(tp));
    std::cout << id << " -> " << (partitions.empty() ? "(none)" : join(partitions, ", ")) << "\n";
  }

  // Partitions of subscribed topics that nobody got: cooperative-sticky holds them back for one round.
  std::set<std::pair<std::string, int32_t>> assigned;
  for (const auto& [id, partitions] : assignment) assigned.insert(partitions.begin(), partitions.end());
  std::set<std::string> subscribed;
  for (const auto& m : group) subscribed.insert(m.topics.begin(), m.topics.end());
  std::vector<std::string> pending;
  for (const auto& [topic, n] : topics)
    if (subscribed.count(topic))
      for (int32_t p = 0; p < n; ++p)
        if (!assigned.count({topic, p})) pending.push_back(format_partition({topic, p}));
  if (!pending.empty())
    std::cerr << "note: not assigned in this round (revoked by their owner first, assigned in the follow-up "
                 "rebalance): "
              << join(pending, ", ") << "\n";
  return kOk;
}

}  // namespace kafkasim::cli
