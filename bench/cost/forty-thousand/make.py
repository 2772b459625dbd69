#!/usr/bin/env python3
"""Writes the 40,000-strong variant's requirements.toml and pledges.toml from the default scenario's.

Every requirement line's count times 1.5 (rounded up): the default asks 26,494 troops, the variant about 40,000.
Every units pledge's count times 2 (rounded up), so that with every political fact true the coalition can
source it. Nothing else changes. Run from the repository root:

    python3 bench/cost/forty-thousand/make.py

The files it writes are committed; `run` uses them.
"""
import math
import pathlib
import re

root = pathlib.Path(__file__).resolve().parents[3]
default = root / "crates/guarantor-scenario/default"
here = pathlib.Path(__file__).resolve().parent


def scale(text: str, record: str, factor: float, only_units: bool) -> str:
    out, in_record, units = [], False, True
    for line in text.splitlines(keepends=True):
        if line.startswith("[["):
            in_record = line.strip() == f"[[{record}]]"
            units = True
        if in_record and re.match(r'^kind\s*=\s*"(materiel|enabler)"', line):
            units = False
        m = re.match(r"^count\s*=\s*(\d+)(.*)$", line, re.S)
        if in_record and m and (units or not only_units):
            n = math.ceil(int(m.group(1)) * factor)
            line = f"count = {n}" + re.sub(r"#.*", "# scaled for the 40,000 variant", m.group(2), count=1)
        out.append(line)
    return "".join(out)


(here / "requirements.toml").write_text(
    "# The default's requirements.toml with every count times 1.5 (bench/cost/forty-thousand/make.py).\n"
    + scale((default / "requirements.toml").read_text(), "requirement", 1.5, False)
)
(here / "pledges.toml").write_text(
    "# The default's pledges.toml with every units pledge's count times 2 (bench/cost/forty-thousand/make.py).\n"
    + scale((default / "pledges.toml").read_text(), "pledge", 2.0, True)
)
