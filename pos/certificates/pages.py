"""The public pages a certificate's QR code and a bank officer reach, without signing in:
the certificate with the figures the server finds now and whether it holds, and the
organisation's public key."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from flask import Blueprint, Response, abort, jsonify, render_template
from flask_babel import gettext as _

from pos.auth.models import Organisation
from pos.certificates import services, signing
from pos.certificates.models import OrganisationKey, SalesCertificate
from pos.core import labels
from pos.extensions import db

blp = Blueprint("certificate_pages", __name__, template_folder="templates")
PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


def _words() -> dict[str, dict[str, str]]:
    """The pages' words in Arabic and in French: a bank officer may read either."""
    found = {}
    for language in ("ar", "fr"):
        with labels.language(language):
            found[language] = {
                "title": _("Sales certificate"),
                "booth": _("Booth"),
                "net": _("Net turnover"),
                "count": _("Number of sales"),
                "issued": _("Issued on"),
                "by_day": _("By day"),
                "holds": _("It holds: the server finds the same figures in an intact chain."),
                "broken": _("It no longer holds: the server's records differ from it."),
                "key": _("Public key"),
                "fingerprint": _("Fingerprint"),
                "currency": labels.currency(),
            }
    return found


def _certificate(public_id: str) -> SalesCertificate:
    if not PUBLIC_ID.match(public_id):
        abort(404)
    found = db.session.scalar(
        sa.select(SalesCertificate).where(SalesCertificate.public_id == public_id)
    )
    return found if found is not None else abort(404)


@blp.get("/c/<public_id>")
def certificate_page(public_id: str):
    certificate = _certificate(public_id.lower())
    check = services.check(certificate)
    html = render_template(
        "certificates/public.html",
        certificate=certificate,
        payload=json.loads(certificate.payload),
        check=check,
        words=_words(),
        key_url=f"/o/{certificate.organisation_id}",
    )
    return html, 200, HEADERS


@blp.get("/c/<public_id>.json")
def certificate_json(public_id: str):
    """What the offline check reads: the payload exactly as signed, the signature, and
    what the server finds now for the same link of the booth's chain."""
    certificate = _certificate(public_id.lower())
    check = services.check(certificate)
    response = jsonify(
        payload=certificate.payload,
        signature=certificate.signature,
        organisation_id=certificate.organisation_id,
        now={
            "figures": check.found,
            "chain_intact": check.chain,
            "signature_holds": check.signature,
            "holds": check.holds,
        },
    )
    response.headers.update(HEADERS)
    return response


def _key(organisation_id: int) -> tuple[Organisation, OrganisationKey]:
    organisation = db.session.get(Organisation, organisation_id)
    key = db.session.get(OrganisationKey, organisation_id)
    if organisation is None or key is None:
        abort(404)
    return organisation, key


@blp.get("/o/<int:organisation_id>")
def organisation_page(organisation_id: int):
    organisation, key = _key(organisation_id)
    html = render_template(
        "certificates/organisation.html",
        organisation=organisation,
        key=key,
        fingerprint=signing.fingerprint(key.public_pem),
        words=_words(),
    )
    return html, 200, HEADERS


@blp.get("/o/<int:organisation_id>/key.pem")
def organisation_key(organisation_id: int):
    _, key = _key(organisation_id)
    return Response(key.public_pem, mimetype="application/x-pem-file", headers=HEADERS)
