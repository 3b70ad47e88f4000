// The result-file readers: what they read from good files and what they report for bad ones.
#include <gtest/gtest.h>

#include <cmath>

#include "results/event_log.h"
#include "results/metrics_table.h"
#include "results/run_summary.h"
#include "results/scenario_info.h"
#include "test_support.h"

using namespace kafkasim::viewer;
using namespace kafkasim::viewer::test;

TEST(MetricsReader, ReadsColumnsByName) {
  const auto result = MetricsReader::readFile(faultsRun() + QStringLiteral("/metrics.csv"));
  EXPECT_TRUE(result.problems.isEmpty()) << problemsOf(result.problems, QStringLiteral("metrics.csv")).toStdString();
  const MetricsTable& t = result.table;
  EXPECT_EQ(t.rowCount(), 20);
  EXPECT_EQ(t.columnCount(), 20);
  const int produced = t.column(QStringLiteral("produced_per_s"));
  ASSERT_GE(produced, 0);
  EXPECT_EQ(t.values(produced)[6], 1007.0);
  EXPECT_EQ(t.valueAt(produced, 7.5), 1007.0);
  EXPECT_TRUE(std::isnan(t.valueAt(produced, 0.5)));  // before the first row
  EXPECT_EQ(t.rowAtOrBefore(20.0), 19);
  EXPECT_EQ(t.column(QStringLiteral("no_such_column")), -1);
  EXPECT_EQ(t.columnsWithPrefix(QStringLiteral("lag:")),
            (QStringList{QStringLiteral("lag:c1"), QStringLiteral("lag:c2"), QStringLiteral("lag:billing"),
                         QStringLiteral("lag:billing:orders/0"), QStringLiteral("lag:billing:orders/1")}));
  EXPECT_EQ(t.firstTime(), 1.0);
  EXPECT_EQ(t.lastTime(), 20.0);
}

TEST(MetricsReader, SkipsBadRowsAndNamesTheirLines) {
  const QString path = badRun() + QStringLiteral("/metrics.csv");
  const auto result = MetricsReader::readFile(path);
  EXPECT_EQ(result.table.rowCount(), 2);  // rows at 1.0 and 4.0
  ASSERT_EQ(result.problems.size(), 2);
  EXPECT_EQ(result.problems[0].line, 3);
  EXPECT_EQ(result.problems[0].severity, LoadProblem::Severity::warning);
  EXPECT_TRUE(result.problems[0].toString().startsWith(path));
  EXPECT_TRUE(result.problems[0].message.contains(QStringLiteral("expected 3 fields"))) << result.problems[0].message.toStdString();
  EXPECT_EQ(result.problems[1].line, 4);
  EXPECT_TRUE(result.problems[1].message.contains(QStringLiteral("\"abc\" is not a number")));
}

TEST(MetricsReader, ReportsMissingFileAndMissingTimeColumn) {
  const auto missing = MetricsReader::readFile(QStringLiteral("/no/such/metrics.csv"));
  ASSERT_EQ(missing.problems.size(), 1);
  EXPECT_EQ(missing.problems[0].toString(), QStringLiteral("/no/such/metrics.csv: file not found"));
  EXPECT_TRUE(missing.table.isEmpty());

  const auto noTime = MetricsReader::parse("t,produced_per_s\n1,2\n", QStringLiteral("m.csv"));
  ASSERT_EQ(noTime.problems.size(), 1);
  EXPECT_EQ(noTime.problems[0].severity, LoadProblem::Severity::error);
  EXPECT_EQ(noTime.problems[0].line, 1);
  EXPECT_TRUE(noTime.problems[0].message.contains(QStringLiteral("no time_s column")));

  const auto empty = MetricsReader::parse("", QStringLiteral("m.csv"));
  ASSERT_EQ(empty.problems.size(), 1);
  EXPECT_TRUE(empty.problems[0].message.contains(QStringLiteral("empty file")));
}

TEST(MetricsReader, AcceptsCrLfEmptyCellsAndRejectsTimeGoingBack) {
  const auto r = MetricsReader::parse("time_s,a\r\n1,5\r\n2,\r\n1.5,7\r\n3,8\r\n", QStringLiteral("m.csv"));
  EXPECT_EQ(r.table.rowCount(), 3);
  EXPECT_TRUE(std::isnan(r.table.values(1)[1]));
  ASSERT_EQ(r.problems.size(), 1);
  EXPECT_EQ(r.problems[0].line, 4);
}

