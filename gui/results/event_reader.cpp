// EventReader: events.jsonl -> EventLog. A million lines must load in a few seconds, so each line is first read by
// a small zero-copy reader for flat JSON objects (what nearly every event is); lines it does not handle (nested
// objects, escapes) go through QJsonDocument. Both fill the event through the same readPayload(), so they cannot
// disagree on what a field means. Big files are split at line boundaries and read on all cores.
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "results/event_log.h"

namespace kafkasim::viewer {

namespace {

// Interns strings so that the million copies of a topic or error name share one buffer.
class StringPool {
 public:
  QString get(std::string_view utf8) {
    const QByteArray key = QByteArray::fromRawData(utf8.data(), qsizetype(utf8.size()));
    auto it = pool_.constFind(key);
    if (it != pool_.constEnd()) return *it;
    QString s = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    pool_.insert(QByteArray(utf8.data(), qsizetype(utf8.size())), s);
    return s;
  }
  QString get(const QString& s) { return get(std::string_view(s.toUtf8().constData())); }

 private:
  QHash<QByteArray, QString> pool_;
};

QString describeExpected(const char* key, const char* expected, bool present) {
  return present ? QStringLiteral("field \"%1\" should be %2").arg(QLatin1String(key), QLatin1String(expected))
                 : QStringLiteral("field \"%1\" is missing").arg(QLatin1String(key));
}

// ------------------------------------------------------------------------------------------------ flat reader

// One JSON object whose values are strings without escapes, numbers, true/false/null, or arrays of those.
enum class FlatKind { string, number, boolean, null, array };
struct FlatValue {
  FlatKind kind = FlatKind::null;
  std::string_view text;  // string contents, or the array's inside (between the brackets)
  double number = 0;
  bool boolean = false;
};
struct FlatField {
  std::string_view key;
  FlatValue value;
};

class FlatObject {
 public:
  using Kind = FlatKind;
  using Value = FlatValue;

  // False when the line is not such an object (the caller then uses QJsonDocument).
  bool parse(std::string_view line) {
    count_ = 0;
    const char* p = line.data();
    const char* const end = p + line.size();
    auto ws = [&] {
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    };
    ws();
    if (p == end || *p != '{') return false;
    ++p;
    ws();
    if (p < end && *p == '}') return trailing(p + 1, end);
    while (true) {
      ws();
      std::string_view key;
      if (!readString(p, end, key)) return false;
      ws();
      if (p == end || *p != ':') return false;
      ++p;
      ws();
      Value v;
      if (!readValue(p, end, v)) return false;
      if (count_ == fields_.size()) return false;
      fields_[count_++] = FlatField{key, v};
      ws();
      if (p == end) return false;
      if (*p == ',') {
        ++p;
        continue;
      }
      if (*p == '}') return trailing(p + 1, end);
      return false;
    }
  }

  const Value* find(std::string_view key) const {
    for (size_t i = 0; i < count_; ++i)
      if (fields_[i].key == key) return &fields_[i].value;
    return nullptr;
  }

