"""Who may do what, held on the server: page sessions that end when signed out, pairing
codes that cannot be guessed, printer settings that reach only the fair's printers, client
addresses behind a proxy, and a journal that names who acted from a page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from pos import create_app
from pos.extensions import db
from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, auth


def _csrf(client, path) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _page_sign_in(client):
    token = _csrf(client, "/login")
    response = client.post(
        "/login",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return client


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _opens_dashboard(app, cookie: str) -> bool:
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/dashboard").status_code == 200


def test_a_signed_out_session_cookie_opens_nothing(app, client, fair):
    _page_sign_in(client)
    cookie = _session_cookie(client)
    assert _opens_dashboard(app, cookie)
    token = _csrf(client, "/dashboard")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    # The cookie as it was before signing out, replayed by whoever copied it.
    assert not _opens_dashboard(app, cookie)
    other = app.test_client()
    other.set_cookie("session", cookie)
    assert other.get(f"/setup?event={fair.event_id}").status_code == 302


def test_sign_out_everywhere_ends_every_session_and_token_of_the_organiser(app, client, fair):
    laptop = _page_sign_in(app.test_client())
    phone = _page_sign_in(client)
    laptop_cookie = _session_cookie(laptop)
    assert _opens_dashboard(app, laptop_cookie)
    token = _csrf(phone, "/dashboard")
    assert phone.post("/logout/everywhere", data={"csrf_token": token}).status_code == 302
    assert not _opens_dashboard(app, laptop_cookie)
    api = client.get(f"/api/v1/events/{fair.event_id}", headers=auth(fair.organiser_token))
    assert api.status_code == 401
    journal = _journal(app, "token.revoked")
    assert journal[-1]["user_id"] == fair.organiser_id


def _journal(app, kind: str) -> list[dict]:
    from pos.audit.models import AuditEvent

    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.seq)
        ).all()
        return [{"user_id": row.user_id, "details": row.details} for row in rows]


def test_actions_taken_from_an_organisers_page_are_journaled_with_the_organiser(app, client, fair):
    _page_sign_in(client)
    path = f"/setup/exhibitors/{fair.a.id}/products"
    response = client.post(
        path,
        data={
            "csrf_token": _csrf(client, f"/setup/exhibitors/{fair.a.id}"),
            "name": "Miel d'euphorbe",
            "name_ar": "عسل الدغموس",
            "unit": "kg",
            "unit_price": "300.00",
        },
    )
    assert response.status_code in (200, 302), response.get_data(as_text=True)
    entries = _journal(app, "product.created")
    assert entries and entries[-1]["user_id"] == fair.organiser_id
    assert _journal(app, "login.succeeded")[-1]["user_id"] == fair.organiser_id


def _pair(client, code: str, address: str = "198.51.100.7", forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/api/v1/devices/pair",
        json={"code": code},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def _wrong(index: int) -> str:
    """The index-th of many different wrong codes (a guesser's; never a real one)."""
    letters = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    tail = "".join(letters[index // 31**n % 31] for n in range(3, -1, -1))
    return f"ZZZZ-{tail}"


def test_pairing_codes_cannot_be_guessed_without_limit(app, client, fair):
    limit = app.config["POS_PAIRING_MAX_FAILURES"]
    for index in range(limit):
        assert _pair(client, _wrong(index)).status_code == 404
    refused = _pair(client, "AAAA-AAAB")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.mimetype == "application/problem+json"
    # Another address is not held back by this one's guesses.
    assert _pair(client, _wrong(0), address="198.51.100.8").status_code == 404
    failures = _journal(app, "pairing.failed")
    assert len(failures) == limit + 1
    assert '"ip": "198.51.100.7"' in failures[0]["details"]


def test_the_till_pairing_page_counts_against_the_same_limit(app, client, fair):
    for index in range(app.config["POS_PAIRING_MAX_FAILURES"]):
        assert _pair(client, _wrong(index)).status_code == 404
    token = _csrf(client, "/till/pair")
    page = client.post(
        "/till/pair",
        data={"code": "AAAA-AAAA", "csrf_token": token},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert page.status_code == 429


def test_behind_trusted_proxies_each_client_has_its_own_limit(database_url, fair, monkeypatch):
    monkeypatch.setenv("POS_TRUSTED_PROXIES", "10.0.0.0/24")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    limit = app.config["POS_PAIRING_MAX_FAILURES"]
    proxy = "10.0.0.2"
    for index in range(limit):
        assert _pair(client, _wrong(index), proxy, "203.0.113.5").status_code == 404
    assert _pair(client, _wrong(limit), proxy, "203.0.113.5").status_code == 429
    # The next client behind the same proxy, and a client whose forged header names the first.
    assert _pair(client, _wrong(0), proxy, "203.0.113.6").status_code == 404
    assert _pair(client, _wrong(0), proxy, "203.0.113.5, 203.0.113.9").status_code == 404
    # Someone who is not a trusted proxy cannot choose its address by the header.
    for index in range(limit):
        _pair(client, _wrong(index), "198.51.100.20", "203.0.113.77")
    assert _pair(client, _wrong(limit), "198.51.100.20", "203.0.113.78").status_code == 429
    with app.app_context():
        db.engine.dispose()


def test_without_trusted_proxies_the_forwarded_header_is_ignored(app, client, fair):
    limit = app.config["POS_PAIRING_MAX_FAILURES"]
    for index in range(limit):
        _pair(client, _wrong(index), "198.51.100.30", f"203.0.113.{index}")
    assert _pair(client, _wrong(limit), "198.51.100.30", "203.0.113.200").status_code == 429


def test_a_fair_behind_one_address_mistyping_codes_is_not_locked_out(app, client, fair):
    """Set-up day: 30 phones behind the fair's one NAT address, each mistyping its code, and
    typing the same wrong code again and again; then a right code pairs."""
    for phone in range(30):
        for _ in range(3):
            assert _pair(client, _wrong(phone), address="198.51.100.50").status_code == 404
    for _ in range(100):  # one tired cashier's same typo
        assert _pair(client, _wrong(0), address="198.51.100.50").status_code == 404
    code = _new_code(client, fair)
    assert _pair(client, code, address="198.51.100.50").status_code == 200


def test_a_day_of_guessing_from_one_address_ends_at_the_daily_limit(app, client, fair):
    app.config["POS_PAIRING_MAX_FAILURES"] = 10**6  # the quarter-hour's limit out of the way
    for index in range(app.config["POS_PAIRING_MAX_FAILURES_PER_DAY"]):
        _pair(client, _wrong(index), address="198.51.100.60")
    assert _pair(client, _wrong(10**5), address="198.51.100.60").status_code == 429


@pytest.fixture
def lan_only_app(database_url, monkeypatch):
    """An app with the default printer networks: the private ranges, no loopback."""
    monkeypatch.delenv("POS_PRINTER_NETWORKS", raising=False)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "connection",
    [
        "tcp://127.0.0.1:5432",
        "tcp://localhost:6379",
        "tcp://169.254.169.254:80",
        "tcp://[::1]:9100",
        "tcp://8.8.8.8:9100",
        "serial:///dev/../etc/passwd",
        "serial:///dev/./../etc/shadow",
    ],
)
def test_a_printer_setting_cannot_reach_outside_the_fairs_printers(lan_only_app, fair, connection):
    response = lan_only_app.test_client().put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        json={"connection": connection, "profile": "TM-T20II", "paper_width_mm": 80},
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert list(response.get_json()["errors"]) == ["connection"]


def test_printers_on_the_fairs_lan_are_accepted(lan_only_app, fair):
    response = lan_only_app.test_client().put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        json={"connection": "tcp://192.168.1.50:9100", "profile": "TM-T20II", "paper_width_mm": 80},
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 200


def test_link_local_is_refused_even_when_listed(database_url, fair, monkeypatch):
    monkeypatch.setenv("POS_PRINTER_NETWORKS", "169.254.0.0/16, 192.168.0.0/16")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    response = app.test_client().put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        json={
            "connection": "tcp://169.254.169.254:80",
            "profile": "TM-T20II",
            "paper_width_mm": 80,
        },
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 422
    with app.app_context():
        db.engine.dispose()


def test_the_print_worker_checks_the_address_again_before_sending(lan_only_app, fair):
    """A setting written before the allow-list (or a name that now resolves elsewhere) is
    not followed: the job waits with the reason, nothing is sent to loopback."""
    import socket

    from pos.printing.models import PrinterSettings, PrintJob
    from pos.receipts import worker
    from tests.support import post_sale, simple_sale

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    with lan_only_app.app_context():
        db.session.add(
            PrinterSettings(
                exhibitor_id=fair.a.id,
                connection=f"tcp://127.0.0.1:{port}",
                profile="TM-T20II",
                paper_width_mm=80,
            )
        )
        db.session.commit()
    client = lan_only_app.test_client()
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    assert sale.status_code == 201
    with lan_only_app.app_context():
        assert worker.process_one("test-worker")
        job = db.session.scalar(
            sa.select(PrintJob).where(PrintJob.sale_id == sale.get_json()["id"])
        )
        assert job.status == "failed_retrying"
        assert "outside the printer networks" in job.last_error
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def _new_code(client, fair) -> str:
    """A booth's new device's pairing code, as its organiser reads it off the page."""
    created = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/devices",
        json={"label": "phone 31"},
        headers=auth(fair.organiser_token),
    )
    assert created.status_code == 201, created.json
    return created.json["pairing_code"]
