#include "group/group_coordinator.h"

#include <algorithm>
#include <cstdio>

#include "client/partitioner.h"
#include "group/assignor.h"
#include "group/assignor_java_hash.h"
#include "metrics/event_log.h"

namespace kafkasim {

const char* group_state_name(GroupState state) {
  switch (state) {
    case GroupState::empty: return "Empty";
    case GroupState::preparing_rebalance: return "PreparingRebalance";
    case GroupState::completing_rebalance: return "CompletingRebalance";
    case GroupState::stable: return "Stable";
    case GroupState::dead: return "Dead";
  }
  return "?";
}

GroupCoordinator::GroupCoordinator(GroupCoordinatorConfig config, uint64_t seed, int32_t broker_id,
                                   std::vector<std::string> topic_names, EventLog* events)
    : config_(config),
      broker_id_(broker_id),
      rng_(seed, "group-coordinator:broker-" + std::to_string(broker_id)),
      topic_names_(std::move(topic_names)),
      events_(events) {}

ConsumerGroup& GroupCoordinator::group(const std::string& group_id) {
  auto [it, inserted] = groups_.try_emplace(group_id);
  if (inserted) it->second.group_id = group_id;
  return it->second;
}

std::string GroupCoordinator::new_member_id(const std::string& client_id) {
  // Kafka: clientId + "-" + a random UUID. Drawn from the coordinator's own generator, so runs repeat.
  char buf[40];
  uint64_t a = rng_.next_u64(), b = rng_.next_u64();
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xffff), static_cast<unsigned long long>(a & 0xfff) | 0x4000,
                static_cast<unsigned long long>((b >> 48) & 0x3fff) | 0x8000,
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return client_id + "-" + buf;
}

std::vector<std::string> GroupCoordinator::hash_map_order(const ConsumerGroup& g) const {
  // ClassicGroup.members is a java.util.HashMap keyed by member id.
  std::vector<int32_t> hashes;
  for (const auto& id : g.insertion_order) hashes.push_back(java_string_hash(id));
  std::vector<std::string> out;
  for (size_t i : java_hash_map_order(hashes)) out.push_back(g.insertion_order[i]);
  return out;
}

void GroupCoordinator::set_session_deadline(ConsumerGroup& g, GroupMember& m, SimTime deadline) {
  if (m.session_deadline != kNever) session_deadlines_.erase({m.session_deadline, g.group_id, m.member_id});
  m.session_deadline = deadline;
  if (deadline != kNever) session_deadlines_.insert({deadline, g.group_id, m.member_id});
}

void GroupCoordinator::add_member(SimTime now, ConsumerGroup& g, GroupMember m, const char* reason) {
  if (g.leader.empty()) g.leader = m.member_id;  // the first joiner leads
  if (!m.group_instance_id.empty()) g.static_members[m.group_instance_id] = m.member_id;
  const std::string id = m.member_id;
  g.insertion_order.push_back(id);
  GroupMember& added = g.members.emplace(id, std::move(m)).first->second;
  set_session_deadline(g, added, now + added.session_timeout_s);
  if (events_) {
    nlohmann::ordered_json fields{{"group", g.group_id}, {"member", id}, {"reason", reason}};
    events_->emit(now, "member_joined", std::move(fields));
  }
}

void GroupCoordinator::remove_member(SimTime now, ConsumerGroup& g, const std::string& member_id,
                                     const std::string& reason, Outbox& out) {
  auto it = g.members.find(member_id);
  if (it == g.members.end()) return;
  GroupMember& m = it->second;
  // Whoever still waits on this member's behalf hears that it is gone.
  if (m.pending_join) {
    JoinGroupResponse resp;
    resp.request_id = *m.pending_join;
    resp.error = ErrorCode::unknown_member_id;
    out.emplace_back(m.node, std::move(resp));
  }
  if (m.pending_sync) out.emplace_back(m.node, SyncGroupResponse{*m.pending_sync, ErrorCode::unknown_member_id, {}});
  if (!m.group_instance_id.empty()) {
    auto s = g.static_members.find(m.group_instance_id);
    if (s != g.static_members.end() && s->second == member_id) g.static_members.erase(s);
  }
  set_session_deadline(g, m, kNever);
  g.members.erase(it);
  g.insertion_order.erase(std::find(g.insertion_order.begin(), g.insertion_order.end(), member_id));
  if (g.leader == member_id) elect_leader(g, false);
  if (events_) events_->emit(now, "member_left", {{"group", g.group_id}, {"member", member_id}, {"reason", reason}});
}

