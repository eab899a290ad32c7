"""Work that may run while the fair sells (``pos verify``, report files) yields the
processors to the tills: it runs at the lowest priority, in the time they leave."""

from __future__ import annotations

import os

NICENESS = 19


def lower_priority() -> None:
    """This thread, and the processes it starts from now on (on Linux a nice value is a
    thread's own, and a child inherits it)."""
    os.nice(max(0, NICENESS - os.nice(0)))
