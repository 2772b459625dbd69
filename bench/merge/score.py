#!/usr/bin/env python3
"""Pair precision and recall of guarantor's merging of reports into incidents, against bench/merge/labels.csv.

A labelled pair (a, b) is predicted `same` when a and b are in one incident of the JSON of
`guarantor monitor incidents --json`; it counts only if both reports are in that JSON (each incident lists its
reports as `source/id`, the form labels.csv uses). Precision = merged `same` pairs / merged pairs; recall =
merged `same` pairs / `same` pairs. Printed for all months, the development months, the held-out months
(HELD_OUT), each pair of sources and each month, with how many of the hard `different` pairs were merged.

    score.py INCIDENTS.json [MORE.json ...]        # one or more saved outputs (use - for stdin)
    score.py --db DB                               # runs guarantor itself over one window (default 2022-01-01..2025-01-01)
    score.py --db DB --monthly                     # ... and over calendar-month windows, pooled
    score.py --db DB --errors 10                   # ... and lists wrongly merged / wrongly split pairs

With several JSON files (e.g. one per month window), an incident is the same incident wherever its `id`
is; a report in two different incidents is an error. Incidents are stored: a window selects the incidents
whose span meets it, so monthly windows give the same incidents as one window.
"""

import argparse
import csv
import datetime
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.csv"
GUARANTOR = HERE.parent.parent / "target" / "release" / "guarantor"

# Months kept aside: chosen before any scoring; tune merging on the others and report these separately.
HELD_OUT = ("2022-07", "2022-10")

WHOLE = ("2022-01-01", "2025-01-01")