void GroupCoordinator::elect_leader(ConsumerGroup& g, bool among_joined) {
  // ClassicGroup.remove: members.keySet().iterator().next(); maybeElectNewJoinedLeader: the first member in
  // that order that has rejoined.
  g.leader.clear();
  for (const auto& id : hash_map_order(g)) {
    if (among_joined && !g.members.at(id).pending_join) continue;
    g.leader = id;
    return;
  }
}

void GroupCoordinator::prepare_rebalance(SimTime now, ConsumerGroup& g, const std::string& reason, Outbox& out) {
  // Members waiting for their assignment learn that another rebalance began.
  if (g.state == GroupState::completing_rebalance) {
    for (auto& [id, m] : g.members) {
      if (!m.pending_sync) continue;
      out.emplace_back(m.node, SyncGroupResponse{*m.pending_sync, ErrorCode::rebalance_in_progress, {}});
      m.pending_sync.reset();
    }
  }
  SimTime rebalance_timeout = 0;
  for (const auto& [id, m] : g.members) rebalance_timeout = std::max(rebalance_timeout, m.rebalance_timeout_s);
  if (g.state == GroupState::empty) {
    // InitialDelayedJoin: wait for more members before the first generation.
    g.initial_delay = true;
    g.new_member_added = false;
    g.initial_delay_remaining_s = std::max(rebalance_timeout - config_.initial_rebalance_delay_s, 0.0);
    g.rebalance_deadline = now + config_.initial_rebalance_delay_s;
  } else {
    g.initial_delay = false;
    g.rebalance_deadline = now + rebalance_timeout;
  }
  if (g.state == GroupState::empty || g.state == GroupState::stable) g.rebalance_started_at = now;
  g.state = GroupState::preparing_rebalance;
  if (events_)
    events_->emit(now, "rebalance_started",
                  {{"group", g.group_id}, {"generation", g.generation + 1}, {"reason", reason}});
}

void GroupCoordinator::maybe_complete_join(SimTime now, ConsumerGroup& g, Outbox& out) {
  if (g.state != GroupState::preparing_rebalance || g.initial_delay) return;
  for (const auto& [id, m] : g.members)
    if (!m.pending_join) return;
  complete_join(now, g, out);
}

void GroupCoordinator::complete_join(SimTime now, ConsumerGroup& g, Outbox& out) {
  // Members that did not rejoin within the rebalance timeout are out.
  std::vector<std::string> missing;
  for (const auto& [id, m] : g.members)
    if (!m.pending_join) missing.push_back(id);
  for (const auto& id : missing) remove_member(now, g, id, "rebalance_timeout", out);
  g.rebalance_deadline = kNever;
  g.initial_delay = false;
  ++g.generation;
  if (g.members.empty()) {
    g.state = GroupState::empty;
    g.protocol.clear();
    (*totals_)[g.group_id].rebalancing_s += now - g.rebalance_started_at;
    changed_.insert(g.group_id);
    return;
  }
  if (g.leader.empty() || !g.members.at(g.leader).pending_join) elect_leader(g, true);
  std::vector<std::vector<std::string>> strategies;
  for (const auto& id : hash_map_order(g)) strategies.push_back(g.members.at(id).protocols);
  g.protocol = select_protocol(strategies);
  g.state = GroupState::completing_rebalance;
  ++(*totals_)[g.group_id].rebalances;
  for (auto& [id, m] : g.members) {
    JoinGroupResponse resp = join_response(g, m, id == g.leader);
    resp.request_id = *m.pending_join;
    m.pending_join.reset();
    set_session_deadline(g, m, now + m.session_timeout_s);
    out.emplace_back(m.node, std::move(resp));
  }
}

JoinGroupResponse GroupCoordinator::join_response(const ConsumerGroup& g, const GroupMember& m,
                                                  bool with_members) const {
  JoinGroupResponse resp;
  resp.generation = g.generation;
  resp.protocol = g.protocol;
  resp.leader = g.leader;
  resp.member_id = m.member_id;
  if (with_members)
    for (const auto& id : hash_map_order(g)) {
      const GroupMember& other = g.members.at(id);
      resp.members.push_back({other.member_id, other.group_instance_id, other.subscription});
    }
  return resp;
}