TEST(MetricsReader, ListsTheFirstProblemsAndCountsTheRest) {
  QByteArray text = "time_s,a\n";
  for (int i = 0; i < 100; ++i) text += "x,y\n";
  const auto r = MetricsReader::parse(text, QStringLiteral("m.csv"));
  ASSERT_EQ(r.problems.size(), 21);
  // 100 bad rows, then "no data rows": 20 listed, 81 counted.
  EXPECT_TRUE(r.problems.back().message.contains(QStringLiteral("and 81 more"))) << r.problems.back().message.toStdString();
}

TEST(EventReader, ReadsEveryEventTypeOfTheFormat) {
  const auto result = EventReader::readFile(faultsRun() + QStringLiteral("/events.jsonl"));
  EXPECT_TRUE(result.problems.isEmpty()) << problemsOf(result.problems, QStringLiteral("events.jsonl")).toStdString();
  const EventLog& log = result.log;
  ASSERT_EQ(log.size(), 37);
  QSet<EventType> seen;
  for (const Event& e : log.events()) seen.insert(e.type);
  for (EventType type : allKnownEventTypes()) EXPECT_TRUE(seen.contains(type)) << eventTypeName(type).toStdString();
  EXPECT_TRUE(seen.contains(EventType::unknown));

  const Event& unclean = log.at(27);
  ASSERT_EQ(unclean.type, EventType::leader_elected);
  const auto& le = std::get<LeaderElected>(unclean.payload);
  EXPECT_EQ(le.topic, QStringLiteral("orders"));
  EXPECT_EQ(le.partition, 1);
  EXPECT_EQ(le.leader, 2);
  EXPECT_EQ(le.leaderEpoch, 3);
  EXPECT_EQ(le.isr, QList<BrokerId>{2});
  EXPECT_TRUE(le.unclean);
  EXPECT_EQ(describeEvent(unclean), QStringLiteral("orders/1: UNCLEAN leader broker-2 (epoch 3), ISR [2]"));

  const Event& future = log.at(32);
  EXPECT_EQ(future.type, EventType::unknown);
  EXPECT_EQ(future.name(), QStringLiteral("future_thing"));
  EXPECT_TRUE(describeEvent(future).contains(QStringLiteral("\"answer\":42")));

  const auto& rc = std::get<RebalanceCompleted>(log.at(11).payload);
  ASSERT_EQ(rc.members.size(), 2);
  EXPECT_EQ(rc.members[1].member, QStringLiteral("c2"));
  EXPECT_EQ(rc.members[1].assignment, QStringList{QStringLiteral("orders/1")});
  EXPECT_EQ(describeEvent(log.at(13)), QStringLiteral("broker-0 crashed"));
  EXPECT_EQ(log.countAtOrBefore(5.0), 14);
  EXPECT_EQ(log.countAtOrBefore(-1), 0);
}

TEST(EventReader, SkipsBadLinesAndNamesThem) {
  const QString path = badRun() + QStringLiteral("/events.jsonl");
  const auto result = EventReader::readFile(path);
  EXPECT_EQ(result.log.size(), 2);
  ASSERT_EQ(result.problems.size(), 3);
  EXPECT_EQ(result.problems[0].line, 2);
  EXPECT_TRUE(result.problems[0].message.startsWith(QStringLiteral("not valid JSON")));
  EXPECT_EQ(result.problems[1].line, 3);
  EXPECT_TRUE(result.problems[1].message.contains(QStringLiteral("\"t\"")));
  EXPECT_EQ(result.problems[2].line, 4);
  EXPECT_EQ(result.problems[2].message,
            QStringLiteral("leader_elected event: field \"partition\" is missing; line skipped"));
  EXPECT_EQ(result.problems[2].toString(), path + QStringLiteral(", line 4: ") + result.problems[2].message);
}

TEST(EventReader, SortsEventsOutOfOrderAndSaysSo) {
  const auto r = EventReader::parse("{\"t\":2,\"type\":\"run_finished\"}\n{\"t\":1,\"type\":\"broker_crashed\",\"broker\":1}\n",
                                    QStringLiteral("e.jsonl"));
  ASSERT_EQ(r.log.size(), 2);
  EXPECT_EQ(r.log.at(0).type, EventType::broker_crashed);
  ASSERT_EQ(r.problems.size(), 1);
  EXPECT_TRUE(r.problems[0].message.contains(QStringLiteral("not in time order")));
}

TEST(EventReader, RejectsWrongFieldTypes) {
  const auto r = EventReader::parse("{\"t\":1,\"type\":\"isr_changed\",\"topic\":\"a\",\"partition\":0,\"isr\":\"0,1\"}\n",
                                    QStringLiteral("e.jsonl"));
  EXPECT_EQ(r.log.size(), 0);
  ASSERT_EQ(r.problems.size(), 1);
  EXPECT_TRUE(r.problems[0].message.contains(QStringLiteral("field \"isr\" should be an array of broker ids")));
}

