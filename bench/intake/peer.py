#!/usr/bin/env python3
"""What guarantor does when it reads a CIR Russia-Ukraine Monitor export (layout `cir`), written in pandas.

    peer.py FILE [--repeat 5] [--engine c|pyarrow]

Four stages, each run --repeat times, the best kept (stage times are cumulative, from the start of reading):

  (a) read     pandas.read_csv: every column a string, lat and lon floats;
  (b) dates    + `date` (YYYY-MM-DD) to a timestamp: noon in Europe/Kyiv, then UTC (pd.to_datetime with
               format="%Y-%m-%d", + 12 h, tz_localize("Europe/Kyiv"), tz_convert("UTC")); a row whose date is
               missing or invalid, or whose lat/lon is missing or out of range, is rejected;
  (c) classify + the layout's `[[skip]]` rules (event_group ~ "Mass grave" or "Detentions": rejected), a row with
               no `entry` rejected, and a `kind` for every row by crates/guarantor-scenario/layouts/cir.toml's
               `[kind]` rules (KIND_RULES below, the same rules in the same order): first rule that holds wins,
               else `clash`;
  (d) targets  + a `target` for every row by cir.toml's `[target]` rules (TARGET_RULES): first rule that holds,
               else none.

The rules as guarantor reads them (crates/guarantor-scenario/src/reports.rs): a `contains` rule holds when the
field, lower-cased, holds the lower-cased text; a `words` rule when one of its `fields`, lower-cased, holds one of
the words as a whole word: it starts at the start of the text or after a character that is not alphanumeric, and
ends at the end, before a character that is not alphanumeric, or after a plural `s`/`es` that does; a word written
with a final `*` only needs to start so. Vectorised: per field, `Series.str.lower()` once, then per rule one
`Series.str.contains` (a literal, or one regex for all of the rule's words), then `np.select` over the rules. With
pandas' Arrow strings the regex runs in RE2 (pyarrow), a character not alphanumeric being `[^\\pL\\pN]` (Unicode
letters and digits), on each lower-cased field joined into one Arrow chunk first (see lowered()). Two differences
from guarantor, which no row of the real export meets (see check_peer.py): its `char::is_alphanumeric` also counts
the few combining marks and symbols Unicode calls alphabetic (e.g. U+0345, circled letters), and it lower-cases `İ`
to `i̇` where Arrow makes it `i`.

Prints one JSON line: the best time of each stage (cumulative: read_seconds, dates_seconds = read + dates,
classify_seconds = ... + classification, targets_seconds = ... + targets), the best of each step alone, the time
to import pandas, the row counts (rows, accepted, rejected and why, each rejected row counted once, for the first
reason guarantor finds: skipped, no_entry, no_date, no_place), the accepted rows per kind and per target, and the
versions used. Process start-up and imports are not in the stage times (`import_seconds` says what they cost).
"""

import time

_t0 = time.perf_counter()
import argparse  # noqa: E402
from pathlib import Path  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _t0

COLUMNS = ["entry", "date", "event_group", "title", "brief description", "lat", "lon", "country", "province",
           "district", "town/city", "arms/munition", "violence level", "link", "geolocation"]

# The rules are crates/guarantor-scenario/layouts/cir.toml's (the spec both sides implement), read from it.
def _rules():
    import tomllib
    layout = tomllib.loads((Path(__file__).resolve().parents[2] / "crates" / "guarantor-scenario" / "layouts"
                            / "cir.toml").read_text())
    skip = [{"field": r["field"], "contains": r["contains"]} for r in layout["skip"]]
    kinds = layout["kind"]["rule"]
    targets = layout["target"]["rule"]
    return skip, layout["kind"]["default"], kinds, targets


SKIP_RULES, KIND_DEFAULT, KIND_RULES, TARGET_RULES = _rules()
KINDS = ["presence", "interception", "drone", "air_strike", "missile", "artillery", "mine", "infrastructure_strike",
         "clash"]
