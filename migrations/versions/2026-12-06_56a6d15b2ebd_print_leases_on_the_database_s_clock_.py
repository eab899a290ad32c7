"""print leases on the database's clock, print stations, code pages

Revision ID: 56a6d15b2ebd
Revises: 38ef87944eaa
Create Date: 2026-12-06 17:43:52.124867

A job's lease ends at a moment of the database's clock (``lease_expires_at``) and its
holder's token fences its finish (``claim_token``); a job printing when this runs keeps
the lease it had (90 s from its claim). A booth's printer may name its print station; its
code page is chosen from its profile. On PostgreSQL, a job that becomes due for a worker
notifies channel ``pos_print_jobs`` with its printer's station at the commit.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '56a6d15b2ebd'
down_revision = '38ef87944eaa'
branch_labels = None
depends_on = None

# French's code pages, best first (printers.profiles, as of this migration).
FRENCH_CODE_PAGES = ("CP858", "CP850", "CP1252")


def _best_code_page(profile):
    from escpos.capabilities import CAPABILITIES

    known = CAPABILITIES["profiles"].get(profile, {})
    offered = set(known.get("codePages", {}).values())
    return next((page for page in FRENCH_CODE_PAGES if page in offered), "ASCII")


def upgrade():
    op.create_table('print_stations',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_print_stations_event_id_events')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_print_stations'))
    )
    with op.batch_alter_table('print_stations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_stations_event_id'), ['event_id'], unique=False)

    op.add_column('print_jobs', sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('print_jobs', sa.Column('claim_token', sa.String(length=32), nullable=True))

    with op.batch_alter_table('printer_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('station', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('code_page', sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_printer_settings_station_print_stations'), 'print_stations', ['station'], ['name'])

    connection = op.get_bind()
    settings = sa.table('printer_settings', sa.column('exhibitor_id'), sa.column('profile'),
                        sa.column('code_page'))
    for exhibitor_id, profile in connection.execute(
        sa.select(settings.c.exhibitor_id, settings.c.profile)
    ).all():
        connection.execute(
            settings.update()
            .where(settings.c.exhibitor_id == exhibitor_id)
            .values(code_page=_best_code_page(profile))
        )
    jobs = sa.table('print_jobs', sa.column('status'), sa.column('claimed_at'),
                    sa.column('lease_expires_at'))
    if connection.dialect.name == "postgresql":
        lease_end = jobs.c.claimed_at + sa.text("interval '90 seconds'")
    else:
        lease_end = sa.func.datetime(jobs.c.claimed_at, '+90 seconds')
    connection.execute(
        jobs.update().where(jobs.c.status == 'printing').values(lease_expires_at=lease_end)
    )

    if connection.dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION pos_print_job_due() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('pos_print_jobs', coalesce(
                    (SELECT station FROM printer_settings
                     WHERE exhibitor_id = NEW.exhibitor_id), ''));
                RETURN NULL;
            END $$
        """)
        op.execute("""
            CREATE TRIGGER print_jobs_due AFTER INSERT OR UPDATE OF status ON print_jobs
            FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION pos_print_job_due()
        """)


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER print_jobs_due ON print_jobs")
        op.execute("DROP FUNCTION pos_print_job_due()")

    with op.batch_alter_table('printer_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_printer_settings_station_print_stations'), type_='foreignkey')
        batch_op.drop_column('code_page')
        batch_op.drop_column('station')

    op.execute('ALTER TABLE print_jobs DROP COLUMN claim_token')
    op.execute('ALTER TABLE print_jobs DROP COLUMN lease_expires_at')

    with op.batch_alter_table('print_stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_stations_event_id'))

    op.drop_table('print_stations')
