from __future__ import annotations

from flask import Response
from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.exhibitors.services import load_exhibitor
from pos.printing import services
from pos.printing.schemas import PrinterSettingsInSchema, PrinterSettingsSchema, ReprintSchema
from pos.sales import services as sales_services

blp = Blueprint("printing", __name__, url_prefix="/api/v1", description="Receipt printers")


@blp.route("/exhibitors/<int:exhibitor_id>/printer")
class ExhibitorPrinter(MethodView):
    @auth_required()
    @blp.response(200, PrinterSettingsSchema)
    def get(self, exhibitor_id):
        return services.get_printer(load_exhibitor(exhibitor_id))

    @auth_required(staff=True)
    @blp.arguments(PrinterSettingsInSchema)
    @blp.response(200, PrinterSettingsSchema)
    def put(self, data, exhibitor_id):
        """Set where a booth's receipts print (organiser)."""
        return services.set_printer(load_exhibitor(exhibitor_id), data, current_principal())


@blp.route("/sales/<int:sale_id>/reprint", methods=["POST"])
@auth_required()
@blp.response(202, ReprintSchema)
@blp.alt_response(409, description="The booth has no printer set up.")
def reprint(sale_id):
    """Print the receipt again, marked "نسخة / COPIE"."""
    job = sales_services.reprint(sales_services.load_sale(sale_id), current_principal())
    return {"job_id": job.id, "print_status": job.status}


@blp.route("/sales/<int:sale_id>/receipt.png")
@auth_required()
@blp.response(200, content_type="image/png")
def receipt_png(sale_id):
    """The receipt as the printer got it (its bytes decoded back), or as it would print."""
    png = services.receipt_preview(sales_services.load_sale(sale_id))
    return Response(png, mimetype="image/png")
