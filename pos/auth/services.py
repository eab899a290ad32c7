from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from pos.audit import services as audit
from pos.auth.models import ROLES, AuthToken, LoginFailure, Organisation, User
from pos.auth.principal import Principal
from pos.auth.tokens import issue_token
from pos.core.db import utcnow
from pos.core.errors import fail
from pos.core.messages import N_
from pos.extensions import db

PASSWORD_METHOD = "scrypt"
# The organisation a platform's first organisers join when none is named (and the one the
# fairs made before organisations moved to).
DEFAULT_ORGANISATION = "default"
# Compared against when the email is unknown, so both answers take as long.
_UNKNOWN_USER_HASH = generate_password_hash("unknown user", method=PASSWORD_METHOD)


class UserError(ValueError):
    """A user could not be created as asked (CLI and admin use)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def organisation_named(name: str) -> Organisation:
    """The organisation called ``name``, made on first use."""
    name = name.strip()
    if not name or len(name) > 200:
        raise UserError("an organisation's name has 1 to 200 characters")
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if found is None:
        found = Organisation(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def _organisers_organisation(name: str | None) -> Organisation:
    """An organiser's organisation: the one named; unnamed, the platform's only one (the
    first organiser of a new platform starts ``default``)."""
    if name is not None:
        return organisation_named(name)
    existing = db.session.scalars(sa.select(Organisation).limit(2)).all()
    if len(existing) > 1:
        raise UserError("several organisations: say which with --organisation NAME")
    return existing[0] if existing else organisation_named(DEFAULT_ORGANISATION)


def create_user(
    email: str,
    password: str,
    role: str,
    exhibitor_id: int | None = None,
    organisation: str | None = None,
) -> User:
    """``organisation``: an organiser's, by name (made on first use)."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}")
    if (role == "cashier") != (exhibitor_id is not None):
        raise UserError("a cashier belongs to exactly one exhibitor; other roles to none")
    if organisation is not None and role != "organiser":
        raise UserError("only an organiser belongs to an organisation")
    if len(password) < 10:
        raise UserError("the password needs at least 10 characters")
    email = normalise_email(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise UserError(f"a user with the email {email} exists already")
    organisation_id = _organisers_organisation(organisation).id if role == "organiser" else None
    user = User(
        email=email,
        role=role,
        exhibitor_id=exhibitor_id,
        organisation_id=organisation_id,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _window_start():
    return utcnow() - timedelta(minutes=current_app.config["POS_LOGIN_WINDOW_MINUTES"])


def _add_failure(failure: LoginFailure) -> None:
    """A failure counted for the windows; those older than a day count for nothing and go
    (the journal keeps every one)."""
    db.session.execute(
        sa.delete(LoginFailure).where(LoginFailure.failed_at <= utcnow() - timedelta(days=1))
    )
    db.session.add(failure)
    db.session.flush()


def _recent_failures(kind: str, column, value: str) -> int:
    since = _window_start()
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.kind == kind, column == value, LoginFailure.failed_at > since)
    )
    return count or 0


def _too_many(detail: str) -> None:
    retry = current_app.config["POS_LOGIN_WINDOW_MINUTES"] * 60
    fail(429, detail, headers={"Retry-After": str(retry)})


def check_login_allowed(email: str, ip: str) -> None:
    """429 once an email (or, more loosely, an address) has failed too often lately."""
    limit = current_app.config["POS_LOGIN_MAX_FAILURES"]
    if (
        _recent_failures("login", LoginFailure.email, normalise_email(email)) >= limit
        or _recent_failures("login", LoginFailure.ip, ip) >= limit * 4
    ):
        _too_many(N_("Too many failed sign-ins; try again later."))


def _distinct_wrong_codes(ip: str, since) -> int:
    """Different wrong codes an address sent since then (the same typo again is one)."""
    attempt = sa.func.coalesce(LoginFailure.attempt, sa.cast(LoginFailure.id, sa.String))
    count = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(attempt))).where(
            LoginFailure.kind == "pairing", LoginFailure.ip == ip, LoginFailure.failed_at > since
        )
    )
    return count or 0


