"""``pos drill``: a small fair played whole against real ``pos serve`` hosts, every fault
thrown at least once, and its books equal to what the phones saw. On PostgreSQL, two hosts
share the database and the second's clock runs two minutes ahead (libfaketime).

The seed is printed: ``pos drill --seed N`` replays a failing schedule.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pos.drill.browser import unavailable
from pos.drill.hosts import FAKETIME
from tests.conftest import skip_or_fail

POS = str(Path(sys.executable).with_name("pos"))
FAULTS = [
    "phone offline",
    "phone clocks wrong",
    "price changed",
    "product withdrawn",
    "double taps",
    "lost answers",
    "second tabs",
    "printer out of paper, off or back",
    "server killed (SIGKILL)",
    "backup taken while selling",
    "day closed",
]


def _drill(database_url: str, folder: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    seed = random.randrange(10**6)
    print(f"drill seed {seed}")
    result = subprocess.run(
        [
            POS,
            "drill",
            "--seed",
            str(seed),
            "--database-url",
            database_url,
            "--out",
            str(folder),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    verdict_file = folder / "verdict.json"
    verdict = json.loads(verdict_file.read_text()) if verdict_file.exists() else {}
    return result, verdict


@pytest.mark.slow
def test_a_small_fair_played_whole_ends_with_books_equal_to_the_truth(
    backend, database_url, tmp_path
):
    hosts = "2" if backend == "postgresql" else "1"
    if hosts == "2" and FAKETIME is None:
        skip_or_fail("no libfaketime (Debian package libfaketime) for the host ahead")
    if unavailable():
        skip_or_fail(f"no real tills in the drill: {unavailable()}")
    result, verdict = _drill(
        database_url,
        tmp_path / "drill",
        *("--booths", "12", "--days", "2", "--day-seconds", "20", "--sales", "5"),
        *("--hosts", hosts),
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert verdict["differences"] == []
    thrown, outcomes = verdict["thrown"], verdict["outcomes"]
    assert [fault for fault in FAULTS if not thrown.get(fault)] == []
    assert thrown["real tills in Chromium"] == 2 and thrown["Chromium tills offline"] == 2
    if hosts == "2":
        assert thrown["host with its clock 2 minutes ahead"] == 1
    assert outcomes["sales made (the truth)"] == outcomes["sales in the books"] > 50
    assert outcomes["sales lost"] == outcomes["sales doubled"] == 0
    assert outcomes["recorded late, for a closed day"] >= 1
    assert outcomes["void slips printed"] >= 1
    assert outcomes["copies printed (reprints, or taken over after a kill)"] >= 1
    assert outcomes["pos verify on the live database"] == "clean"
    assert outcomes["pos verify on the restored backup"] == "clean"
    assert outcomes["net income (the truth)"] == outcomes["net income (impact report)"]
    assert "the books equal the truth" in result.stdout