 private:
  static bool trailing(const char* p, const char* end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    return p == end;
  }
  static bool readString(const char*& p, const char* end, std::string_view& out) {
    if (p == end || *p != '"') return false;
    const char* start = ++p;
    while (p < end && *p != '"') {
      if (*p == '\\') return false;  // escapes: leave to QJsonDocument
      ++p;
    }
    if (p == end) return false;
    out = std::string_view(start, size_t(p - start));
    ++p;
    return true;
  }
  static bool readValue(const char*& p, const char* end, Value& v) {
    if (p == end) return false;
    switch (*p) {
      case '"': v.kind = Kind::string; return readString(p, end, v.text);
      case '[': {
        const char* start = ++p;
        bool inString = false;
        for (; p < end; ++p) {
          const char c = *p;
          if (inString) {
            if (c == '\\') return false;
            if (c == '"') inString = false;
          } else if (c == '"') {
            inString = true;
          } else if (c == '[' || c == '{') {
            return false;  // nested
          } else if (c == ']') {
            v.kind = Kind::array;
            v.text = std::string_view(start, size_t(p - start));
            ++p;
            return true;
          }
        }
        return false;
      }
      case 't': return literal(p, end, "true", v, Kind::boolean, true);
      case 'f': return literal(p, end, "false", v, Kind::boolean, false);
      case 'n': return literal(p, end, "null", v, Kind::null, false);
      case '{': return false;
      default: {
        const char* start = p;
        auto [ptr, ec] = std::from_chars(start, end, v.number);
        if (ec != std::errc() || ptr == start) return false;
        v.kind = Kind::number;
        p = ptr;
        return true;
      }
    }
  }
  static bool literal(const char*& p, const char* end, const char* word, Value& v, Kind kind, bool value) {
    const size_t n = std::strlen(word);
    if (size_t(end - p) < n || std::memcmp(p, word, n) != 0) return false;
    p += n;
    v.kind = kind;
    v.boolean = value;
    return true;
  }

  std::array<FlatField, 24> fields_;
  size_t count_ = 0;
};

// Splits the inside of a flat array at commas outside strings.
template <class Fn>
bool forEachArrayItem(std::string_view inside, Fn&& fn) {
  const char* p = inside.data();
  const char* const end = p + inside.size();
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  if (p == end) return true;
  while (true) {
    const char* start = p;
    bool inString = false;
    while (p < end && (inString || *p != ',')) {
      if (*p == '"') inString = !inString;
      ++p;
    }
    std::string_view item(start, size_t(p - start));
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!fn(item)) return false;
    if (p == end) return true;
    ++p;
  }
}

class FlatReader {
 public:
  FlatReader(const FlatObject& object, StringPool& strings) : object_(object), strings_(strings) {}

  QString string(const char* key) {
    const auto* v = object_.find(key);
    if (!v || v->kind != FlatObject::Kind::string) return fail(key, "a string", v), QString();
    return strings_.get(v->text);
  }
  QString optionalString(const char* key) {
    const auto* v = object_.find(key);
    return v && v->kind == FlatObject::Kind::string ? strings_.get(v->text) : QString();
  }
  QString stringOrNumber(const char* key) {
    const auto* v = object_.find(key);
    if (v && v->kind == FlatObject::Kind::number) return QString::number(qint64(v->number));
    return optionalString(key);
  }
  qint64 integer(const char* key) {
    const auto* v = object_.find(key);
    if (!v || v->kind != FlatObject::Kind::number || v->number != std::floor(v->number))
      return fail(key, "an integer", v), 0;
    return qint64(v->number);
  }
  qint64 optionalInteger(const char* key, qint64 fallback) {
    const auto* v = object_.find(key);
    return v && v->kind == FlatObject::Kind::number ? qint64(v->number) : fallback;
  }
  double number(const char* key) {
    const auto* v = object_.find(key);
    if (!v || v->kind != FlatObject::Kind::number) return fail(key, "a number", v), 0.0;
    return v->number;
  }
  bool optionalBool(const char* key) {
    const auto* v = object_.find(key);
    return v && v->kind == FlatObject::Kind::boolean && v->boolean;
  }
  QList<BrokerId> brokers(const char* key) {
    QList<BrokerId> out;
    const auto* v = object_.find(key);
    if (!v || v->kind != FlatObject::Kind::array) return fail(key, "an array of broker ids", v), out;
    const bool ok = forEachArrayItem(v->text, [&](std::string_view item) {
      int id = 0;
      auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
      if (ec != std::errc() || ptr != item.data() + item.size()) return false;
      out.append(id);
      return true;
    });
    if (!ok) fail(key, "an array of broker ids", v);
    return out;
  }
  // A count, or the length of an array (-1 when absent).
  int countOrSize(const char* key) {
    const auto* v = object_.find(key);
    if (!v) return -1;
    if (v->kind == FlatObject::Kind::number) return int(v->number);
    if (v->kind == FlatObject::Kind::array) {
      int n = 0;
      forEachArrayItem(v->text, [&](std::string_view) { return ++n, true; });
      return n;
    }
    return -1;
  }
  QStringList strings(const char* key) {
    QStringList out;
    const auto* v = object_.find(key);
    if (!v || v->kind != FlatObject::Kind::array) return fail(key, "an array of strings", v), out;
    forEachArrayItem(v->text, [&](std::string_view item) {
      if (item.size() < 2 || item.front() != '"') return false;
      out.append(strings_.get(item.substr(1, item.size() - 2)));
      return true;
    });
    return out;
  }
  // Arrays of objects never reach this reader (FlatObject::parse refuses nested objects).
  template <class Fn>
  void forEachObject(const char* key, Fn&&) {
    fail(key, "an array of objects", object_.find(key));
  }
  void fail(const char* key, const char* expected, const FlatObject::Value* present) {
    if (error_.isEmpty()) error_ = describeExpected(key, expected, present != nullptr);
  }
  void fail(const char* key, const char* expected) { fail(key, expected, object_.find(key)); }
  const QString& error() const { return error_; }

