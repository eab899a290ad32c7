"""The whole fair: ``pos drill`` with 320 booths for six days, two hosts on PostgreSQL (one
with its clock ahead), every fault; then its table. The figures that matter are the
differences (0) and the sales recorded while playing against those the schedule offered in
the same run (a ratio of 1.00 means the server kept up with the fair)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import scratch_postgres

POS = str(Path(sys.executable).with_name("pos"))
FULL = ("--booths", "320", "--days", "6", "--day-seconds", "60", "--seed", "2026")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder, scratch_postgres("bench_drill") as pg:
        if pg:
            where = ("--hosts", "2", "--database-url", pg[0])
        else:
            print("PostgreSQL not reachable: the drill runs on SQLite with one host")
            where = ("--hosts", "1")
        out = Path(folder) / "drill"
        result = subprocess.run(
            [POS, "drill", *FULL, *where, "--out", str(out)], text=True, capture_output=True
        )
        print(result.stdout[result.stdout.find("thrown at the fair") :].split("\nverdict")[0])
        verdict = json.loads((out / "verdict.json").read_text())
        outcomes = verdict["outcomes"]
        offered = outcomes["sales/s the schedule offered"]
        recorded = outcomes["sales/s recorded while playing"]
        print(
            f"sales recorded while playing {recorded}/s, the schedule offered {offered}/s: "
            f"ratio {recorded / offered:.2f}; differences {len(verdict['differences'])}; "
            f"{verdict['seconds']:.0f} s in all"
        )
        if result.returncode != 0:
            print(result.stderr[-2000:])
