"""Organisers' set-up pages: import, edit a booth, its catalogue, devices and printer."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from printers.emulator import PrinterEmulator
from tests.support import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    auth,
    post_sale,
    row_counts,
    simple_sale,
)

SAMPLE = Path(__file__).parent / "data" / "exhibitors-sample.csv"


def _csrf(client, path) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _problems(answer) -> str:
    """What the booth's page said was wrong (its markup kept: each field's name in bold)."""
    return re.search(r'<p class="error" role="alert" id="errors">(.*?)</p>', answer.text).group(1)


def _signed_in(client):
    token = _csrf(client, "/login")
    client.post(
        "/login",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
    )
    return client


def test_upload_page_reports_rejected_rows_by_number(client, fair, tmp_path):
    _signed_in(client)
    token = _csrf(client, f"/setup/import?event={fair.event_id}")
    spoiled = (
        SAMPLE.read_text(encoding="utf-8")
        .replace("A05,", "A04,", 1)
        .replace("A02,Association Al Baraka – Couscous,", "A02,,", 1)
        .replace(",30,18,Chebakia", ",30,31,Chebakia", 1)
    )
    path = tmp_path / "exposants.csv"
    path.write_text(spoiled, encoding="utf-8")
    with path.open("rb") as handle:
        response = client.post(
            f"/setup/import?event={fair.event_id}",
            data={"csrf_token": token, "file": (handle, "exposants.csv")},
            content_type="multipart/form-data",
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="rejected" data-count="3">3 lignes refusées<', html)
    assert ">6<" in html and "doublon de la ligne 5" in html  # A05's row, a copy of A04
    # A02's and A03's rows, in the words of the API's own checks, in the organiser's language.
    assert "<td>nom\u00a0: Champ obligatoire manquant.</td>" in html
    assert "<td>femmes membres\u00a0: Ne peut pas dépasser le nombre de membres.</td>" in html
    listing = client.get(f"/setup?event={fair.event_id}&q=Safran").get_data(as_text=True)
    assert "A12" in listing and "A07" not in listing
    # Accents, case and the language of a province's name do not matter.
    for query in ("beni mellal", "BÉNI-MELLAL", "بني ملال"):
        found = client.get(f"/setup?event={fair.event_id}&q={query}").get_data(as_text=True)
        assert found.count('href="/setup/exhibitors/') == listing_count(client, fair), query


def listing_count(client, fair) -> int:
    """How many booths of the sample are in the province of Béni Mellal (as typed any way)."""
    html = client.get(f"/setup?event={fair.event_id}&q=Béni Mellal").get_data(as_text=True)
    count = html.count('href="/setup/exhibitors/')
    assert count > 0
    return count


def test_edit_a_booth_with_the_apis_rules(client, fair):
    _signed_in(client)
    path = f"/setup/exhibitors/{fair.a.id}"
    token = _csrf(client, path)
    refused = client.post(path, data={"csrf_token": token, "members": "10", "women_members": "12"})
    assert refused.status_code == 422
    assert "Ne peut pas dépasser le nombre de membres." in refused.get_data(as_text=True)
    saved = client.post(
        path,
        data={
            "csrf_token": token,
            "members": "30",
            "women_members": "25",
            "name": "Coopérative Imilchil – Miel",
        },
    )
    assert saved.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Coopérative Imilchil – Miel" in page
    wrong_ice = client.post(path, data={"csrf_token": token, "ice": "12345", "vat": "subject"})
    assert wrong_ice.status_code == 422 and "15" in wrong_ice.get_data(as_text=True)
    assert (
        client.get(f"/api/v1/exhibitors/{fair.a.id}", headers=auth(fair.organiser_token)).json[
            "vat"
        ]
        == "exempt"
    )  # nothing of the refused form written
    taxed = client.post(
        path, data={"csrf_token": token, "ice": "001234567000089", "vat": "subject"}
    )
    assert taxed.status_code == 302
    booth = client.get(f"/api/v1/exhibitors/{fair.a.id}", headers=auth(fair.organiser_token)).json
    assert (booth["ice"], booth["vat"]) == ("001234567000089", "subject")
    assert client.post(path, data={"csrf_token": token, "ice": ""}).status_code == 302
    assert (
        client.get(f"/api/v1/exhibitors/{fair.a.id}", headers=auth(fair.organiser_token)).json[
            "ice"
        ]
        is None
    )
    added = client.post(
        f"{path}/products",
        data={
            "csrf_token": token,
            "name": "Amlou",
            "name_ar": "أملو",
            "unit": "kg",
            "unit_price": "160.00",
            "vat_rate": "7",
        },
    )
    assert added.status_code == 302 and "أملو" in client.get(path).get_data(as_text=True)
    # The booth is subject to VAT: each product's rate is chosen on the page, and kept.
    products = client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(fair.a.token))
    amlou = next(p for p in products.json["items"] if p["name"] == "Amlou")
    assert amlou["vat_rate"] == "7"
    resaved = client.post(
        f"/setup/products/{amlou['id']}",
        data={"csrf_token": token, "name": "Amlou", "unit_price": "160.00", "vat_rate": "10"},
    )
    assert resaved.status_code == 302
    products = client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(fair.a.token))
    assert next(p for p in products.json["items"] if p["name"] == "Amlou")["vat_rate"] == "10"
    page = client.get(path).get_data(as_text=True)
    assert re.search(r'<option value="10" selected>10 %</option>', page)
    # An exempt booth's page asks for no rate.
    other = client.get(f"/setup/exhibitors/{fair.b.id}").get_data(as_text=True)
    assert 'name="vat_rate"' not in other
    device = client.post(f"{path}/devices", data={"csrf_token": token, "label": "Tablette"})
    assert re.search(r'id="new-code">[2-9A-Z]{4}-[2-9A-Z]{4}<', device.get_data(as_text=True))


def test_printer_settings_and_test_print(client, fair, tmp_path):
    printer = PrinterEmulator(port=0, out=tmp_path / "printed").start()
    try:
        _signed_in(client)
        path = f"/setup/exhibitors/{fair.a.id}"
        token = _csrf(client, path)
        bad = client.post(
            f"{path}/printer",
            data={
                "csrf_token": token,
                "connection": "file:///etc/passwd",
                "profile": "TM-T20II",
                "paper_width_mm": "80",
            },
        )
        assert bad.status_code == 422
        good = client.post(
            f"{path}/printer",
            data={
                "csrf_token": token,
                "connection": f"tcp://127.0.0.1:{printer.port}",
                "profile": "TM-T20II",
                "paper_width_mm": "80",
            },
        )
        assert good.status_code == 302
        result = client.post(f"{path}/test-print", data={"csrf_token": token})
        assert 'id="test-result" dir="ltr">printed' in result.get_data(as_text=True)
        assert len(printer.printed) == 1
    finally:
        printer.stop()


def test_an_import_is_journaled_like_the_same_changes_made_by_hand(client, fair, tmp_path):
    """Imported products go through the catalogue's services: each new product is in the
    journal with the organiser who imported it, and a price the file changes is a price
    change there, as when typed on the booth's page."""
    _signed_in(client)

    def upload(text):
        token = _csrf(client, f"/setup/import?event={fair.event_id}")
        path = tmp_path / "exposants.csv"
        path.write_text(text, encoding="utf-8")
        with path.open("rb") as handle:
            return client.post(
                f"/setup/import?event={fair.event_id}",
                data={"csrf_token": token, "file": (handle, "exposants.csv")},
                content_type="multipart/form-data",
            )

    def journal(kind):
        return client.get(
            f"/api/v1/events/{fair.event_id}/journal?kind={kind}&limit=500",
            headers=auth(fair.organiser_token),
        ).json["items"]

    sample = SAMPLE.read_text(encoding="utf-8")
    assert upload(sample).status_code == 200
    created = journal("product.created")
    assert len(created) == 68  # the sample's products, each once
    assert {entry["user_id"] for entry in created} == {fair.organiser_id}
    assert not journal("product.price_changed")

    assert "Jellaba bzioua|جلابة بزيوية|piece|2400.00" in sample
    assert upload(sample.replace("|piece|2400.00", "|piece|2600.00")).status_code == 200
    changes = journal("product.price_changed")
    assert len(changes) == sample.count("|piece|2400.00")  # each booth that sells one
    for changed in changes:
        assert changed["details"] == {"from": 240000, "to": 260000}  # centimes
        assert changed["user_id"] == fair.organiser_id
    assert len(journal("product.created")) == 68  # importing again adds no product