 private:
  const FlatObject& object_;
  StringPool& strings_;
  QString error_;
};

// ------------------------------------------------------------------------------------------------ QJson reader

class JsonReader {
 public:
  JsonReader(const QJsonObject& object, StringPool& strings) : object_(object), strings_(strings) {}

  QString string(const char* key) {
    const QJsonValue v = value(key);
    if (!v.isString()) return fail(key, "a string"), QString();
    return intern(v.toString());
  }
  QString optionalString(const char* key) {
    const QJsonValue v = value(key);
    return v.isString() ? intern(v.toString()) : QString();
  }
  QString stringOrNumber(const char* key) {
    const QJsonValue v = value(key);
    return v.isDouble() ? QString::number(v.toInteger()) : optionalString(key);
  }
  qint64 integer(const char* key) {
    const QJsonValue v = value(key);
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble())) return fail(key, "an integer"), 0;
    return qint64(v.toDouble());
  }
  qint64 optionalInteger(const char* key, qint64 fallback) {
    const QJsonValue v = value(key);
    return v.isDouble() ? qint64(v.toDouble()) : fallback;
  }
  double number(const char* key) {
    const QJsonValue v = value(key);
    if (!v.isDouble()) return fail(key, "a number"), 0.0;
    return v.toDouble();
  }
  bool optionalBool(const char* key) { return value(key).toBool(); }
  QList<BrokerId> brokers(const char* key) {
    QList<BrokerId> out;
    const QJsonValue v = value(key);
    if (!v.isArray()) return fail(key, "an array of broker ids"), out;
    for (const QJsonValue& b : v.toArray()) {
      if (!b.isDouble()) return fail(key, "an array of broker ids"), out;
      out.append(b.toInt());
    }
    return out;
  }
  int countOrSize(const char* key) {
    const QJsonValue v = value(key);
    return v.isDouble() ? v.toInt() : v.isArray() ? int(v.toArray().size()) : -1;
  }
  QStringList strings(const char* key) {
    QStringList out;
    const QJsonValue v = value(key);
    if (!v.isArray()) return fail(key, "an array of strings"), out;
    for (const QJsonValue& s : v.toArray()) {
      if (!s.isString()) return fail(key, "an array of strings"), out;
      out.append(intern(s.toString()));
    }
    return out;
  }
  // Calls fn(JsonReader&) for each object of the array `key`; fn returns false on a bad item.
  template <class Fn>
  void forEachObject(const char* key, Fn&& fn) {
    const QJsonValue v = value(key);
    if (!v.isArray()) return fail(key, "an array of objects");
    for (const QJsonValue& item : v.toArray()) {
      const QJsonObject o = item.toObject();
      JsonReader inner(o, strings_);
      fn(inner);
      if (!item.isObject() || !inner.error().isEmpty()) {
        if (error_.isEmpty())
          error_ = QStringLiteral("field \"%1\": %2")
                       .arg(QLatin1String(key), item.isObject() ? inner.error() : QStringLiteral("expected objects"));
        return;
      }
    }
  }
  void fail(const char* key, const char* expected) {
    if (error_.isEmpty()) error_ = describeExpected(key, expected, object_.contains(QLatin1String(key)));
  }
  const QString& error() const { return error_; }

 private:
  QJsonValue value(const char* key) const { return object_.value(QLatin1String(key)); }
  QString intern(const QString& s) { return strings_.get(std::string_view(s.toUtf8().constData())); }

  const QJsonObject& object_;
  StringPool& strings_;
  QString error_;
};

