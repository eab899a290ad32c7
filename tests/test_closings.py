"""Daily closing (Z): totals, cash count, perpetual grand total, late offline sales."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.support import auth, post_sale, simple_sale

CASABLANCA = ZoneInfo("Africa/Casablanca")


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour), CASABLANCA).isoformat()


def _close(client, token, exhibitor_id, day, cash_counted=None):
    body = {"date": str(day)}
    if cash_counted is not None:
        body["cash_counted"] = cash_counted
    return client.post(
        f"/api/v1/exhibitors/{exhibitor_id}/closings", json=body, headers=auth(token)
    )


def test_z_totals_by_method_cash_difference_and_grand_total(client, fair):
    today = datetime.now(CASABLANCA).date()
    yesterday = today - timedelta(days=1)
    pot, honey = fair.a.products["pot"], fair.a.products["honey"]
    sell = lambda body: post_sale(client, fair.a.token, fair.a.id, body).json  # noqa: E731
    sell({**simple_sale(pot, method="cash"), "sold_at": _at(yesterday, 10)})
    sell({**simple_sale(honey, quantity="0.500", amount="125.00"), "sold_at": _at(yesterday, 11)})
    voided = sell(
        {
            **simple_sale(pot, quantity="2", amount="260.00", method="cash"),
            "sold_at": _at(yesterday, 12),
        }
    )
    assert (
        client.post(
            f"/api/v1/sales/{voided['id']}/void",
            json={"reason": "erreur"},
            headers=auth(fair.a.token),
        ).status_code
        == 200
    )

    z1 = _close(client, fair.a.token, fair.a.id, yesterday, cash_counted="120.00")
    assert z1.status_code == 201, z1.json
    z1 = z1.json
    assert (z1["number"], z1["date"], z1["sales_count"], z1["voided_count"]) == (
        1,
        str(yesterday),
        2,
        1,
    )
    assert (z1["gross"], z1["voided"], z1["net"]) == ("515.00", "260.00", "255.00")
    assert z1["by_method"] == {"card": "125.00", "cash": "130.00"}
    assert (z1["cash_expected"], z1["cash_counted"], z1["cash_difference"]) == (
        "130.00",
        "120.00",
        "-10.00",
    )
    assert z1["grand_total"] == "255.00"

    sell(simple_sale(pot, method="mobile"))
    z2 = _close(client, fair.a.token, fair.a.id, today).json
    assert (z2["number"], z2["net"], z2["grand_total"]) == (2, "130.00", "385.00")
    assert z2["cash_counted"] is None and z2["cash_difference"] is None
    listing = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/closings", headers=auth(fair.a.token)
    ).json
    assert [z["number"] for z in listing["items"]] == [2, 1]


def test_a_closed_day_cannot_be_closed_again_nor_a_future_one(client, fair):
    today = datetime.now(CASABLANCA).date()
    assert _close(client, fair.a.token, fair.a.id, today).status_code == 201
    assert _close(client, fair.a.token, fair.a.id, today).status_code == 409
    assert _close(client, fair.a.token, fair.a.id, today - timedelta(days=1)).status_code == 409
    future = _close(client, fair.a.token, fair.a.id, today + timedelta(days=1))
    assert future.status_code == 422 and "date" in future.json["errors"]


def test_a_late_offline_sale_goes_into_the_next_open_period(client, fair):
    today = datetime.now(CASABLANCA).date()
    yesterday = today - timedelta(days=1)
    assert _close(client, fair.a.token, fair.a.id, yesterday).status_code == 201
    late = post_sale(
        client,
        fair.a.token,
        fair.a.id,
        {**simple_sale(fair.a.products["pot"]), "sold_at": _at(yesterday, 17)},
    )
    assert late.status_code == 201
    assert late.json["late"] is True
    assert late.json["period_date"] == str(today)
    assert late.json["sold_at"].startswith(str(yesterday))
    z = _close(client, fair.a.token, fair.a.id, today).json
    assert (z["sales_count"], z["late_count"], z["net"]) == (1, 1, "130.00")


def test_a_sale_of_a_closed_day_cannot_be_voided(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    assert _close(client, fair.a.token, fair.a.id, sale["period_date"]).status_code == 201
    response = client.post(
        f"/api/v1/sales/{sale['id']}/void", json={"reason": "trop tard"}, headers=auth(fair.a.token)
    )
    assert response.status_code == 409
    assert "closed" in response.json["detail"]


def test_organiser_closes_the_day_for_every_open_booth(app, client, fair):
    today = datetime.now(CASABLANCA).date()
    post_sale(
        client, fair.b.token, fair.b.id, simple_sale(fair.b.products["teapot"], amount="380.00")
    )
    assert _close(client, fair.a.token, fair.a.id, today).status_code == 201
    response = client.post(
        f"/api/v1/events/{fair.event_id}/closings",
        json={"date": str(today)},
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 201
    assert [(z["exhibitor_id"], z["net"]) for z in response.json["items"]] == [
        (fair.b.id, "380.00")
    ]
    assert (
        client.post(
            f"/api/v1/events/{fair.event_id}/closings",
            json={"date": str(today)},
            headers=auth(fair.a.token),
        ).status_code
        == 403
    )


def test_close_day_command(app, client, fair):
    today = datetime.now(CASABLANCA).date()
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"], method="cash"))
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "close-day",
            "--event",
            str(fair.event_id),
            "--date",
            str(today),
            "--exhibitor",
            str(fair.a.id),
            "--cash-counted",
            "130.00",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "net 130.00 MAD" in result.output
    again = runner.invoke(args=["close-day", "--event", str(fair.event_id), "--date", str(today)])
    assert again.exit_code == 0 and "1 closing(s)" in again.output  # only booth B was open
    twice = runner.invoke(
        args=[
            "close-day",
            "--event",
            str(fair.event_id),
            "--date",
            str(today),
            "--exhibitor",
            str(fair.a.id),
        ]
    )
    assert twice.exit_code == 1 and "already closed" in twice.output
