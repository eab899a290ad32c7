from __future__ import annotations

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.exhibitors.services import load_exhibitor
from pos.stock import services
from pos.stock.schemas import StockSchema

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="What is left to sell")


@blp.route("/exhibitors/<int:exhibitor_id>/stock")
@auth_required()
@blp.response(200, StockSchema)
def stock(exhibitor_id):
    """The booth's counted products: brought, sold, left (a quantity brought is set on the
    product, ``stock``)."""
    return {"items": services.stock_of(load_exhibitor(exhibitor_id, current_principal()))}
