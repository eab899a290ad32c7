"""Settings, all read from ``POS_*`` environment variables.

The defaults give a working single-laptop fair: an SQLite file in the
instance folder and a secret key generated once and kept there.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import time
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


SESSION_DAYS = 14


def _secret_key(instance_path: Path, database_url: str) -> str:
    configured = os.environ.get("POS_SECRET_KEY")
    if configured:
        return configured
    if database_url.startswith("postgresql"):
        # The hosts of one database share the key kept in it (pos.core.shared): a key made
        # here only serves until the app reads that one.
        return secrets.token_urlsafe(48)
    # Generated once per installation so that restarts keep sessions valid.
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        write_secret_key(instance_path, secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def write_secret_key(instance_path: Path, key: str, name: str = "secret_key") -> None:
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / name
    key_file.write_text(key)
    key_file.chmod(0o600)


def _previous_secret_keys(instance_path: Path) -> list[str]:
    """The key ``pos secret-key rotate`` replaced, while sessions it signed may be open."""
    previous = instance_path / "secret_key.previous"
    if os.environ.get("POS_SECRET_KEY") or not previous.exists():
        return []
    if time.time() - previous.stat().st_mtime > SESSION_DAYS * 86400:
        return []
    return [previous.read_text().strip()]


def _networks(name: str, default: str) -> tuple:
    """A comma-separated list of networks ("10.0.0.0/8, 192.168.1.7"); an error names the
    setting at start-up rather than at the first request."""
    text = os.environ.get(name, default)
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in text.split(",")
            if part.strip()
        )
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from error


def _engine_options(database_url: str) -> dict:
    """PostgreSQL's pool, as a multi-worker host needs it: connections checked before use
    (a database restarted, a balancer that dropped them), recycled, bounded."""
    if not database_url.startswith("postgresql"):
        return {}
    options: dict = {
        "pool_pre_ping": True,
        "pool_size": _env_int("POS_DB_POOL_SIZE", 5),
        "max_overflow": _env_int("POS_DB_MAX_OVERFLOW", 10),
        "pool_timeout": _env_int("POS_DB_POOL_TIMEOUT_SECONDS", 30),
        "pool_recycle": 1800,
    }
    if os.environ.get("POS_DB_PGBOUNCER") == "1":
        # Behind PgBouncer in transaction mode a connection is not the session psycopg
        # prepared its statements in: it prepares none.
        options["connect_args"] = {"prepare_threshold": None}
    return options


def load(instance_path: str) -> dict:
    """Return the Flask config mapping for an app whose instance folder is given."""
    instance = Path(instance_path)
    database_url = os.environ.get("POS_DATABASE_URL") or f"sqlite:///{instance / 'pos.db'}"
    return {
        "SECRET_KEY": _secret_key(instance, database_url),
        "SECRET_KEY_FALLBACKS": _previous_secret_keys(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        # How long an organiser's read (a report, a page) may run on PostgreSQL before it is
        # stopped: a heavy report must not hold a connection the tills need.
        "POS_DB_STATEMENT_TIMEOUT_SECONDS": _env_int("POS_DB_STATEMENT_TIMEOUT_SECONDS", 30),
        # Bodies larger than this are refused with 413 before any parsing.
        "MAX_CONTENT_LENGTH": _env_int("POS_MAX_BODY_BYTES", 256 * 1024),
        "POS_SQLITE_BUSY_TIMEOUT_MS": _env_int("POS_SQLITE_BUSY_TIMEOUT_MS", 30_000),
        # SQLite: checkpoint the WAL in a thread every so many seconds instead of in a sale's
        # commit; 0 leaves it to SQLite. `pos serve` sets 1 unless told otherwise.
        "POS_SQLITE_CHECKPOINT_SECONDS": float(
            os.environ.get("POS_SQLITE_CHECKPOINT_SECONDS") or 0
        ),
        "POS_TOKEN_TTL_HOURS": _env_int("POS_TOKEN_TTL_HOURS", 12),
        "POS_DEVICE_TOKEN_GRACE_DAYS": _env_int("POS_DEVICE_TOKEN_GRACE_DAYS", 2),
        "POS_PAIRING_HOURS": _env_int("POS_PAIRING_HOURS", 72),
        # Different wrong pairing codes an address may send in POS_LOGIN_WINDOW_MINUTES, and
        # in a day (README: a fair behind one NAT never reaches them; guessing stays hopeless).
        "POS_PAIRING_MAX_FAILURES": _env_int("POS_PAIRING_MAX_FAILURES", 60),
        "POS_PAIRING_MAX_FAILURES_PER_DAY": _env_int("POS_PAIRING_MAX_FAILURES_PER_DAY", 200),
        "POS_PIN_MAX_FAILURES": _env_int("POS_PIN_MAX_FAILURES", 5),
        "POS_PIN_WINDOW_MINUTES": _env_int("POS_PIN_WINDOW_MINUTES", 15),
        "POS_LOGIN_MAX_FAILURES": _env_int("POS_LOGIN_MAX_FAILURES", 5),
        "POS_LOGIN_WINDOW_MINUTES": _env_int("POS_LOGIN_WINDOW_MINUTES", 15),
        "POS_SOLD_AT_MAX_AHEAD_SECONDS": _env_int("POS_SOLD_AT_MAX_AHEAD_SECONDS", 300),
        # Where the till's scripts are served from (unset: the package's); for trying a
        # till's new version on one server.
        "POS_TILL_STATIC_FOLDER": os.environ.get("POS_TILL_STATIC_FOLDER") or None,
        # How long a print worker holds a job without renewing its lease (it renews every
        # third of it): a worker that died is taken over after this.
        "POS_PRINT_LEASE_SECONDS": _env_int("POS_PRINT_LEASE_SECONDS", 30),
        "POS_PRINTER_FILE_ROOT": os.environ.get("POS_PRINTER_FILE_ROOT")
        or str(instance / "printer-out"),
        # Where `pos backup` writes when told no file: a disk or share off this host.
        "POS_BACKUP_DIR": os.environ.get("POS_BACKUP_DIR") or None,
        # A token Prometheus scrapes /metrics with (every fair's counts); unset, only an
        # organiser's or admin's token reads them.
        "POS_METRICS_TOKEN": os.environ.get("POS_METRICS_TOKEN") or None,
        # Proxies in front of the server (load balancer, nginx): their X-Forwarded-For names
        # the client. Empty: the server is reached directly, and that header is ignored.
        "POS_TRUSTED_PROXIES": _networks("POS_TRUSTED_PROXIES", ""),
        # Where a booth's network printer may be: the fair's private LAN. Link-local
        # addresses (cloud metadata) are refused whatever this says.
        "POS_PRINTER_NETWORKS": _networks(
            "POS_PRINTER_NETWORKS", "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7"
        ),
        # Report files (XLSX, PDF, CSV) rendered in a child process, not in the worker that
        # serves the tills' sales (pos.reports.apart).
        "POS_REPORTS_IN_CHILD": os.environ.get("POS_REPORTS_IN_CHILD", "1") == "1",
        # The base of links on receipts, pairing cards and QR codes; unset, the address
        # ``pos serve`` serves at (its scheme, the machine's LAN address, its port).
        "POS_PUBLIC_URL": os.environ.get("POS_PUBLIC_URL")
        or os.environ.get("POS_SERVED_URL")
        or "http://127.0.0.1:5000",
        # Page sessions (the till's pairing, organisers' pages): cookies never readable by
        # scripts, not sent with cross-site posts, and HTTPS-only when served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("POS_SECURE_COOKIES") == "1",
        "PERMANENT_SESSION_LIFETIME": SESSION_DAYS * 24 * 3600,
        "WTF_CSRF_TIME_LIMIT": 24 * 3600,
        "BABEL_DEFAULT_LOCALE": "fr",
        "POS_LANGUAGES": ("ar", "fr", "en"),
        # The receipt's last words, a line in each language.
        "POS_RECEIPT_FOOTER": os.environ.get(
            "POS_RECEIPT_FOOTER", "Merci de soutenir l'économie sociale et solidaire\u00a0!"
        ),
        "POS_RECEIPT_FOOTER_AR": os.environ.get(
            "POS_RECEIPT_FOOTER_AR", "شكرا لدعمكم للاقتصاد الاجتماعي والتضامني"
        ),
        # flask-smorest: the OpenAPI document at /api/v1/openapi.json
        "API_TITLE": "Tadamon POS",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
