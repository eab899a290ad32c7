from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.contacts import services
from pos.contacts.schemas import ContactInSchema, ContactListArgs, ContactSchema
from pos.core.blueprint import Blueprint
from pos.core.pagination import list_schema, page_of
from pos.exhibitors.services import load_exhibitor
from pos.idempotency.services import retry_safe

blp = Blueprint("contacts", __name__, url_prefix="/api/v1", description="Contacts at the booth")


@blp.route("/exhibitors/<int:exhibitor_id>/contacts")
class ExhibitorContacts(MethodView):
    @auth_required()
    @blp.arguments(ContactListArgs, location="query")
    @blp.response(200, list_schema(ContactSchema))
    def get(self, args, exhibitor_id):
        """A booth's contacts, newest first (its cashier or an organiser)."""
        return page_of(
            services.contacts_query(load_exhibitor(exhibitor_id, current_principal())), args
        )

    @auth_required()
    @retry_safe
    @blp.arguments(ContactInSchema)
    @blp.response(201, ContactSchema)
    def post(self, data, exhibitor_id):
        """Note a contact made at the booth: a shop, hotel or exporter, its phone, what
        interests it. Sent again with the same Idempotency-Key, the first answer."""
        exhibitor = load_exhibitor(exhibitor_id, current_principal())
        return services.create_contact(exhibitor, data, current_principal())


@blp.route("/contacts/<int:contact_id>")
@auth_required()
@blp.response(200, ContactSchema)
def get_contact(contact_id):
    return services.load_contact(contact_id)
