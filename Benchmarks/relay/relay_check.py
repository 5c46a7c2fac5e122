#!/usr/bin/env python3
"""Checks and numbers for the relay benchmarks, from the files the clients and the receiver
write and from ThingBridge's SQLite database (read-only).

    relay_check.py crash   --acks F --received F --database DB [--limit 150] [--admin URL --token T]
        Waits until every stored event (acknowledged or not) has reached the receiver, or the
        limit passes; prints what arrived, missing, invented and duplicates; exits 1 on a missing
        or invented event, a bad signature or a wrong body.
    relay_check.py drain   --database DB [--limit 120]
        Waits until no delivery is pending; prints how long that took and the delivery rate.
    relay_check.py latency --acks F --received F
        Delivery latency from each event's 200 answer to its first arrival: p50, p99, max.

Files: acks are `ORDER_ID EVENT_ID [ACK_UNIX_SECONDS]` lines (Benchmarks/webhooks/crash_client.py
and latency_client.py), received is receiver.py's record.
"""
import argparse
import json
import sqlite3
import sys
import time
import urllib.request
from dataclasses import dataclass, field


@dataclass
class Arrivals:
    """receiver.py's record, read incrementally while the receiver writes it."""
    path: str
    offset: int = 0
    requests: int = 0
    bad_signatures: int = 0
    first: dict = field(default_factory=dict)  # event id -> (arrival time, webhook id, order id)
    per_webhook_id: dict = field(default_factory=dict)  # webhook id -> requests

    def update(self):
        with open(self.path) as record:
            record.seek(self.offset)
            while True:
                line = record.readline()
                if not line.endswith("\n"):
                    break  # a line still being written: read it next time
                self.offset += len(line)
                arrived, webhook_id, event_id, order_id, signature = line.split()
                self.requests += 1
                self.bad_signatures += signature != "ok"
                self.per_webhook_id[webhook_id] = self.per_webhook_id.get(webhook_id, 0) + 1
                if event_id != "-" and event_id not in self.first:
                    self.first[event_id] = (float(arrived), webhook_id, order_id)

    @property
    def duplicates(self) -> int:
        return self.requests - len(self.per_webhook_id)


def read_acks(path: str) -> dict:
    """event id -> (order id, ack time or None)."""
    acks = {}
    with open(path) as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2:
                acks[parts[1]] = (parts[0], float(parts[2]) if len(parts) > 2 else None)
    return acks


