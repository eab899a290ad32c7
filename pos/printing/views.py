from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.exhibitors.services import load_exhibitor
from pos.printing import services
from pos.printing.schemas import (
    PhoneJobsClaimInSchema,
    PhoneJobsClaimSchema,
    PhoneJobsQuerySchema,
    PrinterSettingsInSchema,
    PrinterSettingsSchema,
    PrintJobSchema,
    PrintResultInSchema,
)

blp = Blueprint("printing", __name__, url_prefix="/api/v1", description="Receipt printers")


@blp.route("/exhibitors/<int:exhibitor_id>/printer")
class ExhibitorPrinter(MethodView):
    @auth_required()
    @blp.response(200, PrinterSettingsSchema)
    def get(self, exhibitor_id):
        return services.get_printer(load_exhibitor(exhibitor_id, current_principal()))

    @auth_required(staff=True)
    @blp.arguments(PrinterSettingsInSchema)
    @blp.response(200, PrinterSettingsSchema)
    def put(self, data, exhibitor_id):
        """Set where a booth's receipts print (organiser)."""
        return services.set_printer(
            load_exhibitor(exhibitor_id, current_principal()), data, current_principal()
        )


@blp.route("/exhibitors/<int:exhibitor_id>/print-jobs")
@auth_required()
@blp.arguments(PhoneJobsQuerySchema, location="query")
@blp.response(200, PrintJobSchema(many=True))
def phone_jobs(query, exhibitor_id):
    """The receipts the booth's phone is to print, when its printer is paired to it."""
    return services.phone_jobs(load_exhibitor(exhibitor_id, current_principal()), query["state"])


@blp.route("/exhibitors/<int:exhibitor_id>/print-jobs/claim", methods=["POST"])
@auth_required()
@blp.arguments(PhoneJobsClaimInSchema)
@blp.response(200, PhoneJobsClaimSchema)
def claim_phone_jobs(data, exhibitor_id):
    """Lease the booth's waiting receipts to this phone: no other phone or tab of the booth
    gets them while it prints (a minute), and only it may report their result."""
    exhibitor = load_exhibitor(exhibitor_id, current_principal())
    jobs = services.claim_phone_jobs(exhibitor, data, current_principal())
    return {"items": jobs, "total": len(jobs)}


@blp.route("/print-jobs/<int:job_id>/result", methods=["POST"])
@auth_required()
@blp.arguments(PrintResultInSchema)
@blp.response(200, PrintJobSchema)
@blp.alt_response(
    409,
    description="The server's worker prints this receipt, not the phone, or another phone "
    "of the booth holds it.",
)
def job_result(data, job_id):
    """What the phone's printer did with the receipt; the sale's print_status follows."""
    return services.report_result(services.load_job(job_id), data, current_principal())
