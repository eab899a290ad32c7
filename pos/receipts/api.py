"""The API of a sale's receipt on paper: print it again, see it, fetch its bytes."""

from __future__ import annotations

from flask import Response

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.idempotency.services import retry_safe
from pos.printing import services as printing
from pos.receipts import services
from pos.receipts.schemas import ReprintSchema
from pos.sales import services as sales_services

blp = Blueprint("receipts_api", __name__, url_prefix="/api/v1", description="Receipts")


@blp.route("/sales/<int:sale_id>/reprint", methods=["POST"])
@auth_required()
@retry_safe
@blp.response(202, ReprintSchema)
@blp.alt_response(409, description="The booth has no printer set up.")
def reprint(sale_id):
    """Print the receipt again, marked "نظير / DUPLICATA"."""
    job = services.reprint(sales_services.load_sale(sale_id), current_principal())
    return {"job_id": job.id, "print_status": job.status}


@blp.route("/sales/<int:sale_id>/receipt.png")
@auth_required()
@blp.response(200, content_type="image/png")
def receipt_png(sale_id):
    """The receipt as the printer got it (its bytes decoded back), or as it would print."""
    png = services.receipt_preview(sales_services.load_sale(sale_id))
    return Response(png, mimetype="image/png")


@blp.route("/print-jobs/<int:job_id>/escpos")
@auth_required()
@blp.response(200, content_type="application/octet-stream")
def job_escpos(job_id):
    """The exact ESC/POS bytes of a receipt, for the booth's printer profile and paper."""
    job = printing.load_job(job_id)
    data = services.render_job(job)
    printing.hand_out(job, current_principal())
    return Response(data, mimetype="application/octet-stream")
