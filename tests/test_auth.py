"""Sign-in, tokens, roles and devices."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa

from pos.audit.models import AuditEvent
from pos.auth.models import AuthToken, User
from pos.core.db import utcnow
from pos.extensions import db
from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, auth


def _login(client, email=ORGANISER_EMAIL, password=ORGANISER_PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_sign_in_gives_an_expiring_token_stored_only_as_a_hash(app, client, fair):
    response = _login(client, email="  Organiser@Example.MA ")
    assert response.status_code == 200
    token = response.json["token"]
    assert response.json["role"] == "organiser"
    assert response.json["expires_at"]
    assert client.get("/api/v1/events", headers=auth(token)).status_code == 200
    with app.app_context():
        hashes = db.session.scalars(sa.select(AuthToken.token_hash)).all()
        password_hash = db.session.scalar(
            sa.select(User.password_hash).where(User.email == ORGANISER_EMAIL)
        )
    assert token not in hashes
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert password_hash.startswith("scrypt:")
    assert ORGANISER_PASSWORD not in password_hash


def test_wrong_password_and_unknown_email_get_the_same_401(client, fair):
    wrong = _login(client, password="not the password")
    unknown = _login(client, email="nobody@example.ma")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.mimetype == "application/problem+json"
    assert wrong.json["detail"] == unknown.json["detail"]


def test_failed_sign_ins_are_rate_limited(client, fair):
    for _ in range(5):
        assert _login(client, password="guess").status_code == 401
    blocked = _login(client)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    # Another account is not punished for this one's guesses.
    other = client.post("/api/v1/auth/token", json={"email": "other@example.ma", "password": "x"})
    assert other.status_code == 401


def test_missing_bad_expired_and_revoked_tokens_are_401(app, client, fair):
    assert client.get("/api/v1/events").status_code == 401
    assert "Bearer" in client.get("/api/v1/events").headers["WWW-Authenticate"]
    assert client.get("/api/v1/events", headers=auth("forged")).status_code == 401

    token = _login(client).json["token"]
    with app.app_context():
        db.session.execute(
            sa.update(AuthToken)
            .where(AuthToken.token_hash == hashlib.sha256(token.encode()).hexdigest())
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert client.get("/api/v1/events", headers=auth(token)).status_code == 401

    token = _login(client).json["token"]
    assert client.post("/api/v1/auth/revoke", headers=auth(token)).status_code == 204
    assert client.get("/api/v1/events", headers=auth(token)).status_code == 401


def test_organiser_creates_a_device_whose_token_sells_for_that_booth_only(client, fair):
    response = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/devices",
        json={"label": "Tablette 2"},
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 201
    device = response.json
    assert device["token"] and device["id"]
    listing = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/devices", headers=auth(fair.organiser_token)
    ).json
    assert "token" not in listing["items"][0]
    products = client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(device["token"]))
    assert products.status_code == 200
    assert (
        client.get(
            f"/api/v1/exhibitors/{fair.b.id}/products", headers=auth(device["token"])
        ).status_code
        == 404
    )

    revoked = client.post(
        f"/api/v1/devices/{device['id']}/revoke", headers=auth(fair.organiser_token)
    )
    assert revoked.status_code == 200
    assert revoked.json["revoked_at"]
    assert (
        client.get(
            f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(device["token"])
        ).status_code
        == 401
    )


def test_cashiers_cannot_do_organisers_work(client, fair):
    event = {"name": "x", "name_ar": "س", "starts_on": "2026-12-01", "ends_on": "2026-12-02"}
    assert client.post("/api/v1/events", json=event, headers=auth(fair.a.token)).status_code == 403
    assert (
        client.post(
            f"/api/v1/exhibitors/{fair.a.id}/devices",
            json={"label": "x"},
            headers=auth(fair.a.token),
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/exhibitors/{fair.a.id}", json={"name": "x"}, headers=auth(fair.a.token)
        ).status_code
        == 403
    )
    own_event = client.get("/api/v1/events", headers=auth(fair.a.token)).json
    assert [e["id"] for e in own_event["items"]] == [fair.event_id]


def test_a_booth_keeps_its_own_catalogue(client, fair):
    created = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/products",
        headers=auth(fair.a.token),
        json={"name": "Amlou", "name_ar": "أملو", "unit": "kg", "unit_price": "160.00"},
    )
    assert created.status_code == 201
    assert created.json["unit_price"] == "160.00"
    changed = client.patch(
        f"/api/v1/products/{created.json['id']}",
        headers=auth(fair.a.token),
        json={"unit_price": "150.50"},
    )
    assert changed.json["unit_price"] == "150.50"
    theirs = client.post(
        f"/api/v1/exhibitors/{fair.b.id}/products",
        headers=auth(fair.a.token),
        json={"name": "x", "name_ar": "x", "unit": "kg", "unit_price": "1.00"},
    )
    assert theirs.status_code == 404
    theirs = client.patch(
        f"/api/v1/products/{fair.b.products['teapot']}",
        headers=auth(fair.a.token),
        json={"unit_price": "1.00"},
    )
    assert theirs.status_code == 404


def test_organiser_sets_up_a_fair_through_the_api(client, fair):
    headers = auth(fair.organiser_token)
    event = client.post(
        "/api/v1/events",
        headers=headers,
        json={
            "name": "Salon de Khénifra",
            "name_ar": "معرض خنيفرة",
            "starts_on": "2026-11-28",
            "ends_on": "2026-12-03",
            "timezone": "Africa/Casablanca",
            "currency": "MAD",
        },
    ).json
    exhibitor = client.post(
        f"/api/v1/events/{event['id']}/exhibitors",
        headers=headers,
        json={
            "name": "Coopérative Bzou – Poterie",
            "name_ar": "تعاونية بزو – الخزف",
            "legal_form": "cooperative",
            "province": "Béni Mellal",
            "sector": "Poterie",
            "booth": "C12",
            "members": 70,
            "women_members": 70,
        },
    )
    assert exhibitor.status_code == 201, exhibitor.json
    duplicate = client.post(
        f"/api/v1/events/{event['id']}/exhibitors",
        headers=headers,
        json={
            "name": "x",
            "name_ar": "x",
            "legal_form": "mutual",
            "province": "Azilal",
            "sector": "x",
            "booth": "C12",
        },
    )
    assert duplicate.status_code == 422
    assert "booth" in duplicate.json["errors"]
    listing = client.get(f"/api/v1/events/{event['id']}/exhibitors", headers=headers).json
    assert listing["total"] == 1 and listing["items"][0]["name_ar"] == "تعاونية بزو – الخزف"
    printer = client.put(
        f"/api/v1/exhibitors/{exhibitor.json['id']}/printer",
        headers=headers,
        json={"connection": "tcp://192.168.1.50:9100", "profile": "TM-T20II", "paper_width_mm": 80},
    )
    assert printer.status_code == 200
    outside = client.put(
        f"/api/v1/exhibitors/{exhibitor.json['id']}/printer",
        headers=headers,
        json={"connection": "file:///etc/passwd", "profile": "TM-T20II", "paper_width_mm": 80},
    )
    assert outside.status_code == 422
    assert "connection" in outside.json["errors"]


def test_old_failures_are_pruned_and_stay_in_the_journal(app, client, fair):
    """Failures older than the window count for nothing: they go as new ones come, so the
    tables a fair's worth of typos fills stay small; the journal keeps every one."""
    from pos.auth.models import LoginFailure
    from pos.members.models import PinFailure

    member = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/members",
        headers=auth(fair.a.token),
        json={"name": "Fatima", "pin": "2468"},
    ).json
    long_ago = utcnow() - timedelta(days=2)
    with app.app_context():
        for number in range(50):
            db.session.add(
                LoginFailure(email=f"x{number}@example.ma", ip="10.0.0.9", failed_at=long_ago)
            )
            db.session.add(PinFailure(member_id=member["id"], failed_at=long_ago))
        db.session.commit()
    assert _login(client, password="guess").status_code == 401
    unlock = f"/api/v1/members/{member['id']}/unlock"
    assert client.post(unlock, json={"pin": "1111"}, headers=auth(fair.a.token)).status_code == 401
    with app.app_context():
        logins = db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure))
        pins = db.session.scalar(sa.select(sa.func.count()).select_from(PinFailure))
    assert (logins, pins) == (1, 1)
    with app.app_context():
        journaled = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.kind == "login.failed")
        )
    assert journaled == 1
