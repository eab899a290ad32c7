from __future__ import annotations

from flask import Response
from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.core.errors import fail
from pos.core.messages import N_
from pos.core.pagination import ListArgs, list_schema, page_of
from pos.core.requests import client_address
from pos.devices import cards, services
from pos.devices import sync as sync_service
from pos.devices.schemas import (
    DeviceCreatedSchema,
    DeviceInSchema,
    DeviceSchema,
    HeartbeatInSchema,
    HeartbeatSchema,
    PairedSchema,
    PairInSchema,
    SyncSchema,
)
from pos.events.services import load_event
from pos.exhibitors.services import load_exhibitor
from pos.extensions import db

blp = Blueprint("devices", __name__, url_prefix="/api/v1", description="Booth devices")


@blp.route("/exhibitors/<int:exhibitor_id>/devices")
class ExhibitorDevices(MethodView):
    @auth_required(staff=True)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, list_schema(DeviceSchema))
    def get(self, args, exhibitor_id):
        return page_of(
            services.devices_query(load_exhibitor(exhibitor_id, current_principal())), args
        )

    @auth_required(staff=True)
    @blp.arguments(DeviceInSchema)
    @blp.response(201, DeviceCreatedSchema)
    def post(self, data, exhibitor_id):
        """Create a booth device: its cashier token and pairing code are in this answer only."""
        return services.create_device(
            load_exhibitor(exhibitor_id, current_principal()), data["label"], current_principal()
        )


@blp.route("/devices/<int:device_id>/revoke", methods=["POST"])
@auth_required(staff=True)
@blp.response(200, DeviceSchema)
def revoke_device(device_id):
    """Sign a lost or replaced device out for good."""
    return services.revoke_device(services.load_device(device_id), current_principal())


@blp.route("/devices/pair", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(PairInSchema)
@blp.response(200, PairedSchema)
def pair_device(data):
    """Exchange a pairing code (once) for the device's cashier token."""
    paired = services.pair(data["code"], client_address())
    if paired is None:
        db.session.commit()  # the failed attempt counts although the request fails
        fail(
            404,
            N_("This pairing code is unknown, used or expired."),
            errors={"code": [N_("Unknown, used or expired.")]},
        )
    device, token = paired
    return {"token": token, "device_id": device.id, "exhibitor_id": device.exhibitor_id}


@blp.route("/devices/heartbeat", methods=["POST"])
@auth_required()
@blp.arguments(HeartbeatInSchema, required=False)
@blp.response(200, HeartbeatSchema)
def heartbeat(report):
    """A till says it is there, so organisers see which booths are open, and what waits on
    it: sales not yet sent (``outbox``, the oldest since ``oldest_waiting_at``) and sales
    the server refused (``refused``). The answer says when the booth's catalogue last
    changed, so a till online all day drops a product the organiser withdrew."""
    principal = current_principal()
    services.seen(principal, report)
    return {"catalogue_changed_at": services.catalogue_changed_at(principal.exhibitor_id)}


@blp.route("/events/<int:event_id>/sync")
@auth_required(staff=True)
@blp.arguments(ListArgs, location="query")
@blp.response(200, SyncSchema)
def sync(args, event_id):
    """Sales waiting on the booths' phones, as each device last reported (organiser)."""
    return sync_service.waiting_on_phones(
        load_event(event_id, current_principal()), args["limit"], args["offset"]
    )


@blp.route("/events/<int:event_id>/pairing-cards", methods=["POST"])
@auth_required(staff=True)
@blp.response(200, content_type="application/pdf")
def pairing_cards(event_id):
    """A printable PDF with a card per booth: names, booth, and a QR code that pairs a phone.
    Each call makes fresh codes; the codes of earlier cards never used stop working."""
    event = load_event(event_id, current_principal())
    pdf = cards.cards_pdf(event, cards.make_cards(event, current_principal()))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="pairing-cards-{event.id}.pdf"'},
    )
