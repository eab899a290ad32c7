"""The API of sales certificates: a booth's (its cashier, or its organisers) issued, read,
and downloaded as PDF."""

from __future__ import annotations

from flask import Response

from pos.auth.principal import auth_required, current_principal
from pos.certificates import services
from pos.certificates.models import SalesCertificate
from pos.certificates.schemas import CertificateArgs, CertificateSchema
from pos.core.blueprint import Blueprint
from pos.core.db import limit_statement_time
from pos.exhibitors.services import load_exhibitor
from pos.extensions import db

blp = Blueprint("certificates", __name__, url_prefix="/api/v1", description="Sales certificates")


def _shown(certificate: SalesCertificate) -> dict:
    return {
        "id": certificate.id,
        "public_id": certificate.public_id,
        "exhibitor_id": certificate.exhibitor_id,
        "issued_at": certificate.issued_at,
        "url": services.public_url(certificate),
        "payload": certificate.payload,
        "signature": certificate.signature,
        "holds": services.check(certificate).holds,
    }


@blp.route("/exhibitors/<int:exhibitor_id>/certificates", methods=["POST"])
@auth_required()
@blp.response(201, CertificateSchema)
@blp.alt_response(409, description="The fair belongs to no organisation.")
def issue(exhibitor_id):
    """Issue a signed certificate of the booth's sales as they stand now."""
    limit_statement_time()
    exhibitor = load_exhibitor(exhibitor_id, current_principal())
    return _shown(services.issue(exhibitor, current_principal()))


@blp.route("/certificates/<int:certificate_id>")
@auth_required()
@blp.response(200, CertificateSchema)
def show(certificate_id):
    """A certificate, and whether it still holds."""
    return _shown(db.session.get_one(SalesCertificate, certificate_id))  # checked: its booth


@blp.route("/certificates/<int:certificate_id>/pdf")
@auth_required()
@blp.arguments(CertificateArgs, location="query")
@blp.response(200, {"format": "binary", "type": "string"}, content_type="application/pdf")
def pdf(args, certificate_id):
    """The certificate as PDF, in Arabic or French, with its QR code and signature."""
    certificate = db.session.get_one(SalesCertificate, certificate_id)
    return Response(
        services.document(certificate, args["lang"]),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{services.file_name(certificate)}"'
        },
    )
