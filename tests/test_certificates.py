"""A cooperative's verifiable sales certificate: issued from the API, signed with its
organisation's Ed25519 key over the figures and the booth's chain head; its public page
and an offline check say whether it still holds, and both say so when a sale was changed."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pypdfium2

from tests.printing_support import OUTPUT
from tests.support import auth, csrf_of, post_sale, sign_in_page, simple_sale
from tests.test_verify import tamper

CHECK = Path(__file__).resolve().parent.parent / "docs" / "check_certificate.py"


def _sell(client, fair, product="pot", quantity="1", amount="130.00"):
    answer = post_sale(
        client,
        fair.a.token,
        fair.a.id,
        simple_sale(fair.a.products[product], quantity=quantity, amount=amount),
    )
    assert answer.status_code == 201, answer.json
    return answer.json


def _issue(client, fair, token=None):
    answer = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/certificates", headers=auth(token or fair.a.token)
    )
    assert answer.status_code == 201, answer.json
    return answer.json


def _offline(client, certificate, tmp_path) -> subprocess.CompletedProcess:
    """The bank officer's check: the certificate's JSON and the organisation's key, saved
    as files, and the short script that needs only `cryptography`."""
    public = client.get(f"/c/{certificate['public_id']}.json")
    assert public.status_code == 200
    key = client.get(f"/o/{public.json['organisation_id']}/key.pem")
    assert key.status_code == 200 and key.data.startswith(b"-----BEGIN PUBLIC KEY-----")
    name = uuid.uuid4().hex[:8]
    (tmp_path / f"{name}.json").write_bytes(public.data)
    (tmp_path / f"{name}.pem").write_bytes(key.data)
    return subprocess.run(
        [sys.executable, str(CHECK), str(tmp_path / f"{name}.json"), str(tmp_path / f"{name}.pem")],
        capture_output=True,
        text=True,
    )


def test_a_certificate_states_the_sales_and_holds_until_a_sale_is_changed(
    app, client, fair, backend, tmp_path
):
    sold = [_sell(client, fair), _sell(client, fair, "honey", "0.500", "125.00")]
    voided = _sell(client, fair)
    answer = client.post(
        f"/api/v1/sales/{voided['id']}/void",
        json={"reason": "erreur"},
        headers={**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 200, answer.json
    certificate = _issue(client, fair)
    payload = json.loads(certificate["payload"])
    assert payload["figures"]["sales_count"] == 2 and payload["figures"]["net"] == "255.00"
    assert payload["exhibitor"]["booth"] == "A01" and payload["organisation"]["name"]
    assert payload["chain_head"]["link"] == 4  # three sales and a void
    assert certificate["holds"] is True
    assert certificate["url"].endswith(f"/c/{certificate['public_id']}")

    page = client.get(f"/c/{certificate['public_id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-holds="yes"' in html and "255.00" in html
    checked = _offline(client, certificate, tmp_path)
    assert checked.returncode == 0 and checked.stdout.startswith("HOLDS"), checked.stdout

    # Sold after it was issued: the certified figures still hold, as of their link.
    _sell(client, fair)
    assert client.get(f"/api/v1/certificates/{certificate['id']}", headers=auth(fair.a.token)).json[
        "holds"
    ]

    # A sale changed in the database after issuance (triggers out of the way).
    tamper(app, backend, f"UPDATE sales SET total = 99900 WHERE id = {sold[0]['id']}")
    page = client.get(f"/c/{certificate['public_id']}")
    assert 'data-holds="no"' in page.get_data(as_text=True)
    checked = _offline(client, certificate, tmp_path)
    assert checked.returncode == 1 and "NO LONGER HOLDS" in checked.stdout, checked.stdout


def test_an_altered_certificate_fails_the_offline_check(client, fair, tmp_path):
    _sell(client, fair)
    certificate = _issue(client, fair, fair.organiser_token)
    public = client.get(f"/c/{certificate['public_id']}.json").json
    forged = json.loads(public["payload"])
    forged["figures"]["net"] = "13000.00"
    public["payload"] = json.dumps(forged, sort_keys=True, separators=(",", ":"))
    public["now"]["figures"] = forged["figures"]  # a forger would make both agree
    key = client.get(f"/o/{public['organisation_id']}/key.pem").data
    (tmp_path / "forged.json").write_text(json.dumps(public))
    (tmp_path / "key.pem").write_bytes(key)
    checked = subprocess.run(
        [sys.executable, str(CHECK), str(tmp_path / "forged.json"), str(tmp_path / "key.pem")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1 and "signature does not hold" in checked.stdout


def test_the_certificate_pdf_in_both_languages_and_the_organisations_key_page(client, fair):
    _sell(client, fair)
    certificate = _issue(client, fair)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for language in ("ar", "fr"):
        answer = client.get(
            f"/api/v1/certificates/{certificate['id']}/pdf?lang={language}",
            headers=auth(fair.a.token),
        )
        assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
        document = pypdfium2.PdfDocument(answer.data)
        document[0].render(scale=1.5).to_pil().save(OUTPUT / f"certificate-{language}.png")
        text = document[0].get_textpage().get_text_range()
        assert "130" in text
        assert ("Certificat de ventes" in text) == (language == "fr")
    organisation = json.loads(certificate["payload"])["organisation"]["id"]
    page = client.get(f"/o/{organisation}").get_data(as_text=True)
    assert "BEGIN PUBLIC KEY" in page and 'id="fingerprint"' in page


def test_another_booth_neither_issues_nor_reads_a_certificate(client, fair):
    _sell(client, fair)
    certificate = _issue(client, fair)
    assert (
        client.post(f"/api/v1/exhibitors/{fair.a.id}/certificates", headers=auth(fair.b.token))
    ).status_code == 404
    for path in (
        f"/api/v1/certificates/{certificate['id']}",
        f"/api/v1/certificates/{certificate['id']}/pdf",
    ):
        assert client.get(path, headers=auth(fair.b.token)).status_code == 404


def test_the_organiser_takes_a_booths_certificate_from_its_set_up_page(client, fair):
    _sell(client, fair)
    sign_in_page(client)
    page = client.get(f"/setup/exhibitors/{fair.a.id}").get_data(as_text=True)
    assert 'id="certificate"' in page
    token = csrf_of(page)
    answer = client.post(f"/setup/exhibitors/{fair.a.id}/certificate", data={"csrf_token": token})
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"].endswith('certificate-A01.pdf"')


def test_a_fair_of_no_organisation_has_none_to_vouch(app, client, fair):
    from pos.events.models import Event
    from pos.extensions import db

    with app.app_context():
        db.session.get(Event, fair.event_id).organisation_id = None  # an admin's own fair
        db.session.commit()
    answer = client.post(f"/api/v1/exhibitors/{fair.a.id}/certificates", headers=auth(fair.a.token))
    assert answer.status_code == 409 and answer.mimetype == "application/problem+json"