def read_labels(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["label"] not in ("same", "different"):
            sys.exit(f"score: {path}: label must be same or different, got {r['label']!r}")
        r["hard"] = r["hard"] == "1"
    return rows


def incident_map(docs):
    """report key -> incident key, over one or more incidents JSON documents. Stored incidents have an `id`: an
    incident that spans two windows is in both answers, as one incident; a report in two different incidents is
    an error. (Without ids, the windows must not overlap.)"""
    where = {}
    for d, doc in enumerate(docs):
        for i, inc in enumerate(doc["incidents"]):
            key = ("id", inc["id"]) if inc.get("id") else (d, i)
            for rep in inc["reports"]:
                if rep in where and where[rep] != key:
                    sys.exit(f"score: report {rep} is in two incidents ({where[rep]} and {key})")
                where[rep] = key
    return where


def run_incidents(db, since, until):
    cmd = [str(GUARANTOR), "monitor", "--db", str(db), "-q", "incidents", "--json", "--since", since, "--until", until]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"score: `{' '.join(cmd)}` exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def month_windows(since, until):
    start = datetime.date.fromisoformat(since)
    end = datetime.date.fromisoformat(until)
    d = start.replace(day=1)
    while d < end:
        nxt = (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        yield max(d, start).isoformat(), min(nxt, end).isoformat()
        d = nxt


class Tally:
    def __init__(self):
        self.pairs = self.same = self.hard = 0
        self.tp = self.fp = self.fn = self.hard_merged = 0

    def add(self, r, merged):
        self.pairs += 1
        same = r["label"] == "same"
        self.same += same
        self.hard += r["hard"]
        if same and merged:
            self.tp += 1
        elif same:
            self.fn += 1
        elif merged:
            self.fp += 1
            self.hard_merged += r["hard"]

    def row(self, name):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")
        rc = self.tp / self.same if self.same else float("nan")
        f1 = 2 * p * rc / (p + rc) if self.tp else 0.0
        return (f"{name:<10} {self.pairs:>5} {self.same:>5} {self.pairs - self.same:>5} {self.hard:>5} "
                f"{self.tp:>5} {self.fp:>5} {self.fn:>5} {p:>6.3f} {rc:>6.3f} {f1:>6.3f} "
                f"{self.hard_merged:>4}/{self.hard:<4}")

    def as_dict(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        rc = self.tp / self.same if self.same else None
        return {"pairs": self.pairs, "same": self.same, "different": self.pairs - self.same, "hard": self.hard,
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": p, "recall": rc,
                "hard_merged": self.hard_merged}


def score(labels, where):
    total, dev, held = Tally(), Tally(), Tally()
    by_month = defaultdict(Tally)
    by_sources = defaultdict(Tally)
    missing = 0
    errors = []
    for r in labels:
        if r["a"] not in where or r["b"] not in where:
            missing += 1
            continue
        merged = where[r["a"]] == where[r["b"]]
        sources = "-".join(sorted(x.split("/")[0] for x in (r["a"], r["b"])))
        for t in (total, held if r["month"] in HELD_OUT else dev, by_month[r["month"]], by_sources[sources]):
            t.add(r, merged)
        if merged != (r["label"] == "same"):
            errors.append((r, merged))
    return total, dev, held, by_month, by_sources, missing, errors


def report(title, labels, where, n_errors, as_json):
    total, dev, held, by_month, by_sources, missing, errors = score(labels, where)
    if as_json:
        return {"window": title, "missing_pairs": missing, "all": total.as_dict(), "dev": dev.as_dict(),
                "held_out": held.as_dict(), "held_out_months": list(HELD_OUT),
                "by_sources": {k: t.as_dict() for k, t in sorted(by_sources.items())},
                "by_month": {m: t.as_dict() for m, t in sorted(by_month.items())}}
    print(f"== {title}: {total.pairs} labelled pairs scored ({missing} left out: a report not in the JSON)")
    head = (f"{'':<10} {'pairs':>5} {'same':>5} {'diff':>5} {'hard':>5} {'TP':>5} {'FP':>5} {'FN':>5} "
            f"{'prec':>6} {'recall':>6} {'F1':>6} hard merged")
    print(head)
    print(total.row("all"))
    print(dev.row("dev"))
    print(held.row("held-out"))
    print(f"  (held-out months: {', '.join(HELD_OUT)})")
    for k, t in sorted(by_sources.items()):
        print(t.row(k.replace("bellingcat", "bc")))
    for m, t in sorted(by_month.items()):
        print(t.row(m))
    if n_errors:
        fps = [r for r, merged in errors if merged][:n_errors]
        fns = [r for r, merged in errors if not merged][:n_errors]
        print(f"-- merged but labelled different ({sum(1 for _, m in errors if m)}):")
        for r in fps:
            print(f"   {r['a']}  {r['b']}  [{r['month']}{' hard' if r['hard'] else ''}] {r['why']}")
        print(f"-- labelled same but not merged ({sum(1 for _, m in errors if not m)}):")
        for r in fns:
            print(f"   {r['a']}  {r['b']}  [{r['month']}] {r['why']}")
    print()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", nargs="*", help="incidents JSON files (- for stdin); pooled, windows must not overlap")
    ap.add_argument("--labels", default=LABELS)
    ap.add_argument("--db", help="run guarantor over this database instead of reading JSON files")
    ap.add_argument("--since", default=WHOLE[0])
    ap.add_argument("--until", default=WHOLE[1])
    ap.add_argument("--monthly", action="store_true", help="with --db: also score calendar-month windows, pooled")
    ap.add_argument("--errors", type=int, default=0, help="list up to N wrong pairs of each kind")
    ap.add_argument("--json-out", action="store_true", help="print the scores as JSON")
    args = ap.parse_args()
    labels = read_labels(args.labels)
    out = []
    if args.db:
        if args.json:
            sys.exit("score: give JSON files or --db, not both")
        doc = run_incidents(args.db, args.since, args.until)
        out.append(report(f"one window {args.since}..{args.until}", labels, incident_map([doc]), args.errors,
                          args.json_out))
        if args.monthly:
            docs = [run_incidents(args.db, s, u) for s, u in month_windows(args.since, args.until)]
            out.append(report("calendar-month windows, pooled", labels, incident_map(docs), args.errors,
                              args.json_out))
    else:
        if not args.json:
            sys.exit("score: give incidents JSON files or --db DB (see --help)")
        docs = [json.load(sys.stdin) if p == "-" else json.load(open(p, encoding="utf-8")) for p in args.json]
        out.append(report(" + ".join(args.json), labels, incident_map(docs), args.errors, args.json_out))
    if args.json_out:
        print(json.dumps(out if len(out) > 1 else out[0], indent=1))


if __name__ == "__main__":
    main()
