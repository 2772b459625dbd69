#!/usr/bin/env python3
"""Checks peer.py's rules and their vectorised reading against guarantor's, on a CIR export.

    check_peer.py FILE [--layout crates/guarantor-scenario/layouts/cir.toml]

1. peer.py's SKIP_RULES, KIND_RULES (and KIND_DEFAULT) and TARGET_RULES are the layout's `[[skip]]`, `[kind]` and
   `[target]` rules, the same in the same order (read from the layout with tomllib);
2. every row is read again by a plain loop written after crates/guarantor-scenario/src/reports.rs (Convert::row,
   rule, has_word: character by character, `str::find` then the boundaries, non-overlapping like Rust's
   match_indices; fields trimmed, empty = missing; alphanumeric = Unicode Alphabetic or N*, as Rust's
   char::is_alphanumeric, its table taken from perl's \\p{Alphabetic} when perl is there), and its kind, target
   and rejection compared with peer.py's stages (a)-(d), row by row.

Prints both sides' counts; exits 1 if any row differs. Also says what guarantor's own count would be where the
file repeats an `entry` (rows peer.py does not model: make_file.py's ids are unique): a repeat with another
event is rejected, a repeat that differs only in its links is merged into the first (not counted as read).
"""

import argparse
import bisect
import csv
import json
import math
import re
import subprocess
import sys
import tomllib
import unicodedata
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import peer  # noqa: E402

ROOT = HERE.parent.parent
LAYOUT = ROOT / "crates" / "guarantor-scenario" / "layouts" / "cir.toml"
# Unicode White_Space, what Rust's str::trim takes off (Python's strip() also takes \x1c-\x1f)
WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b)))
               + "\u2028\u2029\u202f\u205f\u3000")

_PERL = r'''my ($s,$p)=(-1,-2); for my $i (0..0x10FFFF){ next if $i>=0xD800 && $i<=0xDFFF;
if (chr($i) =~ /[\p{Alphabetic}\p{N}]/) { if ($i!=$p+1){ print "$s $p\n" if $s>=0; $s=$i;} $p=$i; } } print "$s $p\n";'''


def alnum_table():
    """Rust's char::is_alphanumeric (Alphabetic or N*): perl's tables, else Python's L* and N* (no marks)."""
    try:
        out = subprocess.run(["perl", "-e", _PERL], capture_output=True, text=True, check=True).stdout
        ranges = [tuple(map(int, line.split())) for line in out.splitlines()]
        starts = [a for a, _ in ranges]
        return (lambda c: (k := bisect.bisect_right(starts, ord(c)) - 1) >= 0 and ord(c) <= ranges[k][1]), \
            "perl \\p{Alphabetic} or \\p{N}"
    except (OSError, subprocess.CalledProcessError):
        return (lambda c: unicodedata.category(c)[0] in "LN"), "unicodedata L* or N* (no perl)"


IS_ALNUM, ALNUM_FROM = alnum_table()


def boundary(c):
    """None (start or end of the text) or a character that is not alphanumeric."""
    return c is None or not IS_ALNUM(c)


def has_word(hay, text, prefix):
    """reports.rs has_word: every non-overlapping occurrence of `text`, left to right."""
    at = hay.find(text)
    while at != -1:
        if boundary(hay[at - 1] if at > 0 else None):
            rest = hay[at + len(text):]
            if prefix or boundary(rest[0] if rest else None):
                return True
            for p in ("s", "es"):
                if rest.startswith(p):
                    r = rest[len(p):]
                    if boundary(r[0] if r else None):
                        return True
        at = hay.find(text, at + len(text))
    return False


def layout_words(words):
    """layout.rs words(): trimmed, lower-cased, a final `*` a prefix."""
    out = []
    for w in words:
        t = w.strip().lower()
        if t:
            out.append((t[:-1], True) if t.endswith("*") else (t, False))
    return out


class Row:
    def __init__(self, header, record):
        self.values = dict(zip(header, record))

    def first(self, f):
        v = self.values.get(f, "").strip(WHITE_SPACE)
        return v or None

    def lower(self, f):
        v = self.first(f)
        return v.lower() if v is not None else ""


def rule_holds(rule, row):
    if "contains" in rule and rule["contains"].lower() not in row.lower(rule["field"]):
        return False
    if "words" in rule:
        words = layout_words(rule["words"])
        if not any(has_word(row.lower(f), t, p) for f in rule["fields"] for t, p in words):
            return False
        if "except" in rule:
            stop = layout_words(rule["except"])
            return not any(has_word(row.lower(f), t, p) for f in rule["fields"] for t, p in stop)
    return True


def first_rule(rules, key, row, default):
    for r in rules:
        if rule_holds(r, row):
            return r[key]
    return default


def coordinate(v, lo, hi):
    if v is None:
        return None
    try:
        x = float(v)
    except ValueError:
        return None
    return x if math.isfinite(x) and lo <= x <= hi else None


