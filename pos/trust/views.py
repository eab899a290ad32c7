"""``/ca``: the fair's certificate authority for phones to install, and how, in their
language (``pos serve --https``)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from flask import Blueprint, Response, current_app

from pos.core.errors import not_found
from pos.core.pages import page
from pos.trust.authority import authority_certificate, fingerprint

blp = Blueprint("trust", __name__, template_folder="templates")

CERTIFICATE_NAME = "tadamon-authority.crt"


def tls_folder() -> Path:
    return Path(current_app.instance_path) / "tls"


@blp.get("/ca")
def authority_page():
    certificate = authority_certificate(tls_folder())
    return page(
        "trust/ca.html",
        200 if certificate else 404,
        certificate=certificate,
        fingerprint=fingerprint(certificate) if certificate else None,
        download=CERTIFICATE_NAME,
    )


@blp.get(f"/ca/{CERTIFICATE_NAME}")
def authority_file():
    certificate = authority_certificate(tls_folder())
    if certificate is None:
        not_found("certificate authority")
    # DER as application/x-x509-ca-cert: what Android's and iOS's installers open.
    return Response(
        certificate.public_bytes(serialization.Encoding.DER),
        mimetype="application/x-x509-ca-cert",
        headers={"Content-Disposition": f'attachment; filename="{CERTIFICATE_NAME}"'},
    )
