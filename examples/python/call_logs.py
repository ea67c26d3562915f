#!/usr/bin/env python3
"""Contacts, caller-ID numbers, call logs with search and statistics, and a CSV export.

Makes a few demo calls to have something to report on, then prints the logs
and writes them as CSV.

    python3 examples/python/call_logs.py --csv calls.csv
"""

from __future__ import annotations

import argparse
import os
import tempfile

import callwire


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="SQLite file (default: a temporary one)")
    parser.add_argument("--csv", help="write the call logs here as CSV")
    parser.add_argument("--speed", type=float, default=20.0, help="demo speed")
    args = parser.parse_args()

    db = args.db or os.path.join(tempfile.mkdtemp(prefix="callwire-logs-"), "calls.db")
    with callwire.Storage(db) as storage, callwire.Client(storage, demo_speed=args.speed) as client:
        if not storage.numbers.list():
            storage.numbers.create("+1 312 555 0100", name="Main line", is_default=True)
        ada = storage.contacts.create("Ada Lovelace", "+44 20 7946 0958", category="client")
        grace = storage.contacts.create("Grace Hopper", "+1 212 555 0000", category="lead", is_favorite=True)
        print("contacts:", ", ".join(f"{c.name} ({c.phone})" for c in storage.contacts.list()))

        # Grace's line is busy (a demo number ending in 0000); Ada answers and we hang up.
        busy = client.dial(grace.phone, contact_id=grace.id)
        answered = client.dial(ada.phone, contact_id=ada.id)
        client.wait_for(answered.call_id, "active", timeout=60)
        client.hangup(answered.call_id)
        client.wait_for(busy.call_id, callwire.TERMINAL_STATUSES, timeout=60)

        for call in storage.logs.list():
            print(f"  {call.created_at:%H:%M:%S} {call.to_number:<14} {call.contact_name or '-':<14} {call.status}")
        print("search 'grace':", [c.status for c in storage.logs.search("grace")])
        stats = storage.logs.stats()
        print(f"total {stats.total_calls}, completed {stats.completed_calls}, failed {stats.failed_calls}, "
              f"answer rate {stats.answer_rate:.0%}")

        csv_text = storage.logs.export_csv()
        if args.csv:
            with open(args.csv, "w", newline="", encoding="utf-8") as f:
                f.write(csv_text)
            print(f"wrote {len(csv_text.splitlines()) - 1} calls to {args.csv}")
        else:
            print(csv_text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
