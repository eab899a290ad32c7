"""Organisers' set-up pages: the exhibitor spreadsheet, each booth's details, catalogue,
devices and printer. Same rules as the API: the same schemas and services."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError, fields

from pos.catalogue import services as catalogue
from pos.catalogue.models import VAT_RATES, Product
from pos.catalogue.schemas import ProductInSchema, ProductPatchSchema
from pos.certificates import services as certificates
from pos.core import labels
from pos.core.errors import Problem, flatten_errors
from pos.core.messages import translate
from pos.core.money import format_quantity
from pos.core.pages import page
from pos.core.text import fold
from pos.dashboard.session import current_event, organiser_required
from pos.devices import cards
from pos.devices import services as devices
from pos.devices.models import Device
from pos.exhibitors import services as exhibitors
from pos.exhibitors.models import LEGAL_FORMS, Exhibitor
from pos.exhibitors.schemas import ExhibitorPatchSchema
from pos.extensions import db
from pos.imports.services import import_exhibitors
from pos.imports.spreadsheet import SpreadsheetError
from pos.printing import services as printing
from pos.printing.models import PrinterSettings
from pos.printing.schemas import PrinterSettingsInSchema
from pos.setup.trial_print import trial_print
from pos.stock.services import stock_of

blp = Blueprint("setup", __name__, template_folder="templates")


def _form(schema, partial=False) -> dict:
    """The posted form, checked by the API's schema; raises ValidationError."""
    data: dict[str, object] = {k: v for k, v in request.form.items() if k != "csrf_token"}
    for key in ("members", "women_members", "paper_width_mm", "ice", "address", "stock"):
        if data.get(key) == "":
            data[key] = None  # a field left empty: none
    for key in ("members", "women_members", "paper_width_mm"):
        value = data.get(key)
        if isinstance(value, str) and value.isdigit():
            data[key] = int(value)
    for key, field in schema.fields.items():
        # A yes/no field is a box, which comes with a hidden "off" (the page's check_box):
        # ticked, the form sends "off" and "on"; a box the form did not show leaves its
        # setting as it was.
        if isinstance(field, fields.Boolean) and (shown := request.form.getlist(key)):
            data[key] = "on" in shown
    return schema.load(data, partial=partial)


def _errors_of(error: ValidationError | Problem) -> dict[str, list[str]]:
    if isinstance(error, ValidationError):
        return flatten_errors(error.messages)
    return error.field_errors()


def _exhibitor(exhibitor_id: int) -> Exhibitor:
    """The booth a set-up page names, if the organiser may see it (its organisation's)."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    if exhibitor is None or not g.principal.may_access(exhibitor.id):
        abort(404)
    return exhibitor


@blp.get("/setup")
@organiser_required
def exhibitors_page():
    event = current_event()
    query = request.args.get("q", "").strip()
    rows = db.session.scalars(
        sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
    ).all()
    if query:
        # A fair's few hundred booths, searched here: case, accents and Arabic vowel marks
        # ignored, provinces and sectors by their names in either language.
        wanted = fold(query)
        provinces = labels.in_every_language(labels.PROVINCES, {row.province for row in rows})
        sectors = labels.in_every_language(labels.SECTORS, {row.sector for row in rows})
        rows = [
            row
            for row in rows
            if wanted
            in fold(
                f"{row.booth} {row.name} {row.name_ar} "
                f"{provinces[row.province]} {sectors[row.sector]}"
            )
        ]
    return page(
        "setup/exhibitors.html",
        event=event,
        exhibitors=rows,
        q=query,
        public_url=current_app.config["POS_PUBLIC_URL"],
    )


@blp.route("/setup/import", methods=["GET", "POST"])
@organiser_required
def import_page():
    event = current_event()
    report, error = None, None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Choose a CSV or XLSX file.")
        else:
            try:
                report = import_exhibitors(event, upload.filename, upload.read(), g.principal)
            except SpreadsheetError as problem:
                error = translate(problem.args[0])
    status = 400 if error else 200
    return page("setup/import.html", status, event=event, report=report, error=error)


def _exhibitor_page(exhibitor: Exhibitor, status: int = 200, **context):
    products = db.session.scalars(catalogue.products_query(exhibitor, kind="goods")).all()
    counted = stock_of(exhibitor)
    device_list = db.session.scalars(devices.devices_query(exhibitor)).all()
    printer = db.session.get(PrinterSettings, exhibitor.id)
    return page(
        "setup/exhibitor.html",
        status,
        event=exhibitor.event,
        exhibitor=exhibitor,
        products=products,
        # The quantity brought as typed ("12.5"), and what is left in words ("7,5 kg").
        brought={row["product_id"]: _typed(row["brought"]) for row in counted},
        left={
            row["product_id"]: {
                "shown": labels.quantity(format_quantity(row["left"]), row["unit"]),
                "low": row["low"],
            }
            for row in counted
        },
        devices=device_list,
        printer=printer,
        legal_forms=LEGAL_FORMS,
        vat_rates=VAT_RATES,
        errors=context.pop("errors", {}),
        **context,
    )


def _typed(thousandths: int) -> str:
    return format_quantity(thousandths).rstrip("0").rstrip(".")


@blp.get("/setup/exhibitors/<int:exhibitor_id>")
@organiser_required
def exhibitor_page(exhibitor_id: int):
    return _exhibitor_page(_exhibitor(exhibitor_id))


def _attempt(exhibitor: Exhibitor, action, done: str):
    """Run a change with the API's rules; show the page again with the errors if refused."""
    try:
        action()
    except (ValidationError, Problem) as error:
        db.session.rollback()
        return _exhibitor_page(_exhibitor(exhibitor.id), 422, errors=_errors_of(error))
    db.session.flush()
    return redirect(url_for("setup.exhibitor_page", exhibitor_id=exhibitor.id, done=done))


