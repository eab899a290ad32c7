"""The booth till: pairing a phone, then the selling page and its offline service worker."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _

from pos.core import labels
from pos.core.i18n import LANGUAGE_COOKIE
from pos.core.pages import page
from pos.core.requests import client_address
from pos.devices import services as devices
from pos.devices.models import Device
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.till import install, shell
from pos.till.strings import till_strings
from printers.fonts import font_path

blp = Blueprint(
    "till",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/till/static",
)


@blp.record_once
def _serve_the_configured_shell(state) -> None:
    """A till's new version tried on one server (``POS_TILL_STATIC_FOLDER``)."""
    folder = state.app.config.get("POS_TILL_STATIC_FOLDER")
    if folder:
        blp.static_folder = folder


@blp.get("/till/pair")
def pair_form():
    return page("till/pair.html", code=request.args.get("code", ""), error=None)


@blp.post("/till/pair")
def pair_submit():
    paired = devices.pair(request.form.get("code", ""), client_address())
    if paired is None:
        db.session.commit()  # the failed attempt counts although the request fails
        return page(
            "till/pair.html",
            400,
            code=request.form.get("code", ""),
            error=_("This code is unknown, already used or expired."),
        )
    device, token = paired
    session.clear()
    session.permanent = True
    session["device_id"] = device.id
    exhibitor = db.session.get(Exhibitor, device.exhibitor_id)
    # The page hands the token to the till's script, which keeps it on the device.
    return page("till/paired.html", token=token, exhibitor=exhibitor, device=device)


@blp.get("/till")
def till():
    device = db.session.get(Device, session.get("device_id") or 0)
    if device is None or device.revoked_at is not None:
        session.pop("device_id", None)
        return redirect(url_for("till.pair_form"))
    exhibitor = db.session.get(Exhibitor, device.exhibitor_id)
    return page(
        "till/till.html",
        exhibitor=exhibitor,
        device=device,
        strings=till_strings(),
        contact_kinds=list(labels.CONTACT_KINDS),
        version=shell.version(),
        utc_offset=_utc_offset_minutes(exhibitor.event.timezone),
    )


def _utc_offset_minutes(timezone: str) -> int:
    """The fair's offset from UTC now, by the server's time zone data: the till reckons the
    fair's day with it (a browser's own data may differ, as Chromium's does for Casablanca)."""
    offset = datetime.now(ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


@blp.get("/till/sw.js")
def service_worker():
    response = Response(shell.service_worker(), mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    # Served from /till/sw.js, it looks after /till itself too.
    response.headers["Service-Worker-Allowed"] = "/till"
    return response


@blp.get("/till/manifest.webmanifest")
def web_manifest():
    response = jsonify(install.manifest())
    response.mimetype = "application/manifest+json"
    return response


@blp.get("/till/icon-<int:size>.png")
def icon(size: int):
    if size not in install.ICON_SIZES:
        abort(404)
    return Response(
        install.icon_png(size),
        mimetype="image/png",
        headers={"Cache-Control": "public, max-age=604800"},
    )


@blp.get("/till/font.ttf")
def font():
    """The same font as the receipts, so Arabic looks alike on screen and on paper."""
    return send_file(font_path(), mimetype="font/ttf", max_age=7 * 24 * 3600)


@blp.get("/lang/<code>")
def choose_language(code: str):
    target = request.args.get("next", "/till")
    if urlsplit(target).netloc or not target.startswith("/"):
        target = "/till"  # only back into this site
    response = redirect(target)
    if code in ("ar", "fr", "en"):
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response
