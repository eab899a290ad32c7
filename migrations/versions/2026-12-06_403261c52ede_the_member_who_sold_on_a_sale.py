"""the member who sold, on a sale

Revision ID: 403261c52ede
Revises: 4a2e95a71865
Create Date: 2026-12-06 18:38:00

A sale may name the booth's member who sold; its hash seals it when it does (earlier sales
keep the payload they were sealed with).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '403261c52ede'
down_revision = '4a2e95a71865'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never batch mode: SQLite's batch mode copies the table and would
    # drop its append-only triggers. SQLite takes the reference with the column; PostgreSQL
    # gets it as a named constraint.
    if op.get_context().dialect.name == "postgresql":
        op.add_column('sales', sa.Column('member_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_sales_member_id_members'), 'sales', 'members', ['member_id'], ['id']
        )
    else:
        op.execute('ALTER TABLE sales ADD COLUMN member_id INTEGER REFERENCES members (id)')


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(op.f('fk_sales_member_id_members'), 'sales', type_='foreignkey')
    op.execute('ALTER TABLE sales DROP COLUMN member_id')  # SQLite 3.35+ and PostgreSQL
