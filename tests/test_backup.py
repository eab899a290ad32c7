"""``pos backup`` copies a live database that can be opened again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support import fresh_postgres_database, post_sale, simple_sale

POS = str(Path(sys.executable).with_name("pos"))


def test_backup_holds_the_sales(app, client, fair, backend, tmp_path):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    target = tmp_path / ("copy.sqlite3" if backend == "sqlite" else "copy.dump")
    result = app.test_cli_runner().invoke(args=["backup", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    if backend == "sqlite":
        engine = sa.create_engine(f"sqlite:///{target}")
        with engine.connect() as connection:
            numbers = connection.exec_driver_sql("SELECT receipt_number FROM sales").scalars()
            assert list(numbers) == [sale["receipt_number"]]
        engine.dispose()
    else:
        assert target.read_bytes().startswith(b"PGDMP")


def test_backup_goes_to_the_folder_named(app, client, fair, backend, tmp_path, monkeypatch):
    """A folder for a destination (a disk or share off the host): a timestamped file in it;
    unsaid, POS_BACKUP_DIR."""
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    named = tmp_path / "share" / "fair-backups"
    result = app.test_cli_runner().invoke(args=["backup", "--out", f"{named}/"])
    assert result.exit_code == 0, result.output
    [written] = named.iterdir()
    assert written.name.startswith("pos-") and written.stat().st_size > 0
    app.config["POS_BACKUP_DIR"] = str(tmp_path / "configured")
    assert app.test_cli_runner().invoke(args=["backup"]).exit_code == 0
    assert len(list((tmp_path / "configured").iterdir())) == 1


@pytest.fixture
def empty_url(backend, tmp_path):
    """A new empty database beside the test's own, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    from tests.conftest import POSTGRES_ADMIN_URL

    with fresh_postgres_database(POSTGRES_ADMIN_URL) as url:
        yield url


def test_a_backup_restored_into_an_empty_database_holds_the_sales_and_verifies(
    app, client, fair, backend, tmp_path, empty_url
):
    sales = [
        post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
        for _ in range(3)
    ]
    target = tmp_path / ("copy.sqlite3" if backend == "sqlite" else "copy.dump")
    assert app.test_cli_runner().invoke(args=["backup", "--out", str(target)]).exit_code == 0
    empty = empty_url
    env = {**os.environ, "POS_DATABASE_URL": empty}
    restored = subprocess.run(
        [POS, "restore", str(target)], env=env, capture_output=True, text=True
    )
    assert restored.returncode == 0, restored.stderr
    engine = sa.create_engine(empty)
    with engine.connect() as connection:
        numbers = connection.exec_driver_sql("SELECT receipt_number FROM sales ORDER BY id")
        assert list(numbers.scalars()) == [sale["receipt_number"] for sale in sales]
    engine.dispose()
    verified = subprocess.run([POS, "verify"], env=env, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # Into a database that holds a fair already: refused, nothing mixed.
    again = subprocess.run([POS, "restore", str(target)], env=env, capture_output=True, text=True)
    assert again.returncode != 0 and "empty" in again.stderr
