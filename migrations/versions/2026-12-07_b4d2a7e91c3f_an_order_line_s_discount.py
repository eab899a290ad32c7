"""an order line's discount

Revision ID: b4d2a7e91c3f
Revises: e6c1e86c1029
Create Date: 2026-12-07 07:05:00

A discount given on a line of the cart is kept when the cart is ordered, as on a sale's
line: the line's total (and the order's) is what is left after it. Lines of before had none.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b4d2a7e91c3f'
down_revision = 'e6c1e86c1029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount', sa.BigInteger(), server_default='0',
                                      nullable=False))
        batch_op.create_check_constraint('discount_not_negative', 'discount >= 0')


def downgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_order_lines_discount_not_negative'), type_='check')
        batch_op.drop_column('discount')
