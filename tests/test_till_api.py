"""Pairing a phone to a booth, members' PINs, and the till as an app on the home screen."""

from __future__ import annotations

import io

from tests.support import auth


def _new_device(client, fair, label="Tablette"):
    response = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/devices",
        json={"label": label},
        headers=auth(fair.organiser_token),
    )
    assert response.status_code == 201
    return response.json


def test_a_pairing_code_signs_one_device_in_to_its_booth_once(client, fair):
    device = _new_device(client, fair)
    assert len(device["pairing_code"]) == 9 and device["pairing_code"][4] == "-"
    assert device["pairing_url"].endswith(device["pairing_code"].replace("-", ""))
    assert device["pairing_qr"].startswith("data:image/png;base64,")
    # Typed by a tired cashier: lower case, no dash.
    paired = client.post(
        "/api/v1/devices/pair", json={"code": device["pairing_code"].replace("-", "").lower()}
    )
    assert paired.status_code == 200
    token = paired.json["token"]
    assert paired.json["exhibitor_id"] == fair.a.id
    assert (
        client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(token)).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/exhibitors/{fair.b.id}/products", headers=auth(token)).status_code
        == 404
    )
    again = client.post("/api/v1/devices/pair", json={"code": device["pairing_code"]})
    assert again.status_code == 404 and "code" in again.json["errors"]


def test_a_revoked_device_cannot_be_paired(client, fair):
    device = _new_device(client, fair)
    client.post(f"/api/v1/devices/{device['id']}/revoke", headers=auth(fair.organiser_token))
    assert (
        client.post("/api/v1/devices/pair", json={"code": device["pairing_code"]}).status_code
        == 404
    )


def test_pairing_page_needs_its_csrf_token(client, fair):
    device = _new_device(client, fair)
    client.application.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/till/pair", data={"code": device["pairing_code"]})
    assert response.status_code == 400  # no CSRF token: refused, code still unused
    page = client.get(f"/till/pair?code={device['pairing_code']}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/till/pair", data={"code": device["pairing_code"], "csrf_token": token})
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/till").status_code == 200


def test_five_wrong_pins_lock_the_member(client, fair):
    member = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/members",
        headers=auth(fair.a.token),
        json={"name": "Fatima", "pin": "2468"},
    )
    assert member.status_code == 201 and member.json["has_pin"] is True
    url = f"/api/v1/members/{member.json['id']}/unlock"
    assert client.post(url, json={"pin": "2468"}, headers=auth(fair.a.token)).status_code == 200
    for _ in range(5):
        wrong = client.post(url, json={"pin": "1111"}, headers=auth(fair.a.token))
        assert wrong.status_code == 401
    locked = client.post(url, json={"pin": "2468"}, headers=auth(fair.a.token))
    assert locked.status_code == 423 and int(locked.headers["Retry-After"]) > 0
    assert client.post(url, json={"pin": "2468"}, headers=auth(fair.b.token)).status_code == 404


def test_language_is_chosen_in_one_tap_and_remembered(client, fair):
    response = client.get("/lang/ar?next=/till/pair")
    assert response.status_code == 302 and response.headers["Location"] == "/till/pair"
    page = client.get("/till/pair").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page and "ربط هذا الهاتف" in page
    client.get("/lang/fr")
    page = client.get("/till/pair").get_data(as_text=True)
    assert 'dir="ltr"' in page and "Associer ce téléphone" in page
    assert client.get("/lang/ar?next=https://evil.example/").headers["Location"] == "/till"


def test_the_till_installs_on_the_home_screen_in_the_members_language(client):
    from PIL import Image

    page = client.get("/till/pair").get_data(as_text=True)
    assert 'rel="manifest" href="/till/manifest.webmanifest"' in page
    for language, name, direction in (
        ("fr", "Tadamon – Caisse", "ltr"),
        ("ar", "تضامن – الصندوق", "rtl"),
    ):
        client.get(f"/lang/{language}")
        answer = client.get("/till/manifest.webmanifest")
        assert answer.status_code == 200 and answer.mimetype == "application/manifest+json"
        manifest = answer.json
        assert (manifest["name"], manifest["lang"], manifest["dir"]) == (name, language, direction)
        assert manifest["display"] == "standalone" and manifest["start_url"] == "/till"
        assert manifest["scope"] == "/till"
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.mimetype == "image/png"
        size = int(icon["sizes"].split("x")[0])
        assert Image.open(io.BytesIO(png.data)).size == (size, size)
    assert client.get("/till/icon-64.png").status_code == 404
