"""A test receipt sent straight to a booth's printer, to check it before the fair opens."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from pos.core import labels
from pos.exhibitors.models import Exhibitor
from pos.printing.models import PrinterSettings
from pos.receipts.content import bilingual_words
from printers.connections import parse_connection
from printers.delivery import Outcome, deliver
from printers.receipt import Receipt, ReceiptLine, ReceiptPayment
from printers.render import PAPERS, render_receipt


def trial_print(exhibitor: Exhibitor, settings: PrinterSettings) -> Outcome:
    event = exhibitor.event
    words = bilingual_words()
    names = {}
    for language in labels.RECEIPT_LANGUAGES:
        with labels.language(language):
            names[language] = _("Test print")
    now = datetime.now(ZoneInfo(event.timezone)).strftime("%d/%m/%Y %H:%M")
    receipt = Receipt(
        fair_name=event.name,
        fair_name_ar=event.name_ar,
        exhibitor_name=exhibitor.name,
        exhibitor_name_ar=exhibitor.name_ar,
        booth=exhibitor.booth,
        receipt_number="TEST",
        local_time=now,
        cashier="",
        lines=[ReceiptLine(names["fr"], names["ar"], "1.000", "piece", "0.00", "0.00")],
        total="0.00",
        payments=[ReceiptPayment("cash", "0.00")],
        verify_url=f"{current_app.config['POS_PUBLIC_URL'].rstrip('/')}/till",
        hash_prefix="----",
        footer=current_app.config["POS_RECEIPT_FOOTER"],
        footer_ar=current_app.config["POS_RECEIPT_FOOTER_AR"],
        french=words["fr"],
        arabic=words["ar"],
    )
    paper = PAPERS[settings.paper_width_mm]
    data = render_receipt(
        receipt,
        paper.width_mm,
        settings.profile,
        code_page=settings.code_page,
        compact=settings.compact,
    )
    return deliver(
        data,
        parse_connection(settings.connection),
        profile=settings.profile,
        name=f"test-{exhibitor.booth}",
        paper_dots=paper.dots,
        networks=current_app.config["POS_PRINTER_NETWORKS"],
    )
