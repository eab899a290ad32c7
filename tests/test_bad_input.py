"""What a tired cashier, a flaky network and a curious attacker send.

A generated test sends well over a thousand bad requests, each broken in one
known way, and checks that every one gets a 4xx problem+json naming what is
wrong, that none gets a 5xx, and that the database is exactly as before.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.core.money import MONEY_PATTERN, QUANTITY_PATTERN
from pos.extensions import db
from tests.support import auth, row_counts

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
NOT_A_STRING = JUNK.filter(lambda v: not isinstance(v, str))
NOT_AN_INT = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=8),
    st.floats(allow_nan=False).filter(lambda f: f != int(f) if f == f and abs(f) < 1e300 else True),
    st.lists(st.integers(), max_size=2),
)
BAD_DECIMAL_TEXT = st.one_of(
    st.text(max_size=12).filter(lambda t: not QUANTITY_PATTERN.match(t)),
    st.integers(1, 10**6).map(lambda n: f"-{n}"),
    st.integers(1, 10**6).map(lambda n: f"{n}.1234"),
    st.sampled_from(["NaN", "Infinity", "1e3", "12,50", " 12", "٣", "0x10", "1_000"]),
)
BAD_MONEY = st.one_of(
    NOT_A_STRING, BAD_DECIMAL_TEXT, st.sampled_from(["1.001", "99999999999999999.00", "1" * 40])
)
BAD_QUANTITY = st.one_of(
    NOT_A_STRING, BAD_DECIMAL_TEXT, st.sampled_from(["0", "0.000", "10000.001", "999999", "0.0001"])
)
BAD_ID = st.one_of(NOT_AN_INT, st.integers(max_value=0), st.integers(min_value=2**31))
UNKNOWN_ID = st.integers(10_000, 2**31 - 1)
BAD_METHOD = st.one_of(
    NOT_A_STRING,
    st.text(max_size=10).filter(
        lambda t: t not in {"cash", "card", "mobile", "transfer", "cheque"}
    ),
)
BAD_TEXT = st.one_of(NOT_A_STRING, st.just(""), st.text(min_size=501, max_size=600))


def _valid_sale(fair) -> dict:
    return {
        "lines": [
            {"product_id": fair.a.products["honey"], "quantity": "0.250"},
            {"product_id": fair.a.products["pot"], "quantity": "1"},
        ],
        "payments": [{"method": "cash", "amount": "192.50", "tendered": "200.00"}],
    }


def _set(body: dict, path: tuple, value):
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return body


def _delete(body: dict, path: tuple):
    target = body
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return body


def sale_mutations(fair):
    """(description, body or raw bytes, headers override) for the sale endpoint."""
    base = _valid_sale(fair)

    def fresh():
        return json.loads(json.dumps(base))

    now = datetime.now(UTC)
    field_values = {
        ("lines", 0, "quantity"): BAD_QUANTITY,
        ("lines", 1, "quantity"): st.sampled_from(["0.5", "1.250", "2.001"]),  # half a piece
        ("lines", 0, "product_id"): st.one_of(
            BAD_ID,
            UNKNOWN_ID,
            st.just(fair.b.products["teapot"]),
            st.just(fair.a.products["retired"]),
        ),
        ("lines", 0, "discount"): st.one_of(BAD_MONEY, st.just("62.51")),
        ("lines", 0, "unit_price"): st.one_of(BAD_MONEY, st.just("1.00")),
        ("payments", 0, "method"): BAD_METHOD,
        ("payments", 0, "amount"): st.one_of(
            BAD_MONEY, st.sampled_from(["0.00", "192.49", "192.51"])
        ),
        ("payments", 0, "tendered"): st.one_of(BAD_MONEY, st.just("100.00")),
        ("sold_at",): st.one_of(
            JUNK,
            st.text(max_size=20),
            st.integers(1, 3000).map(lambda d: (now + timedelta(days=d)).isoformat()),
            st.integers(10, 3000).map(lambda d: (now - timedelta(days=d)).isoformat()),
            st.just(now.replace(tzinfo=None).isoformat()),
        ),
        ("lines",): st.one_of(NOT_AN_INT.filter(lambda v: not isinstance(v, list)), st.just([])),
        ("payments",): NOT_AN_INT.filter(lambda v: not isinstance(v, list)),
        ("lines", 0): NOT_A_STRING.filter(lambda v: not isinstance(v, dict)),
        ("unexpected",): JUNK,
    }
    set_field = st.sampled_from(sorted(field_values, key=str)).flatmap(
        lambda path: field_values[path].map(
            lambda value, path=path: (f"set {path}", _set(fresh(), path, value), {})
        )
    )
    drop_field = st.sampled_from(
        [
            ("lines",),
            ("payments",),
            ("lines", 0, "product_id"),
            ("lines", 0, "quantity"),
            ("payments", 0, "method"),
            ("payments", 0, "amount"),
        ]
    ).map(lambda path: (f"drop {path}", _delete(fresh(), path), {}))
    too_many = st.one_of(
        st.integers(201, 260).map(
            lambda n: (
                "too many lines",
                {
                    **fresh(),
                    "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}] * n,
                    "payments": [{"method": "card", "amount": f"{130 * n}.00"}],
                },
                {},
            )
        ),
        st.integers(11, 20).map(
            lambda n: (
                "too many payments",
                {**fresh(), "payments": [{"method": "card", "amount": "0.01"}] * n},
                {},
            )
        ),
    )
    whole_body = st.one_of(
        JUNK.map(lambda v: ("not an object", v, {})),
        st.binary(min_size=1, max_size=40)
        .filter(_not_json)
        .map(lambda raw: ("malformed JSON", raw, {})),
        st.just(("oversized", b'{"lines": "' + b"x" * 300_000 + b'"}', {})),
    )
    printable = st.characters(min_codepoint=33, max_codepoint=126)
    bad_key = st.one_of(
        st.just(None), st.just(""), st.text(printable, min_size=256, max_size=300)
    ).map(lambda key: ("bad Idempotency-Key", fresh(), {"Idempotency-Key": key}))
    return st.one_of(set_field, drop_field, too_many, whole_body, bad_key)


def setup_mutations(fair):
    """Bad bodies for the catalogue, exhibitor, event, void and printer routes."""
    product = {"name": "Amlou", "name_ar": "أملو", "unit": "kg", "unit_price": "160.00"}
    exhibitor = {
        "name": "Coop",
        "name_ar": "تعاونية",
        "legal_form": "cooperative",
        "province": "Azilal",
        "sector": "Miel",
        "booth": "Z99",
    }
    event = {"name": "Salon", "name_ar": "معرض", "starts_on": "2026-12-01", "ends_on": "2026-12-05"}
    printer = {"connection": "tcp://10.0.0.5:9100", "profile": "TM-T20II", "paper_width_mm": 80}
    routes = [
        (
            "POST",
            f"/api/v1/exhibitors/{fair.a.id}/products",
            product,
            {
                "name": BAD_TEXT.filter(lambda v: not (isinstance(v, str) and len(v) <= 200)),
                "unit": st.one_of(NOT_A_STRING, st.sampled_from(["kilo", "KG", "m", ""])),
                "unit_price": BAD_MONEY.filter(
                    lambda v: not (isinstance(v, str) and MONEY_PATTERN.match(v) and len(v) < 12)
                ),
                "open_price": st.one_of(st.text(min_size=6), st.lists(st.booleans(), min_size=1)),
            },
        ),
        (
            "PATCH",
            f"/api/v1/products/{fair.a.products['pot']}",
            {},
            {
                "unit_price": BAD_MONEY.filter(
                    lambda v: not (isinstance(v, str) and MONEY_PATTERN.match(v) and len(v) < 12)
                ),
                "active": st.one_of(st.text(min_size=6), st.integers(2, 100)),
                "unit": st.text(max_size=5).filter(lambda t: t not in {"piece", "kg", "g", "l"}),
            },
        ),
        (
            "POST",
            f"/api/v1/events/{fair.event_id}/exhibitors",
            exhibitor,
            {
                "legal_form": st.text(max_size=10).filter(
                    lambda t: t not in {"cooperative", "association", "mutual", "social_enterprise"}
                ),
                "booth": st.one_of(
                    st.just("A01"),
                    st.text(min_size=21, max_size=30),
                    st.sampled_from(["", "A 01", "A/01", "../x", "<b>"]),
                ),
                "members": st.one_of(st.integers(max_value=-1), st.text(min_size=1, max_size=3)),
            },
        ),
        (
            "POST",
            "/api/v1/events",
            event,
            {
                "starts_on": st.one_of(st.text(max_size=10), st.just("2026-13-01")),
                "ends_on": st.just("2026-11-01"),
                "timezone": st.text(max_size=12).filter(lambda t: "/" not in t or len(t) < 5),
                "currency": st.sampled_from(["EUR", "mad", "", "DH"]),
            },
        ),
        (
            "PUT",
            f"/api/v1/exhibitors/{fair.a.id}/printer",
            printer,
            {
                "connection": st.sampled_from(
                    [
                        "http://x",
                        "tcp://",
                        "usb://zz:1",
                        "file://rel",
                        "file:///etc/passwd",
                        "serial://dev/tty",
                        "serial:///dev/ttyS0?baudrate=7",
                        "tcp://h:99999",
                    ]
                ),
                "profile": st.text(max_size=8).filter(lambda t: t not in {"TM-T20II", "POS-5890"}),
                "paper_width_mm": st.one_of(
                    st.integers().filter(lambda n: n not in (58, 80)), st.text(max_size=3)
                ),
            },
        ),
    ]

    def mutate(route):
        method, url, base, fields = route
        return st.sampled_from(sorted(fields)).flatmap(
            lambda name: fields[name].map(
                lambda value: (f"{method} {url} {name}", method, url, {**base, name: value})
            )
        )

    return st.one_of([mutate(route) for route in routes])


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:
        return True
    return False


# A sale refused as invalid is journaled (sale.refused), for an organiser to settle: the one
# write a refusal makes. Everything else stays exactly as it was.
JOURNAL = ("audit_events", "audit_head")


def _snapshot(app) -> dict:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table: sorted(map(repr, connection.execute(sa.text(f'SELECT * FROM "{table}"'))))
            for table in sa.inspect(connection).get_table_names()
            if table not in JOURNAL
        }


def _journaled_kinds(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return list(connection.execute(sa.text("SELECT kind FROM audit_events")).scalars())


def _assert_refused(response, what):
    assert 400 <= response.status_code < 500, (
        what,
        response.status_code,
        response.get_data(as_text=True)[:300],
    )
    assert response.mimetype == "application/problem+json", what
    problem = response.json
    assert problem["status"] == response.status_code and problem["detail"], what
    if response.status_code == 422:
        assert problem["errors"] and all(problem["errors"].values()), (what, problem)


def test_a_thousand_bad_requests_get_4xx_and_write_nothing(app, client, fair):
    sent, refused_sales = [], []
    before, journal_before = _snapshot(app), _journaled_kinds(app)
    sale_url = f"/api/v1/exhibitors/{fair.a.id}/sales"

    @settings(
        max_examples=900, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(sale_mutations(fair))
    def bad_sale(case):
        what, body, header_override = case
        headers = {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())}
        for name, value in header_override.items():
            if value is None:
                headers.pop(name)
            else:
                headers[name] = value
        if isinstance(body, bytes):
            response = client.post(
                sale_url, data=body, headers=headers, content_type="application/json"
            )
        else:
            response = client.post(sale_url, json=body, headers=headers)
        sent.append(what)
        _assert_refused(response, what)
        if response.status_code == 422:
            refused_sales.append(what)

    @settings(
        max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(setup_mutations(fair))
    def bad_setup(case):
        what, method, url, body = case
        response = client.open(url, method=method, json=body, headers=auth(fair.organiser_token))
        sent.append(what)
        _assert_refused(response, what)

    bad_sale()
    bad_setup()
    assert len(sent) >= 1000
    assert _snapshot(app) == before
    added = _journaled_kinds(app)[len(journal_before) :]
    assert added == ["sale.refused"] * len(refused_sales)


def test_void_needs_a_reason_and_writes_nothing_without_one(app, client, fair):
    from tests.support import post_sale, simple_sale

    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    before = _snapshot(app)
    for body in ({}, {"reason": ""}, {"reason": None}, {"reason": "x" * 501}, [], "void"):
        response = client.post(
            f"/api/v1/sales/{sale['id']}/void", json=body, headers=auth(fair.a.token)
        )
        _assert_refused(response, body)
    assert _snapshot(app) == before


def test_query_strings_are_checked_too(client, fair):
    for query in (
        "limit=0",
        "limit=1001",
        "limit=abc",
        "offset=-1",
        "date=yesterday",
        "date=2026-02-30",
    ):
        response = client.get(
            f"/api/v1/exhibitors/{fair.a.id}/sales?{query}", headers=auth(fair.a.token)
        )
        _assert_refused(response, query)
        assert response.status_code == 422


def test_payments_that_do_not_add_up_are_named_in_words_in_every_language(client, fair):
    """The field is the payments as a whole: its name in words, never a raw placeholder."""
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "100.00"}],
    }
    wanted = {"en": "the payments", "fr": "les paiements", "ar": "الأداءات"}
    for language, words in wanted.items():
        answer = client.post(
            f"/api/v1/exhibitors/{fair.a.id}/sales",
            json=body,
            headers={
                **auth(fair.a.token),
                "Idempotency-Key": str(uuid.uuid4()),
                "Accept-Language": language,
            },
        )
        assert answer.status_code == 422 and "payments" in answer.json["errors"]
        assert "%(" not in answer.json["detail"] and words in answer.json["detail"], answer.json


def test_no_field_name_in_words_keeps_a_placeholder():
    from pos import create_app
    from pos.core.messages import FIELD_NAMES, field_in_words

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for language in ("en", "fr", "ar"):
        with app.test_request_context(headers={"Accept-Language": language}):
            from flask_babel import force_locale

            with force_locale(language):
                for key in FIELD_NAMES:
                    for path in (key, f"{key}.0", f"{key}.0.amount"):
                        assert "%(" not in field_in_words(path), (language, path)


def test_a_fairs_dates_and_time_zone_are_refused_in_the_callers_language(app, client, fair):
    body = {"name": "Salon", "name_ar": "معرض", "starts_on": "2026-12-05", "ends_on": "2026-12-09"}
    cases = [
        ({"timezone": "Morocco/Khenifra"}, "timezone", "fr", "Fuseau horaire IANA inconnu"),
        ({"timezone": "Morocco/Khenifra"}, "timezone", "ar", "منطقة زمنية غير معروفة"),
        ({"ends_on": "2026-12-01"}, "ends_on", "fr", "Ne peut pas précéder le premier jour."),
        ({"ends_on": "2028-01-01"}, "ends_on", "fr", "Un salon dure un an au plus."),
        ({"ends_on": "2028-01-01"}, "ends_on", "ar", "لا تتجاوز مدة المعرض سنة واحدة."),
    ]
    before = row_counts(app)
    for change, field, language, said in cases:
        answer = client.post(
            "/api/v1/events",
            json={**body, **change},
            headers={**auth(fair.organiser_token), "Accept-Language": language},
        )
        assert answer.status_code == 422, answer.json
        assert said in " ".join(answer.json["errors"][field]), answer.json
    assert row_counts(app) == before
