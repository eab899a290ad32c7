"""orders and contacts at the booth, products' pictures and stock

Revision ID: e6c1e86c1029
Revises: f3a8d1b96c20
Create Date: 2026-12-07 03:37:54

Orders (to deliver after the fair) and business contacts taken at a booth; a product's
picture and the quantity brought. Every booth gets its deposit product (kind "deposit"):
a deposit on an order is a sale of its own.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = 'e6c1e86c1029'
down_revision = 'f3a8d1b96c20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('interest', sa.String(length=500), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_contacts_device_id_devices')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_contacts_event_id_events')),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['exhibitors.id'], name=op.f('fk_contacts_exhibitor_id_exhibitors')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_contacts_member_id_members')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contacts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_exhibitor_id'), ['exhibitor_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('buyer_name', sa.String(length=200), nullable=False),
    sa.Column('buyer_phone', sa.String(length=40), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('deposit', sa.BigInteger(), nullable=False),
    sa.Column('deposit_key', sa.String(length=255), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('total >= 0 AND deposit >= 0', name=op.f('ck_orders_amounts_not_negative')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_orders_device_id_devices')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_orders_event_id_events')),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['exhibitors.id'], name=op.f('fk_orders_exhibitor_id_exhibitors')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_orders_member_id_members')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_orders_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_exhibitor_id'), ['exhibitor_id'], unique=False)

    op.create_table('product_pictures',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('version', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_pictures_product_id_products')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product_pictures'))
    )
    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_ar', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('line_total', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0 AND line_total >= 0', name=op.f('ck_order_lines_amounts_valid')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_order_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('order_id', 'position', name=op.f('uq_order_lines_order_id_position'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_product_id'), ['product_id'], unique=False)

    op.add_column('products', sa.Column('kind', sa.String(length=10), server_default='goods',
                                        nullable=False))
    op.add_column('products', sa.Column('stock', sa.BigInteger(), nullable=True))
    _give_every_booth_its_deposit_product()


def _give_every_booth_its_deposit_product():
    now = datetime.now(timezone.utc)
    products = sa.table(
        'products', *(sa.column(name) for name in (
            'id', 'exhibitor_id', 'name', 'name_ar', 'unit', 'unit_price', 'open_price',
            'vat_rate', 'active', 'kind', 'created_at', 'updated_at')),
    )
    prices = sa.table('product_prices', sa.column('product_id'), sa.column('unit_price'),
                      sa.column('set_at'))
    exhibitors = sa.table('exhibitors', sa.column('id'))
    op.execute(products.insert().from_select(
        ['exhibitor_id', 'name', 'name_ar', 'unit', 'unit_price', 'open_price', 'vat_rate',
         'active', 'kind', 'created_at', 'updated_at'],
        sa.select(exhibitors.c.id, sa.literal('Acompte sur commande'),
                  sa.literal('عربون على طلبية'), sa.literal('piece'), sa.literal(0),
                  sa.true(), sa.literal(20), sa.true(), sa.literal('deposit'),
                  sa.literal(now, sa.DateTime(timezone=True)),
                  sa.literal(now, sa.DateTime(timezone=True))),
    ))
    op.execute(prices.insert().from_select(
        ['product_id', 'unit_price', 'set_at'],
        sa.select(products.c.id, sa.literal(0), sa.literal(now, sa.DateTime(timezone=True)))
        .where(products.c.kind == 'deposit'),
    ))



def downgrade():
    products = sa.table('products', sa.column('id'), sa.column('kind'))
    prices = sa.table('product_prices', sa.column('product_id'))
    deposits = sa.select(products.c.id).where(products.c.kind == 'deposit')
    op.execute(prices.delete().where(prices.c.product_id.in_(deposits)))
    op.execute(products.delete().where(products.c.kind == 'deposit'))
    # SQLite drops a column itself since 3.35, without recreating the table.
    op.drop_column('products', 'stock')
    op.drop_column('products', 'kind')

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_product_id'))

    op.drop_table('order_lines')
    op.drop_table('product_pictures')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_exhibitor_id'))
        batch_op.drop_index(batch_op.f('ix_orders_event_id'))

    op.drop_table('orders')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_exhibitor_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_event_id'))

    op.drop_table('contacts')