// ------------------------------------------------------------------------------------------------ payloads

template <class Reader>
EventPayload readPayload(EventType type, Reader& r, std::string_view line) {
  switch (type) {
    case EventType::run_started:
      return RunStarted{r.optionalString("scenario"), r.integer("seed"), r.number("duration_s"),
                        int(r.integer("brokers"))};
    case EventType::topic_created: {
      TopicCreated e{r.string("topic"), {}};
      r.forEachObject("partitions", [&](auto& p) {
        PartitionAssignment a{int(p.integer("partition")), p.brokers("replicas"), BrokerId(p.integer("leader"))};
        e.partitions.append(std::move(a));
      });
      return e;
    }
    case EventType::broker_started:
      return BrokerStarted{BrokerId(r.integer("broker")), int(r.optionalInteger("replicas", 0)),
                           int(r.optionalInteger("leaders", 0))};
    case EventType::producer_started:
      return ProducerStarted{r.string("producer"), r.optionalString("topic"), r.stringOrNumber("acks"),
                             r.optionalBool("idempotence")};
    case EventType::producer_finished:
      return ProducerFinished{r.string("producer"), r.optionalInteger("records", 0)};
    case EventType::consumer_started:
      return ConsumerStarted{r.string("consumer"), r.optionalString("group"), r.countOrSize("partitions")};
    case EventType::batch_failed:
      return BatchFailed{r.string("producer"),
                         r.string("topic"),
                         int(r.integer("partition")),
                         r.optionalInteger("records", 0),
                         r.optionalInteger("first_sequence", -1),
                         int(r.optionalInteger("attempts", 0)),
                         r.string("error")};
    case EventType::commit_failed: return CommitFailed{r.string("consumer"), r.string("error")};
    case EventType::run_finished: return RunFinished{};
    case EventType::fault_started:
    case EventType::fault_healed:
      return FaultEvent{r.string("fault"), r.string("target"), r.optionalString("description")};
    case EventType::broker_crashed:
    case EventType::broker_power_lost:
    case EventType::broker_restarted:
    case EventType::broker_fenced:
    case EventType::broker_unfenced: return BrokerEvent{BrokerId(r.integer("broker"))};
    case EventType::controller_elected:
      return ControllerElected{r.string("controller"), int(r.optionalInteger("epoch", -1))};
    case EventType::leader_elected:
      return LeaderElected{r.string("topic"),
                           int(r.integer("partition")),
                           BrokerId(r.integer("leader")),
                           int(r.optionalInteger("leader_epoch", -1)),
                           r.brokers("isr"),
                           r.optionalBool("unclean")};
    case EventType::isr_changed: return IsrChanged{r.string("topic"), int(r.integer("partition")), r.brokers("isr")};
    case EventType::log_truncated:
      return LogTruncated{BrokerId(r.integer("broker")), r.string("topic"), int(r.integer("partition")),
                          r.optionalInteger("to_offset", 0), r.optionalInteger("records", 0)};
    case EventType::rebalance_started:
      return RebalanceStarted{r.string("group"), int(r.optionalInteger("generation", -1)),
                              r.optionalString("reason")};
    case EventType::rebalance_completed: {
      RebalanceCompleted e{r.string("group"), int(r.optionalInteger("generation", -1)),
                           r.optionalString("protocol"), {}};
      r.forEachObject("members", [&](auto& m) {
        e.members.append(GroupMemberAssignment{m.string("member"), m.strings("assignment")});
      });
      return e;
    }
    case EventType::member_joined:
    case EventType::member_left:
      return MemberEvent{r.string("group"), r.string("member"), r.optionalString("reason")};
    case EventType::settle_started: return SettleStarted{r.number("until")};
    case EventType::unknown: break;
  }
  return UnknownEvent{QByteArray(line.data(), qsizetype(line.size()))};
}

