"""``pos drill``: a whole fair played against a real server, and its books checked against
what really happened at the booths.

Simulated phones speak the till's protocol over HTTP (Idempotency-Key, Device-Clock, the
heartbeat, claiming print jobs) and each writes what happened at its booth to a log of its
own, never read back from the server. Faults are thrown on a schedule drawn from a seed; at
the end the reports, statements, closings, receipts printed and the hash chains are compared
with those logs. Module by concern: ``plan`` (the fair and its faults), ``clock`` (days
compressed into minutes), ``client`` (HTTP), ``phone`` (a booth's device), ``truth`` (the
logs), ``hosts`` (servers started and killed here), ``printers`` (printers that count),
``browser`` (real tills in Chromium), ``setup`` (the fair made through the API), ``run``
(the play), ``verdict`` (the comparison), ``cli`` (the command).
"""
