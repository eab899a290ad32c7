"""organisations

Revision ID: 8c3f1d2e6a47
Revises: 5b1e0c7a2d94
Create Date: 2026-12-07 01:00:00

Organisers belong to an organisation and see only its fairs. The fairs and organisers there
are moved to one organisation, "default", so that they see what they saw.
"""
from alembic import op
import sqlalchemy as sa


revision = '8c3f1d2e6a47'
down_revision = '5b1e0c7a2d94'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
        sa.UniqueConstraint('name', name=op.f('uq_organisations_name')),
    )
    # A column with a reference: SQLite copies the table (batch); neither is a sealed one.
    for table in ('users', 'events'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f(f'fk_{table}_organisation_id_organisations'), 'organisations',
                ['organisation_id'], ['id'])
    op.create_index(op.f('ix_events_organisation_id'), 'events', ['organisation_id'])
    bind = op.get_bind()
    present = bind.execute(sa.text(
        "SELECT (SELECT count(*) FROM events) + "
        "(SELECT count(*) FROM users WHERE role = 'organiser')"
    )).scalar()
    if present:
        bind.execute(sa.text(
            "INSERT INTO organisations (name, created_at) VALUES ('default', CURRENT_TIMESTAMP)"
        ))
        bind.execute(sa.text(
            "UPDATE events SET organisation_id = (SELECT id FROM organisations)"
        ))
        bind.execute(sa.text(
            "UPDATE users SET organisation_id = (SELECT id FROM organisations) "
            "WHERE role = 'organiser'"
        ))


def downgrade():
    op.drop_index(op.f('ix_events_organisation_id'), table_name='events')
    with op.batch_alter_table('events') as batch:
        batch.drop_column('organisation_id')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('organisation_id')
    op.drop_table('organisations')
