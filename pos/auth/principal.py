"""Who is calling, and the decorator that makes every API route say who may."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import NoReturn

import sqlalchemy as sa
from flask import g, request

from pos.auth.models import AuthToken, User
from pos.auth.tokens import hash_token
from pos.core.db import utcnow
from pos.core.errors import fail
from pos.core.messages import N_
from pos.core.ownership import check_path_objects
from pos.extensions import db

STAFF_ROLES = frozenset({"admin", "organiser"})


@dataclass(frozen=True)
class Principal:
    token_id: int
    role: str
    user_id: int | None
    device_id: int | None
    exhibitor_id: int | None
    event_id: int | None = None  # a cashier's fair (its booth's)
    organisation_id: int | None = None  # an organiser's

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_access(self, exhibitor_id: int) -> bool:
        """An admin sees every exhibitor, an organiser those of its organisation's fairs,
        neither those of a removed rehearsal fair; a cashier only its own (a removed fair's
        phones are signed out)."""
        if self.is_staff:
            found = db.session.execute(_EXHIBITORS_FAIR, {"exhibitor_id": exhibitor_id}).first()
            return found is not None and self.sees_organisation(found.organisation_id)
        return self.exhibitor_id == exhibitor_id

    def may_see_event(self, event_id: int) -> bool:
        """A fair still there that is this caller's: its organisation's (an admin's, any);
        a cashier's own booth's."""
        if not self.is_staff:
            return self.event_id == event_id
        found = db.session.execute(_LIVE_EVENT, {"event_id": event_id}).first()
        return found is not None and self.sees_organisation(found.organisation_id)

    def sees_organisation(self, organisation_id: int | None) -> bool:
        """Whether a fair of ``organisation_id`` is this staff member's to see."""
        if self.is_admin:
            return True
        return organisation_id is not None and organisation_id == self.organisation_id


# A device's token stops working when the device is switched off; a cashier's token knows
# its booth's fair. The tables by name, as the tokens' foreign keys name them:
# authentication sits below the features that use it.
_DEVICES = sa.table("devices", sa.column("id"), sa.column("revoked_at"))
_EXHIBITORS = sa.table("exhibitors", sa.column("id"), sa.column("event_id"))
_EVENTS = sa.table("events", sa.column("id"), sa.column("removed_at"), sa.column("organisation_id"))
_LIVE_EVENT = sa.select(_EVENTS.c.organisation_id).where(
    _EVENTS.c.id == sa.bindparam("event_id"), _EVENTS.c.removed_at.is_(None)
)
# An exhibitor's fair, if it is still there: its organisation.
_EXHIBITORS_FAIR = (
    sa.select(_EVENTS.c.organisation_id)
    .join(_EXHIBITORS, _EVENTS.c.id == _EXHIBITORS.c.event_id)
    .where(_EXHIBITORS.c.id == sa.bindparam("exhibitor_id"), _EVENTS.c.removed_at.is_(None))
)


# Built once: every API request runs it.
_TOKEN_QUERY = (
    sa.select(
        AuthToken.id,
        AuthToken.role,
        AuthToken.user_id,
        AuthToken.device_id,
        AuthToken.exhibitor_id,
        _EXHIBITORS.c.event_id,
        User.organisation_id,
    )
    .outerjoin(User, User.id == AuthToken.user_id)
    .outerjoin(_EXHIBITORS, _EXHIBITORS.c.id == AuthToken.exhibitor_id)
    .outerjoin(_DEVICES, _DEVICES.c.id == AuthToken.device_id)
    .where(
        AuthToken.token_hash == sa.bindparam("token_hash"),
        AuthToken.revoked_at.is_(None),
        AuthToken.expires_at > sa.bindparam("now", type_=AuthToken.expires_at.type),
        sa.or_(AuthToken.user_id.is_(None), User.active.is_(True)),
        sa.or_(AuthToken.device_id.is_(None), _DEVICES.c.revoked_at.is_(None)),
    )
)


def _unauthorized(detail: str) -> NoReturn:
    fail(401, detail, headers={"WWW-Authenticate": 'Bearer realm="tadamon"'})


def principal_of_token(token: str) -> Principal | None:
    """Who holds ``token`` (a bearer token, or an organiser page's session), or None when it
    is unknown, expired, revoked, or its user or device was switched off."""
    row = (
        db.session.connection()
        .execute(_TOKEN_QUERY, {"token_hash": hash_token(token), "now": utcnow()})
        .one_or_none()
    )
    if row is None:
        return None
    return Principal(
        row.id,
        row.role,
        row.user_id,
        row.device_id,
        row.exhibitor_id,
        row.event_id,
        row.organisation_id,
    )


def _authenticate() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _unauthorized(N_("A bearer token is required."))
    principal = principal_of_token(token.strip())
    if principal is None:
        _unauthorized(N_("The token is unknown, expired or revoked."))
    return principal


def current_principal() -> Principal:
    return g.principal


def auth_required(*, staff: bool = False):
    """Authenticate the bearer token; with ``staff=True`` refuse cashiers (403).

    Objects named in the path are checked first (see ``pos.core.ownership``):
    another exhibitor's object answers 404 before the role is looked at, so a
    cashier learns nothing of other booths.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.principal = _authenticate()
            check_path_objects(g.principal, request.view_args or {})
            if staff:
                require_staff()
            return view(*args, **kwargs)

        return wrapper

    return decorator


def require_staff() -> None:
    if not current_principal().is_staff:
        fail(403, N_("This needs the organiser or admin role."))
