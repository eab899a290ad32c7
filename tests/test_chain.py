"""The hash chain: its canonical format, and links that hold under concurrency."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from types import SimpleNamespace as Row

import sqlalchemy as sa

from pos.core import chain
from pos.extensions import db
from pos.sales.models import Sale, SaleVoid
from tests.support import auth, post_sale, simple_sale

GOLDEN_CANONICAL = (
    '{"device_id":4,"event_id":1,"exhibitor_id":7,"late":false,"lines":[{"discount":0,'
    '"line_total":6250,"name":"Miel de thym","name_ar":"عسل الزعتر","product_id":11,'
    '"quantity":250,"unit":"kg","unit_price":25000},{"discount":1000,"line_total":25000,'
    '"name":"Pot de miel 500 g","name_ar":"برطمان عسل","product_id":12,"quantity":2000,'
    '"unit":"piece","unit_price":13000}],"local_date":"2026-11-29","payments":[{"amount":31250,'
    '"change":8750,"method":"cash","tendered":40000}],"period_date":"2026-11-29",'
    '"public_id":"5f0c2b1e9a7d4c3b8e6f1a2d3c4b5a69","receipt_number":"A07-000002",'
    '"receipt_seq":2,"recorded_at":"2026-11-29T16:47:00.000005Z","seq":3,'
    '"sold_at":"2026-11-29T16:45:12.123456Z","total":31250,"type":"sale","user_id":null}'
)
GOLDEN_HASH = "a03912adf0cdba2323f85631135b3b94355989362c80d8b8067d6428dffc87c3"


def test_golden_vector_fixes_the_canonical_format():
    sale = Row(
        chain_seq=3,
        exhibitor_id=7,
        event_id=1,
        public_id="5f0c2b1e9a7d4c3b8e6f1a2d3c4b5a69",
        receipt_number="A07-000002",
        receipt_seq=2,
        sold_at=datetime(2026, 11, 29, 16, 45, 12, 123456, tzinfo=UTC),
        recorded_at=datetime(2026, 11, 29, 16, 47, 0, 5, tzinfo=UTC),
        local_date=date(2026, 11, 29),
        period_date=date(2026, 11, 29),
        late=False,
        total=31250,
        user_id=None,
        device_id=4,
    )
    lines = [
        Row(
            product_id=11,
            name="Miel de thym",
            name_ar="عسل الزعتر",
            unit="kg",
            quantity=250,
            unit_price=25000,
            discount=0,
            line_total=6250,
        ),
        Row(
            product_id=12,
            name="Pot de miel 500 g",
            name_ar="برطمان عسل",
            unit="piece",
            quantity=2000,
            unit_price=13000,
            discount=1000,
            line_total=25000,
        ),
    ]
    payments = [Row(method="cash", amount=31250, tendered=40000, change=8750)]
    payload = chain.sale_payload(sale, lines, payments)
    assert chain.canonical(payload).decode("utf-8") == GOLDEN_CANONICAL
    # The definition, computed independently: sha256(prev + "\n" + canonical JSON).
    independent = hashlib.sha256(("a" * 64 + "\n" + GOLDEN_CANONICAL).encode()).hexdigest()
    assert chain.seal("a" * 64, payload) == independent == GOLDEN_HASH


def _links(app, exhibitor_id):
    with app.app_context():
        sales = db.session.execute(
            sa.select(Sale.chain_seq, Sale.prev_hash, Sale.hash).where(
                Sale.exhibitor_id == exhibitor_id
            )
        ).all()
        voids = db.session.execute(
            sa.select(SaleVoid.chain_seq, SaleVoid.prev_hash, SaleVoid.hash).where(
                SaleVoid.exhibitor_id == exhibitor_id
            )
        ).all()
    return sorted(sales + voids)


def test_sales_and_voids_form_one_chain_under_concurrency(app, fair):
    pot = fair.a.products["pot"]

    def sell(index):
        client = app.test_client()
        sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(pot)).json
        if index % 5 == 0:
            voided = client.post(
                f"/api/v1/sales/{sale['id']}/void",
                json={"reason": "erreur"},
                headers=auth(fair.a.token),
            )
            assert voided.status_code == 200
        return sale

    with ThreadPoolExecutor(16) as pool:
        sales = list(pool.map(sell, range(80)))
    links = _links(app, fair.a.id)
    assert [seq for seq, _, _ in links] == list(range(1, 80 + 16 + 1))
    previous = chain.GENESIS_HASH
    for _, prev_hash, own_hash in links:
        assert prev_hash == previous
        previous = own_hash
    assert len({prev for _, prev, _ in links}) == len(links)  # no two share a previous hash
    assert all(len(s["hash_prefix"]) == 4 for s in sales)


def test_the_receipt_carries_the_first_characters_of_the_hash(app, client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    with app.app_context():
        stored = db.session.get(Sale, sale["id"]).hash
    assert sale["hash_prefix"] == stored[:4]