ErrorCode GroupCoordinator::check_member(const ConsumerGroup* g, const std::string& member_id,
                                         const std::string& instance_id) const {
  if (g == nullptr || g->state == GroupState::dead) return ErrorCode::unknown_member_id;
  if (!instance_id.empty()) {
    auto s = g->static_members.find(instance_id);
    if (s != g->static_members.end() && s->second != member_id) return ErrorCode::fenced_instance_id;
  }
  if (!g->members.count(member_id)) return ErrorCode::unknown_member_id;
  return ErrorCode::none;
}

void GroupCoordinator::join_group(SimTime now, NodeId from, const JoinGroupRequest& r, Outbox& out) {
  auto reply_error = [&](ErrorCode e) {
    JoinGroupResponse resp;
    resp.request_id = r.request_id;
    resp.error = e;
    resp.member_id = r.member_id;
    out.emplace_back(from, std::move(resp));
  };
  if (r.session_timeout_s < config_.min_session_timeout_s - 1e-9 ||
      r.session_timeout_s > config_.max_session_timeout_s + 1e-9) {
    reply_error(ErrorCode::invalid_session_timeout);
    return;
  }
  ConsumerGroup& g = group(r.group_id);
  if (g.state == GroupState::dead) g.state = GroupState::empty;
  // The protocols must overlap with the group's (INCONSISTENT_GROUP_PROTOCOL otherwise).
  // Checked in place: copying every member's list for each JoinGroup made a rebalance of a thousand members
  // a million copies.
  if (!g.members.empty()) {
    const bool overlaps = std::any_of(r.protocols.begin(), r.protocols.end(), [&](const std::string& p) {
      return std::all_of(g.members.begin(), g.members.end(), [&](const auto& entry) {
        const auto& [id, m] = entry;
        return id == r.member_id || std::find(m.protocols.begin(), m.protocols.end(), p) != m.protocols.end();
      });
    });
    if (!overlaps) {
      reply_error(ErrorCode::inconsistent_group_protocol);
      return;
    }
  }

  auto new_member = [&](const std::string& member_id) {
    GroupMember m;
    m.member_id = member_id;
    m.group_instance_id = r.group_instance_id;
    m.client_id = r.client_id;
    m.node = from;
    m.session_timeout_s = r.session_timeout_s;
    m.rebalance_timeout_s = r.rebalance_timeout_s;
    m.protocols = r.protocols;
    m.subscription = r.subscription;
    m.pending_join = r.request_id;
    return m;
  };

  // Static member coming back (KIP-345): a new member id replaces the old one.
  if (!r.group_instance_id.empty()) {
    auto s = g.static_members.find(r.group_instance_id);
    if (s != g.static_members.end() && s->second != r.member_id) {
      if (!r.member_id.empty()) {  // an old incarnation that was replaced already
        reply_error(ErrorCode::fenced_instance_id);
        return;
      }
      const std::string old_id = s->second;
      GroupMember old = g.members.at(old_id);
      const bool was_leader = g.leader == old_id;
      remove_member(now, g, old_id, "static_replaced", out);
      GroupMember m = new_member(new_member_id(r.client_id));
      m.assignment = old.assignment;
      const std::string id = m.member_id;
      const bool same_metadata = old.protocols == r.protocols && old.subscription.topics == r.subscription.topics;
      if (g.state == GroupState::stable && same_metadata) {
        // Its old assignment stands: answer at once with the current generation, no rebalance.
        m.pending_join.reset();
        add_member(now, g, std::move(m), "static_rejoin");
        if (was_leader || g.leader.empty()) g.leader = id;
        JoinGroupResponse resp = join_response(g, g.members.at(id), false);
        resp.request_id = r.request_id;
        resp.skip_assignment = true;
        out.emplace_back(from, std::move(resp));
        return;
      }
      add_member(now, g, std::move(m), "static_rejoin");
      if (was_leader) g.leader = id;
      if (g.state != GroupState::preparing_rebalance)
        prepare_rebalance(now, g, "static member " + r.group_instance_id + " rejoined with new metadata", out);
      maybe_complete_join(now, g, out);
      return;
    }
  }

  if (r.member_id.empty() || (!r.group_instance_id.empty() && !g.static_members.count(r.group_instance_id))) {
    if (!r.member_id.empty() && !g.members.count(r.member_id)) {
      reply_error(ErrorCode::unknown_member_id);
      return;
    }
    if (r.member_id.empty()) {
      GroupMember m = new_member(new_member_id(r.client_id));
      const std::string id = m.member_id;
      add_member(now, g, std::move(m), "join");
      if (g.state == GroupState::preparing_rebalance) {
        g.new_member_added = true;
        maybe_complete_join(now, g, out);
      } else {
        prepare_rebalance(now, g, "adding new member " + id, out);
      }
      return;
    }
  }

  // A known member rejoining.
  auto it = g.members.find(r.member_id);
  if (it == g.members.end()) {
    reply_error(ErrorCode::unknown_member_id);
    return;
  }
  GroupMember& m = it->second;
  const bool same_metadata = m.protocols == r.protocols && m.subscription.topics == r.subscription.topics &&
                             m.subscription.owned_partitions == r.subscription.owned_partitions;
  m.node = from;
  m.protocols = r.protocols;
  m.subscription = r.subscription;
  m.session_timeout_s = r.session_timeout_s;
  m.rebalance_timeout_s = r.rebalance_timeout_s;
  set_session_deadline(g, m, now + m.session_timeout_s);
  switch (g.state) {
    case GroupState::preparing_rebalance:
      if (m.pending_join) {
        JoinGroupResponse stale;
        stale.request_id = *m.pending_join;
        stale.error = ErrorCode::rebalance_in_progress;
        out.emplace_back(from, std::move(stale));
      }
      m.pending_join = r.request_id;
      maybe_complete_join(now, g, out);
      break;
    case GroupState::completing_rebalance:
    case GroupState::stable:
      if (same_metadata && r.member_id != g.leader) {
        // Nothing changed: the member gets the current generation again (a retried join).
        JoinGroupResponse resp = join_response(g, m, false);
        resp.request_id = r.request_id;
        out.emplace_back(from, std::move(resp));
        break;
      }
      m.pending_join = r.request_id;
      prepare_rebalance(now, g,
                        r.member_id == g.leader ? "leader " + r.member_id + " re-joining group"
                                                : "updating metadata for member " + r.member_id,
                        out);
      maybe_complete_join(now, g, out);
      break;
    case GroupState::empty:
    case GroupState::dead:
      reply_error(ErrorCode::unknown_member_id);
      break;
  }
}

