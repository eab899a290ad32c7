from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from pos.auth.principal import auth_required, current_principal
from pos.exhibitors.services import load_exhibitor
from pos.printing import services
from pos.printing.schemas import PrinterSettingsInSchema, PrinterSettingsSchema

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
