"""A rehearsal fair (``pos drill`` against the fair's own server): it is never the
dashboard's fair nor an earlier edition, and one request removes it: 404 from then on for
everyone, its phones signed out, while its sealed records stay and still verify."""

from __future__ import annotations

from datetime import date, timedelta

from pos.integrity.verify import verify_all
from tests.support import auth, post_sale, simple_sale


def _rehearsal(client, fair) -> dict:
    today = date.today()
    created = client.post(
        "/api/v1/events",
        headers=auth(fair.organiser_token),
        json={
            "name": "Répétition générale",
            "name_ar": "تمرين عام",
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=9)).isoformat(),
            "rehearsal": True,
        },
    )
    assert created.status_code == 201, created.json
    assert created.json["rehearsal"] is True
    event = created.json
    booth = client.post(
        f"/api/v1/events/{event['id']}/exhibitors",
        headers=auth(fair.organiser_token),
        json={
            "name": "Coopérative X",
            "name_ar": "تعاونية",
            "legal_form": "cooperative",
            "province": "Khénifra",
            "sector": "Miel",
            "booth": "R01",
        },
    ).json
    product = client.post(
        f"/api/v1/exhibitors/{booth['id']}/products",
        headers=auth(fair.organiser_token),
        json={"name": "Miel", "name_ar": "عسل", "unit": "piece", "unit_price": "10.00"},
    ).json
    device = client.post(
        f"/api/v1/exhibitors/{booth['id']}/devices",
        headers=auth(fair.organiser_token),
        json={"label": "Phone 1"},
    ).json
    sale = post_sale(
        client, device["token"], booth["id"], simple_sale(product["id"], amount="10.00")
    )
    assert sale.status_code == 201, sale.json
    return {"event": event, "booth": booth, "device": device, "sale": sale.json}


def test_the_dashboard_shows_the_real_fair_not_a_later_rehearsal(app, client, fair):
    _rehearsal(client, fair)  # starts after the fair started: the latest
    from flask import g

    from pos.auth.principal import principal_of_token
    from pos.dashboard.session import current_event

    with app.test_request_context("/dashboard"):
        g.principal = principal_of_token(fair.organiser_token)  # the signed-in organiser
        assert current_event().id == fair.event_id


def test_a_rehearsal_is_no_earlier_edition(client, fair):
    rehearsal = _rehearsal(client, fair)
    answer = client.patch(
        f"/api/v1/events/{fair.event_id}",
        headers=auth(fair.organiser_token),
        json={"previous_event_id": rehearsal["event"]["id"]},
    )
    assert answer.status_code == 422
    assert "previous_event_id" in answer.json["errors"]


def test_a_real_fair_cannot_be_removed(client, fair):
    answer = client.delete(f"/api/v1/events/{fair.event_id}", headers=auth(fair.organiser_token))
    assert answer.status_code == 409
    assert (
        client.get(
            f"/api/v1/events/{fair.event_id}", headers=auth(fair.organiser_token)
        ).status_code
        == 200
    )
    # A cashier is no organiser.
    assert (
        client.delete(f"/api/v1/events/{fair.event_id}", headers=auth(fair.a.token)).status_code
        == 403
    )


def test_a_removed_rehearsal_answers_404_and_its_phones_are_signed_out(app, client, fair):
    rehearsal = _rehearsal(client, fair)
    event_id, booth_id = rehearsal["event"]["id"], rehearsal["booth"]["id"]
    organiser = auth(fair.organiser_token)
    assert client.delete(f"/api/v1/events/{event_id}", headers=organiser).status_code == 204
    for path in (
        f"/api/v1/events/{event_id}",
        f"/api/v1/events/{event_id}/reports/impact",
        f"/api/v1/events/{event_id}/exhibitors",
        f"/api/v1/exhibitors/{booth_id}",
        f"/api/v1/exhibitors/{booth_id}/sales",
        f"/api/v1/sales/{rehearsal['sale']['id']}",
    ):
        assert client.get(path, headers=organiser).status_code == 404, path
    assert client.delete(f"/api/v1/events/{event_id}", headers=organiser).status_code == 404
    listed = client.get("/api/v1/events", headers=organiser).json["items"]
    assert [event["id"] for event in listed] == [fair.event_id]
    phone = auth(rehearsal["device"]["token"])
    assert client.get(f"/api/v1/exhibitors/{booth_id}/products", headers=phone).status_code == 401
    # The real fair goes on; the sealed records of the rehearsal stay and verify.
    assert client.get(f"/api/v1/exhibitors/{fair.a.id}", headers=organiser).status_code == 200
    with app.app_context():
        assert verify_all().ok