void GroupCoordinator::sync_group(SimTime now, NodeId from, const SyncGroupRequest& r, Outbox& out) {
  auto git = groups_.find(r.group_id);
  ConsumerGroup* g = git == groups_.end() ? nullptr : &git->second;
  ErrorCode e = check_member(g, r.member_id, r.group_instance_id);
  if (e == ErrorCode::none && r.generation != g->generation) e = ErrorCode::illegal_generation;
  if (e == ErrorCode::none && g->state == GroupState::preparing_rebalance) e = ErrorCode::rebalance_in_progress;
  if (e != ErrorCode::none) {
    out.emplace_back(from, SyncGroupResponse{r.request_id, e, {}});
    return;
  }
  GroupMember& m = g->members.at(r.member_id);
  m.node = from;
  set_session_deadline(*g, m, now + m.session_timeout_s);
  if (g->state == GroupState::stable) {
    out.emplace_back(from, SyncGroupResponse{r.request_id, ErrorCode::none, m.assignment});
    return;
  }
  // CompletingRebalance: wait for the leader's assignment.
  m.pending_sync = r.request_id;
  if (r.member_id == g->leader) {
    for (auto& [id, member] : g->members) member.assignment.clear();
    for (const auto& [id, tps] : r.assignments) {
      auto mit = g->members.find(id);
      if (mit != g->members.end()) mit->second.assignment = tps;
    }
    complete_sync(now, *g, out);
  }
}

void GroupCoordinator::complete_sync(SimTime now, ConsumerGroup& g, Outbox& out) {
  g.state = GroupState::stable;
  (*totals_)[g.group_id].rebalancing_s += now - g.rebalance_started_at;
  changed_.insert(g.group_id);
  for (auto& [id, m] : g.members) {
    if (!m.pending_sync) continue;
    out.emplace_back(m.node, SyncGroupResponse{*m.pending_sync, ErrorCode::none, m.assignment});
    m.pending_sync.reset();
  }
  if (!events_) return;
  nlohmann::ordered_json members = nlohmann::ordered_json::array();
  for (const auto& [id, m] : g.members) {
    nlohmann::ordered_json tps = nlohmann::ordered_json::array();
    for (TopicPartition tp : m.assignment)
      tps.push_back(topic_names_.at(static_cast<size_t>(tp.topic)) + "/" + std::to_string(tp.partition));
    members.push_back({{"member", id}, {"assignment", std::move(tps)}});
  }
  events_->emit(now, "rebalance_completed", {{"group", g.group_id},
                                              {"generation", g.generation},
                                              {"protocol", g.protocol},
                                              {"members", std::move(members)}});
}