EventType typeFromName(std::string_view name) {
  static const QHash<QByteArray, EventType> types = [] {
    QHash<QByteArray, EventType> t;
    for (EventType type : allKnownEventTypes()) t.insert(eventTypeName(type).toLatin1(), type);
    return t;
  }();
  return types.value(QByteArray::fromRawData(name.data(), qsizetype(name.size())), EventType::unknown);
}

// ------------------------------------------------------------------------------------------------ chunks

struct Chunk {
  std::string_view text;
  int firstLine = 1;  // line number of the chunk's first line
  // results
  std::vector<Event> events;
  LoadProblems problems;  // at most kProblemLimit, then counted
  int suppressed = 0;
  bool outOfOrder = false;
};

constexpr int kProblemLimit = 20;

void addProblem(Chunk& chunk, int line, QString message) {
  if (chunk.problems.size() >= kProblemLimit) {
    ++chunk.suppressed;
    return;
  }
  chunk.problems.append(LoadProblem{LoadProblem::Severity::warning, QString(), line, std::move(message)});
}

void parseChunk(Chunk& chunk) {
  StringPool strings;
  FlatObject flat;
  const char* p = chunk.text.data();
  const char* const end = p + chunk.text.size();
  int lineNumber = chunk.firstLine - 1;
  double previous = -std::numeric_limits<double>::infinity();
  chunk.events.reserve(size_t(std::count(p, end, '\n') + 1));
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
    std::string_view line(p, size_t((nl ? nl : end) - p));
    p = nl ? nl + 1 : end;
    ++lineNumber;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) continue;

    Event event;
    QString error;
    auto header = [&](auto t, auto type) -> bool {
      if (!t || !std::isfinite(*t) || *t < 0) {
        addProblem(chunk, lineNumber,
                   QStringLiteral("field \"t\" (simulated seconds) is missing or not a number >= 0; line skipped"));
        return false;
      }
      if (!type) {
        addProblem(chunk, lineNumber, QStringLiteral("field \"type\" is missing or not a string; line skipped"));
        return false;
      }
      event.timeS = *t;
      return true;
    };
    if (flat.parse(line)) {
      const auto* t = flat.find("t");
      const auto* type = flat.find("type");
      const std::optional<double> time =
          t && t->kind == FlatObject::Kind::number ? std::optional<double>(t->number) : std::nullopt;
      const std::optional<std::string_view> typeName =
          type && type->kind == FlatObject::Kind::string ? std::optional<std::string_view>(type->text) : std::nullopt;
      if (!header(time, typeName)) continue;
      event.type = typeFromName(*typeName);
      if (event.type == EventType::unknown) event.typeName = strings.get(*typeName);
      FlatReader reader(flat, strings);
      event.payload = readPayload(event.type, reader, line);
      error = reader.error();
    } else {
      QJsonParseError parseError;
      const QJsonDocument doc =
          QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), qsizetype(line.size())), &parseError);
      if (parseError.error != QJsonParseError::NoError) {
        addProblem(chunk, lineNumber,
                   QStringLiteral("not valid JSON (%1 at character %2); line skipped")
                       .arg(parseError.errorString())
                       .arg(parseError.offset + 1));
        continue;
      }
      if (!doc.isObject()) {
        addProblem(chunk, lineNumber,
                   QStringLiteral("expected a JSON object like {\"t\": 1.5, \"type\": \"...\"}; line skipped"));
        continue;
      }
      const QJsonObject object = doc.object();
      const QJsonValue t = object.value(QLatin1String("t"));
      const QJsonValue type = object.value(QLatin1String("type"));
      const QByteArray typeUtf8 = type.toString().toUtf8();
      if (!header(t.isDouble() ? std::optional<double>(t.toDouble()) : std::nullopt,
                  type.isString() ? std::optional<std::string_view>(typeUtf8.constData()) : std::nullopt))
        continue;
      event.type = typeFromName(typeUtf8.constData());
      if (event.type == EventType::unknown) event.typeName = strings.get(std::string_view(typeUtf8.constData()));
      JsonReader reader(object, strings);
      event.payload = readPayload(event.type, reader, line);
      error = reader.error();
    }
    if (!error.isEmpty()) {
      addProblem(chunk, lineNumber, QStringLiteral("%1 event: %2; line skipped").arg(event.name(), error));
      continue;
    }
    if (event.timeS < previous) chunk.outOfOrder = true;
    previous = std::max(previous, event.timeS);
    chunk.events.push_back(std::move(event));
  }
}

}  // namespace