def database(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def stored_events(path: str) -> dict:
    """event id -> order id, for every stored event."""
    with database(path) as connection:
        return {str(event_id): str(order_id) for event_id, order_id in connection.execute("SELECT id, order_id FROM webhook_events")}


def delivery_states(path: str) -> dict:
    with database(path) as connection:
        return dict(connection.execute("SELECT state, COUNT(*) FROM relay_deliveries GROUP BY state").fetchall())


def attempt_outcomes(path: str) -> dict:
    """The recorded attempts by error (None: delivered)."""
    with database(path) as connection:
        return dict(connection.execute("SELECT error, COUNT(*) FROM relay_attempts GROUP BY error").fetchall())


def endpoint_ids(path: str) -> list:
    with database(path) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM relay_endpoints")]


def admin_health(url: str, token: str) -> dict:
    """The relay endpoints' health from `GET /admin/api/relay/endpoints`."""
    request = urllib.request.Request(f"{url}/admin/api/relay/endpoints", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return {endpoint["id"]: endpoint["health"] for endpoint in json.load(reply)["endpoints"]}


def crash(args) -> int:
    acks = read_acks(args.acks)
    arrivals = Arrivals(args.received)
    started = time.monotonic()
    while True:
        stored = stored_events(args.database)
        arrivals.update()
        missing = [event for event in stored.keys() | acks.keys() if event not in arrivals.first]
        waited = time.monotonic() - started
        if not missing or waited > args.limit:
            break
        time.sleep(0.5)
    time.sleep(0.5)  # a last look, for duplicates still on their way
    arrivals.update()

    endpoints = endpoint_ids(args.database)
    acked_missing = [event for event in acks if event not in arrivals.first]
    unacked_missing = [event for event in stored if event not in acks and event not in arrivals.first]
    acked_not_stored = [event for event, (order, _) in acks.items() if stored.get(event) != order]
    invented = [event for event in arrivals.first if event not in stored]
    wrong = [event for event, (_, webhook_id, order) in arrivals.first.items()
             if event in stored and (order != stored[event] or webhook_id not in {f"msg_{event}_{e}" for e in endpoints})]
    duplicated_events = sum(1 for count in arrivals.per_webhook_id.values() if count > 1)
    states = delivery_states(args.database)

    print(f"acknowledged: {len(acks)}; stored: {len(stored)} "
          f"({len(stored.keys() - acks.keys())} stored whose 200 never reached the client)")
    print(f"reached the receiver: {len(arrivals.first)} events in {arrivals.requests} requests "
          f"(waited {waited:.1f} s after the last restart)")
    print(f"missing: {len(acked_missing)} acknowledged, {len(unacked_missing)} stored but unacknowledged")
    print(f"invented: {len(invented)}; wrong body or webhook-id: {len(wrong)}; bad signatures: {arrivals.bad_signatures}; "
          f"acknowledged but not stored: {len(acked_not_stored)}")
    print(f"duplicates: {arrivals.duplicates} requests beyond the first for {duplicated_events} events (allowed: at least once)")
    print("deliveries in the database: " + ", ".join(f"{state} {count}" for state, count in sorted(states.items())))
    outcomes = attempt_outcomes(args.database)
    print(f"attempts recorded: {sum(outcomes.values())}; " + "; ".join(
        f"{error or 'delivered'}: {count}" for error, count in sorted(outcomes.items(), key=lambda item: -item[1])))
    if args.admin:
        for endpoint, health in admin_health(args.admin, args.token).items():
            print(f"admin API, endpoint {endpoint}: " + ", ".join(f"{key} {value}" for key, value in sorted(health.items())))
    for name, events in [("missing (acknowledged)", acked_missing), ("missing (stored)", unacked_missing),
                         ("invented", invented), ("wrong", wrong), ("acknowledged but not stored", acked_not_stored)]:
        if events:
            print(f"  {name}, first ones: {' '.join(sorted(events, key=int)[:10])}")
    if states.get("failed"):
        print("  some deliveries used up the retry schedule (failed): give a longer THINGBRIDGE_RELAY_RETRY_SCHEDULE")
    failures = acked_missing or unacked_missing or invented or wrong or acked_not_stored or arrivals.bad_signatures
    print("RESULT: " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


def drain(args) -> int:
    started = time.monotonic()
    with database(args.database) as connection:
        def pending():
            return connection.execute("SELECT COUNT(*) FROM relay_deliveries WHERE state = 'pending'").fetchone()[0]
        backlog = pending()
        while (left := pending()) and time.monotonic() - started < args.limit:
            time.sleep(0.1)
    seconds = time.monotonic() - started
    rate = backlog / seconds if backlog and seconds > 0 else 0
    print(f"backlog {backlog} drained in {seconds:.1f} s ({rate:.0f} deliveries/s); still pending {left}")
    return 1 if left else 0


def percentile(values: list, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def latency(args) -> int:
    acks = read_acks(args.acks)
    arrivals = Arrivals(args.received)
    arrivals.update()
    delays = [(arrivals.first[event][0] - acked) * 1000 for event, (_, acked) in acks.items() if event in arrivals.first]
    missing = len(acks) - len(delays)
    if not delays:
        print("no event reached the receiver")
        return 1
    print(f"latency_samples {len(delays)}\nlatency_missing {missing}\nlatency_duplicates {arrivals.duplicates}")
    for name, fraction in [("p50", 0.50), ("p90", 0.90), ("p99", 0.99)]:
        print(f"latency_{name}_ms {percentile(delays, fraction):.2f}")
    print(f"latency_min_ms {min(delays):.2f}\nlatency_max_ms {max(delays):.2f}")
    return 1 if missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    crash_parser = commands.add_parser("crash")
    crash_parser.add_argument("--acks", required=True)
    crash_parser.add_argument("--received", required=True)
    crash_parser.add_argument("--database", required=True)
    crash_parser.add_argument("--limit", type=float, default=150)
    crash_parser.add_argument("--admin", help="ThingBridge's base URL, for the endpoints' health")
    crash_parser.add_argument("--token", help="THINGBRIDGE_ADMIN_TOKEN")
    drain_parser = commands.add_parser("drain")
    drain_parser.add_argument("--database", required=True)
    drain_parser.add_argument("--limit", type=float, default=120)
    latency_parser = commands.add_parser("latency")
    latency_parser.add_argument("--acks", required=True)
    latency_parser.add_argument("--received", required=True)
    args = parser.parse_args()
    return {"crash": crash, "drain": drain, "latency": latency}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