void GroupCoordinator::heartbeat(SimTime now, NodeId from, const HeartbeatRequest& r, Outbox& out) {
  auto git = groups_.find(r.group_id);
  ConsumerGroup* g = git == groups_.end() ? nullptr : &git->second;
  ErrorCode e = check_member(g, r.member_id, r.group_instance_id);
  if (e == ErrorCode::none) {
    GroupMember& m = g->members.at(r.member_id);
    set_session_deadline(*g, m, now + m.session_timeout_s);
    if (g->state == GroupState::preparing_rebalance)
      e = ErrorCode::rebalance_in_progress;  // rejoin (Kafka checks this before the generation)
    else if (r.generation != g->generation)
      e = ErrorCode::illegal_generation;
    else if (g->state == GroupState::empty)
      e = ErrorCode::unknown_member_id;
  }
  out.emplace_back(from, HeartbeatResponse{r.request_id, e});
}

void GroupCoordinator::leave_group(SimTime now, NodeId from, const LeaveGroupRequest& r, Outbox& out) {
  auto git = groups_.find(r.group_id);
  ConsumerGroup* g = git == groups_.end() ? nullptr : &git->second;
  ErrorCode e = check_member(g, r.member_id, r.group_instance_id);
  out.emplace_back(from, LeaveGroupResponse{r.request_id, e});
  if (e != ErrorCode::none) return;
  const GroupState before = g->state;
  remove_member(now, *g, r.member_id, r.reason.empty() ? "leave_group" : r.reason, out);
  if (before == GroupState::stable || before == GroupState::completing_rebalance) {
    if (g->members.empty()) {
      // The last member left a settled group: it is Empty again without a rebalance.
      g->state = GroupState::empty;
      ++g->generation;
      g->protocol.clear();
      changed_.insert(g->group_id);
    } else {
      prepare_rebalance(now, *g, "removing member " + r.member_id + " on LeaveGroup", out);
    }
  } else if (before == GroupState::preparing_rebalance) {
    maybe_complete_join(now, *g, out);
  }
}

ErrorCode GroupCoordinator::validate_offset_commit(const OffsetCommitRequest& r) const {
  auto git = groups_.find(r.group_id);
  const ConsumerGroup* g = git == groups_.end() ? nullptr : &git->second;
  // A consumer without group membership (manual assignment) may commit while the group has no members.
  if (r.generation < 0 && r.member_id.empty())
    return g == nullptr || g->members.empty() ? ErrorCode::none : ErrorCode::unknown_member_id;
  ErrorCode e = check_member(g, r.member_id, r.group_instance_id);
  if (e != ErrorCode::none) return e;
  if (r.generation != g->generation) return ErrorCode::illegal_generation;
  if (g->state == GroupState::completing_rebalance) return ErrorCode::rebalance_in_progress;
  return ErrorCode::none;  // PreparingRebalance included: an eager member commits while revoking
}

void GroupCoordinator::store_offsets(const std::string& group_id,
                                     const std::vector<std::pair<TopicPartition, Offset>>& offsets) {
  ConsumerGroup& g = group(group_id);
  for (const auto& [tp, offset] : offsets) g.committed_offsets[tp] = offset;
}

Offset GroupCoordinator::committed_offset(const std::string& group_id, TopicPartition tp) const {
  auto git = groups_.find(group_id);
  if (git == groups_.end()) return -1;
  auto it = git->second.committed_offsets.find(tp);
  return it == git->second.committed_offsets.end() ? -1 : it->second;
}

SimTime GroupCoordinator::next_deadline() const {
  SimTime next = session_deadlines_.empty() ? kNever : std::get<0>(*session_deadlines_.begin());
  for (const auto& [id, g] : groups_) next = std::min(next, g.rebalance_deadline);
  return next;
}

