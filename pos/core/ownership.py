"""Which exhibitor owns the object a URL names, checked before anything else runs.

Every API route that names an object in its path (``/exhibitors/<exhibitor_id>``,
``/products/<product_id>``, ...) is checked here by :func:`check_path_objects`,
called from ``auth_required``: an object the caller may not see answers 404
before the body is even parsed, so another booth's objects look like missing ones.
Each feature says how its objects find their exhibitor with :func:`owned_by_exhibitor`
on its model, so this module knows no feature; a test walks every route and fails on a
path parameter no model registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from flask import g

from pos.core.errors import not_found
from pos.extensions import db

Lookup = Callable[[int], "int | None"]
_OWNER_LOOKUPS: dict[str, tuple[str, Lookup]] = {}
_OWNERS: dict[str, type] = {}  # which model answers each path parameter

# Path parameters that are not an exhibitor's object: a fair, checked by the caller itself
# (an organiser sees its organisation's, a cashier its booth's), before the body is read.
SHARED_PARAMETERS = frozenset({"event_id"})


class Caller(Protocol):
    exhibitor_id: int | None

    def may_access(self, exhibitor_id: int) -> bool: ...

    def may_see_event(self, event_id: int) -> bool: ...


def _keep(found):
    """Hold the loaded object for the request: the session's identity map only keeps weak
    references, and the view is about to ask for the same object again."""
    if found is not None:
        g.setdefault("path_objects", []).append(found)
    return found


def owned_by_exhibitor(parameter: str, what: str, *, column: str = "exhibitor_id"):
    """Class decorator for a model: a route naming ``parameter`` in its path loads the
    object by it, and only a caller who may access the exhibitor in ``column`` finds it
    (``what`` names it in the 404)."""

    def register(model):
        known = _OWNERS.setdefault(parameter, model)
        if known is not model:
            raise ValueError(f"{parameter} already names a {known.__name__}")

        def lookup(object_id: int) -> int | None:
            found = _keep(db.session.get(model, object_id))
            return None if found is None else getattr(found, column)

        _OWNER_LOOKUPS[parameter] = (what, lookup)
        return model

    return register


def known_parameters() -> frozenset[str]:
    return frozenset(_OWNER_LOOKUPS) | SHARED_PARAMETERS


def check_path_objects(caller: Caller, view_args: dict) -> None:
    for name, value in view_args.items():
        if name == "event_id" and not caller.may_see_event(value):
            not_found("event")
        if name not in _OWNER_LOOKUPS:
            continue
        if name == "exhibitor_id" and value == caller.exhibitor_id:
            continue  # a cashier's own booth: its token points at it, so it exists
        what, lookup = _OWNER_LOOKUPS[name]
        owner = lookup(value)
        if owner is None or not caller.may_access(owner):
            not_found(what)


def owner_of_path(view_args: dict) -> int | None:
    """The exhibitor whose object a path names (``check_path_objects`` has let the caller
    in already); None when it names none."""
    for name, value in view_args.items():
        if name == "exhibitor_id":
            return value
        if name in _OWNER_LOOKUPS:
            return _OWNER_LOOKUPS[name][1](value)
    return None
