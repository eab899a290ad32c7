"""Pictures and stock: a member's 4 MB photo kept as an image of a few KB, for the till to
show offline; the quantity brought counted down by sales, put back by voids, and what was
left unsold on the cooperative's statement."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from PIL import Image

from tests.printing_support import OUTPUT
from tests.support import a_photo, an_order, auth, post_sale, row_counts, simple_sale


def _put_picture(client, token, product_id, data: bytes, name="photo.jpg"):
    """As the till's FormData sends it (built here: the test client spools a large form to
    a temporary file it leaves open)."""
    boundary = "tadamon-photo"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="picture"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.put(
        f"/api/v1/products/{product_id}/picture",
        headers=auth(token),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_a_4_mb_photo_becomes_a_picture_of_at_most_30_kb(client, fair):
    photo = a_photo(1900)  # noise at 1900 px: over 4 MB, as a phone's camera gives
    assert len(photo) > 4_000_000
    pot = fair.a.products["pot"]
    answer = _put_picture(client, fair.a.token, pot, photo)
    assert answer.status_code == 200, answer.json
    version = answer.json["picture_version"]
    assert version
    shown = client.get(f"/api/v1/products/{pot}/picture?v={version}", headers=auth(fair.a.token))
    assert shown.status_code == 200 and shown.mimetype == "image/webp"
    assert len(shown.data) <= 30_000
    with Image.open(io.BytesIO(shown.data)) as picture:
        assert max(picture.size) <= 320 and picture.size[0] == picture.size[1]
    # The catalogue the till loads says which picture is current.
    items = client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(fair.a.token))
    assert {item["id"]: item["picture_version"] for item in items.json["items"]}[pot] == version
    # A real photo, for the eye: a product on a stall, turned by its EXIF orientation.
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "product-picture.webp").write_bytes(shown.data)


def test_a_photo_taken_sideways_is_kept_upright(client, fair):
    wide = Image.new("RGB", (400, 200), "orange")
    exif = wide.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show": the phone was held upright
    out = io.BytesIO()
    wide.save(out, "JPEG", exif=exif)
    pot = fair.a.products["pot"]
    assert _put_picture(client, fair.a.token, pot, out.getvalue()).status_code == 200
    data = client.get(f"/api/v1/products/{pot}/picture", headers=auth(fair.a.token)).data
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.size[0] < picture.size[1]


def test_what_is_not_a_photo_is_refused_and_another_booths_product_not_found(app, client, fair):
    pot = fair.a.products["pot"]
    before = row_counts(app)
    for data in (b"%PDF-1.4 not a picture", b""):
        answer = _put_picture(client, fair.a.token, pot, data, "x.pdf")
        assert answer.status_code == 422 and "picture" in answer.json["errors"], answer.json
    missing = client.put(f"/api/v1/products/{pot}/picture", json={}, headers=auth(fair.a.token))
    assert missing.status_code == 422 and "picture" in missing.json["errors"]
    # A header that claims 100,000 x 100,000 pixels: refused before it is unpacked.
    bomb = io.BytesIO()
    Image.new("1", (100, 100)).save(bomb, "PNG")
    data = bytearray(bomb.getvalue())
    data[16:24] = (100_000).to_bytes(4, "big") * 2
    answer = _put_picture(client, fair.a.token, pot, bytes(data), "bomb.png")
    assert answer.status_code == 422 and "picture" in answer.json["errors"]
    too_big = _put_picture(client, fair.a.token, pot, b"\xff" * (13 * 1024 * 1024))
    assert too_big.status_code == 413
    assert row_counts(app) == before
    # B cannot give A's product a picture, nor see it.
    assert _put_picture(client, fair.a.token, pot, a_photo(50)).status_code == 200
    photo = a_photo(50)
    assert _put_picture(client, fair.b.token, pot, photo).status_code == 404
    assert (
        client.get(f"/api/v1/products/{pot}/picture", headers=auth(fair.b.token)).status_code == 404
    )
    assert (
        client.delete(f"/api/v1/products/{pot}/picture", headers=auth(fair.b.token)).status_code
        == 404
    )
    removed = client.delete(f"/api/v1/products/{pot}/picture", headers=auth(fair.a.token))
    assert removed.status_code == 200 and removed.json["picture_version"] is None


def test_stock_counts_down_with_sales_voids_put_it_back_the_statement_shows_the_unsold(
    client, fair
):
    token = fair.a.token
    pot, honey = fair.a.products["pot"], fair.a.products["honey"]
    for product, brought in ((pot, "10"), (honey, "20")):
        answer = client.patch(
            f"/api/v1/products/{product}", json={"stock": brought}, headers=auth(token)
        )
        assert answer.status_code == 200 and answer.json["stock"] == f"{brought}.000"
    sales = [
        post_sale(client, token, fair.a.id, simple_sale(pot, "3", "390.00")).json,
        post_sale(client, token, fair.a.id, simple_sale(pot, "5", "650.00")).json,
        post_sale(client, token, fair.a.id, simple_sale(honey, "2.5", "625.00")).json,
    ]

    def left():
        rows = client.get(f"/api/v1/exhibitors/{fair.a.id}/stock", headers=auth(token)).json
        return {row["product_id"]: (row["left"], row["low"]) for row in rows["items"]}

    assert left() == {pot: ("2.000", True), honey: ("17.500", False)}
    voided = client.post(
        f"/api/v1/sales/{sales[1]['id']}/void", json={"reason": "Erreur"}, headers=auth(token)
    )
    assert voided.status_code == 200
    assert left() == {pot: ("7.000", False), honey: ("17.500", False)}
    statement = client.get(f"/api/v1/exhibitors/{fair.a.id}/statement", headers=auth(token)).json
    unsold = {row["name"]: (row["brought"], row["sold"], row["left"]) for row in statement["stock"]}
    assert unsold == {
        "Pot de miel 500 g": ("10.000", "3.000", "7.000"),
        "Miel de thym": ("20.000", "2.500", "17.500"),
    }
    # Sold beyond what was counted in (2 kg more of honey than brought): below zero, exact.
    post_sale(client, token, fair.a.id, simple_sale(honey, "19.5", "4875.00"))
    assert left()[honey] == ("-2.000", True)
    post_sale(client, token, fair.a.id, simple_sale(honey, "0.25", "62.50"))
    assert left()[honey] == ("-2.250", True)
    # Another booth's stock is not found.
    assert (
        client.get(f"/api/v1/exhibitors/{fair.a.id}/stock", headers=auth(fair.b.token)).status_code
        == 404
    )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the document's words alone
def test_the_statement_pdf_lists_the_unsold_the_orders_and_the_contacts(client, fair):
    token = auth(fair.a.token)
    pot = fair.a.products["pot"]
    client.patch(f"/api/v1/products/{pot}", json={"stock": "24"}, headers=token)
    post_sale(client, fair.a.token, fair.a.id, simple_sale(pot, "4", "520.00"))
    order = an_order(fair.a.products["honey"], "40", note="Livraison à Tadla")
    assert (
        client.post(f"/api/v1/exhibitors/{fair.a.id}/orders", json=order, headers=token).status_code
        == 201
    )
    contact = {
        "kind": "hotel",
        "name": "Hôtel Chems",
        "phone": "0523 11 22 33",
        "interest": "Miel pour les petits déjeuners",
    }
    assert (
        client.post(
            f"/api/v1/exhibitors/{fair.a.id}/contacts", json=contact, headers=token
        ).status_code
        == 201
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    words = {
        "fr": (
            "Ce qui reste invendu",
            "Commandes à livrer",
            "Contacts professionnels",
            "Hôtel Chems",
        ),
        "ar": (
            "ما بقي دون بيع",
            "طلبيات للتسليم",
            "المهنية",
            "Hôtel Chems",
        ),  # no lam-alef: extracted apart
    }
    for language, expected in words.items():
        pdf = client.get(
            f"/api/v1/exhibitors/{fair.a.id}/statement?format=pdf&lang={language}", headers=token
        )
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        document = pypdfium2.PdfDocument(pdf.data)
        text = "".join(page.get_textpage().get_text_range() for page in document)
        for word in expected:
            assert word in text, (language, word)
        for index in range(len(document)):
            document[index].render(scale=1.5).to_pil().save(
                OUTPUT / f"statement-{language}-page-{index + 1}.png"
            )
