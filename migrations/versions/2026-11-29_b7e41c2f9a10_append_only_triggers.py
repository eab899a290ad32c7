"""append-only: the database refuses UPDATE and DELETE of sealed records

Revision ID: b7e41c2f9a10
Revises: 6cb37a8666f7
Create Date: 2026-11-29 18:20:00

Sealed records are never changed or removed, whatever code or person talks to
the database: a void or a refund is a new record. Note for later migrations:
SQLite's batch mode recreates a table and drops its triggers; a migration that
batch-alters one of these tables must create its triggers again
(tests/test_append_only.py fails if it does not).
"""
from alembic import op


revision = 'b7e41c2f9a10'
down_revision = '6cb37a8666f7'
branch_labels = None
depends_on = None

SEALED_TABLES = ("sales", "sale_lines", "payments", "sale_voids", "closings", "audit_events",
                 "idempotency_records")


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION pos_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% of % refused: sealed records are append-only',
                    TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
            END
            $$
        """)
        for table in SEALED_TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION pos_refuse_change()")
    else:
        for table in SEALED_TABLES:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{action} of {table} refused: sealed records "
                    "are append-only'); END"
                )
    op.execute("INSERT INTO audit_head (id, last_seq, last_hash) VALUES "
               f"(1, 0, '{'0' * 64}')")


def downgrade():
    op.execute("DELETE FROM audit_head WHERE id = 1")
    if op.get_context().dialect.name == "postgresql":
        for table in SEALED_TABLES:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION pos_refuse_change()")
    else:
        for table in SEALED_TABLES:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
