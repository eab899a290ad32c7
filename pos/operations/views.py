"""The operator's endpoints: liveness, readiness and metrics. Outside /api/v1: a load
balancer and Prometheus call them as they are."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST

from pos.auth.principal import principal_of_token
from pos.core.errors import problem_response
from pos.core.messages import N_
from pos.operations import health, metrics

blp = Blueprint("operations", __name__)


@blp.get("/healthz")
def healthz():
    """200 while the process serves (it touches nothing else)."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """200 when the database answers and is migrated to the code's head; else 503, why."""
    ready, why = health.readiness()
    response = jsonify(status="ready" if ready else "not ready", detail=why)
    response.status_code = 200 if ready else 503
    return response


@blp.get("/metrics")
def metrics_view():
    """Prometheus text: for ``POS_METRICS_TOKEN`` or an admin every fair, for an organiser
    its organisation's."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    wanted = current_app.config.get("POS_METRICS_TOKEN") or ""
    if token and wanted and hmac.compare_digest(token.encode(), wanted.encode()):
        fairs = None
    else:
        principal = principal_of_token(token) if token else None
        if principal is None or not principal.is_staff:
            return problem_response(
                401,
                N_("A bearer token is required."),
                headers={"WWW-Authenticate": 'Bearer realm="tadamon"'},
            )
        fairs = metrics.visible_fairs(principal)
    return Response(metrics.exposition(fairs), mimetype=CONTENT_TYPE_LATEST)
