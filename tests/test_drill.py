"""``pos drill``: a small fair played whole against real ``pos serve`` hosts, every fault
thrown at least once, and its books equal to what the phones saw. On PostgreSQL, two hosts
share the database and the second's clock runs two minutes ahead (libfaketime).

The seed is printed: ``pos drill --seed N`` replays a failing schedule.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pos.drill import plan as planning
from pos.drill.browser import unavailable
from pos.drill.hosts import FAKETIME
from pos.drill.plan import Settings
from tests.conftest import skip_or_fail
from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, auth

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


@pytest.mark.parametrize("seed", range(0, 400, 7))
def test_every_fault_is_on_the_schedule_of_a_small_fair_whatever_the_seed(seed):
    """A fault left to chance went missing from one CI run (no double tap): the phone
    meant for every fault sells online early on the first day, and offline before the
    day is closed, whatever the seed draws."""
    settings = Settings(booths=12, days=2, day_seconds=20, sales_per_booth_day=5, seed=seed)
    rng = random.Random(seed)
    plans = planning.booths(settings, rng)
    actions = planning.schedule(settings, plans, rng)
    first = plans[0]
    assert first.phones[0].every_fault
    mine = [a for a in actions if a.booth == first.booth and a.phone == 0]
    starts = [a.at for a in mine if a.kind == "offline"]
    ends = [a.at for a in mine if a.kind == "online"]
    offline = list(zip(starts, ends, strict=True))

    def online(at: float) -> bool:
        return not any(start <= at < end for start, end in offline)

    sales = [a.at for a in mine if a.kind == "sale"]
    assert len([at for at in sales if at < settings.day_seconds and online(at)]) >= 4
    closing = next(a.at for a in actions if a.kind == "close")
    assert [at for at in sales if not online(at) and at < settings.day_seconds < closing]


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
    # Orders (one taken offline) and contacts, through the outbox like sales, each once.
    assert outcomes["orders taken (the truth)"] == outcomes["orders in the books"] >= 2
    assert outcomes["contacts taken (the truth)"] == outcomes["contacts in the books"] >= 1
    assert "the books equal the truth" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_rehearsal_on_the_fairs_own_server_then_removed_in_one_command(server, fair, tmp_path):
    """What an organiser does before opening day: the drill against the running server
    (nothing of it killed there, receipts on the phones), then its fair removed."""
    if unavailable():
        skip_or_fail(f"no real tills in the drill: {unavailable()}")
    env = {
        **os.environ,
        "POS_DRILL_EMAIL": ORGANISER_EMAIL,
        "POS_DRILL_PASSWORD": ORGANISER_PASSWORD,
    }
    seed = random.randrange(10**6)
    print(f"drill seed {seed}")
    folder = tmp_path / "rehearsal"
    played = subprocess.run(
        [
            POS,
            "drill",
            "--server",
            server.base,
            "--seed",
            str(seed),
            "--out",
            str(folder),
            *(
                "--booths",
                "6",
                "--days",
                "2",
                "--day-seconds",
                "12",
                "--sales",
                "4",
                "--browsers",
                "1",
            ),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert played.returncode == 0, played.stdout[-6000:] + played.stderr[-3000:]
    verdict = json.loads((folder / "verdict.json").read_text())
    assert verdict["differences"] == [] and verdict["outcomes"]["sales lost"] == 0
    assert "server killed (SIGKILL)" not in verdict["thrown"]
    assert verdict["thrown"]["real tills in Chromium"] == 1
    event_id = int(re.search(r"the rehearsal fair is event (\d+)", played.stdout).group(1))
    organiser = auth(fair.organiser_token)
    assert server.request("GET", f"/api/v1/events/{event_id}", None, organiser)[0] == 200
    removed = subprocess.run(
        [POS, "drill", "--server", server.base, "--remove-rehearsal", str(event_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert server.request("GET", f"/api/v1/events/{event_id}", None, organiser)[0] == 404
    _, _, events = server.request("GET", "/api/v1/events", None, organiser)
    assert [event["id"] for event in events["items"]] == [fair.event_id]
