"""The organisers' pages: sign-in, the live dashboard, the daily and impact report pages."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _

from pos.audit import services as audit
from pos.auth import services as auth
from pos.core import labels
from pos.core.db import utcnow
from pos.core.pages import page
from pos.core.requests import client_address
from pos.dashboard.session import (
    current_event,
    organiser_required,
    remember_session,
    sign_out,
    visible_events,
)
from pos.devices.schemas import SyncSchema
from pos.devices.sync import waiting_on_phones
from pos.events.models import Event
from pos.events.services import local_date
from pos.extensions import db
from pos.reports import apart, files, impact_document, services
from pos.reports.impact import impact_report

SYNC_SCHEMA = SyncSchema()

blp = Blueprint(
    "dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/dashboard/static",
)


def _safe_next(target: str | None) -> str:
    if not target or urlsplit(target).netloc or not target.startswith("/"):
        return url_for("dashboard.dashboard")
    return target


@blp.get("/")
def home():
    """The server's address opens the organisers' dashboard (its login page first)."""
    return redirect(url_for("dashboard.dashboard"))


@blp.get("/login")
def login_form():
    return page("dashboard/login.html", error=None, next=request.args.get("next", ""))


@blp.post("/login")
def login():
    email, password = request.form.get("email", ""), request.form.get("password", "")
    signed_in = auth.log_in(email, password, client_address(), page=True)
    if signed_in is None:
        db.session.commit()  # the failure is kept although the request fails
        return page(
            "dashboard/login.html",
            401,
            error=_("Wrong email or password."),
            next=request.form.get("next", ""),
        )
    token = signed_in[0]
    remember_session(token)
    return redirect(_safe_next(request.form.get("next")))


@blp.post("/logout")
def logout():
    sign_out()
    return redirect(url_for("dashboard.login_form"))


@blp.post("/logout/everywhere")
@organiser_required
def logout_everywhere():
    """Revoke every page session and token of this organiser (a lost laptop or phone)."""
    auth.revoke_all_tokens(g.principal)
    session.clear()
    return redirect(url_for("dashboard.login_form"))


@blp.get("/dashboard")
@organiser_required
def dashboard():
    event = current_event()
    events = db.session.scalars(visible_events()).all()
    return page("dashboard/dashboard.html", event=event, events=events, live=_live(event))


def _live(event: Event) -> dict:
    """Today's figures, and the sales waiting on the booths' phones (the booths with the
    most waiting first)."""
    return {**services.live(event), "phones": SYNC_SCHEMA.dump(waiting_on_phones(event, 10))}


@blp.get("/dashboard/live.json")
@organiser_required
def live():
    response = jsonify(_live(current_event()))
    response.headers["Cache-Control"] = "no-store"
    return response


def _asked_day(event: Event) -> date:
    """The day of ``?date=``, today (the fair's) when none."""
    day = request.args.get("date")
    try:
        return date.fromisoformat(day) if day else local_date(event, utcnow())
    except ValueError:
        abort(400)


def _daily_in(template: str):
    event = current_event()
    return page(template, event=event, report=services.daily_report(event, _asked_day(event)))


@blp.get("/reports/daily")
@organiser_required
def daily_page():
    return _daily_in("dashboard/daily.html")


@blp.get("/reports/daily/print")
@organiser_required
def daily_print():
    """The day's report laid out for paper: no menus, the table whole, a print button."""
    return _daily_in("dashboard/daily_print.html")


@blp.get("/reports/daily.<fmt>")
@organiser_required
def daily_download(fmt: str):
    if fmt not in files.DAILY_FORMATS:
        abort(404)
    event = current_event()
    day = _asked_day(event)
    data = apart.render(
        files.daily_file, event.id, day.isoformat(), None, fmt, labels.current_language()
    )
    name = f"daily-{event.id}-{day}.{fmt}"
    return _exported(data, files.DAILY_FORMATS[fmt], name, event, "daily", fmt, day)


def _exported(data: bytes, mimetype: str, name: str, event, report: str, fmt: str, day=None):
    """A report file the page downloads, journaled as exported (apart: a read request)."""
    details = {"report": report, "format": fmt, "page": True}
    if day is not None:
        details["date"] = day.isoformat()
    audit.record_apart("report.exported", g.principal, event_id=event.id, details=details)
    return files.attachment(data, mimetype, name)


@blp.get("/reports/impact")
@organiser_required
def impact_page():
    event = current_event()
    return page(
        "dashboard/impact.html",
        event=event,
        report=impact_report(event),
        breakdowns=impact_document.BREAKDOWN_TITLES,
    )


@blp.get("/reports/impact.<fmt>")
@organiser_required
def impact_download(fmt: str):
    if fmt not in files.IMPACT_FORMATS:
        abort(404)
    event = current_event()
    mimetype = files.IMPACT_FORMATS[fmt][0]
    data = apart.render(files.impact_file, event.id, None, fmt, labels.current_language())
    return _exported(data, mimetype, f"impact-{event.id}.{fmt}", event, "impact", fmt)


@blp.get("/reports/bulletin.<fmt>")
@organiser_required
def bulletin_download(fmt: str):
    """The evening bulletin in the page's language, in one tap from the dashboard."""
    if fmt not in files.BULLETIN_FORMATS:
        abort(404)
    event = current_event()
    day = _asked_day(event)
    language = "ar" if labels.current_language() == "ar" else "fr"
    data = apart.render(files.bulletin_file, event.id, day.isoformat(), fmt, language)
    name = f"bulletin-{event.id}-{day}.{fmt}"
    return _exported(data, files.BULLETIN_FORMATS[fmt][0], name, event, "bulletin", fmt, day)
