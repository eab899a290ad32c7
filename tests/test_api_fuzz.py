"""The API against requests generated from its own OpenAPI document (Schemathesis): for each
operation, valid and invalid requests, with random ids and with the ids of a real fair, as
the organiser and as a booth's cashier, on both databases. No answer is a 5xx, and every
answer is one the document declares: its status, its content type (problem+json for errors)
and its body's schema.

Bounded to stay within the suite's minutes: Hypothesis derandomized (the same requests
every run), a few examples an operation and mode. A finding names the operation and
prints the request that reproduces it.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import auth

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _real_ids(app, fair) -> dict[str, int]:
    """Ids of objects that exist, so that generated requests reach past the 404."""
    import sqlalchemy as sa

    from pos.extensions import db
    from pos.sales.models import Sale
    from tests.support import post_sale, simple_sale

    client = app.test_client()
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    assert sale.status_code == 201
    with app.app_context():
        sale_id = db.session.scalar(sa.select(sa.func.max(Sale.id)))
    return {
        "event_id": fair.event_id,
        "exhibitor_id": fair.a.id,
        "product_id": fair.a.products["pot"],
        "device_id": fair.a.device_id,
        "sale_id": sale_id,
    }


def _exercise(operation, strategy, tokens: list[str], failures: list[str]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for token in tokens:
            case.call_and_validate(headers=auth(token), checks=CHECKS)

    try:
        run()
    except (Exception, FailureGroup) as error:  # every operation is tried; all are reported
        failures.append(f"{operation.label}: {error}")


@pytest.mark.slow
def test_every_answer_is_declared_and_none_is_a_server_error(app, fair):
    answered: list[int] = []

    @app.after_request
    def count(response):
        answered.append(response.status_code)
        return response

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    ids = _real_ids(app, fair)
    tokens = [fair.organiser_token, fair.a.token]
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:
        names = {parameter.name for parameter in operation.path_parameters}
        known = {name: ids[name] for name in names if name in ids}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, operation.as_strategy(mode), tokens, failures)
            if known and mode is GenerationMode.POSITIVE:
                strategy = operation.as_strategy(mode, path_parameters=known)
                _exercise(operation, strategy, tokens, failures)
    assert not failures, "\n\n".join(failures)
    # It did reach the application, past its checks too.
    assert len(answered) > 2000
    assert {status // 100 for status in answered} >= {2, 4}
