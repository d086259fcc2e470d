"""Case drafts without a municipality yet; messages on cases.

A member may save a draft before choosing the municipality (submitting still requires it),
and cases get a message thread (with the member, or internal among coordinators).
Downgrade fails if a draft without a municipality exists: choose one for it first.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:33:01.739223

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_comment_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_case_created', ['case_id', 'created_at'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.alter_column('municipality_id',
               existing_type=sa.INTEGER(),
               nullable=True)



def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.alter_column('municipality_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_case_created')

    op.drop_table('comment')
