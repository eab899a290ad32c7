"""``?limit=&offset=`` lists answered as ``{"items": [...], "total": N}``."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from pos.extensions import db

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ListArgs(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 10**9))


def page_of(statement: sa.Select, args: dict) -> dict:
    """Run a select for one page and count the whole, both in SQL."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    items = db.session.scalars(statement.limit(args["limit"]).offset(args["offset"])).all()
    return {"items": items, "total": total}


@cache
def list_schema(item_schema: type[Schema]) -> type[Schema]:
    """An output schema for a page of ``item_schema``."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema)), "total": fields.Integer()},
        name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
    )
