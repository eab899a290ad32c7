"""Work that may run while the fair sells (``pos verify``, report files) yields the
processors to the tills: it runs at the lowest priority, in the time they leave.

On Linux with autogroups (the default of most distributions' kernels) the processors are
shared first between sessions (a terminal, a service, ``pos serve``), and a nice value only
orders the processes within one: ``pos verify`` typed in a terminal at nice 19 would still
take as much as the server. A command that runs apart from the server therefore also takes
a session of its own, whose group it gives the lowest weight (``yield_to_tills``).
"""

from __future__ import annotations

import os

NICENESS = 19


def lower_priority() -> None:
    """This thread, and the processes it starts from now on (on Linux a nice value is a
    thread's own, and a child inherits it)."""
    os.nice(max(0, NICENESS - os.nice(0)))


def yield_to_tills() -> None:
    """This process, in a session of its own at the lowest priority: its nice value, and
    its session's scheduling group where the kernel has them. Call it before any thread is
    started, in a process that does not lead a process group (a terminal makes a command it
    runs lead one: ``pos.__main__`` forks first)."""
    try:
        os.setsid()
    except OSError:
        pass  # leads a group already: its session is shared, keep the group's weight
    else:
        try:
            with open("/proc/self/autogroup", "w") as group:
                group.write(str(NICENESS))
        except OSError:
            pass  # a kernel without autogroups: the nice value alone orders it
    lower_priority()