def test_saving_a_product_changes_only_what_its_form_shows(client, fair):
    """A box the form did not show is left as it was: saving the carpet's new price (a
    price agreed with each buyer, on sale) from a form without those boxes keeps both; a
    box shown and left unticked (its hidden "off" beside it) turns the setting off."""
    _signed_in(client)
    token = _csrf(client, f"/setup/exhibitors/{fair.a.id}")
    carpet = f"/setup/products/{fair.a.products['carpet']}"

    def stored():
        items = client.get(
            f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(fair.a.token)
        ).json["items"]
        return next(p for p in items if p["id"] == fair.a.products["carpet"])

    saved = client.post(carpet, data={"csrf_token": token, "unit_price": "4800.00"})
    assert saved.status_code == 302
    assert (stored()["unit_price"], stored()["open_price"], stored()["active"]) == (
        "4800.00",
        True,
        True,
    )
    unticked = client.post(
        carpet, data={"csrf_token": token, "open_price": "off", "active": ["off", "on"]}
    )
    assert unticked.status_code == 302
    assert (stored()["open_price"], stored()["active"]) == (False, True)
    # The booth's page shows both boxes of every product, each with its hidden "off".
    page = client.get(f"/setup/exhibitors/{fair.a.id}").get_data(as_text=True)
    for product_id in fair.a.products.values():
        for name in ("open_price", "active"):
            hidden = f'type="hidden" name="{name}" value="off" form="product-{product_id}"'
            assert hidden in page, (product_id, name)