void GroupCoordinator::on_deadline(SimTime now, Outbox& out) {
  // Sessions first: a member that stopped heartbeating is removed (one awaiting its join stays).
  while (!session_deadlines_.empty() && std::get<0>(*session_deadlines_.begin()) <= now + 1e-9) {
    auto [deadline, group_id, member_id] = *session_deadlines_.begin();
    session_deadlines_.erase(session_deadlines_.begin());
    ConsumerGroup& g = groups_.at(group_id);
    GroupMember& m = g.members.at(member_id);
    m.session_deadline = kNever;
    if (m.pending_join) continue;
    const GroupState before = g.state;
    remove_member(now, g, member_id, "session_timeout", out);
    if (before == GroupState::stable || before == GroupState::completing_rebalance) {
      if (g.members.empty()) {
        g.state = GroupState::empty;
        ++g.generation;
        changed_.insert(g.group_id);
      } else {
        prepare_rebalance(now, g, "removing member " + member_id + " on heartbeat expiration", out);
      }
    } else if (before == GroupState::preparing_rebalance) {
      maybe_complete_join(now, g, out);
    }
  }
  for (auto& [id, g] : groups_) {
    if (g.rebalance_deadline > now + 1e-9) continue;
    if (g.initial_delay && g.new_member_added && g.initial_delay_remaining_s > 0) {
      // InitialDelayedJoin: more members came; wait another delay, within the rebalance timeout.
      SimTime delay = std::min(config_.initial_rebalance_delay_s, g.initial_delay_remaining_s);
      g.initial_delay_remaining_s -= delay;
      g.new_member_added = false;
      g.rebalance_deadline = now + delay;
      continue;
    }
    g.initial_delay = false;
    complete_join(now, g, out);
  }
}

void GroupCoordinator::unload_all(SimTime now) {
  unload_groups(now, [](const std::string&) { return true; }, nullptr);
}

void GroupCoordinator::unload_groups(SimTime now, const std::function<bool(const std::string&)>& which, Outbox* out) {
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (!which(it->first)) {
      ++it;
      continue;
    }
    for (const auto& [id, m] : it->second.members) {
      if (m.session_deadline != kNever) session_deadlines_.erase({m.session_deadline, it->first, id});
      // Kafka's onGroupUnloaded: joins and syncs waiting on this coordinator learn it is no longer one.
      if (!out) continue;
      if (m.pending_join) {
        JoinGroupResponse resp;
        resp.request_id = *m.pending_join;
        resp.error = ErrorCode::not_coordinator;
        out->emplace_back(m.node, std::move(resp));
      }
      if (m.pending_sync) out->emplace_back(m.node, SyncGroupResponse{*m.pending_sync, ErrorCode::not_coordinator, {}});
    }
    const ConsumerGroup& g = it->second;
    if (g.state == GroupState::preparing_rebalance || g.state == GroupState::completing_rebalance)
      (*totals_)[it->first].rebalancing_s += now - g.rebalance_started_at;
    if (events_)
      events_->emit(now, "group_unloaded", {{"group", it->first}, {"broker", broker_id_},
                                            {"state", group_state_name(it->second.state)}});
    changed_.erase(it->first);
    it = groups_.erase(it);
  }
}

std::vector<std::string> GroupCoordinator::take_changed() {
  std::vector<std::string> out(changed_.begin(), changed_.end());
  changed_.clear();
  return out;
}

void GroupCoordinator::load_group(SimTime now, ConsumerGroup loaded) {
  // Kafka's GroupMetadataManager.loadGroup: the group as its last record left it; members get a full session
  // to find the new coordinator and heartbeat, so a fail-over alone costs no rebalance.
  ConsumerGroup& g = group(loaded.group_id);
  for (const auto& [id, m] : g.members)
    if (m.session_deadline != kNever) session_deadlines_.erase({m.session_deadline, g.group_id, id});
  g = std::move(loaded);
  g.rebalance_deadline = kNever;
  g.initial_delay = false;
  g.new_member_added = false;
  for (auto& [id, m] : g.members) {
    m.pending_join.reset();
    m.pending_sync.reset();
    m.session_deadline = kNever;
    set_session_deadline(g, m, now + m.session_timeout_s);
  }
  if (events_)
    events_->emit(now, "group_loaded", {{"group", g.group_id}, {"broker", broker_id_},
                                        {"state", group_state_name(g.state)}, {"generation", g.generation},
                                        {"members", g.members.size()}, {"offsets", g.committed_offsets.size()}});
}

}  // namespace kafkasim
