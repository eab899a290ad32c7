"""App and database fixtures. Every database test runs on SQLite and on PostgreSQL.

The schema is built by running the migrations once per backend and session;
each test then gets an empty copy (a copied SQLite file, a truncated
PostgreSQL database), so tests may commit and run concurrent requests.
"""

from __future__ import annotations

import os
import shutil
from contextlib import ExitStack

import pytest
import sqlalchemy as sa

os.environ.setdefault("POS_SECRET_KEY", "test-secret-key-not-for-production")
# The tests' network printers (emulators) listen on loopback: that is their fair's LAN. The
# default list, without loopback, is tested on its own (test_hardening).
# Each test has its own database: report files render in the request, not in a child
# process started for every test (test_reports_apart runs them in the child).
os.environ.setdefault("POS_REPORTS_IN_CHILD", "0")
os.environ.setdefault(
    "POS_PRINTER_NETWORKS", "127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7"
)

from pos import create_app
from pos.extensions import db
from tests.support import Fair, build_fair, fresh_postgres_database, migrate_to_head

REQUIRE_ALL = os.environ.get("POS_TEST_REQUIRE_ALL") == "1"
POSTGRES_ADMIN_URL = os.environ.get(
    "POS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def skip_or_fail(reason: str):
    """A missing PostgreSQL or browser is a skip locally and a failure in CI."""
    if REQUIRE_ALL:
        pytest.fail(f"POS_TEST_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def database(backend, tmp_path_factory):
    """A migrated, empty database for the session: (kind, url or template path)."""
    if backend == "sqlite":
        template = tmp_path_factory.mktemp("sqlite") / "template.db"
        migrate_to_head(f"sqlite:///{template}")
        yield {"kind": "sqlite", "template": template}
        return
    with ExitStack() as stack:
        try:
            url_text = stack.enter_context(fresh_postgres_database(POSTGRES_ADMIN_URL))
        except sa.exc.OperationalError as error:
            skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.orig}")
        migrate_to_head(url_text)
        yield {"kind": "postgresql", "url": url_text}


def _fresh_url(database, tmp_path) -> str:
    if database["kind"] == "sqlite":
        target = tmp_path / "pos.db"
        shutil.copyfile(database["template"], target)
        return f"sqlite:///{target}"
    engine = sa.create_engine(database["url"])
    with engine.begin() as connection:
        tables = [
            name for name in sa.inspect(connection).get_table_names() if name != "alembic_version"
        ]
        quoted = ", ".join(f'"{name}"' for name in tables)
        connection.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    engine.dispose()
    return database["url"]


@pytest.fixture
def database_url(database, tmp_path):
    return _fresh_url(database, tmp_path)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POS_PRINTER_FILE_ROOT": str(tmp_path / "printer-out"),
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def fair(app) -> Fair:
    """A fair running today with booths A and B, an organiser and a device per booth."""
    return build_fair(app)


CHROMIUM = os.environ.get("POS_TEST_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (it cannot download browsers here)."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"no Chromium at {CHROMIUM} (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def server(database_url, fair, tmp_path):
    """``pos serve`` (gunicorn) on the test's database, with the test fair."""
    from tests.livesupport import LiveServer

    live = LiveServer(database_url, log_path=tmp_path / "serve.log")
    live.wait_ready()
    yield live
    live.stop()
