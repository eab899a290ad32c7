from __future__ import annotations

from flask.views import MethodView

from pos.audit.schemas import AuditEventSchema, JournalArgs
from pos.audit.services import journal_query
from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.core.pagination import ListArgs, list_schema, page_of
from pos.events import services
from pos.events.schemas import EventCreateSchema, EventPatchSchema, EventSchema

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Fairs")


@blp.route("")
class Events(MethodView):
    @auth_required()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, list_schema(EventSchema))
    def get(self, args):
        """List the fairs the caller may see."""
        return page_of(services.events_query(current_principal()), args)

    @auth_required(staff=True)
    @blp.arguments(EventCreateSchema)
    @blp.response(201, EventSchema)
    def post(self, data):
        """Create a fair, in the organiser's organisation."""
        principal = current_principal()
        return services.create_event(data, services.event_organisation(data, principal))


@blp.route("/<int:event_id>")
class EventById(MethodView):
    @auth_required()
    @blp.response(200, EventSchema)
    def get(self, event_id):
        return services.load_event(event_id, current_principal())

    @auth_required(staff=True)
    @blp.arguments(EventPatchSchema(partial=True))
    @blp.response(200, EventSchema)
    def patch(self, data, event_id):
        return services.update_event(services.load_event(event_id, current_principal()), data)

    @auth_required(staff=True)
    @blp.response(204)
    @blp.alt_response(409, description="Not a rehearsal: a fair's records are never removed.")
    def delete(self, event_id):
        """Remove a rehearsal fair (pos drill): it answers 404 from then on and its phones
        are signed out; its sealed records stay in the database (organiser)."""
        principal = current_principal()
        services.remove_rehearsal(services.load_event(event_id, principal), principal)


@blp.route("/<int:event_id>/journal")
@auth_required(staff=True)
@blp.arguments(JournalArgs, location="query")
@blp.response(200, list_schema(AuditEventSchema))
def journal(args, event_id):
    """The fair's event journal, newest first (organiser)."""
    event = services.load_event(event_id, current_principal())
    return page_of(journal_query(event.id, args.get("kind")), args)
