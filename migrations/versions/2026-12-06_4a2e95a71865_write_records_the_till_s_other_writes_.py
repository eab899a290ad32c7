"""write records: the till's other writes safe to retry

A void, a reprint, a set-aside or a product added or changed under an Idempotency-Key keeps
its first answer here, so that the same key again gets it back and acts no more.

Revision ID: 4a2e95a71865
Revises: 56a6d15b2ebd
Create Date: 2026-12-06 18:11:52.057228

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a2e95a71865'
down_revision = '56a6d15b2ebd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('write_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['exhibitors.id'], name=op.f('fk_write_records_exhibitor_id_exhibitors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_records')),
    sa.UniqueConstraint('exhibitor_id', 'key', name=op.f('uq_write_records_exhibitor_id_key'))
    )


def downgrade():
    op.drop_table('write_records')
