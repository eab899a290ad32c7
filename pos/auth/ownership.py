"""Which exhibitor owns the object a URL names, checked before anything else runs.

Every API route that names an object in its path (``/exhibitors/<exhibitor_id>``,
``/products/<product_id>``, ...) is checked here by :func:`check_path_objects`,
called from ``auth_required``: an object the caller may not see answers 404
before the body is even parsed, so another booth's objects look like missing ones.
A new path parameter needs its line in ``_OWNER_LOOKUPS``; a test walks every
route and fails on a parameter this module does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import g

from pos.catalogue.models import Product
from pos.closings.models import Closing
from pos.core.errors import not_found
from pos.devices.models import Device
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.members.models import Member
from pos.printing.models import PrintJob
from pos.sales.models import Sale

if TYPE_CHECKING:
    from pos.auth.principal import Principal


def _keep(found):
    """Hold the loaded object for the request: the session's identity map only keeps weak
    references, and the view is about to ask for the same object again."""
    if found is not None:
        g.setdefault("path_objects", []).append(found)
    return found


def _exhibitor_of(model) -> Callable[[int], int | None]:
    def lookup(object_id: int) -> int | None:
        found = _keep(db.session.get(model, object_id))
        return None if found is None else found.exhibitor_id

    return lookup


def _exhibitor(exhibitor_id: int) -> int | None:
    return exhibitor_id if _keep(db.session.get(Exhibitor, exhibitor_id)) is not None else None


_OWNER_LOOKUPS: dict[str, tuple[str, Callable[[int], int | None]]] = {
    "exhibitor_id": ("exhibitor", _exhibitor),
    "product_id": ("product", _exhibitor_of(Product)),
    "sale_id": ("sale", _exhibitor_of(Sale)),
    "device_id": ("device", _exhibitor_of(Device)),
    "closing_id": ("closing", _exhibitor_of(Closing)),
    "member_id": ("member", _exhibitor_of(Member)),
    "job_id": ("print job", _exhibitor_of(PrintJob)),
}

# Path parameters that are not an exhibitor's object; their loaders check access.
SHARED_PARAMETERS = frozenset({"event_id"})


def known_parameters() -> frozenset[str]:
    return frozenset(_OWNER_LOOKUPS) | SHARED_PARAMETERS


def check_path_objects(principal: Principal, view_args: dict) -> None:
    for name, value in view_args.items():
        if name not in _OWNER_LOOKUPS:
            continue
        if name == "exhibitor_id" and value == principal.exhibitor_id:
            continue  # a cashier's own booth: its token points at it, so it exists
        what, lookup = _OWNER_LOOKUPS[name]
        owner = lookup(value)
        if owner is None or not principal.may_access(owner):
            not_found(what)
