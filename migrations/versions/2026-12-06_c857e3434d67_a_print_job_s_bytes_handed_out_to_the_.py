"""a print job's bytes handed out to the phone holding it

Revision ID: c857e3434d67
Revises: 97391858a9c5
Create Date: 2026-12-06 21:02:04.233817

When the phone that holds a job fetches its bytes (``handed_out_at``), it may print it from
then on: if it claims the job again (its report of printing lost), the receipt prints as a
copy rather than a second original.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c857e3434d67'
down_revision = '97391858a9c5'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('print_jobs', sa.Column('handed_out_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # SQLite drops a column itself since 3.35, without recreating the table.
    op.drop_column('print_jobs', 'handed_out_at')
