"""The ``pos`` command (and ``python -m pos``): the commands of ``pos.cli``.

A command that reads the whole fair while it sells (``pos verify``) runs in a child process
of its own session at the lowest priority (``pos.core.priority.yield_to_tills``), from the
start: loading the app is itself a second of the processors. This module imports nothing
heavy before that choice.
"""

from __future__ import annotations

import os
import signal
import sys

YIELDING_COMMANDS = frozenset({"verify"})


def main() -> None:
    if sys.argv[1:2] and sys.argv[1] in YIELDING_COMMANDS and hasattr(os, "fork"):
        child = os.fork()
        if child:
            sys.exit(_wait_for(child))
        from pos.core.priority import yield_to_tills

        yield_to_tills()
    from pos.cli import cli

    cli()


def _wait_for(child: int) -> int:
    """The child's exit status; Ctrl-C and a stop signal passed on to it (in a session of
    its own, the terminal no longer sends it them)."""

    def pass_on(number, _frame):
        os.kill(child, number)

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, pass_on)
    _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code  # ended by a signal: as a shell reports it


if __name__ == "__main__":
    main()
