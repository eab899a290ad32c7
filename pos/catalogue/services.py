from __future__ import annotations

import sqlalchemy as sa

from pos.audit import services as audit
from pos.catalogue import pictures
from pos.catalogue.models import Product, ProductPicture
from pos.core.errors import invalid, not_found
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor
from pos.extensions import db


def _check_sku_free(exhibitor_id: int, sku: str | None, product_id: int | None = None) -> None:
    if sku is None:
        return
    taken = db.session.scalar(
        sa.select(Product.id).where(Product.exhibitor_id == exhibitor_id, Product.sku == sku)
    )
    if taken is not None and taken != product_id:
        invalid("sku", N_("Reference %(sku)s is already used in this catalogue.", sku=sku))


def create_product(exhibitor: Exhibitor, data: dict, principal=None) -> Product:
    _check_sku_free(exhibitor.id, data.get("sku"))
    product = Product(exhibitor_id=exhibitor.id, **data)
    db.session.add(product)
    db.session.flush()
    if principal is not None:
        audit.record(
            "product.created",
            principal,
            exhibitor_id=exhibitor.id,
            subject=f"product:{product.id}",
            details={"name": product.name, "unit_price": product.unit_price},
        )
    return product


def update_product(product: Product, data: dict, principal=None) -> Product:
    """Change a product. Sales already made keep the name and price they were sold at."""
    _check_goods(product)
    if "sku" in data:
        _check_sku_free(product.exhibitor_id, data["sku"], product.id)
    old_price = product.unit_price
    for name, value in data.items():
        setattr(product, name, value)
    db.session.flush()
    if product.unit_price != old_price:
        audit.record(
            "product.price_changed",
            principal,
            exhibitor_id=product.exhibitor_id,
            subject=f"product:{product.id}",
            details={"from": old_price, "to": product.unit_price},
        )
    return product


def products_query(
    exhibitor: Exhibitor, active: bool | None = None, kind: str | None = None
) -> sa.Select:
    query = sa.select(Product).where(Product.exhibitor_id == exhibitor.id)
    if active is not None:
        query = query.where(Product.active.is_(active))
    if kind is not None:
        query = query.where(Product.kind == kind)
    return query.order_by(Product.name, Product.id)


def load_product(product_id: int) -> Product:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(Product, product_id) or not_found("product")


def _check_goods(product: Product) -> None:
    # The booth's deposit is priced at each order and never withdrawn: nothing to change.
    if product.kind != "goods":
        invalid("kind", N_("The deposit on an order is not a product to change."))


def set_picture(product: Product, upload: bytes) -> Product:
    """Keep a small copy of the photo as the product's picture, replacing any before."""
    _check_goods(product)
    data, version = pictures.small_picture(upload)
    picture = db.session.get(ProductPicture, product.id) or ProductPicture(product_id=product.id)
    picture.data, picture.version, picture.content_type = data, version, pictures.CONTENT_TYPE
    db.session.add(picture)
    db.session.flush()
    db.session.expire(product, ["picture_version"])
    return product


def remove_picture(product: Product) -> Product:
    picture = db.session.get(ProductPicture, product.id)
    if picture is not None:
        db.session.delete(picture)
        db.session.flush()
        db.session.expire(product, ["picture_version"])
    return product


def load_picture(product: Product) -> ProductPicture:
    return db.session.get(ProductPicture, product.id) or not_found("picture")
