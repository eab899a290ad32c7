"""Organisers' pages: signed in with a form (CSRF-protected), kept in the session cookie."""

from __future__ import annotations

from functools import wraps

from flask import g, redirect, request, session, url_for

from pos.auth.models import User
from pos.auth.principal import STAFF_ROLES
from pos.extensions import db


def sign_in(user: User) -> None:
    session.clear()
    session.permanent = True
    session["user_id"] = user.id


def organiser_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = db.session.get(User, session.get("user_id") or 0)
        if user is None or not user.active or user.role not in STAFF_ROLES:
            session.pop("user_id", None)
            return redirect(url_for("dashboard.login_form", next=request.full_path))
        g.user = user
        return view(*args, **kwargs)

    return wrapper
