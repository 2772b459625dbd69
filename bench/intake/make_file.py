#!/usr/bin/env python3
"""Write a CIR-like CSV of N rows by resampling the rows of the real CIR Russia-Ukraine Monitor export.

    make_file.py OUT [--rows 1000000] [--seed 1] [--source CIR.csv]

Every column is the original's, under the same header, in the same layout (UTF-8, no BOM, CRLF line ends,
fields quoted only where needed, "" inside quotes): each output row is a real row drawn at random (with
replacement), its text fields (title, brief description, arms/munition, links...) kept as they are so quoting is
as in the real export. Changed:
- `entry`: unique, `UW{n:07d}` with n = 1..N (the real file has 3 empty and a few repeated entries);
- `date`: a day drawn uniformly from 2022-01-01 .. 2024-12-31, written YYYY-MM-DD; a row whose source date is
  empty keeps it empty (the real file has 4 such rows), so the rejection rate is the real one;
- `lat`, `lon`: the source's, each moved by a uniform amount in [-0.01, 0.01] degrees, written with 6 decimals.

Deterministic for a given seed (and source file). Standard library and NumPy only. Do not commit the output (the
source's licence does not allow its rows in the project): write it under /tmp or target/.
"""

import argparse
import csv
import io
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SOURCE = Path("/work/shared/data/events/cir_russia_ukraine_monitor_2022-2024_without_2022-03.csv")
HEADER = ["entry", "date", "event_group", "title", "brief description", "lat", "lon", "country", "province",
          "district", "town/city", "arms/munition", "violence level", "link", "geolocation"]
FIRST_DAY, LAST_DAY = date(2022, 1, 1), date(2024, 12, 31)
JITTER_DEGREES = 0.01
CHUNK = 100_000


def encode(fields):
    """The fields as csv.writer writes them (QUOTE_MINIMAL), joined by commas, without a line end."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--source", type=Path, default=SOURCE)
    args = ap.parse_args()
    start = time.perf_counter()

    with open(args.source, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != HEADER:
            sys.exit(f"make_file: unexpected header in {args.source}: {header}")
        source = list(reader)
    # Each source row as three pre-encoded pieces around the fields that change: entry, date | lat, lon.
    middle = [encode(r[2:5]) for r in source]          # event_group, title, brief description
    tail = [encode(r[7:]) for r in source]             # country .. geolocation
    lat = np.array([float(r[5]) for r in source])
    lon = np.array([float(r[6]) for r in source])
    dateless = np.array([r[1].strip() == "" for r in source])
    days = [(FIRST_DAY + timedelta(d)).isoformat() for d in range((LAST_DAY - FIRST_DAY).days + 1)]

    rng = np.random.default_rng(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write(encode(HEADER) + "\r\n")
        for first in range(0, args.rows, CHUNK):
            n = min(CHUNK, args.rows - first)
            pick = rng.integers(0, len(source), n)
            day = rng.integers(0, len(days), n)
            dlat = rng.uniform(-JITTER_DEGREES, JITTER_DEGREES, n)
            dlon = rng.uniform(-JITTER_DEGREES, JITTER_DEGREES, n)
            lats = np.char.mod("%.6f", lat[pick] + dlat)
            lons = np.char.mod("%.6f", lon[pick] + dlon)
            no_date = dateless[pick]
            lines = []
            for i in range(n):
                s = pick[i]
                d = "" if no_date[i] else days[day[i]]
                lines.append(f"UW{first + i + 1:07d},{d},{middle[s]},{lats[i]},{lons[i]},{tail[s]}\r\n")
            out.write("".join(lines))
    print(f"make_file: {args.rows} rows from {len(source)} in {args.source.name} (seed {args.seed}) -> "
          f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
