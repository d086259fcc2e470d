"""PostgreSQL keeps each finding's search vector stored, indexed and ranked from there.

Reviewed by hand. Until now the GIN index was built over the expression
to_tsvector('simple', search_text): matching used it, but ts_rank and any recheck parsed
every row's text again (over a second at 100,000 findings for a common word). A stored
generated column holds the vector once; the index moves onto it. SQLite is untouched (its
FTS5 index already stores what ranking needs). Adding the column rewrites `finding` once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 08:40:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_finding_search")
    op.execute(
        "ALTER TABLE finding ADD COLUMN search_vector tsvector"
        " GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
    )
    op.execute("CREATE INDEX ix_finding_search ON finding USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_finding_search")
    op.execute("ALTER TABLE finding DROP COLUMN search_vector")
    op.execute(
        "CREATE INDEX ix_finding_search ON finding USING gin (to_tsvector('simple', search_text))"
    )