EventReadResult EventReader::readFile(const QString& path) {
  QFile file(path);
  if (!file.exists()) {
    ProblemCollector problems(path);
    problems.error(QStringLiteral("file not found"));
    return {{}, problems.take()};
  }
  if (!file.open(QIODevice::ReadOnly)) {
    ProblemCollector problems(path);
    problems.error(QStringLiteral("cannot be read: %1").arg(file.errorString()));
    return {{}, problems.take()};
  }
  return parse(file.readAll(), path);
}

EventReadResult EventReader::parse(const QByteArray& text, const QString& path) {
  // Chunks of about 4 MB, cut after a newline, read in parallel.
  constexpr qsizetype kChunkBytes = 4 << 20;
  std::vector<Chunk> chunks;
  const char* const begin = text.constData();
  const char* const end = begin + text.size();
  const char* p = begin;
  int line = 1;
  while (p < end) {
    const char* cut = std::min(end, p + kChunkBytes);
    if (cut < end) {
      const char* nl = static_cast<const char*>(std::memchr(cut, '\n', size_t(end - cut)));
      cut = nl ? nl + 1 : end;
    }
    Chunk chunk;
    chunk.text = std::string_view(p, size_t(cut - p));
    chunk.firstLine = line;
    line += int(std::count(p, cut, '\n'));
    chunks.push_back(std::move(chunk));
    p = cut;
  }
  if (chunks.size() == 1) parseChunk(chunks.front());
  else QtConcurrent::blockingMap(chunks, parseChunk);

  EventReadResult result;
  ProblemCollector problems(path, kProblemLimit);
  size_t total = 0;
  for (const Chunk& c : chunks) total += c.events.size();
  result.log.reserve(total);
  bool outOfOrder = false;
  int suppressed = 0;
  for (const Chunk& c : chunks) outOfOrder = outOfOrder || c.outOfOrder;
  for (size_t i = 1; i < chunks.size(); ++i)
    if (!chunks[i].events.empty() && !chunks[i - 1].events.empty() &&
        chunks[i].events.front().timeS < chunks[i - 1].events.back().timeS)
      outOfOrder = true;
  if (outOfOrder) problems.warning(QStringLiteral("events are not in time order; they were sorted"));
  for (Chunk& c : chunks) {
    for (LoadProblem& problem : c.problems) problems.warning(problem.message, problem.line);
    suppressed += c.suppressed;
    for (Event& e : c.events) result.log.append(std::move(e));
    c.events = {};
  }
  problems.addUnlisted(suppressed);
  if (outOfOrder) result.log.sortByTime();
  result.problems = problems.take();
  return result;
}

}  // namespace kafkasim::viewer
