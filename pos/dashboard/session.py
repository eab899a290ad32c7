"""Organisers' pages (the dashboard's and the set-up's): the fair they look at, and who is
signed in, with a form (CSRF-protected). The signed cookie holds a
session token whose row is on the server: signing out revokes it, and "sign out
everywhere" revokes every session and token of the user."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import abort, g, redirect, request, session, url_for

from pos.auth import services as auth
from pos.auth.principal import principal_of_token
from pos.core.db import limit_statement_time
from pos.events.models import Event
from pos.events.services import events_query
from pos.extensions import db


def remember_session(token: str) -> None:
    """The page session ``auth.log_in`` opened, kept in the signed cookie."""
    session.clear()
    session.permanent = True
    session["token"] = token


def sign_out() -> None:
    """Revoke this page session on the server, then forget the cookie."""
    principal = _page_principal()
    if principal is not None:
        auth.revoke_token(principal)
    session.clear()


def _page_principal():
    token = session.get("token")
    return principal_of_token(token) if isinstance(token, str) and token else None


def organiser_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        principal = _page_principal()
        if principal is None or not principal.is_staff:
            session.pop("token", None)
            return redirect(url_for("dashboard.login_form", next=request.full_path))
        g.principal = principal
        limit_statement_time()  # an organiser's page never holds a connection for long
        return view(*args, **kwargs)

    return wrapper


def visible_events() -> sa.Select:
    """The fairs the signed-in organiser may see: its organisation's (an admin's, all)."""
    return events_query(g.principal)


def current_event() -> Event:
    """The fair a page shows: the one asked (``?event=``) if it is the organiser's to see,
    else its latest; a rehearsal only when it is all there is."""
    event_id = request.args.get("event", type=int)
    query = visible_events().order_by(None)
    if event_id is not None:
        query = query.where(Event.id == event_id)
    event = db.session.scalar(
        query.order_by(Event.rehearsal, Event.starts_on.desc(), Event.id.desc()).limit(1)
    )
    if event is None:
        abort(404)
    return event
