"""``pos backup`` copies a live database that can be opened again."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support import post_sale, simple_sale


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
