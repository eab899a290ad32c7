"""the place of sale, the seller's address, compact receipts

Revision ID: 5b1e0c7a2d94
Revises: d49ed468f6fd
Create Date: 2026-12-07 00:30:00

A receipt names the seller's address and the place of sale (loi 31-08, art. 4): the
exhibitor's town or address, and where the fair is held, in French and in Arabic. A booth may choose compact receipts (its Arabic drawn smaller, in
half the bytes) for a printer on a slow Bluetooth link.
"""
from alembic import op
import sqlalchemy as sa


revision = '5b1e0c7a2d94'
down_revision = 'd49ed468f6fd'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('exhibitors', sa.Column('address', sa.String(length=200), nullable=True))
    op.add_column('events', sa.Column('place', sa.String(length=200), nullable=True))
    op.add_column('events', sa.Column('place_ar', sa.String(length=200), nullable=True))
    op.add_column('printer_settings', sa.Column('compact', sa.Boolean(), server_default=sa.false(),
                                                nullable=False))


def downgrade():
    # SQLite drops a column itself since 3.35, without recreating the table.
    op.drop_column('printer_settings', 'compact')
    op.drop_column('events', 'place_ar')
    op.drop_column('events', 'place')
    op.drop_column('exhibitors', 'address')
