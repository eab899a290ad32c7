"""A retried submission never makes a second sale."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
import sqlalchemy as sa

from pos.extensions import db
from pos.idempotency.keys import lock_key
from pos.sales.models import IdempotencyRecord, Sale
from pos.sales.recording import idempotency
from tests.support import auth, post_sale, simple_sale


def _sales_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Sale))


def test_replay_returns_the_stored_answer_and_records_nothing_more(app, client, fair):
    key = str(uuid.uuid4())
    body = simple_sale(fair.a.products["pot"])
    first = post_sale(client, fair.a.token, fair.a.id, body, key=key)
    # The same body sent again by a till, even spaced and ordered differently.
    again = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/sales",
        data=json.dumps({"payments": body["payments"], "lines": body["lines"]}, indent=2),
        content_type="application/json",
        headers={**auth(fair.a.token), "Idempotency-Key": key},
    )
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _sales_count(app) == 1


def test_a_retry_gets_its_answer_even_when_its_product_was_withdrawn_since(app, client, fair):
    """The till's first send went through but the answer was lost; meanwhile the booth took
    the product off sale. The retry must not be refused: the sale was made."""
    key = str(uuid.uuid4())
    pot = fair.a.products["pot"]
    first = post_sale(client, fair.a.token, fair.a.id, simple_sale(pot), key=key)
    assert first.status_code == 201
    withdrawn = client.patch(
        f"/api/v1/products/{pot}", json={"active": False}, headers=auth(fair.a.token)
    )
    assert withdrawn.status_code == 200, withdrawn.json
    assert post_sale(client, fair.a.token, fair.a.id, simple_sale(pot)).status_code == 422
    again = post_sale(client, fair.a.token, fair.a.id, simple_sale(pot), key=key)
    assert again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _sales_count(app) == 1


def test_a_retry_that_passed_the_look_before_the_first_committed_gets_its_answer(
    app, client, fair, monkeypatch
):
    """Two sends of one sale both looked the key up before either was written: the second
    to write is stopped by the key's unique record, undone, and answered as the first."""
    key = str(uuid.uuid4())
    body = simple_sale(fair.a.products["pot"])
    first = post_sale(client, fair.a.token, fair.a.id, body, key=key)
    assert first.status_code == 201
    real_replay = idempotency.replay
    looks = []

    def replay_that_saw_nothing_yet(*args):
        looks.append(args)
        return None if len(looks) == 1 else real_replay(*args)

    monkeypatch.setattr(idempotency, "replay", replay_that_saw_nothing_yet)
    again = post_sale(client, fair.a.token, fair.a.id, body, key=key)
    assert len(looks) == 2
    assert again.status_code == 201, again.json
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _sales_count(app) == 1
    # Its receipt number went back: the booth's next sale follows on from the first.
    third = post_sale(client, fair.a.token, fair.a.id, body)
    assert third.json["receipt_number"].endswith("-000002")


def test_same_key_other_body_is_422(app, client, fair):
    key = str(uuid.uuid4())
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]), key=key)
    other = simple_sale(fair.a.products["pot"], quantity="2", amount="260.00")
    response = post_sale(client, fair.a.token, fair.a.id, other, key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["errors"]
    assert _sales_count(app) == 1


def test_missing_or_oversized_key_is_400(app, client, fair):
    url = f"/api/v1/exhibitors/{fair.a.id}/sales"
    body = simple_sale(fair.a.products["pot"])
    missing = client.post(url, json=body, headers=auth(fair.a.token))
    assert missing.status_code == 400
    assert missing.mimetype == "application/problem+json"
    assert "Idempotency-Key" in missing.json["errors"]
    too_long = post_sale(client, fair.a.token, fair.a.id, body, key="k" * 256)
    assert too_long.status_code == 400
    assert _sales_count(app) == 0


def test_keys_are_per_exhibitor(app, client, fair):
    key = str(uuid.uuid4())
    a = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]), key=key)
    b = post_sale(
        client,
        fair.b.token,
        fair.b.id,
        simple_sale(fair.b.products["teapot"], amount="380.00"),
        key=key,
    )
    assert a.status_code == b.status_code == 201
    assert a.json["id"] != b.json["id"]


def test_a_failed_attempt_leaves_the_key_free(app, client, fair):
    key = str(uuid.uuid4())
    bad = simple_sale(fair.a.products["pot"], amount="1.00")
    assert post_sale(client, fair.a.token, fair.a.id, bad, key=key).status_code == 422
    good = simple_sale(fair.a.products["pot"])
    assert post_sale(client, fair.a.token, fair.a.id, good, key=key).status_code == 201


def test_the_database_itself_refuses_a_second_record_for_a_key(app, client, fair):
    key = str(uuid.uuid4())
    sale = post_sale(
        client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]), key=key
    ).json
    second = post_sale(
        client,
        fair.a.token,
        fair.a.id,
        simple_sale(fair.a.products["pot"], quantity="2", amount="260.00"),
    ).json
    with app.app_context(), pytest.raises(sa.exc.IntegrityError):
        db.session.add(
            IdempotencyRecord(
                exhibitor_id=fair.a.id,
                key=key,
                request_hash="0" * 64,
                sale_id=second["id"],
                response_status=201,
                response_body="{}",
            )
        )
        db.session.commit()
    assert sale["id"] != second["id"]


def test_concurrent_retries_of_one_sale_record_it_once(app, fair):
    key = str(uuid.uuid4())
    body = simple_sale(fair.a.products["pot"])
    answers = []
    barrier = threading.Barrier(8)

    def send():
        client = app.test_client()
        barrier.wait()
        response = post_sale(client, fair.a.token, fair.a.id, body, key=key)
        answers.append((response.status_code, response.json))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _sales_count(app) == 1
    created = [payload for status, payload in answers if status == 201]
    assert created, answers
    assert all(status in (201, 409) for status, _ in answers), answers
    assert len({payload["receipt_number"] for payload in created}) == 1


# SQLite runs one writer at a time: there a duplicate waits for the first and is
# replayed (test_concurrent_retries_of_one_sale_record_it_once covers both).
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_still_in_flight_is_409_on_postgresql(app, client, fair):
    """While the first request with a key holds it, a second one is told to retry."""
    with app.app_context():
        engine = db.engine
        with engine.connect() as holder:
            # What the first request's transaction holds while it records the sale.
            holder.execute(
                sa.select(sa.func.pg_advisory_xact_lock(lock_key(fair.a.id, "in-flight-key")))
            )
            response = post_sale(
                client,
                fair.a.token,
                fair.a.id,
                simple_sale(fair.a.products["pot"]),
                key="in-flight-key",
            )
            holder.rollback()
    assert response.status_code == 409
    assert response.headers["Retry-After"] == "1"
    assert (
        post_sale(
            client,
            fair.a.token,
            fair.a.id,
            simple_sale(fair.a.products["pot"]),
            key="in-flight-key",
        ).status_code
        == 201
    )
