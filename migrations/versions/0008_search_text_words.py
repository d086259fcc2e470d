"""The public search text keeps only words: punctuation dropped, one space between words.

Reviewed by hand. Full-text search finds the same findings either way (both engines split
on punctuation), but relevance is now counted from the text itself (tracker.public.rank
counts " word " in it), which needs the words bare. Existing rows are rewritten in batches;
the FTS5 update trigger and PostgreSQL's generated vector follow. Nothing to undo on the way
down: the words-only text searches as the old one did.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 09:05:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    from tracker.text import words_of  # a pure function of text; the stored text must match it

    bind = op.get_bind()
    finding = sa.table("finding", sa.column("id", sa.Integer), sa.column("search_text", sa.Text))
    rewrite = (
        finding.update()
        .where(finding.c.id == sa.bindparam("row_id"))
        .values(search_text=sa.bindparam("words"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(finding.c.id, finding.c.search_text)
            .where(finding.c.id > last)
            .order_by(finding.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        changed = [
            {"row_id": ident, "words": words_of(text)}
            for ident, text in rows
            if words_of(text) != text
        ]
        if changed:
            bind.execute(rewrite, changed)
        last = rows[-1][0]


def downgrade():
    pass
