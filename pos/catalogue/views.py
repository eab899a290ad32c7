from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.catalogue import services
from pos.catalogue.schemas import (
    ProductInSchema,
    ProductListArgs,
    ProductPatchSchema,
    ProductSchema,
)
from pos.core.blueprint import Blueprint
from pos.core.pagination import list_schema, page_of
from pos.exhibitors.services import load_exhibitor
from pos.idempotency.services import retry_safe

blp = Blueprint("catalogue", __name__, url_prefix="/api/v1", description="Booth catalogues")


@blp.route("/exhibitors/<int:exhibitor_id>/products")
class ExhibitorProducts(MethodView):
    @auth_required()
    @blp.arguments(ProductListArgs, location="query")
    @blp.response(200, list_schema(ProductSchema))
    def get(self, args, exhibitor_id):
        """A booth's catalogue (its cashier or an organiser)."""
        query = services.products_query(
            load_exhibitor(exhibitor_id, current_principal()), args.get("active")
        )
        return page_of(query, args)

    @auth_required()
    @retry_safe
    @blp.arguments(ProductInSchema)
    @blp.response(201, ProductSchema)
    def post(self, data, exhibitor_id):
        """Add a product to a booth's catalogue (its cashier or an organiser)."""
        return services.create_product(
            load_exhibitor(exhibitor_id, current_principal()), data, current_principal()
        )


@blp.route("/products/<int:product_id>")
class ProductById(MethodView):
    @auth_required()
    @blp.response(200, ProductSchema)
    def get(self, product_id):
        return services.load_product(product_id)

    @auth_required()
    @retry_safe
    @blp.arguments(ProductPatchSchema(partial=True))
    @blp.response(200, ProductSchema)
    def patch(self, data, product_id):
        """Change a product's name, price, unit or availability."""
        return services.update_product(services.load_product(product_id), data, current_principal())
