from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.messages import N_
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.members import verifier
from pos.members.models import Member, PinFailure


def _check_name_free(exhibitor_id: int, name: str, member_id: int | None = None) -> None:
    taken = db.session.scalar(
        sa.select(Member.id).where(Member.exhibitor_id == exhibitor_id, Member.name == name)
    )
    if taken is not None and taken != member_id:
        invalid("name", N_("A member of this booth already has this name."))


def _pin_hash(pin: str | None) -> str | None:
    return None if pin is None else generate_password_hash(pin, method="scrypt")


def _set_pin(member: Member, pin: str | None) -> None:
    member.pin_hash = _pin_hash(pin)
    member.pin_verifier = None if pin is None else verifier.make(pin)


def create_member(exhibitor: Exhibitor, data: dict) -> Member:
    _check_name_free(exhibitor.id, data["name"])
    member = Member(exhibitor_id=exhibitor.id, name=data["name"])
    _set_pin(member, data["pin"])
    db.session.add(member)
    db.session.flush()
    return member


def update_member(member: Member, data: dict) -> Member:
    if "name" in data:
        _check_name_free(member.exhibitor_id, data["name"], member.id)
        member.name = data["name"]
    if "pin" in data:
        _set_pin(member, data["pin"])
    if "active" in data:
        member.active = data["active"]
    db.session.flush()
    return member


def check_member_of(exhibitor: Exhibitor, member_id: int | None) -> None:
    """``member_id``, when given, is one of the booth's members (inactive ones too: a till
    offline may still name one set inactive since)."""
    if member_id is None:
        return
    member = db.session.get(Member, member_id)
    if member is None or member.exhibitor_id != exhibitor.id:
        invalid("member_id", N_("Not a member of this booth."))


def members_query(exhibitor: Exhibitor) -> sa.Select:
    return sa.select(Member).where(Member.exhibitor_id == exhibitor.id).order_by(Member.name)


def load_member(member_id: int) -> Member:
    # Access was checked on the path by pos.core.ownership; called otherwise, a missing
    # one is still a 404.
    return db.session.get(Member, member_id) or not_found("member")


def unlock(member: Member, pin: str) -> bool:
    """Check a member's PIN at the till. Locked for the window after too many misses;
    returns False for a wrong PIN, whose failure the caller must commit."""
    window = timedelta(minutes=current_app.config["POS_PIN_WINDOW_MINUTES"])
    failures = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PinFailure)
        .where(PinFailure.member_id == member.id, PinFailure.failed_at > utcnow() - window)
    )
    if failures >= current_app.config["POS_PIN_MAX_FAILURES"]:
        fail(
            423,
            N_("Too many wrong PINs: this member is locked for a while."),
            headers={"Retry-After": str(int(window.total_seconds()))},
        )
    if not member.active:
        fail(403, N_("This member is not active."))
    if member.pin_hash is None:
        return True
    if check_password_hash(member.pin_hash, pin):
        if member.pin_verifier is None:  # a PIN set before phones kept verifiers
            member.pin_verifier = verifier.make(pin)
            db.session.flush()
        return True
    # Misses older than the window count for nothing: they go as a new one is counted.
    db.session.execute(sa.delete(PinFailure).where(PinFailure.failed_at <= utcnow() - window))
    db.session.add(PinFailure(member_id=member.id))
    db.session.flush()
    return False