TEST(SummaryReader, BuildsRowsInReadingOrder) {
  const auto result = SummaryReader::readFile(faultsRun() + QStringLiteral("/summary.json"));
  EXPECT_TRUE(result.problems.isEmpty());
  const RunSummary& s = result.summary;
  EXPECT_EQ(s.scenario(), QStringLiteral("faults"));
  EXPECT_EQ(s.seed(), 7);
  EXPECT_EQ(s.durationS(), 20.0);
  EXPECT_EQ(s.number({"records", "lost"}), 5.0);
  EXPECT_TRUE(std::isnan(s.number({"records", "nope"})));
  QStringList keys;
  for (const SummaryRow& r : s.rows()) keys.append(r.key);
  EXPECT_LT(keys.indexOf(QStringLiteral("records/produced")), keys.indexOf(QStringLiteral("records/lost")));
  EXPECT_TRUE(keys.contains(QStringLiteral("producer/checkout/errors/NOT_LEADER_OR_FOLLOWER")));
  EXPECT_TRUE(keys.contains(QStringLiteral("consumer/c2/lag_at_end")));
  EXPECT_TRUE(keys.contains(QStringLiteral("latency_ms/p99")));
  const SummaryRow& lost = s.rows()[keys.indexOf(QStringLiteral("records/lost"))];
  EXPECT_EQ(lost.value.toLongLong(), 5);
  EXPECT_TRUE(lost.higherIsWorse);
}

TEST(SummaryReader, ReportsMalformedJsonWithItsLine) {
  const QString path = badRun() + QStringLiteral("/summary.json");
  const auto result = SummaryReader::readFile(path);
  EXPECT_TRUE(result.summary.isEmpty());
  ASSERT_EQ(result.problems.size(), 1);
  EXPECT_EQ(result.problems[0].severity, LoadProblem::Severity::error);
  EXPECT_EQ(result.problems[0].line, 5);
  EXPECT_TRUE(result.problems[0].toString().startsWith(path + QStringLiteral(", line 5: not valid JSON")))
      << result.problems[0].toString().toStdString();
}

TEST(ScenarioReader, ReadsNameDurationAndAcks) {
  const auto result = ScenarioReader::readFile(faultsRun() + QStringLiteral("/scenario.resolved.json"));
  EXPECT_TRUE(result.problems.isEmpty());
  EXPECT_EQ(result.info.name, QStringLiteral("faults"));
  EXPECT_EQ(result.info.durationS, 20.0);
  EXPECT_EQ(result.info.brokers, 3);
  EXPECT_EQ(result.info.faults, 2);
  EXPECT_EQ(result.info.producerAcks, QStringList{QStringLiteral("checkout: acks=all")});
}

TEST(ScenarioReader, AcceptsCommentsAsKafkasimDoes) {
  const QByteArray text = "{\n  // a line comment with \"quotes\"\n  \"name\": \"a // not a comment\",\n"
                          "  /* a block\n     comment */ \"duration\": \"2s\",\n  \"seed\": 7,\n}";
  const auto result = ScenarioReader::parse(text, QStringLiteral("c.json"));
  // The trailing comma is still an error, reported on its own line: comments keep the line count.
  ASSERT_EQ(result.problems.size(), 1);
  EXPECT_EQ(result.problems[0].line, 7);
  const auto clean = ScenarioReader::parse(QByteArray(text).replace("7,", "7"), QStringLiteral("c.json"));
  ASSERT_TRUE(clean.problems.isEmpty()) << clean.problems[0].toString().toStdString();
  EXPECT_EQ(clean.info.name, QStringLiteral("a // not a comment"));
  EXPECT_EQ(clean.info.durationS, 2.0);
  EXPECT_EQ(clean.info.seed, 7);
}

TEST(ScenarioReader, ParsesDurationsLikeKafkasim) {
  EXPECT_EQ(parseDurationS(QStringLiteral("30s")), 30.0);
  EXPECT_EQ(parseDurationS(QStringLiteral("250ms")), 0.25);
  EXPECT_EQ(parseDurationS(QStringLiteral("2h")), 7200.0);
  EXPECT_EQ(parseDurationS(QStringLiteral("1.5min")), 90.0);
  EXPECT_EQ(parseDurationS(QStringLiteral("3m")), 180.0);
  EXPECT_FALSE(parseDurationS(QStringLiteral("30 parsecs")).has_value());
  EXPECT_FALSE(parseDurationS(QStringLiteral("")).has_value());
  EXPECT_EQ(formatDuration(30), QStringLiteral("30 s"));
  EXPECT_EQ(formatDuration(5400), QStringLiteral("1 h 30 min"));
  EXPECT_EQ(formatDuration(0.25), QStringLiteral("250 ms"));
}