def literal(path, layout):
    """Each row read as guarantor reads it: (why rejected or None, kind, target, report key without links, links)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        out = []
        for record in reader:
            row = Row(header, record)
            why = None
            if any(rule_holds(s, row) for s in layout["skip"]):
                why = "skipped"
            elif row.first("entry") is None:
                why = "no_entry"
            else:
                d = row.first("date")
                if d is None:
                    why = "no_date"
                else:
                    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
                        sys.exit(f"check_peer: date `{d}` is not YYYY-MM-DD: guarantor reads more forms than this "
                                 f"check does")
                    try:
                        date.fromisoformat(d)
                    except ValueError:
                        why = "no_date"
                if why is None:
                    lat = coordinate(row.first("lat"), -90, 90)
                    lon = coordinate(row.first("lon"), -180, 180)
                    if lat is None or lon is None:
                        why = "no_place"
            kind = first_rule(layout["kind"]["rule"], "kind", row, layout["kind"].get("default"))
            target = first_rule(layout["target"]["rule"], "target", row, peer.NO_TARGET)
            key = links = None
            if why is None:
                text = layout["text"]["join"].join(v for f in layout["text"]["fields"] if (v := row.first(f)))
                key = (row.first("entry"), row.first("date"), float(row.first("lat")), float(row.first("lon")),
                       row.first("geolocation") is not None, kind, target, text)
                links = []
                for f in layout["links"]["fields"]:
                    v = row.first(f)
                    if v is not None and v not in links:
                        links.append(v)
            out.append((why, kind, target, key, links))
    return out


def guarantor_counts(rows):
    """read / rejected as guarantor counts them, repeated entries included (reports.rs convert_rows)."""
    seen, read, rejected, merged, repeated = {}, 0, 0, 0, 0
    for why, _, _, key, links in rows:
        if why is not None:
            rejected += 1
            continue
        first = seen.get(key[0])
        if first is None:
            seen[key[0]] = (key, links)
            read += 1
        elif first[0] == key and first[1] == links:
            read += 1                      # the same row again: read (the store counts it a duplicate)
        elif first[0] == key:
            merged += 1                    # other links: they join the first's
            first[1].extend(x for x in links if x not in first[1])
        else:
            rejected += 1                  # another event under the same id: rejected
            repeated += 1
    return {"read": read, "rejected": rejected, "merged": merged, "repeated_id_rejected": repeated}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--layout", type=Path, default=LAYOUT)
    ap.add_argument("--engine", choices=["c", "pyarrow"], default="c")
    args = ap.parse_args()
    layout = tomllib.loads(args.layout.read_text())
    status = 0

    def strip(rules, keep):
        return [{k: v for k, v in r.items() if k in keep} for r in rules]

    checks = {
        "skip": (strip(layout["skip"], {"field", "contains"}), peer.SKIP_RULES),
        "kind.rule": (layout["kind"]["rule"], peer.KIND_RULES),
        "kind.default": (layout["kind"].get("default"), peer.KIND_DEFAULT),
        "target.rule": (layout["target"]["rule"], peer.TARGET_RULES),
        "target.default": (layout["target"].get("default"), None),
    }
    for name, (theirs, ours) in checks.items():
        if theirs != ours:
            print(f"check_peer: peer.py's {name} is not the layout's:\n  layout {theirs}\n  peer   {ours}")
            status = 1
    print(f"check_peer: rules: {'same as' if status == 0 else 'DIFFERENT from'} {args.layout.relative_to(ROOT)}")

    df = peer.read(args.file, args.engine)
    peer.dates(df)
    low = peer.classify(df)
    peer.targets(df, low)
    rows = literal(args.file, layout)
    if len(rows) != len(df):
        sys.exit(f"check_peer: pandas read {len(df)} rows, csv {len(rows)}")

    ok = [r[0] is None for r in rows]
    differ = []
    for i, (why, kind, target, _, _) in enumerate(rows):
        theirs = (bool(df["rejected"].iat[i]), df["kind"].iat[i], df["target"].iat[i])
        if theirs != (why is not None, kind, target):
            differ.append((i + 2, theirs, (why, kind, target)))
    for line, p, l in differ[:20]:
        print(f"  line {line}: peer (rejected, kind, target) {p}, loop {l}")

    def counts(names, values):
        return {n: sum(1 for v, a in zip(values, ok) if a and v == n) for n in names}

    loop = {"accepted": sum(ok), "rejected": len(rows) - sum(ok),
            "rejected_why": {w: sum(1 for r in rows if r[0] == w) for w in ("skipped", "no_entry", "no_date",
                                                                            "no_place")},
            "kinds": counts(peer.KINDS, [r[1] for r in rows]),
            "targets": counts(peer.TARGETS + [peer.NO_TARGET], [r[2] for r in rows])}
    acc = df.loc[~df["rejected"]]
    pandas_side = {"accepted": len(acc), "rejected": int(df["rejected"].sum()), "rejected_why": peer.rejected_why(df),
                   "kinds": {k: int((acc["kind"] == k).sum()) for k in peer.KINDS},
                   "targets": {t: int((acc["target"] == t).sum()) for t in peer.TARGETS + [peer.NO_TARGET]}}
    print(json.dumps({"file": args.file, "alphanumeric": ALNUM_FROM, "rows": len(rows), "loop": loop,
                      "peer": pandas_side, "rows_differing": len(differ),
                      "guarantor_with_repeated_entries": guarantor_counts(rows)}, indent=1))
    if differ or loop != pandas_side:
        print(f"check_peer: peer.py and the loop DISAGREE on {len(differ)} rows")
        status = 1
    else:
        print("check_peer: peer.py and the loop agree on every row")
    sys.exit(status)


if __name__ == "__main__":
    main()
