#!/usr/bin/env python3
"""Places a demo call and prints its progression, then hangs up.

No Telnyx account needed: without an API key callwire runs in demo mode and
simulates the call (docs/demo-mode.md). The destination's last four digits
pick what happens: 0000 busy, 0001 no answer, 0002 rejected, 0004 the callee
hangs up after 5 s, anything else answers after about 2 s.

    python3 examples/python/demo_call.py                   # real time
    python3 examples/python/demo_call.py --speed 20 --to +12125550000
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading

import callwire


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--to", default="+1 (212) 555-1234", help="the number to call")
    parser.add_argument("--db", help="SQLite file (default: a temporary one)")
    parser.add_argument("--speed", type=float, default=1.0, help="demo speed: 10 runs ten times faster")
    parser.add_argument("--talk", type=float, default=3.0, help="seconds to stay on an answered call")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="callwire-demo-")
    db = args.db or os.path.join(folder, "calls.db")
    print(f"callwire {callwire.__version__} (libcallwire_c {callwire.c_library_version()})")

    with callwire.Storage(db) as storage, callwire.Client(
        storage, demo_speed=args.speed, recordings_dir=os.path.join(folder, "recordings")
    ) as client:
        if not storage.numbers.list():
            storage.numbers.create("+13125550100", name="Demo line", is_default=True)

        ended = threading.Event()

        def show(update: callwire.CallUpdate) -> None:
            # Runs on one of the client's threads, in order for each call.
            call = update.call
            print(f"  {update.type:<13} {call.status:<10} {call.hangup_cause}".rstrip())
            if update.type == "call.ended":
                ended.set()

        with client.subscribe(show):
            call = client.dial(args.to)
            print(f"dialing {call.to_number} from {call.from_number} ({client.mode} mode), call {call.call_id}")
            # Wait for the answer (or for the end: busy, rejected, ...).
            call = client.wait_for(call.call_id, {"active"} | callwire.TERMINAL_STATUSES, timeout=120 / args.speed)
            if call.status == "active":
                # Stay on the line for a while, unless the callee hangs up first.
                try:
                    call = client.wait_for(call.call_id, callwire.TERMINAL_STATUSES, timeout=args.talk / args.speed)
                except callwire.TimeoutError:
                    call = client.hangup(call.call_id)
            else:
                call = client.wait_for(call.call_id, callwire.TERMINAL_STATUSES)
            ended.wait(10)  # let the callback print the last update before unsubscribing

        print(f"ended: {call.status}, {call.duration} s, hangup cause {call.hangup_cause or '-'}")
        stats = client.stats()
        print(f"calls logged: {stats.total_calls}, completed: {stats.completed_calls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
