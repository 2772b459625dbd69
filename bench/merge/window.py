#!/usr/bin/env python3
"""The window test on a real store: for every day of a month, the incidents of that day asked alone equal the
month's incidents that meet that day — the same ids and the same reports.

    window.py --db DB --month 2022-04

A day is a Kyiv day (`--since YYYY-MM-DD --until YYYY-MM-DD`, as the CLI reads days). Checked: every incident of
a day's answer is the month's incident of the same id with the same reports; and every month incident with a
report between 03:00 and 21:00 UTC+2 that day (away from midnight, so that summer time cannot move it out) is in
the day's answer.
Exits 1 on any difference.
"""

import argparse
import datetime
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

GUARANTOR = Path(__file__).resolve().parent.parent.parent / "target" / "release" / "guarantor"


def ask(db, since, until):
    cmd = [str(GUARANTOR), "monitor", "--db", db, "-q", "incidents", "--json", "--since", since, "--until", until]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {i["id"]: i["reports"] for i in json.loads(out)["incidents"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--month", required=True, help="YYYY-MM")
    args = ap.parse_args()
    first = datetime.date.fromisoformat(args.month + "-01")
    nxt = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    month = ask(args.db, first.isoformat(), nxt.isoformat())
    con = sqlite3.connect(args.db)
    times = {f"{s}/{i}": t for s, i, t in con.execute("SELECT source, id, time_s FROM report")}
    kyiv = datetime.timezone(datetime.timedelta(hours=2))
    bad = 0
    days = 0
    spanning = 0
    d = first
    while d < nxt:
        alone = ask(args.db, d.isoformat(), (d + datetime.timedelta(days=1)).isoformat())
        for iid, reps in alone.items():
            if month.get(iid) != reps:
                bad += 1
                print(f"{d}: incident {iid} differs from the month's: {reps} vs {month.get(iid)}")
            ts = sorted(times[r] for r in reps)
            if len(reps) > 1 and ts[0] != ts[-1]:
                spanning += 1
        # Every month incident with a report that day is in the day's answer.
        lo = int(datetime.datetime.combine(d, datetime.time(), kyiv).timestamp())
        for iid, reps in month.items():
            if any(lo + 3 * 3600 <= times[r] < lo + 21 * 3600 for r in reps) and iid not in alone:
                bad += 1
                print(f"{d}: incident {iid} of the month has a report that day but is not in the day's answer")
        days += 1
        d += datetime.timedelta(days=1)
    print(f"{days} days of {args.month}: {len(month)} incidents in the month, {bad} differences "
          f"({spanning} day-answers hold an incident whose reports are on several days)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
