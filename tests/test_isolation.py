"""Exhibitor A's cashier can neither read nor change anything of exhibitor B.

The test walks every registered API route, so a route added later is
covered without anyone remembering to add it here.
"""

from __future__ import annotations

import io
import uuid

from pos.core.ownership import known_parameters
from tests.support import a_photo, an_order, auth, post_sale, row_counts, simple_sale

# Routes that act on the caller itself rather than on an object.
SELF_ROUTES = {
    "/api/v1/auth/token",
    "/api/v1/auth/revoke",
    "/api/v1/openapi.json",
    "/api/v1/devices/pair",
    "/api/v1/devices/heartbeat",
}


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule in SELF_ROUTES:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _b_objects(client, fair) -> dict[str, int]:
    client.put(  # printed by B's phone: B's sale leaves a job B's phone takes
        f"/api/v1/exhibitors/{fair.b.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "device", "paper_width_mm": 58, "profile": "POS-5890"},
    )
    sale = post_sale(
        client, fair.b.token, fair.b.id, simple_sale(fair.b.products["teapot"], amount="380.00")
    ).json
    closing = client.post(
        f"/api/v1/exhibitors/{fair.b.id}/closings",
        json={"date": sale["period_date"]},
        headers=auth(fair.b.token),
    ).json
    member = client.post(
        f"/api/v1/exhibitors/{fair.b.id}/members",
        headers=auth(fair.b.token),
        json={"name": "Itto", "pin": "4321"},
    ).json
    [job] = client.get(
        f"/api/v1/exhibitors/{fair.b.id}/print-jobs", headers=auth(fair.b.token)
    ).json
    certificate = client.post(
        f"/api/v1/exhibitors/{fair.b.id}/certificates", headers=auth(fair.b.token)
    ).json
    client.put(
        f"/api/v1/products/{fair.b.products['teapot']}/picture",
        headers=auth(fair.b.token),
        data={"picture": (io.BytesIO(a_photo(64)), "teapot.jpg")},
    )
    order = client.post(
        f"/api/v1/exhibitors/{fair.b.id}/orders",
        headers=auth(fair.b.token),
        json=an_order(fair.b.products["teapot"]),
    ).json
    contact = client.post(
        f"/api/v1/exhibitors/{fair.b.id}/contacts",
        headers=auth(fair.b.token),
        json={"kind": "hotel", "name": "Hôtel Atlas", "phone": "0523 45 67 89"},
    ).json
    return {
        "job_id": job["id"],
        "member_id": member["id"],
        "exhibitor_id": fair.b.id,
        "product_id": fair.b.products["teapot"],
        "sale_id": sale["id"],
        "device_id": fair.b.device_id,
        "event_id": fair.event_id,
        "closing_id": closing["id"],
        "certificate_id": certificate["id"],
        "order_id": order["id"],
        "contact_id": contact["id"],
    }


def _call(client, method, url, token):
    headers = {**auth(token), "Idempotency-Key": str(uuid.uuid4())}
    return client.open(url, method=method, headers=headers, json={})


def test_every_path_parameter_is_owned(app):
    for rule, _ in _api_routes(app):
        unknown = set(rule.arguments) - known_parameters()
        assert not unknown, f"{rule.rule}: add {unknown} to pos.core.ownership"


def test_cashier_of_a_gets_404_for_everything_of_b(app, client, fair):
    objects = _b_objects(client, fair)
    b_snapshot = client.get(
        f"/api/v1/exhibitors/{fair.b.id}/sales", headers=auth(fair.b.token)
    ).json
    before = row_counts(app)
    walked = 0
    for rule, method in _api_routes(app):
        url = rule.build({name: objects[name] for name in rule.arguments}, append_unknown=False)
        url = url[1] if isinstance(url, tuple) else url
        response = _call(client, method, url, fair.a.token)
        walked += 1
        body = response.get_data(as_text=True)
        if set(rule.arguments) - {"event_id"}:
            assert response.status_code == 404, (method, url, response.status_code, body)
            assert response.mimetype == "application/problem+json"
        else:
            # Fair-wide routes: organisers only, or only the cashier's own booth in the answer.
            assert response.status_code in (200, 403, 404), (method, url, body)
        assert "Tamaynoute" not in body and "B07" not in body, (method, url, body)
    assert walked >= 15
    assert row_counts(app) == before
    assert (
        client.get(f"/api/v1/exhibitors/{fair.b.id}/sales", headers=auth(fair.b.token)).json
        == b_snapshot
    )


def test_the_organiser_reaches_every_booth(app, client, fair):
    """The other side of the walk: the same URLs are there for those who may see them."""
    objects = _b_objects(client, fair)
    for rule, method in _api_routes(app):
        if method != "GET" or rule.rule.endswith("/printer"):
            continue
        url = rule.build({name: objects[name] for name in rule.arguments}, append_unknown=False)
        url = url[1] if isinstance(url, tuple) else url
        response = client.get(url, headers=auth(fair.organiser_token))
        assert response.status_code == 200, (url, response.get_data(as_text=True))


def test_a_path_parameter_is_answered_by_one_model_only(app):
    """A second model claiming ``sale_id`` would make a booth's check look at the wrong
    table: it is refused when the model is declared."""
    import pytest

    from pos.core.ownership import owned_by_exhibitor

    class Impostor:
        exhibitor_id = 1

    with pytest.raises(ValueError, match="sale_id already names a Sale"):
        owned_by_exhibitor("sale_id", "sale")(Impostor)
