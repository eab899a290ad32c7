"""Is this process fit to serve: alive (``/healthz``), and ready (``/readyz``: the database
answers and is migrated to the code's head)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app

from pos.extensions import db


@cache
def code_heads(directory: str) -> frozenset[str]:
    """The migration heads the code carries (read once: the code does not change)."""
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def readiness() -> tuple[bool, str]:
    """(ready, why not): the database reachable and at the code's migration head."""
    directory = current_app.extensions["migrate"].directory
    try:
        with db.engine.connect() as connection:
            found = set()
            if sa.inspect(connection).has_table("alembic_version"):  # an empty database: none
                version = sa.text("SELECT version_num FROM alembic_version")
                found = set(connection.execute(version).scalars())
    except sa.exc.SQLAlchemyError as error:
        return False, f"database: {type(error).__name__}"
    wanted = code_heads(directory)
    if found != wanted:
        return False, f"migrations: at {sorted(found) or 'none'}, code at {sorted(wanted)}"
    return True, "ready"
