from __future__ import annotations

from pos.audit import services
from pos.audit.schemas import AuditEventSchema, JournalArgs
from pos.auth.principal import auth_required
from pos.core.blueprint import Blueprint
from pos.core.pagination import list_schema, page_of
from pos.events.services import load_event

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Event journal")


@blp.route("/events/<int:event_id>/journal")
@auth_required(staff=True)
@blp.arguments(JournalArgs, location="query")
@blp.response(200, list_schema(AuditEventSchema))
def journal(args, event_id):
    """The fair's event journal, newest first (organiser)."""
    event = load_event(event_id)
    return page_of(services.journal_query(event.id, args.get("kind")), args)
