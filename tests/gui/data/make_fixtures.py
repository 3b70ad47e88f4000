#!/usr/bin/env python3
"""Writes the viewer's synthetic result folders (run once; the output is committed).

faults_run/  every event type of results/README.md, including those later issues add (faults, elections, ISR,
             fencing, truncation, rebalances), and metrics columns they add (under_replicated, offline, lag:<group>,
             lag:<group>:<topic>/<p>, lost_total, duplicated_total, latency), with values easy to assert on.
bad_run/     one problem of each kind the readers must report: malformed JSON, a short CSV row, a non-number,
             a line without "t", an event missing a field, a missing file.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def faults_run():
    d = os.path.join(HERE, "faults_run")
    events = [
        {"t": 0.0, "type": "run_started", "scenario": "faults", "seed": 7, "duration_s": 20.0, "brokers": 3},
        {"t": 0.0, "type": "topic_created", "topic": "orders", "partitions": [
            {"partition": 0, "replicas": [0, 1, 2], "leader": 0},
            {"partition": 1, "replicas": [1, 2, 0], "leader": 1}]},
        {"t": 0.0, "type": "broker_started", "broker": 0, "replicas": 2, "leaders": 1},
        {"t": 0.0, "type": "broker_started", "broker": 1, "replicas": 2, "leaders": 1},
        {"t": 0.0, "type": "broker_started", "broker": 2, "replicas": 2, "leaders": 0},
        {"t": 0.0, "type": "producer_started", "producer": "checkout", "topic": "orders", "acks": "all",
         "idempotence": True},
        {"t": 0.0, "type": "consumer_started", "consumer": "c1", "group": "billing", "partitions": 2},
        {"t": 0.5, "type": "controller_elected", "controller": "controller-0", "epoch": 1},
        {"t": 2.0, "type": "consumer_started", "consumer": "c2", "group": "billing", "partitions": 0},
        {"t": 3.0, "type": "rebalance_started", "group": "billing", "generation": 1, "reason": "c2 joined"},
        {"t": 3.5, "type": "member_joined", "group": "billing", "member": "c2", "reason": "join"},
        {"t": 4.0, "type": "rebalance_completed", "group": "billing", "generation": 1, "protocol": "range",
         "members": [{"member": "c1", "assignment": ["orders/0"]}, {"member": "c2", "assignment": ["orders/1"]}]},
        {"t": 5.0, "type": "fault_started", "fault": "crash", "target": "broker-0", "description": "kill broker-0"},
        {"t": 5.0, "type": "broker_crashed", "broker": 0},
        {"t": 5.1, "type": "batch_failed", "producer": "checkout", "topic": "orders", "partition": 0, "records": 10,
         "first_sequence": 40, "attempts": 3, "error": "NOT_LEADER_OR_FOLLOWER"},
        {"t": 7.0, "type": "isr_changed", "topic": "orders", "partition": 1, "isr": [1, 2]},
        {"t": 8.0, "type": "fault_started", "fault": "network_partition", "target": "broker-2",
         "description": "broker-2 cut off from the controllers"},
        {"t": 9.0, "type": "broker_fenced", "broker": 0},
        {"t": 9.05, "type": "leader_elected", "topic": "orders", "partition": 0, "leader": 1, "leader_epoch": 1,
         "isr": [1, 2], "unclean": False},
        {"t": 10.0, "type": "fault_healed", "fault": "crash", "target": "broker-0", "description": "restart broker-0"},
        {"t": 10.0, "type": "broker_restarted", "broker": 0},
        {"t": 11.0, "type": "log_truncated", "broker": 0, "topic": "orders", "partition": 0, "to_offset": 100,
         "records": 5},
        {"t": 12.0, "type": "broker_unfenced", "broker": 0},
        {"t": 12.5, "type": "isr_changed", "topic": "orders", "partition": 0, "isr": [1, 2, 0]},
        {"t": 13.0, "type": "fault_healed", "fault": "network_partition", "target": "broker-2", "description": ""},
        {"t": 13.2, "type": "controller_elected", "controller": "controller-1", "epoch": 2},
        {"t": 14.0, "type": "leader_elected", "topic": "orders", "partition": 1, "leader": -1, "leader_epoch": 2,
         "isr": [], "unclean": False},
        {"t": 14.5, "type": "leader_elected", "topic": "orders", "partition": 1, "leader": 2, "leader_epoch": 3,
         "isr": [2], "unclean": True},
        {"t": 15.0, "type": "member_left", "group": "billing", "member": "c2", "reason": "session timeout"},
        {"t": 15.0, "type": "rebalance_started", "group": "billing", "generation": 2, "reason": "c2 left"},
        {"t": 16.0, "type": "rebalance_completed", "group": "billing", "generation": 2,
         "protocol": "cooperative-sticky", "members": [{"member": "c1", "assignment": ["orders/0", "orders/1"]}]},
        {"t": 17.0, "type": "commit_failed", "consumer": "c1", "error": "REBALANCE_IN_PROGRESS"},
        {"t": 17.5, "type": "future_thing", "answer": 42},
        {"t": 18.0, "type": "producer_finished", "producer": "checkout", "records": 19000},
        {"t": 19.0, "type": "broker_power_lost", "broker": 2},
        {"t": 19.5, "type": "settle_started", "until": 20.0},
        {"t": 20.0, "type": "run_finished"},
    ]
    write(os.path.join(d, "events.jsonl"), "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events))

    columns = ["time_s", "produced_per_s", "acknowledged_per_s", "failed_per_s", "consumed_per_s",
               "log_end_offset:orders/0", "high_watermark:orders/0", "log_end_offset:orders/1",
               "high_watermark:orders/1", "lag:c1", "lag:c2", "lag:billing", "lag:billing:orders/0",
               "lag:billing:orders/1", "under_replicated", "offline", "lost_total", "duplicated_total",
               "latency_ms_p50", "latency_ms_p99"]
    rows = [",".join(columns)]
    for t in range(1, 21):
        down = 6 <= t <= 9
        produced = 1000 + t                      # 1007 at t=7
        acked = 0 if down else 1000
        failed = 100 if t == 6 else 0
        consumed = 0 if down else 1000
        lag_billing = t * 10 if 5 <= t <= 10 else 0
        lag_p0 = lag_billing // 2
        lag_p1 = lag_billing - lag_p0
        under = 1 if 7 <= t < 9 else 2 if 9 <= t < 13 else 1 if t >= 13 else 0
        offline = 1 if t == 14 else 0
        lost = 5 if t >= 11 else 0
        dup = 3 if t >= 14 else 0
        p50 = 2.5 if not down else 40.0
        p99 = 9.0 if not down else 900.0
        rows.append(",".join(str(v) for v in [
            f"{t:.6f}", f"{produced:.3f}", f"{acked:.3f}", f"{failed:.3f}", f"{consumed:.3f}",
            t * 500, t * 500, t * 480, t * 480, lag_p0, lag_p1, lag_billing, lag_p0, lag_p1, under, offline, lost,
            dup, p50, p99]))
    write(os.path.join(d, "metrics.csv"), "\n".join(rows) + "\n")

    summary = {
        "kafkasim_version": "0.1.0", "scenario": "faults", "seed": 7, "duration_s": 20.0,
        "network_model": "synthetic fixture",
        "records": {"produced": 20210, "acknowledged": 16000, "failed": 100, "unresolved": 0, "in_log": 15998,
                    "consumed": 15998, "delivered_twice": 1, "duplicated": 3, "lost": 5, "reordered": 0,
                    "present_unacknowledged": 0, "unseen": 0},
        "latency_ms": {"count": 15998, "p50": 2.5, "p99": 850.0, "max": 1200.5, "mean": 40.25},
        "throughput": {"produced_records_per_s": 1010.5, "acknowledged_records_per_s": 800.0,
                       "consumed_records_per_s": 799.9, "log_MB_per_s": 0.2},
        "producers": [{"name": "checkout", "requests": 4000, "batches": 4100, "retries": 12, "records_failed": 100,
                       "errors": {"NOT_LEADER_OR_FOLLOWER": 12}}],
        "consumers": [{"name": "c1", "group": "billing", "polls": 100, "records": 15998, "fetch_requests": 120,
                       "commits": 4, "commits_failed": 1, "busy_s": 1.5, "lag_at_end": 0},
                      {"name": "c2", "group": "billing", "polls": 10, "records": 0, "fetch_requests": 12,
                       "commits": 1, "commits_failed": 0, "busy_s": 0.0, "lag_at_end": 0}],
        "partitions": [{"topic": "orders", "partition": 0, "leader": 1, "replicas": [0, 1, 2], "isr": [1, 2, 0],
                        "log_end_offset": 10000, "high_watermark": 10000},
                       {"topic": "orders", "partition": 1, "leader": 2, "replicas": [1, 2, 0], "isr": [2],
                        "log_end_offset": 9600, "high_watermark": 9600}],
        "rebalances": 2,
        "events": {"count": len(events), "fnv1a64": "0000000000000000", "by_type": {}},
    }
    for e in events:
        summary["events"]["by_type"][e["type"]] = summary["events"]["by_type"].get(e["type"], 0) + 1
    write(os.path.join(d, "summary.json"), json.dumps(summary, indent=2) + "\n")

    scenario = {"name": "faults", "description": "Synthetic fixture: a crash, a network partition, an unclean "
                "election and two rebalances.", "seed": 7, "duration": "20s",
                "cluster": {"brokers": 3, "control_plane": {"mode": "kraft", "nodes": 3}},
                "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
                "producers": [{"name": "checkout", "topic": "orders", "config": {"acks": "all"}}],
                "consumers": [{"name": "c1"}, {"name": "c2"}],
                "faults": [{"at": "5s", "kind": "crash", "target": "broker-0"},
                           {"at": "8s", "kind": "network_partition", "target": "broker-2"}]}
    write(os.path.join(d, "scenario.resolved.json"), json.dumps(scenario, indent=2) + "\n")


def bad_run():
    d = os.path.join(HERE, "bad_run")
    write(os.path.join(d, "summary.json"), '{\n  "scenario": "bad",\n  "records": {\n    "lost": 1,\n')
    write(os.path.join(d, "metrics.csv"),
          "time_s,produced_per_s,lag:c1\n"
          "1.0,100,0\n"
          "2.0,200\n"            # line 3: a field short
          "3.0,abc,1\n"          # line 4: not a number
          "4.0,400,2\n")
    write(os.path.join(d, "events.jsonl"),
          '{"t":0.0,"type":"run_started","scenario":"bad","seed":1,"duration_s":4.0,"brokers":1}\n'
          '{"t":1.0,"type":"broker_crashed","broker":\n'                       # line 2: broken JSON
          '{"type":"broker_restarted","broker":0}\n'                           # line 3: no "t"
          '{"t":2.0,"type":"leader_elected","topic":"x","leader":0,"isr":[0]}\n'  # line 4: no partition
          '{"t":3.0,"type":"run_finished"}\n')
    # scenario.resolved.json deliberately missing


if __name__ == "__main__":
    faults_run()
    bad_run()
