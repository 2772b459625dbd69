#!/usr/bin/env python3
"""Agreement of guarantor's oblast with CIR's own `province` column, on every CIR row inside Ukraine.

Usage (from the repository root, after ingesting the CIR export into DB):

    rm -f /tmp/cir.sqlite
    target/release/guarantor monitor --db /tmp/cir.sqlite ingest ../shared/data/events/cir_*.csv
    python3 bench/place/province.py --db /tmp/cir.sqlite [--csv FILE] [--list N]

Reads `guarantor --json monitor incidents` (each CIR report takes its incident's oblast), CIR's file and
`bench/place/cir_province_wrong.csv`: the rows where CIR's province is itself wrong, each with why (read by hand
against the row's town, coordinates and text). Prints the agreement on all rows inside Ukraine with a province, and
once those rows are set aside; `--list N` prints N disagreements still unexplained.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CIR = os.path.join(ROOT, "..", "shared", "data", "events", "cir_russia_ukraine_monitor_2022-2024_without_2022-03.csv")
WRONG = os.path.join(ROOT, "bench", "place", "cir_province_wrong.csv")

# CIR's spellings (English, Ukrainian and Dutch transliterations, typos) -> ISO 3166-2, by a stem that only one
# oblast's spellings start with once "oblast" and punctuation are dropped.
STEMS = [
    ("vinn", "UA-05"), ("volyn", "UA-07"), ("luhan", "UA-09"), ("loehan", "UA-09"), ("dnip", "UA-12"),
    ("dnjep", "UA-12"), ("don", "UA-14"), ("mariupol", "UA-14"), ("zhyt", "UA-18"), ("zyt", "UA-18"),
    ("zakarp", "UA-21"), ("zapor", "UA-23"), ("ivano", "UA-26"), ("kirovo", "UA-35"), ("sevast", "UA-40"),
    ("crimea", "UA-43"), ("lviv", "UA-46"), ("myko", "UA-48"), ("odes", "UA-51"), ("snake island", "UA-51"),
    ("poltav", "UA-53"), ("rivne", "UA-56"), ("sumy", "UA-59"), ("soemy", "UA-59"), ("ternop", "UA-61"),
    ("kh", "UA-63"), ("charkov", "UA-63"), ("kherson", "UA-65"), ("cherson", "UA-65"), ("khmel", "UA-68"),
    ("cherk", "UA-71"), ("chernih", "UA-74"), ("tsjernih", "UA-74"), ("cherniv", "UA-77"),
    ("kyiv", "UA-32"), ("kiev", "UA-32"), ("kiyv", "UA-32"),
]
# Order matters where one stem starts another: longer, more specific stems first.
STEMS.sort(key=lambda s: -len(s[0]))


def province_code(text):
    t = re.sub(r"[^a-z ]", "", text.lower().replace("'", ""))
    t = re.sub(r"\b(oblast|olast|obalst)\b", "", t).strip()
    # Donbas is two oblasts (Donetsk and Luhansk), Ukraine is none: not a province to compare.
    if not t or t.startswith("donbas") or t.startswith("ukraine"):
        return None
    for stem, code in STEMS:
        if t.startswith(stem):
            return code
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--guarantor", default=os.path.join(ROOT, "target", "release", "guarantor"))
    ap.add_argument("--list", type=int, default=0)
    ap.add_argument("--csv", help="write every compared row here")
    a = ap.parse_args()
    out = subprocess.run([a.guarantor, "--json", "monitor", "--db", a.db, "incidents"], check=True,
                         capture_output=True, text=True).stdout
    names = {}
    with open(os.path.join(ROOT, "crates", "guarantor-scenario", "default", "geometry", "admin1.geojson")) as f:
        for feat in json.load(f)["features"]:
            names[feat["properties"]["name"]] = feat["properties"]["code"]
    placed = {}
    for inc in json.loads(out)["incidents"]:
        for r in inc["reports"]:
            if r.startswith("cir/cir-"):
                placed[r[len("cir/cir-"):]] = (inc.get("oblast"), inc.get("place"), inc["country"])
    wrong = {}
    if os.path.exists(WRONG):
        with open(WRONG, newline="") as f:
            for row in csv.DictReader(f):
                wrong[row["entry"]] = row["why"]
    rows = []
    seen = set()
    reader = csv.DictReader(open(CIR, newline="", encoding="utf-8"))
    for r in reader:
        # The export repeats a few ids for other events: guarantor keeps the first (the rest are rejected).
        r["_line"] = reader.line_num
        if r["entry"] and r["entry"] not in seen:
            seen.add(r["entry"])
            rows.append(r)
    rows_by_entry = {r["entry"]: r for r in rows}
    compared = agree = set_aside = unreadable = 0
    misses = []
    out_rows = []
    for r in rows:
        if r["country"] not in ("Ukraine", "") or r["entry"] not in placed:
            continue
        oblast, place, country = placed[r["entry"]]
        if country != "UKR":
            continue
        want = province_code(r["province"])
        if want is None:
            unreadable += 1
            continue
        got = names.get(oblast) if oblast else None
        # CIR files Kyiv City under Kyiv Oblast and Sevastopol under Crimea: each city is compared as part of
        # the unit CIR files it under.
        got_cmp = {"UA-30": "UA-32", "UA-40": "UA-43"}.get(got, got)
        compared += 1
        ok = got_cmp == want
        agree += ok
        if not ok and r["entry"] in wrong:
            set_aside += 1
        elif not ok:
            misses.append((r, got, place))
        out_rows.append({"entry": r["entry"], "province": r["province"], "cir": want, "guarantor": got,
                         "place": place, "agree": ok})
    print(f"CIR rows inside Ukraine (by guarantor) with a readable province: {compared} ({unreadable} without one)")
    print(f"agreement: {agree}/{compared} = {agree / compared:.4f}")
    rest = compared - set_aside
    print(f"set aside (CIR's province wrong, {os.path.relpath(WRONG, ROOT)}): {set_aside}")
    print(f"agreement on the rest: {agree}/{rest} = {agree / rest:.4f}")
    # Kyiv City against Kyiv oblast, which CIR's province does not tell apart: by CIR's town column (a town
    # named Kyiv is the city; any other town placed in either is a town of the oblast).
    city_ok = city_n = 0
    city_miss = {}
    for r in out_rows:
        if r["guarantor"] not in ("UA-30", "UA-32"):
            continue
        town = rows_by_entry[r["entry"]]["town/city"].strip()
        if not town:
            continue
        want = "UA-30" if town.lower() in ("kyiv", "kiev") else "UA-32"
        city_n += 1
        city_ok += r["guarantor"] == want
        if r["guarantor"] != want:
            city_miss[town] = city_miss.get(town, 0) + 1
    print(f"Kyiv City or Kyiv oblast, by CIR's town: {city_ok}/{city_n} = {city_ok / max(city_n, 1):.4f} "
          f"(missed: {', '.join(f'{t} {n}' for t, n in sorted(city_miss.items()))})")
    for r, got, place in misses[: a.list]:
        print(f"{r['entry']}\tline {r['_line']}\t{r['date']}\tCIR {r['province']!r} town {r['town/city']!r}\tguarantor {got} "
              f"place {place!r}\t{r['lat']},{r['lon']}\t{r['title'][:90]}")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(out_rows[0]))
            w.writeheader()
            w.writerows(out_rows)


if __name__ == "__main__":
    sys.exit(main())
