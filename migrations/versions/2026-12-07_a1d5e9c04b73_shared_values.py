"""values every host of the database shares

Revision ID: a1d5e9c04b73
Revises: 8c3f1d2e6a47
Create Date: 2026-12-07 01:30:00

On PostgreSQL the hosts of one database share the key that signs page sessions, the fair's
HTTPS authority and the platform's public address, kept here (``pos.core.shared``).
"""
from alembic import op
import sqlalchemy as sa


revision = 'a1d5e9c04b73'
down_revision = '8c3f1d2e6a47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shared_values',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_shared_values')),
    )


def downgrade():
    op.drop_table('shared_values')
