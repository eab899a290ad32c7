"""The till's writes other than sales are safe to send again: a void, a reprint, a
set-aside, a product added or its price changed, retried with the same Idempotency-Key
after a lost answer, act once and get the first answer back."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from pos.extensions import db
from pos.idempotency.keys import lock_key
from tests.printing_support import put_printer
from tests.support import auth, post_sale, row_counts, simple_sale


def _with_key(token: str, key: str) -> dict:
    return {**auth(token), "Idempotency-Key": key}


def _sale(client, fair) -> dict:
    response = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    assert response.status_code == 201, response.json
    return response.json


def _count(app, table: str) -> int:
    with app.app_context():
        return db.session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_void_retried_after_a_lost_answer_is_the_same_void(app, client, fair):
    sale = _sale(client, fair)
    key, path = str(uuid.uuid4()), f"/api/v1/sales/{sale['id']}/void"
    first = client.post(path, json={"reason": "erreur"}, headers=_with_key(fair.a.token, key))
    again = client.post(path, json={"reason": "erreur"}, headers=_with_key(fair.a.token, key))
    assert first.status_code == again.status_code == 200
    assert again.json == first.json and again.json["status"] == "voided"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, "sale_voids") == 1
    # Without a key, as before: a second void is a conflict.
    assert client.post(path, json={"reason": "x"}, headers=auth(fair.a.token)).status_code == 409


def test_a_reprint_retried_makes_no_second_copy(app, client, fair, tmp_path):
    put_printer(client, fair.organiser_token, fair.a.id, f"file://{tmp_path / 'printer-out'}")
    sale = _sale(client, fair)
    key, path = str(uuid.uuid4()), f"/api/v1/sales/{sale['id']}/reprint"
    first = client.post(path, headers=_with_key(fair.a.token, key))
    again = client.post(path, headers=_with_key(fair.a.token, key))
    assert first.status_code == again.status_code == 202 and again.json == first.json
    assert _count(app, "print_jobs") == 2  # the receipt and one copy
    assert client.post(path, headers=_with_key(fair.a.token, str(uuid.uuid4()))).status_code == 202
    assert _count(app, "print_jobs") == 3  # a new key is a new copy


def test_a_set_aside_and_product_changes_retried_act_once(app, client, fair):
    key = str(uuid.uuid4())
    set_aside = f"/api/v1/exhibitors/{fair.a.id}/sales/set-aside"
    body = {"idempotency_key": str(uuid.uuid4()), "reason": "vente en double"}
    events = _count(app, "audit_events")
    for _ in range(2):
        answer = client.post(set_aside, json=body, headers=_with_key(fair.a.token, key))
        assert answer.status_code == 204
    assert _count(app, "audit_events") == events + 1

    products = _count(app, "products")
    new = {"name": "Miel de thym", "name_ar": "عسل الزعتر", "unit": "kg", "unit_price": "300.00"}
    key = str(uuid.uuid4())
    created = [
        client.post(
            f"/api/v1/exhibitors/{fair.a.id}/products",
            json=new,
            headers=_with_key(fair.a.token, key),
        )
        for _ in range(2)
    ]
    assert [c.status_code for c in created] == [201, 201] and created[0].json == created[1].json
    assert _count(app, "products") == products + 1

    prices = _count(app, "product_prices")
    key, path = str(uuid.uuid4()), f"/api/v1/products/{created[0].json['id']}"
    for _ in range(2):
        changed = client.patch(
            path, json={"unit_price": "320.00"}, headers=_with_key(fair.a.token, key)
        )
        assert changed.status_code == 200 and changed.json["unit_price"] == "320.00"
    assert _count(app, "product_prices") == prices + 1


def test_a_key_used_again_for_another_write_is_refused_and_writes_nothing(app, client, fair):
    first, second = _sale(client, fair), _sale(client, fair)
    key = str(uuid.uuid4())
    voided = client.post(
        f"/api/v1/sales/{first['id']}/void",
        json={"reason": "erreur"},
        headers=_with_key(fair.a.token, key),
    )
    assert voided.status_code == 200
    before = row_counts(app)
    for path in (f"/api/v1/sales/{first['id']}/void", f"/api/v1/sales/{second['id']}/void"):
        answer = client.post(path, json={"reason": "autre"}, headers=_with_key(fair.a.token, key))
        assert answer.status_code == 422 and "Idempotency-Key" in answer.json["errors"]
    too_long = client.post(
        f"/api/v1/sales/{second['id']}/void",
        json={"reason": "x"},
        headers=_with_key(fair.a.token, "k" * 256),
    )
    assert too_long.status_code == 422 and "Idempotency-Key" in too_long.json["errors"]
    assert row_counts(app) == before


def test_keys_are_each_booths_own(client, fair):
    """Booth B's key that booth A used is another key: nothing of A's is replayed to B."""
    key = str(uuid.uuid4())
    a_sale = _sale(client, fair)
    assert (
        client.post(
            f"/api/v1/sales/{a_sale['id']}/void",
            json={"reason": "erreur"},
            headers=_with_key(fair.a.token, key),
        ).status_code
        == 200
    )
    b_sale = post_sale(
        client, fair.b.token, fair.b.id, simple_sale(fair.b.products["teapot"], amount="380.00")
    ).json
    replayed = client.post(
        f"/api/v1/sales/{b_sale['id']}/void",
        json={"reason": "erreur"},
        headers=_with_key(fair.b.token, key),
    )
    assert replayed.status_code == 200 and replayed.json["id"] == b_sale["id"]
    assert "Idempotent-Replayed" not in replayed.headers
    # A's sale through A's key, asked by B: 404, as any of A's things.
    assert (
        client.post(
            f"/api/v1/sales/{a_sale['id']}/void",
            json={"reason": "erreur"},
            headers=_with_key(fair.b.token, key),
        ).status_code
        == 404
    )


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_write_whose_twin_is_still_running_is_told_to_retry(app, client, fair):
    sale = _sale(client, fair)
    key = str(uuid.uuid4())
    with app.app_context():
        engine = db.engine
        with engine.connect() as twin:  # the first request, still in its transaction
            twin.execute(
                sa.select(sa.func.pg_advisory_xact_lock(lock_key(fair.a.id, f"write:{key}")))
            )
            answer = client.post(
                f"/api/v1/sales/{sale['id']}/void",
                json={"reason": "erreur"},
                headers=_with_key(fair.a.token, key),
            )
            twin.rollback()
    assert answer.status_code == 409
    assert _count(app, "sale_voids") == 0
