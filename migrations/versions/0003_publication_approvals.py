"""Publication approvals and the evidence chosen for the public.

When a second coordinator must approve a publication, the case remembers who approved
first. Evidence gets `published` (chosen at publication among the items the member allowed);
existing rows get false through a temporary server default, dropped again so that the
schema matches the models.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 01:26:53.835364

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_requested_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_publish_requested_by_id_user'), 'user', ['publish_requested_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('published', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.alter_column('published', server_default=None)



def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('published')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_publish_requested_by_id_user'), type_='foreignkey')
        batch_op.drop_column('publish_requested_by_id')

