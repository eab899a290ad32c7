from __future__ import annotations

import logging

from flask import g, request
from flask.views import MethodView

from pos.audit import services as audit
from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.core.db import reads_first
from pos.core.pagination import list_schema, page_of
from pos.exhibitors.services import load_exhibitor
from pos.extensions import db
from pos.idempotency.services import retry_safe
from pos.sales import services, voids
from pos.sales.recording.services import record_sale
from pos.sales.schemas import (
    IdempotencyHeaderSchema,
    SaleInSchema,
    SaleListArgs,
    SaleSchema,
    SetAsideInSchema,
    VoidInSchema,
)

blp = Blueprint("sales", __name__, url_prefix="/api/v1", description="Sales")
log = logging.getLogger(__name__)


@blp.after_request
def journal_refused_sale(response):
    """A sale refused as invalid (422) is kept where an organiser can settle it: the
    journal, with its booth, key, the problem and the body as sent. Written apart, as the
    request itself writes nothing."""
    if (
        request.method == "POST"
        and request.endpoint == "sales.ExhibitorSales"
        and response.status_code == 422
    ):
        # The refused request writes nothing: let go of its transaction (and on SQLite of
        # any lock it holds) before the journal writes apart.
        db.session.rollback()
        try:
            audit.record_apart(
                "sale.refused",
                g.get("principal"),
                exhibitor_id=request.view_args["exhibitor_id"],
                details={
                    "idempotency_key": request.headers.get("Idempotency-Key"),
                    "problem": response.get_json(silent=True),
                    "body": request.get_json(silent=True),
                },
            )
        except Exception:  # the phone keeps the sale; the refusal itself stands
            log.exception("could not journal a refused sale")
    return response


@blp.route("/exhibitors/<int:exhibitor_id>/sales")
class ExhibitorSales(MethodView):
    @auth_required()
    @blp.arguments(SaleListArgs, location="query")
    @blp.response(200, list_schema(SaleSchema))
    def get(self, args, exhibitor_id):
        """A booth's sales, newest first; ``date`` keeps one fair day."""
        return page_of(
            services.sales_query(
                load_exhibitor(exhibitor_id, current_principal()), args.get("date")
            ),
            args,
        )

    @reads_first
    @auth_required()
    @blp.arguments(IdempotencyHeaderSchema, location="headers", error_status_code=400)
    @blp.arguments(SaleInSchema)
    @blp.response(201, SaleSchema)
    @blp.alt_response(409, description="The same Idempotency-Key is still being processed.")
    def post(self, headers, data, exhibitor_id):
        """Record a sale. Retrying with the same Idempotency-Key never records it twice."""
        data["device_clock"] = headers.get("device_clock")
        return record_sale(
            current_principal(), exhibitor_id, headers["idempotency_key"], request.get_json(), data
        )


@blp.route("/exhibitors/<int:exhibitor_id>/sales/set-aside", methods=["POST"])
@auth_required()
@retry_safe
@blp.arguments(SetAsideInSchema)
@blp.response(204)
def set_aside_refused_sale(data, exhibitor_id):
    """A sale the server refused, set aside at the booth with a reason: the phone drops it,
    the journal keeps it (``sale.set_aside``) for the organiser to settle. An order or a
    contact refused, likewise (``kind``; ``order.set_aside``, ``contact.set_aside``)."""
    audit.record(
        f"{data.pop('kind')}.set_aside",
        current_principal(),
        exhibitor_id=exhibitor_id,
        details=data,
    )


@blp.route("/sales/<int:sale_id>")
@auth_required()
@blp.response(200, SaleSchema)
def get_sale(sale_id):
    return services.load_sale(sale_id)


@blp.route("/sales/<int:sale_id>/void", methods=["POST"])
@auth_required()
@retry_safe
@blp.arguments(VoidInSchema)
@blp.response(200, SaleSchema)
def void_sale(data, sale_id):
    """Void a sale, once, with a reason. The sale itself stays, marked voided."""
    return voids.void_sale(services.load_sale(sale_id), current_principal(), data["reason"])
