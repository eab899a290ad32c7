"""Each request's id and its one line in the log, and its time in the latency histogram.

The id is the caller's ``X-Request-Id`` when it sends a sane one (a load balancer's), else
a new one; it comes back in the answer's header and in every problem+json body, so a
cashier's screenshot of an error finds its line in the log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from pos.operations.metrics import REQUEST_SECONDS

log = logging.getLogger("pos.requests")
_SANE_ID = re.compile(r"\A[A-Za-z0-9._-]{1,64}\Z")


def request_id() -> str | None:
    return g.get("request_id")


def _start() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    REQUEST_SECONDS.labels(request.method, route, str(response.status_code)[0] + "xx").observe(
        seconds
    )
    response.headers["X-Request-Id"] = g.request_id
    # The path without its query: a pairing link carries its code there.
    log.info(
        "%s %s %s %.1fms id=%s",
        request.method,
        request.path,
        response.status_code,
        seconds * 1000,
        g.request_id,
    )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
