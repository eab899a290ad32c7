from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.closings import services
from pos.closings.schemas import CloseEventInSchema, ClosingInSchema, ClosingSchema
from pos.core.blueprint import Blueprint
from pos.core.pagination import ListArgs, list_schema, page_of
from pos.events.services import load_event
from pos.exhibitors.services import load_exhibitor

blp = Blueprint("closings", __name__, url_prefix="/api/v1", description="Daily closings (Z)")


@blp.route("/exhibitors/<int:exhibitor_id>/closings")
class ExhibitorClosings(MethodView):
    @auth_required()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, list_schema(ClosingSchema))
    def get(self, args, exhibitor_id):
        return page_of(
            services.closings_query(load_exhibitor(exhibitor_id, current_principal())), args
        )

    @auth_required()
    @blp.arguments(ClosingInSchema)
    @blp.response(201, ClosingSchema)
    @blp.alt_response(409, description="That day is already closed.")
    def post(self, data, exhibitor_id):
        """Close a booth's day: totals per method, cash counted against expected."""
        return services.close_day(
            load_exhibitor(exhibitor_id, current_principal()),
            data["date"],
            data.get("cash_counted"),
            current_principal(),
        )


@blp.route("/closings/<int:closing_id>")
@auth_required()
@blp.response(200, ClosingSchema)
def get_closing(closing_id):
    return services.load_closing(closing_id)


@blp.route("/events/<int:event_id>/closings", methods=["POST"])
@auth_required(staff=True)
@blp.arguments(CloseEventInSchema)
@blp.response(201, list_schema(ClosingSchema))
def close_event_day(data, event_id):
    """Close the day for every booth still open on it (organiser)."""
    closings = services.close_event_day(
        load_event(event_id, current_principal()), data["date"], current_principal()
    )
    return {"items": closings, "total": len(closings)}
