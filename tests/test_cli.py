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
    # make run PORT=5077: the link printed points to the port the server will serve.
    result = runner.invoke(args=["demo", "--small", "--port", "5077"], env={"POS_PUBLIC_URL": ""})
    assert "open http://127.0.0.1:5077/till/pair?code=" in result.output, result.output
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
    # Every booth's phone called in minutes ago but a few: "not seen today" means something.
    with app.app_context():
        from pos.events.models import Event
        from pos.reports.services import live

        not_seen = live(db.session.get(Event, 1))["not_seen"]
    assert 0 < len(not_seen) < 320 * 0.1
    assert app.test_cli_runner().invoke(args=["verify"]).exit_code == 0


def test_the_demo_fair_is_calibrated_on_published_fair_figures(app):
    """Over six days a booth sells mostly 20,000 to 80,000 DH in baskets of mostly 50 to 400
    DH; the few above 100,000 DH sell carpets or saddles; a few phones were not seen today."""
    import statistics
    from datetime import timedelta

    from pos.core.db import utcnow
    from pos.demo.fair import TAIL_SECTORS, build_fair
    from pos.devices.models import Device
    from pos.exhibitors.models import Exhibitor
    from pos.sales.models import Sale, SaleVoid

    with app.app_context():
        build_fair(56, finished=True)
        completed = (
            sa.select(Sale.exhibitor_id, Sale.total)
            .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
            .where(SaleVoid.id.is_(None))
        )
        net, baskets = {}, []
        for exhibitor_id, total in db.session.execute(completed):
            net[exhibitor_id] = net.get(exhibitor_id, 0) + total
            baskets.append(total)
        sectors = dict(db.session.execute(sa.select(Exhibitor.id, Exhibitor.sector)).all())
        seen = db.session.scalars(sa.select(Device.last_seen_at)).all()
    incomes = [value / 100 for value in net.values()]
    assert len(incomes) == 56
    assert 20_000 <= statistics.median(incomes) <= 80_000
    assert sum(20_000 <= income <= 80_000 for income in incomes) >= 0.6 * len(incomes)
    above = [key for key, value in net.items() if value > 100_000_00]
    assert above, "no booth above 100,000 DH"
    assert sum(sectors[key] in TAIL_SECTORS for key in above) >= len(above) / 2, above
    assert 50 <= statistics.median(baskets) / 100 <= 400
    assert sum(5_000 <= basket <= 40_000 for basket in baskets) >= 0.6 * len(baskets)
    # Every booth has its phone; a finished fair's phones were last seen before today.
    assert len(seen) == 56 and all(moment < utcnow() - timedelta(hours=1) for moment in seen)
