from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal, require_staff
from pos.core.blueprint import Blueprint
from pos.core.pagination import ListArgs, list_schema, page_of
from pos.events.services import load_event
from pos.exhibitors import services
from pos.exhibitors.schemas import ExhibitorInSchema, ExhibitorPatchSchema, ExhibitorSchema

blp = Blueprint("exhibitors", __name__, url_prefix="/api/v1", description="Exhibitors")


@blp.route("/events/<int:event_id>/exhibitors")
class EventExhibitors(MethodView):
    @auth_required(staff=True)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, list_schema(ExhibitorSchema))
    def get(self, args, event_id):
        """List a fair's exhibitors (organiser)."""
        return page_of(services.exhibitors_query(load_event(event_id, current_principal())), args)

    @auth_required(staff=True)
    @blp.arguments(ExhibitorInSchema)
    @blp.response(201, ExhibitorSchema)
    def post(self, data, event_id):
        """Add an exhibitor to a fair (organiser)."""
        return services.create_exhibitor(load_event(event_id, current_principal()), data)


@blp.route("/exhibitors/<int:exhibitor_id>")
class ExhibitorById(MethodView):
    @auth_required()
    @blp.response(200, ExhibitorSchema)
    def get(self, exhibitor_id):
        return services.load_exhibitor(exhibitor_id, current_principal())

    @auth_required()
    @blp.arguments(ExhibitorPatchSchema(partial=True))
    @blp.response(200, ExhibitorSchema)
    def patch(self, data, exhibitor_id):
        """Change an exhibitor (organiser)."""
        exhibitor = services.load_exhibitor(exhibitor_id, current_principal())
        require_staff()
        return services.update_exhibitor(exhibitor, data)