TARGETS = ["nuclear", "hydro", "refineries", "oil_gas", "electricity", "sea_targets"]
NO_TARGET = "none"
# Every field a rule looks at, lower-cased once in stage (c).
LOWERED = sorted({r["field"] for r in SKIP_RULES + KIND_RULES if "field" in r}
                 | {f for r in KIND_RULES + TARGET_RULES for f in r.get("fields", [])})

_META = set(".^$*+?()[]{}|\\")


def _escape(word):
    """The word as a regex literal both RE2 and Python's re read the same (re.escape's `\\ ` is not RE2)."""
    return "".join("\\" + c if c in _META else c for c in word)


def words_regex(words, arrow):
    """One regex for `words` as guarantor's has_word reads them (on lower-cased text): RE2 syntax for Arrow strings
    (no look-arounds there: the boundary character is matched instead, which for `contains` is the same; a
    character not alphanumeric is `[^\\pL\\pN]`, not a letter or digit in Unicode), else Python's re with
    look-arounds (`[^\\W_]` alphanumeric)."""
    whole = "|".join(_escape(w) for w in words if not w.endswith("*"))
    prefix = "|".join(_escape(w[:-1]) for w in words if w.endswith("*"))
    if arrow:
        other = r"[^\pL\pN]"
        ends = [f"(?:{whole})(?:s|es)?(?:{other}|\\z)"] if whole else []
        ends += [f"(?:{prefix})"] if prefix else []
        return f"(?:^|{other})(?:{'|'.join(ends)})"
    alnum = r"[^\W_]"
    ends = [f"(?:{whole})(?:s|es)?(?!{alnum})"] if whole else []
    ends += [f"(?:{prefix})"] if prefix else []
    return f"(?<!{alnum})(?:{'|'.join(ends)})"


def lowered(series):
    """A field lower-cased. Arrow strings in one chunk: pyarrow compiles a regex again for every chunk of the column
    (read_csv gives 76 to 308 chunks for 1M rows), which for `[^\\pL\\pN]` costs more than matching it (3x the time
    of matching one chunk); joining the chunks costs 10 ms."""
    s = series.str.lower()
    if getattr(s.dtype, "storage", None) == "pyarrow":
        a = pa.array(s.array)  # the column's Arrow data (one Array when it has one chunk)
        if isinstance(a, pa.ChunkedArray) and a.num_chunks > 1:
            s = pd.Series(pd.array(a.combine_chunks(), dtype=s.dtype), index=s.index, name=s.name)
    return s


def holds(rule, low):
    """Whether `rule` holds, per row: `low` is the lowered() fields (missing values NaN)."""
    if "contains" in rule:
        return low[rule["field"]].str.contains(rule["contains"].lower(), regex=False, na=False).to_numpy(bool)
    def any_field(words):
        found = None
        for f in rule["fields"]:
            s = low[f]
            arrow = getattr(s.dtype, "storage", None) == "pyarrow"
            hit = s.str.contains(words_regex(words, arrow), regex=True, na=False).to_numpy(bool)
            found = hit if found is None else found | hit
        return found

    found = any_field(rule["words"])
    if rule.get("except"):
        # The rule does not hold where one of its `except` words is in the same fields.
        found = found & ~any_field(rule["except"])
    return found


def read(path, engine):
    dtype = {c: "str" for c in COLUMNS}
    dtype["lat"] = dtype["lon"] = "float64"
    try:
        return pd.read_csv(path, dtype=dtype, engine=engine)
    except ValueError:
        # A lat or lon that is not a number: read them as text, and let the ones that are not numbers be missing
        # (their rows rejected). The real export and make_file.py's files never get here.
        dtype["lat"] = dtype["lon"] = "str"
        df = pd.read_csv(path, dtype=dtype, engine=engine)
        df["lat"] = pd.to_numeric(df["lat"], errors="coerce")
        df["lon"] = pd.to_numeric(df["lon"], errors="coerce")
        return df


