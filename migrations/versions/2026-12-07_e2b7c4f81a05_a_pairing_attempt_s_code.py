"""a pairing attempt's code, hashed

Revision ID: e2b7c4f81a05
Revises: a1d5e9c04b73
Create Date: 2026-12-07 01:45:00

Wrong pairing codes are counted per address and per code: the same typo sent again counts
once, so that a fair's phones behind one NAT do not lock each other out.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e2b7c4f81a05'
down_revision = 'a1d5e9c04b73'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('login_failures', sa.Column('attempt', sa.String(length=64), nullable=True))


def downgrade():
    # SQLite drops a column itself since 3.35, without recreating the table.
    op.drop_column('login_failures', 'attempt')