def check_pairing_allowed(ip: str) -> None:
    """429 once an address has sent too many different wrong codes in a quarter-hour or in
    a day. Set so that a fair's set-up day behind one NAT (30 phones, each mistyping a few
    codes, again and again) never reaches them, while guessing one of 31^8 codes stays
    hopeless (the README shows the arithmetic)."""
    config = current_app.config
    if _distinct_wrong_codes(ip, _window_start()) >= config["POS_PAIRING_MAX_FAILURES"] or (
        _distinct_wrong_codes(ip, utcnow() - timedelta(days=1))
        >= config["POS_PAIRING_MAX_FAILURES_PER_DAY"]
    ):
        _too_many(N_("Too many wrong pairing codes; try again later."))


def record_pairing_failure(ip: str, attempt: str) -> None:
    """``attempt``: the wrong code's hash."""
    _add_failure(LoginFailure(email="", ip=ip, kind="pairing", attempt=attempt))
    audit.record("pairing.failed", details={"ip": ip})


def authenticate_user(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def record_login_failure(email: str, ip: str) -> None:
    _add_failure(LoginFailure(email=normalise_email(email), ip=ip))
    audit.record("login.failed", actor_email=normalise_email(email), details={"ip": ip})


def log_in(
    email: str, password: str, ip: str, *, page: bool = False
) -> tuple[str, AuthToken] | None:
    """The one way in, for the API's bearer tokens and the organisers' pages (``page``): a
    token for the user, or None when refused. Too many recent failures for the address or
    the email are a 429 first; a wrong password, an unknown or switched-off user, and on
    the pages a cashier, are refused alike, the failure recorded: the caller commits it
    before it answers, as the refused request itself writes nothing else."""
    check_login_allowed(email, ip)
    user = authenticate_user(email, password)
    if user is None or (page and user.role == "cashier"):
        record_login_failure(email, ip)
        return None
    return issue_user_token(user, ip, page=page)


def issue_user_token(user: User, ip: str, *, page: bool = False) -> tuple[str, AuthToken]:
    """A bearer token, or with ``page`` an organiser's page session (kept in the signed
    cookie and checked on the server at every page, so that signing out ends it)."""
    if page:
        expires_at = utcnow() + timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    else:
        expires_at = utcnow() + timedelta(hours=current_app.config["POS_TOKEN_TTL_HOURS"])
    token, row = issue_token(
        role=user.role, user_id=user.id, exhibitor_id=user.exhibitor_id, expires_at=expires_at
    )
    audit.record(
        "login.succeeded",
        row,
        actor_email=user.email,
        exhibitor_id=user.exhibitor_id,
        subject=f"token:{row.id}",
        details={"ip": ip, "page": True} if page else {"ip": ip},
    )
    return token, row


def revoke_token(principal: Principal) -> None:
    db.session.execute(
        sa.update(AuthToken).where(AuthToken.id == principal.token_id).values(revoked_at=utcnow())
    )
    audit.record(
        "token.revoked",
        principal,
        exhibitor_id=principal.exhibitor_id,
        subject=f"token:{principal.token_id}",
    )


def revoke_all_tokens(principal: Principal) -> int:
    """Sign the principal's user out everywhere: every page session and bearer token."""
    result = db.session.connection().execute(
        sa.update(AuthToken)
        .where(AuthToken.user_id == principal.user_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record(
        "token.revoked",
        principal,
        subject=f"user:{principal.user_id}",
        details={"everywhere": True, "tokens": result.rowcount},
    )
    return result.rowcount


# A fair's booths' devices, by the tables' names: authentication sits below the features.
_FAIR_DEVICES: sa.Select = (
    sa.select(sa.column("id"))
    .select_from(sa.table("devices", sa.column("id"), sa.column("exhibitor_id")))
    .where(
        sa.column("exhibitor_id").in_(
            sa.select(sa.column("id"))
            .select_from(sa.table("exhibitors", sa.column("id"), sa.column("event_id")))
            .where(sa.column("event_id") == sa.bindparam("event_id"))
        )
    )
)


def revoke_fair_device_tokens(event_id: int) -> None:
    """Every phone of a fair's booths signed out at once (a rehearsal fair removed)."""
    db.session.execute(
        sa.update(AuthToken)
        .where(
            AuthToken.device_id.in_(_FAIR_DEVICES.params(event_id=event_id).scalar_subquery()),
            AuthToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