def dates(df):
    day = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    df["time"] = (day + pd.Timedelta(hours=12)).dt.tz_localize("Europe/Kyiv").dt.tz_convert("UTC")
    no_date = df["time"].isna().to_numpy()
    no_place = ~(df["lat"].between(-90, 90) & df["lon"].between(-180, 180)).to_numpy()
    df["rejected"] = no_date | no_place
    return {"no_date": int(no_date.sum()), "no_place": int(no_place.sum())}


def classify(df):
    """Stage (c): skipped rows and rows without an entry rejected, a kind per row. Returns the lower-cased fields
    (stage (d) reuses them)."""
    low = {f: lowered(df[f]) for f in LOWERED}
    skipped = np.zeros(len(df), dtype=bool)
    for rule in SKIP_RULES:
        skipped |= holds(rule, low)
    entry = df["entry"]
    no_entry = (entry.isna() | entry.str.strip().eq("")).to_numpy(bool)
    df["skipped"] = skipped
    df["no_entry"] = no_entry
    df["rejected"] = df["rejected"].to_numpy() | skipped | no_entry
    df["kind"] = np.select([holds(r, low) for r in KIND_RULES], [r["kind"] for r in KIND_RULES],
                           default=KIND_DEFAULT)
    return low


def targets(df, low):
    """Stage (d): a target per row, or none."""
    df["target"] = np.select([holds(r, low) for r in TARGET_RULES], [r["target"] for r in TARGET_RULES],
                             default=NO_TARGET)


def rejected_why(df):
    """Each rejected row once, under the first reason guarantor finds (skip rules, entry, date, place)."""
    skipped = df["skipped"].to_numpy()
    no_entry = df["no_entry"].to_numpy() & ~skipped
    no_date = df["time"].isna().to_numpy() & ~skipped & ~no_entry
    no_place = df["rejected"].to_numpy() & ~skipped & ~no_entry & ~no_date
    return {"skipped": int(skipped.sum()), "no_entry": int(no_entry.sum()), "no_date": int(no_date.sum()),
            "no_place": int(no_place.sum())}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engine", choices=["c", "pyarrow"], default="c", help="read_csv's parser (default c)")
    args = ap.parse_args()

    runs, df, low = [], None, None
    for _ in range(args.repeat):
        df = low = None  # the last run's frame freed before reading again
        t0 = time.perf_counter()
        df = read(args.file, args.engine)
        t1 = time.perf_counter()
        dates(df)
        t2 = time.perf_counter()
        low = classify(df)
        t3 = time.perf_counter()
        targets(df, low)
        t4 = time.perf_counter()
        runs.append((t1 - t0, t2 - t1, t3 - t2, t4 - t3))
    accepted = df.loc[~df["rejected"]]
    kinds = accepted["kind"].value_counts()
    targets_ = accepted["target"].value_counts()
    steps = ("read", "dates", "classify", "targets")
    result = {
        "file": args.file,
        "engine": args.engine,
        "repeat": args.repeat,
        **{f"{s}_seconds": min(sum(r[:k + 1]) for r in runs) for k, s in enumerate(steps)},
        "step_seconds": {s: min(r[k] for r in runs) for k, s in enumerate(steps)},
        "runs": [[round(x, 4) for x in r] for r in runs],
        "import_seconds": IMPORT_SECONDS,
        "rows": len(df),
        "accepted": len(accepted),
        "rejected": int(df["rejected"].sum()),
        "rejected_why": rejected_why(df),
        "kinds": {k: int(kinds.get(k, 0)) for k in KINDS},
        "targets": {t: int(targets_.get(t, 0)) for t in TARGETS + [NO_TARGET]},
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__,
                     "string_dtype": str(df["title"].dtype), "string_storage": getattr(df["title"].dtype,
                                                                                       "storage", None)},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
