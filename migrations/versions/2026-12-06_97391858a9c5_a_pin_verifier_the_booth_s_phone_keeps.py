"""a PIN verifier the booth's phone keeps

What the till keeps to check a member's PIN offline (pos.members.verifier): made when a PIN
is set, or at its next check online for PINs set before.

Revision ID: 97391858a9c5
Revises: 403261c52ede
Create Date: 2026-12-06 18:34:38.285440

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '97391858a9c5'
down_revision = '403261c52ede'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_verifier', sa.String(length=200), nullable=True))



def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('pin_verifier')

