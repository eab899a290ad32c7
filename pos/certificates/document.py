"""A sales certificate as PDF: the booth, the fair, the organisation, the figures, the QR
code to the page that checks it, the signature and the key's fingerprint."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import ngettext

from pos.core import labels
from pos.reports.document import ReportPDF
from printers.render import qr_code


def certificate_pdf(payload_text: str, signature: str, url: str, fingerprint: str) -> bytes:
    payload = json.loads(payload_text)
    fair, exhibitor, figures = payload["fair"], payload["exhibitor"], payload["figures"]
    pdf = ReportPDF(_("Sales certificate"), labels.name_of(fair))
    pdf.add_page()
    pdf.title_block(
        [
            exhibitor["name_ar"],
            f"{exhibitor['name']} — {_('Booth')} {exhibitor['booth']}",
            labels.name_of(fair),
        ]
    )
    pdf.paragraph(
        _(
            "%(organisation)s certifies the sales below, recorded at the fair's tills from "
            "%(starts)s to %(ends)s and sealed in the booth's chain of records.",
            organisation=payload["organisation"]["name"],
            starts=labels.day(fair["starts_on"]),
            ends=labels.day(fair["ends_on"]),
        )
    )
    pdf.key_figures(
        [
            (_("Net turnover"), labels.amount_with_currency(figures["net"])),
            (_("Number of sales"), labels.number(figures["sales_count"])),
            (_("Issued on"), labels.day(payload["issued_at"][:10])),
        ]
    )
    pdf.heading(_("By day"))
    pdf.figures_table(
        [_("Day"), _("Number of sales"), _("Net turnover")],
        [
            [labels.day(d["date"]), labels.number(d["sales_count"]), labels.amount(d["net"])]
            for d in figures["by_day"]
        ],
        [70, 50, 60],
        numeric={1, 2},
    )
    pdf.heading(_("What it sold"))
    pdf.products_table(figures["by_product"])
    pdf.heading(_("Check this certificate"))
    pdf.paragraph(
        _(
            "Scan the code or open %(url)s: the page shows the same figures from the server "
            "and says whether they still hold.",
            url=url,
        )
    )
    pdf.image(qr_code(url, 4, border=2), w=32)
    pdf.paragraph(
        ngettext(
            "Signed by the organisation (Ed25519) over the booth's %(num)s record; key "
            "fingerprint %(fingerprint)s.",
            "Signed by the organisation (Ed25519) over the booth's %(num)s records; key "
            "fingerprint %(fingerprint)s.",
            payload["chain_head"]["link"],
            fingerprint=fingerprint,
        )
    )
    pdf.paragraph(_("Signature") + _(": ") + signature)
    return bytes(pdf.output())