@blp.post("/setup/exhibitors/<int:exhibitor_id>")
@organiser_required
def exhibitor_save(exhibitor_id: int):
    exhibitor = _exhibitor(exhibitor_id)
    return _attempt(
        exhibitor,
        lambda: exhibitors.update_exhibitor(exhibitor, _form(ExhibitorPatchSchema(), partial=True)),
        "exhibitor",
    )


@blp.post("/setup/exhibitors/<int:exhibitor_id>/products")
@organiser_required
def product_add(exhibitor_id: int):
    exhibitor = _exhibitor(exhibitor_id)
    return _attempt(
        exhibitor,
        lambda: catalogue.create_product(exhibitor, _form(ProductInSchema()), g.principal),
        "product",
    )


@blp.post("/setup/products/<int:product_id>")
@organiser_required
def product_save(product_id: int):
    product = db.session.get(Product, product_id) or abort(404)
    exhibitor = _exhibitor(product.exhibitor_id)
    return _attempt(
        exhibitor,
        lambda: catalogue.update_product(
            product, _form(ProductPatchSchema(), partial=True), g.principal
        ),
        "product",
    )


@blp.post("/setup/exhibitors/<int:exhibitor_id>/devices")
@organiser_required
def device_add(exhibitor_id: int):
    exhibitor = _exhibitor(exhibitor_id)
    label = request.form.get("label", "").strip()[:100] or _("Booth phone")
    created = devices.create_device(exhibitor, label, g.principal)
    db.session.flush()
    return _exhibitor_page(exhibitor, created=created)


@blp.post("/setup/devices/<int:device_id>/revoke")
@organiser_required
def device_revoke(device_id: int):
    device = db.session.get(Device, device_id) or abort(404)
    exhibitor = _exhibitor(device.exhibitor_id)
    return _attempt(exhibitor, lambda: devices.revoke_device(device, g.principal), "device")


@blp.post("/setup/exhibitors/<int:exhibitor_id>/printer")
@organiser_required
def printer_save(exhibitor_id: int):
    exhibitor = _exhibitor(exhibitor_id)
    return _attempt(
        exhibitor,
        lambda: printing.set_printer(exhibitor, _form(PrinterSettingsInSchema()), g.principal),
        "printer",
    )


@blp.post("/setup/exhibitors/<int:exhibitor_id>/test-print")
@organiser_required
def printer_test(exhibitor_id: int):
    exhibitor = _exhibitor(exhibitor_id)
    settings = db.session.get(PrinterSettings, exhibitor.id)
    if settings is None:
        return _exhibitor_page(exhibitor, 409, test_result=_("No printer set up yet."))
    outcome = trial_print(exhibitor, settings)
    return _exhibitor_page(exhibitor, test_result=f"{outcome.status} {outcome.detail}".strip())


@blp.post("/setup/exhibitors/<int:exhibitor_id>/certificate")
@organiser_required
def certificate(exhibitor_id: int):
    """The booth's sales certificate, issued now, as PDF in the page's language."""
    exhibitor = _exhibitor(exhibitor_id)
    try:
        issued = certificates.issue(exhibitor, g.principal)
    except Problem as problem:
        db.session.rollback()
        shown = _exhibitor(exhibitor.id)
        return _exhibitor_page(shown, problem.status, test_result=translate(problem.detail))
    # In the page's language; an English page gets the French one (a certificate is in
    # Arabic or French).
    language = "ar" if labels.current_language() == "ar" else "fr"
    return Response(
        certificates.document(issued, language),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{certificates.file_name(issued)}"'},
    )


@blp.post("/setup/pairing-cards")
@organiser_required
def pairing_cards():
    event = current_event()
    pdf = cards.cards_pdf(event, cards.make_cards(event, g.principal))
    db.session.flush()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="pairing-cards-{event.id}.pdf"'},
    )
