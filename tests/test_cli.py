"""The ``pos`` command's own subcommands."""

from __future__ import annotations

import sqlalchemy as sa

from pos.auth.models import User
from pos.events.models import Event
from pos.extensions import db


def test_users_add_reads_the_password_from_stdin(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "add", "Admin@Fair.ma", "--role", "admin", "--password-stdin"],
        input="a long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    token = client.post(
        "/api/v1/auth/token", json={"email": "admin@fair.ma", "password": "a long enough secret"}
    )
    assert token.status_code == 200 and token.json["role"] == "admin"
    again = runner.invoke(
        args=["users", "add", "admin@fair.ma", "--role", "organiser", "--password-stdin"],
        input="another long secret\n",
    )
    assert again.exit_code == 1 and "exists already" in again.output
    short = runner.invoke(
        args=["users", "add", "x@fair.ma", "--role", "organiser", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_demo_loads_once(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--small"])
    assert result.exit_code == 0, result.output
    assert "organiser@demo.tadamon.ma" in result.output
    assert "/till/pair?code=" in result.output
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert runner.invoke(args=["demo", "--small"]).exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
    token = client.post(
        "/api/v1/auth/token",
        json={"email": "organiser@demo.tadamon.ma", "password": "tadamon-demo-2026"},
    ).json["token"]
    products = client.get(
        "/api/v1/exhibitors/1/products", headers={"Authorization": f"Bearer {token}"}
    ).json
    assert any(p["name_ar"] == "عسل الزعتر" for p in products["items"])


def test_the_full_demo_is_a_realistic_fair(app, client):
    from zoneinfo import ZoneInfo

    from pos.sales.models import Sale, SaleVoid

    result = app.test_cli_runner().invoke(args=["demo", "--sales-per-day", "4"])
    assert result.exit_code == 0, result.output
    assert "320 booths" in result.output
    token = client.post(
        "/api/v1/auth/token",
        json={"email": "organiser@demo.tadamon.ma", "password": "tadamon-demo-2026"},
    ).json["token"]
    report = client.get(
        "/api/v1/events/1/reports/impact", headers={"Authorization": f"Bearer {token}"}
    ).json
    assert report["totals"]["exhibitors"] == 320
    assert {row["key"] for row in report["by_province"]} == {
        "Béni Mellal",
        "Azilal",
        "Fquih Ben Salah",
        "Khénifra",
        "Khouribga",
    }
    methods = {row["key"]: row["sales_count"] for row in report["by_method"]}
    assert methods["cash"] > sum(methods.values()) / 2  # mostly cash
    with app.app_context():
        hours = [
            sale.astimezone(ZoneInfo("Africa/Casablanca")).hour
            for sale in db.session.scalars(sa.select(Sale.sold_at))
        ]
        voids = db.session.scalar(sa.select(sa.func.count()).select_from(SaleVoid))
    assert sum(h >= 15 for h in hours) > sum(h < 15 for h in hours)  # busier afternoons
    assert 0 < voids < len(hours) * 0.1
    assert app.test_cli_runner().invoke(args=["verify"]).exit_code == 0
