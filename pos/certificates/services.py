"""Issuing a cooperative's sales certificate, and checking one again later.

The payload names the fair, the organisation, the booth, the date of issue, the figures, and
the booth's chain head at issuance (its last link and that link's hash). Later, the server
checks that the signature holds, that the booth's chain is intact and still passes through
that head, and that the figures found again as of that link are the certified ones.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from pos.audit import services as audit
from pos.auth.models import Organisation
from pos.certificates import signing
from pos.certificates.document import certificate_pdf
from pos.certificates.figures import figures_as_of
from pos.certificates.models import OrganisationKey, SalesCertificate
from pos.core import labels
from pos.core.db import utcnow
from pos.core.errors import fail
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.integrity.verify import verify_exhibitor
from pos.sales.models import Sale, SaleVoid

VERSION = 1


def public_url(certificate: SalesCertificate) -> str:
    return f"{current_app.config['POS_PUBLIC_URL'].rstrip('/')}/c/{certificate.public_id}"


def issue(exhibitor: Exhibitor, principal) -> SalesCertificate:
    """A signed certificate of the booth's sales as they stand now."""
    event = exhibitor.event
    if event.organisation_id is None:
        fail(409, N_("This fair belongs to no organisation: none can vouch for its sales."))
    organisation = db.session.get_one(Organisation, event.organisation_id)
    head = db.session.get_one(ExhibitorLedger, exhibitor.id)
    now = utcnow()
    figures = figures_as_of(exhibitor.id, head.last_chain_seq)
    payload = {
        "version": VERSION,
        "issued_at": now.isoformat(timespec="seconds"),
        "organisation": {"id": organisation.id, "name": organisation.name},
        "fair": {
            "id": event.id,
            "name": event.name,
            "name_ar": event.name_ar,
            "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(),
            "place": event.place,
        },
        "exhibitor": {
            "id": exhibitor.id,
            "booth": exhibitor.booth,
            "name": exhibitor.name,
            "name_ar": exhibitor.name_ar,
            "ice": exhibitor.ice,
        },
        "currency": event.currency,
        "chain_head": {"link": head.last_chain_seq, "hash": head.last_hash},
        "figures": figures,
    }
    data = signing.canonical(payload)
    key = signing.key_of(organisation.id)
    certificate = SalesCertificate(
        public_id=secrets.token_hex(16),
        exhibitor_id=exhibitor.id,
        organisation_id=organisation.id,
        payload=data.decode(),
        signature=signing.sign(key, data),
        issued_at=now,
    )
    db.session.add(certificate)
    db.session.flush()
    audit.record(
        "certificate.issued",
        principal,
        exhibitor_id=exhibitor.id,
        subject=f"certificate:{certificate.id}",
        details={"net": figures["net"], "link": head.last_chain_seq},
    )
    return certificate


@dataclass(frozen=True)
class Check:
    """What the server finds for a certificate now."""

    signature: bool  # the organisation's signature over the payload holds
    chain: bool  # the booth's chain is intact and passes through the certified head
    figures: bool  # the figures found again as of that head are the certified ones
    found: dict  # those figures

    @property
    def holds(self) -> bool:
        return self.signature and self.chain and self.figures


def _link_hash(exhibitor_id: int, link: int) -> str | None:
    """The hash the booth's chain has at ``link`` now (a sale's or a void's)."""
    for model in (Sale, SaleVoid):
        found = db.session.scalar(
            sa.select(model.hash).where(model.exhibitor_id == exhibitor_id, model.chain_seq == link)
        )
        if found is not None:
            return found
    return None


def check(certificate: SalesCertificate) -> Check:
    payload = json.loads(certificate.payload)
    key = db.session.get_one(OrganisationKey, certificate.organisation_id)
    signed = signing.signature_holds(
        key.public_pem, certificate.payload.encode(), certificate.signature
    )
    exhibitor = db.session.get_one(Exhibitor, certificate.exhibitor_id)
    head = payload["chain_head"]
    intact = verify_exhibitor(exhibitor).ok
    through_head = head["link"] == 0 or _link_hash(exhibitor.id, head["link"]) == head["hash"]
    found = figures_as_of(exhibitor.id, head["link"])
    return Check(signed, intact and through_head, found == payload["figures"], found)


def document(certificate: SalesCertificate, language: str) -> bytes:
    """The certificate as PDF in ``language``, with its QR code and the key's fingerprint."""
    key = db.session.get_one(OrganisationKey, certificate.organisation_id)
    with labels.language(language):
        return certificate_pdf(
            certificate.payload,
            certificate.signature,
            public_url(certificate),
            signing.fingerprint(key.public_pem),
        )


def file_name(certificate: SalesCertificate) -> str:
    return f"certificate-{json.loads(certificate.payload)['exhibitor']['booth']}.pdf"
