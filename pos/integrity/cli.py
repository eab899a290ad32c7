from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor

import click
from flask.cli import ScriptInfo, pass_script_info

from pos.core.db import begin_organiser_read
from pos.core.priority import lower_priority
from pos.extensions import db
from pos.integrity.verify import Report, verify_all


@click.command("verify")
@pass_script_info
def verify_command(info: ScriptInfo):
    """Check every hash chain; exit 1 naming each broken record."""
    # A check that may run while the fair sells: the tills come first on the processors.
    # In a thread of its own, whose priority alone is lowered (a caller that runs the
    # command in its own process, as the tests do, keeps its own).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pos-verify") as thread:
        report, elapsed = thread.submit(_check, info).result()
    for problem in report.problems:
        click.echo(f"BROKEN {problem}")
    click.echo(
        f"{report.chains} chains, {report.records} records checked in {elapsed:.2f} s: "
        + ("all intact" if report.ok else f"{len(report.problems)} problem(s)")
    )
    sys.exit(0 if report.ok else 1)


def _check(info: ScriptInfo) -> tuple[Report, float]:
    lower_priority()  # before the app is loaded: a second of imports
    with info.load_app().app_context():
        started = time.perf_counter()
        # One read transaction: a consistent view of every chain, and no till waits.
        begin_organiser_read(db.session)
        return verify_all(), time.perf_counter() - started