def test_the_quantity_brought_is_set_on_the_booths_page_and_what_is_left_shown(client, fair):
    """Setting up a booth before the fair, the organiser types what it brought; the page
    then shows what is left of it as the booth sells, and an empty field counts nothing."""
    _signed_in(client)
    page_path = f"/setup/exhibitors/{fair.a.id}"
    token = _csrf(client, page_path)
    honey = fair.a.products["honey"]
    saved = client.post(f"/setup/products/{honey}", data={"csrf_token": token, "stock": "20.5"})
    assert saved.status_code == 302
    stored = client.get(f"/api/v1/products/{honey}", headers=auth(fair.a.token)).json
    assert stored["stock"] == "20.500"
    post_sale(client, fair.a.token, fair.a.id, simple_sale(honey, "17", "4250.00"))
    page = client.get(page_path).get_data(as_text=True)
    assert f'name="stock" value="20.5" form="product-{honey}"' in page
    left = re.search(rf'<span class="left low" id="left-{honey}">(.*?)</span>', page).group(1)
    assert left == "Reste\u00a0: <bdi>3,5 kg</bdi>"  # a fifth or less: marked low
    # A product added with what was brought; a word in the field names it and writes nothing.
    before = row_counts(client.application)
    refused = client.post(
        f"/setup/products/{honey}", data={"csrf_token": token, "stock": "beaucoup"}
    )
    assert refused.status_code == 422
    said = _problems(refused)
    assert said.startswith("Veuillez vérifier\u00a0: <b>quantité apportée</b>\u00a0: Un nombre")
    assert row_counts(client.application) == before
    # Through the API, the problem names the field in the caller's language.
    for language, named in (("fr", "quantité apportée"), ("ar", "الكمية المجلوبة")):
        answer = client.patch(
            f"/api/v1/products/{honey}",
            json={"stock": "beaucoup"},
            headers={**auth(fair.a.token), "Accept-Language": language},
        )
        assert answer.status_code == 422 and "stock" in answer.json["errors"]
        assert named in answer.json["detail"], answer.json
    added = client.post(
        f"/setup/exhibitors/{fair.a.id}/products",
        data={
            "csrf_token": token,
            "name": "Amlou",
            "name_ar": "أملو",
            "unit": "piece",
            "unit_price": "60.00",
            "stock": "12",
        },
    )
    assert added.status_code == 302
    items = client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(fair.a.token)).json[
        "items"
    ]
    assert next(p for p in items if p["name"] == "Amlou")["stock"] == "12.000"
    # Emptied: no longer counted, nothing left shown.
    client.post(f"/setup/products/{honey}", data={"csrf_token": token, "stock": ""})
    assert client.get(f"/api/v1/products/{honey}", headers=auth(fair.a.token)).json["stock"] is None
    assert f'id="left-{honey}"' not in client.get(page_path).get_data(as_text=True)


def test_a_problem_on_the_booths_page_names_its_field_in_words(client, fair):
    """Keys such as paper_width_mm or address are the API's; the organiser reads words."""
    _signed_in(client)
    token = _csrf(client, f"/setup/exhibitors/{fair.a.id}")
    refused = client.post(
        f"/setup/exhibitors/{fair.a.id}/printer",
        data={"csrf_token": token, "connection": "tcp://10.0.0.5:9100", "profile": "Nope"},
    )
    assert refused.status_code == 422
    said = html.unescape(_problems(refused))
    assert "<b>modèle d'imprimante</b>\u00a0: Modèle d'imprimante inconnu" in said
    assert "<b>largeur du papier</b>" in said  # not paper_width_mm
    too_long = client.post(
        f"/setup/exhibitors/{fair.a.id}", data={"csrf_token": token, "address": "x" * 300}
    )
    assert too_long.status_code == 422 and "<b>adresse ou ville</b>" in too_long.text


@pytest.mark.parametrize(
    ("connection", "french"),
    [
        ("tcp://", "tcp:// demande un hôte"),
        ("usb://printer", "usb:// demande FABRICANT:PRODUIT"),
        ("serial:///dev/ttyUSB0?baudrate=7", "La vitesse en bauds doit être l'une de ces valeurs"),
        ("lpt1", "Doit commencer par tcp://"),
        ("tcp://8.8.8.8:9100", "est hors des réseaux des imprimantes"),
    ],
)
def test_a_wrong_printer_address_is_said_in_the_pages_language(client, fair, connection, french):
    _signed_in(client)
    token = _csrf(client, f"/setup/exhibitors/{fair.a.id}")
    refused = client.post(
        f"/setup/exhibitors/{fair.a.id}/printer",
        data={
            "csrf_token": token,
            "connection": connection,
            "profile": "TM-T20II",
            "paper_width_mm": "80",
        },
    )
    assert refused.status_code == 422
    said = html.unescape(_problems(refused))
    assert "<b>connexion de l'imprimante</b>" in said and french in said, said
