from __future__ import annotations

from flask import Response
from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.catalogue import pictures, services
from pos.catalogue.schemas import (
    PictureInSchema,
    ProductInSchema,
    ProductListArgs,
    ProductPatchSchema,
    ProductSchema,
)
from pos.core.blueprint import Blueprint
from pos.core.pagination import list_schema, page_of
from pos.core.requests import body_limit
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
            load_exhibitor(exhibitor_id, current_principal()),
            args.get("active"),
            None if args["kind"] == "all" else args["kind"],
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


@blp.route("/products/<int:product_id>/picture")
@body_limit(pictures.UPLOAD_MAX_BYTES)  # a photo from a phone's camera
class ProductPictureView(MethodView):
    @auth_required()
    @blp.response(200, {"format": "binary", "type": "string"}, content_type=pictures.CONTENT_TYPE)
    def get(self, product_id):
        """The product's picture (WebP, a few KB); ``?v=`` its version, kept by the till."""
        picture = services.load_picture(services.load_product(product_id))
        return Response(
            picture.data,
            mimetype=picture.content_type,
            headers={"ETag": f'"{picture.version}"', "Cache-Control": "private, max-age=86400"},
        )

    @auth_required()
    @blp.arguments(PictureInSchema, location="files")
    @blp.response(200, ProductSchema)
    def put(self, files, product_id):
        """Give the product a picture: a photo (multipart field ``picture``, up to 12 MB) is
        kept as a WebP of at most 30 KB, turned upright."""
        return services.set_picture(services.load_product(product_id), files["picture"].read())

    @auth_required()
    @blp.response(200, ProductSchema)
    def delete(self, product_id):
        """Remove the product's picture."""
        return services.remove_picture(services.load_product(product_id))
