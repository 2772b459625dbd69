"""What every benchmark driver under bench/ shares: logging, running a command and timing it, the peer's venv."""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARANTOR = ROOT / "target" / "release" / "guarantor"


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, *, capture=True, cwd=None):
    """Run a command; on failure print what it said and exit 2. Returns (stdout, wall seconds)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, text=True,
        stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        log(f"run: `{' '.join(str(c) for c in cmd)}` exited {proc.returncode}")
        if capture:
            log((proc.stderr or "")[-4000:])
        sys.exit(2)
    return proc.stdout, seconds


def build_guarantor():
    log("run: cargo build --release --locked -p guarantor")
    run(["cargo", "build", "--release", "--locked", "-p", "guarantor"], capture=False, cwd=ROOT)


def ensure_venv(venv, requirements):
    """Create the peer's venv if missing; reinstall when requirements changed since the last install. Returns
    the venv's python."""
    python = venv / "bin" / "python"
    stamp = venv / "bench-requirements.txt"
    wanted = requirements.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        log(f"run: creating {venv}")
        run([sys.executable, "-m", "venv", venv], capture=False)
    log(f"run: pip install -r {requirements.relative_to(ROOT)}")
    run([python, "-m", "pip", "install", "-q", "-r", requirements], capture=False)
    stamp.write_text(wanted)
    return python
