"""``pos drill``: play a fair against a server and compare its books with the truth."""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from pos.drill import browser, setup
from pos.drill import hosts as hosting
from pos.drill import plan as planning
from pos.drill import verdict as verdicts
from pos.drill.printers import BoothPrinter, Counter
from pos.drill.run import Drill, Local

DRILL_EMAIL = "drill@rehearsal.tadamon.ma"


@click.command("drill")
@click.option("--booths", default=320, show_default=True, type=click.IntRange(1, 2000))
@click.option("--days", default=6, show_default=True, type=click.IntRange(2, 30))
@click.option(
    "--day-seconds",
    default=60.0,
    show_default=True,
    type=click.FloatRange(5),
    help="Real seconds each fair day is played in.",
)
@click.option(
    "--sales",
    "sales_per_booth_day",
    default=6.0,
    show_default=True,
    type=click.FloatRange(0.5, 200),
    help="Sales a booth makes on an ordinary day.",
)
@click.option(
    "--phones",
    "max_phones",
    default=3,
    show_default=True,
    type=click.IntRange(1, 3),
    help="Each booth has 1 to this many phones.",
)
@click.option("--seed", type=int, help="Replays a drill's schedule (printed by each drill).")
@click.option(
    "--hosts",
    default=1,
    show_default=True,
    type=click.IntRange(1, 2),
    help="pos serve hosts on the database (2: PostgreSQL only; the second's clock "
    "runs two minutes ahead).",
)
@click.option(
    "--database-url",
    help="An empty database for the drill (default: SQLite in the drill's folder).",
)
@click.option(
    "--server",
    "servers",
    multiple=True,
    help="Rehearse against this running server (the fair's own) instead: nothing is "
    "killed, backed up or restored there; receipts print on the phones.",
)
@click.option(
    "--ca",
    "authority",
    type=click.Path(exists=True, dir_okay=False),
    help="The fair's own certificate authority (from its /ca page), for a --server on HTTPS.",
)
@click.option(
    "--browsers",
    default=2,
    show_default=True,
    type=click.IntRange(0, 10),
    help="Real tills in Chromium taking part on the last day (needs Playwright and Chromium).",
)
@click.option(
    "--remove-rehearsal",
    "remove",
    type=int,
    metavar="EVENT_ID",
    help="Remove the rehearsal fair of an earlier drill from --server, and stop.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The drill's folder: truth logs, servers' logs, verdict.json.",
)
def drill_command(
    booths,
    days,
    day_seconds,
    sales_per_booth_day,
    max_phones,
    seed,
    hosts,
    database_url,
    servers,
    authority,
    browsers,
    remove,
    out,
):
    """Play a whole fair (booths, phones, days, faults) against the server and check that its
    books equal what happened. Exit 1, naming each difference, when they do not."""
    if remove is not None:
        _remove_rehearsal(servers, remove, authority)
        return
    seed = seed if seed is not None else random.SystemRandom().randrange(10**6)
    folder = out or Path(f"drill-{datetime.now(UTC):%Y%m%d-%H%M%S}-{seed}")
    folder.mkdir(parents=True, exist_ok=True)
    settings = planning.Settings(
        booths=booths,
        days=days,
        day_seconds=day_seconds,
        sales_per_booth_day=sales_per_booth_day,
        max_phones=max_phones,
        seed=seed,
        kills=0 if servers else 2,
    )
    click.echo(
        f"drill seed {seed} (pos drill --seed {seed} plays the same schedule), folder {folder}"
    )
    started = time.monotonic()
    local = None
    printers: dict[str, BoothPrinter] = {}
    try:
        if servers:
            organiser = _organiser(servers, authority)
        else:
            if hosts == 2 and not (database_url or "").startswith("postgresql"):
                raise click.UsageError("two hosts need a PostgreSQL --database-url")
            database_url = database_url or f"sqlite:///{folder.resolve() / 'drill.sqlite3'}"
            password = secrets.token_urlsafe(16)
            hosting.prepare_database(database_url, DRILL_EMAIL, password)
            local = Local(
                database_url,
                [
                    hosting.Host(
                        database_url,
                        folder / f"host-{n + 1}.log",
                        ahead=hosting.AHEAD if n == 1 else None,
                    )
                    for n in range(hosts)
                ],
                folder,
            )
            for host in local.hosts:
                host.start()
            organiser = setup.sign_in(local.bases, DRILL_EMAIL, password)
        missing = browser.unavailable() if browsers else None
        if missing:
            click.echo(f"no real tills in Chromium: {missing}")
        tills = None
        if browsers and not missing:
            tills = browser.BrowserTills(browsers, organiser.bases, organiser, folder)
        drill = Drill(settings, folder, organiser, local, printers, tills)
        if local is not None:
            for plan in drill.plans:
                if not plan.prints_on_phone:
                    printers[plan.booth] = BoothPrinter(Counter(80)).start()
        click.echo(f"setting up {booths} booths …")
        drill.set_up()
        click.echo(f"playing {days} days of {day_seconds:g} s …")
        drill.play()
        drill.bring_back()
        drill.close_the_rest()
        drill.wait_for_receipts()
        verify_live = verify_restored = None
        if local is not None:
            if hosts == 2 and hosting.FAKETIME:
                drill.thrown["host with its clock 2 minutes ahead"] += 1
            verify_live = _verify(local.database_url)
            if local.backups:
                restored = hosting.restored_database(local.database_url, folder)
                result = hosting.pos_command(restored, "restore", str(local.backups[-1]))
                verify_restored = _verify(restored) if result.returncode == 0 else result.stderr
                hosting.drop_restored(restored)
        for phone in drill.phones.values():
            for name, count in phone.stats.items():
                drill.thrown[name.replace("_", " ")] += count
            drill.thrown["phones"] += 1
            drill.thrown["second tabs"] += phone.plan.tabs - 1
            drill.thrown["phone clocks wrong"] += bool(phone.plan.skew)
        drill.thrown["booths"] = booths
        verdict = verdicts.judge(drill, verify_live, verify_restored)
        verdict.outcomes["receipts still to print when the play ended"] = drill.waiting_at_close
        verdict.outcomes["seconds they took to print"] = round(drill.drain_seconds)
        offered = sum(action.kind == "sale" for action in drill.actions)
        verdict.outcomes["sales/s the schedule offered"] = round(offered / drill.play_seconds, 1)
        verdict.outcomes["sales/s recorded while playing"] = round(
            drill.recorded_in_play / drill.play_seconds, 1
        )
        for number, host in enumerate(local.hosts if local else [], start=1):
            if not host.alive():
                verdict.differ(f"host {number} stopped serving: see {host.log_path}")
    finally:
        if local is not None:
            local.stop()
        for printer in printers.values():
            printer.stop()
    seconds = time.monotonic() - started
    click.echo(verdicts.table(drill.thrown, verdict, seconds))
    (folder / "verdict.json").write_text(
        verdicts.as_json(settings, drill.thrown, verdict, seconds), encoding="utf-8"
    )
    click.echo(f"\nverdict written to {folder / 'verdict.json'}")
    if servers:
        click.echo(
            f"the rehearsal fair is event {drill.event_id}; remove it with: pos drill "
            f"--server {servers[0]} --remove-rehearsal {drill.event_id}"
        )
    if verdict.differences:
        click.echo(
            f"{len(verdict.differences)} differences between the books and the truth (seed {seed})",
            err=True,
        )
        sys.exit(1)
    click.echo("the books equal the truth")


def _organiser(servers, authority):
    """The organiser's sign-in on the fair's server (POS_DRILL_EMAIL, POS_DRILL_PASSWORD, or
    asked)."""
    email = os.environ.get("POS_DRILL_EMAIL") or click.prompt("Organiser's email")
    password = os.environ.get("POS_DRILL_PASSWORD") or click.prompt("Password", hide_input=True)
    return setup.sign_in(list(servers), email, password, authority)


def _remove_rehearsal(servers, event_id: int, authority) -> None:
    if not servers:
        raise click.UsageError("--remove-rehearsal needs the --server the rehearsal ran on")
    answer = _organiser(servers, authority).request("DELETE", f"/api/v1/events/{event_id}")
    if answer.status != 204:
        raise click.ClickException(f"{answer.status}: {answer.body.decode(errors='replace')}")
    click.echo(f"rehearsal fair {event_id} removed: 404 from now on, its phones signed out")


def _verify(database_url: str) -> str:
    result = hosting.pos_command(database_url, "verify")
    return "clean" if result.returncode == 0 else (result.stdout + result.stderr).strip()[-1000:]
