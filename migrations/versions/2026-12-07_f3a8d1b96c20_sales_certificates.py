"""sales certificates, and the organisations' signing keys

Revision ID: f3a8d1b96c20
Revises: e2b7c4f81a05
Create Date: 2026-12-07 02:00:00

A cooperative's certificate of its sales at a fair, signed with its organisation's Ed25519
key over the figures and the booth's chain head at issuance.
"""
from alembic import op
import sqlalchemy as sa


revision = 'f3a8d1b96c20'
down_revision = 'e2b7c4f81a05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_keys',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('private_pem', sa.Text(), nullable=False),
        sa.Column('public_pem', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_organisation_keys_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_organisation_keys')),
    )
    op.create_table(
        'sales_certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('exhibitor_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('signature', sa.String(length=128), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['exhibitor_id'], ['exhibitors.id'],
                                name=op.f('fk_sales_certificates_exhibitor_id_exhibitors')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_sales_certificates_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_certificates')),
        sa.UniqueConstraint('public_id', name=op.f('uq_sales_certificates_public_id')),
    )
    op.create_index(op.f('ix_sales_certificates_exhibitor_id'), 'sales_certificates',
                    ['exhibitor_id'])


def downgrade():
    op.drop_index(op.f('ix_sales_certificates_exhibitor_id'), table_name='sales_certificates')
    op.drop_table('sales_certificates')
    op.drop_table('organisation_keys')
