"""rehearsal fairs, removable

Revision ID: d49ed468f6fd
Revises: c857e3434d67
Create Date: 2026-12-06 21:15:00

A fair made to rehearse (``pos drill``) says so (``rehearsal``): never the dashboard's
fair nor an earlier edition. Removed (``removed_at``), it answers 404 and its phones are
signed out; its sealed records stay, the journal's chain running through them.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd49ed468f6fd'
down_revision = 'c857e3434d67'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('events', sa.Column('rehearsal', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.add_column('events', sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # SQLite drops a column itself since 3.35, without recreating the table.
    op.drop_column('events', 'removed_at')
    op.drop_column('events', 'rehearsal')
