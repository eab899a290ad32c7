from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.core.pagination import list_schema, page_of
from pos.exhibitors.services import load_exhibitor
from pos.idempotency.services import retry_safe
from pos.orders import services
from pos.orders.schemas import OrderInSchema, OrderListArgs, OrderSchema

blp = Blueprint("orders", __name__, url_prefix="/api/v1", description="Orders at the booth")


@blp.route("/exhibitors/<int:exhibitor_id>/orders")
class ExhibitorOrders(MethodView):
    @auth_required()
    @blp.arguments(OrderListArgs, location="query")
    @blp.response(200, list_schema(OrderSchema))
    def get(self, args, exhibitor_id):
        """A booth's orders, newest first (its cashier or an organiser)."""
        page = page_of(
            services.orders_query(load_exhibitor(exhibitor_id, current_principal())), args
        )
        return {**page, "items": services.shown(page["items"])}

    @auth_required()
    @retry_safe
    @blp.arguments(OrderInSchema)
    @blp.response(201, OrderSchema)
    def post(self, data, exhibitor_id):
        """Take an order at the booth: the buyer, the lines, a delivery date; a deposit paid
        now is sent as a sale of its own (the booth's product of kind ``deposit``) and named
        here by that sale's Idempotency-Key. Sent again with the same Idempotency-Key, the
        first answer."""
        exhibitor = load_exhibitor(exhibitor_id, current_principal())
        order = services.create_order(exhibitor, data, current_principal())
        return services.shown([order])[0]


@blp.route("/orders/<int:order_id>")
@auth_required()
@blp.response(200, OrderSchema)
def get_order(order_id):
    return services.shown([services.load_order(order_id)])[0]
