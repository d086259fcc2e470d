"""The facets of a filtered list read from the index alone; word counts stored.

Reviewed by hand. A filtered list counts its facets over the newest 2,000 matches
(tracker.public.window). Those were found through an index and then looked up one by one in
the table, for their place, category and actors (a second query, one probe per finding, on
`finding_actor`): at a million findings that was 8 ms of a 19 ms page. Now:

- `finding.actor_ids` keeps a copy of the finding's actor ids ("3 17"), so the actor facet
  needs no second query;
- the five id-ordered indexes also carry category, district, municipality and actor ids, so
  the window of a filtered list is read from the index without touching the table;
- `finding.word_count` and `finding.repeats` keep what relevance ranking needs of
  `search_text`: its length in words, and the words it repeats (tracker.text.repeats).
  Ranking read the whole text of every match and counted in it, on every search.

Existing rows are filled from `finding_actor` and `search_text` (whose words are each
wrapped in two spaces since 0008: n words hold n - 1 double spaces); the repeats in batches,
by the same function the application uses.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 11:20:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 5000
COVERED = ("category_id", "district_code", "municipality_id", "actor_ids")
INDEXES = {
    "ix_finding_municipality_id": ("municipality_id", "id"),
    "ix_finding_district_id": ("district_code", "id"),
    "ix_finding_category_id": ("category_id", "id"),
    "ix_finding_category_district": ("category_id", "district_code", "id"),
    "ix_finding_category_municipality": ("category_id", "municipality_id", "id"),
}


def upgrade():
    # Plain ALTER TABLE and CREATE INDEX (no batch mode): a batch table copy would drop the
    # FTS5 triggers.
    op.add_column("finding", sa.Column("word_count", sa.Integer(), nullable=False,
                                       server_default="0"))  # fmt: skip
    op.add_column("finding", sa.Column("repeats", sa.Text(), nullable=False,
                                       server_default=""))  # fmt: skip
    op.add_column("finding", sa.Column("actor_ids", sa.Text(), nullable=False,
                                       server_default=""))  # fmt: skip
    if op.get_bind().dialect.name == "sqlite":
        ids = (
            "SELECT group_concat(actor_id, ' ') FROM (SELECT actor_id FROM finding_actor"
            " WHERE finding_id = finding.id ORDER BY actor_id)"
        )
    else:
        ids = (
            "SELECT string_agg(actor_id::text, ' ' ORDER BY actor_id) FROM finding_actor"
            " WHERE finding_id = finding.id"
        )
    op.execute(
        "UPDATE finding SET"
        " word_count = CASE WHEN search_text = '' THEN 0"
        " ELSE (length(search_text) - length(replace(search_text, '  ', ''))) / 2 + 1 END,"
        f" actor_ids = coalesce(({ids}), '')"
    )
    _fill_repeats()
    for name, leading in INDEXES.items():
        op.drop_index(name, table_name="finding")
        rest = [column for column in COVERED if column not in leading]
        op.create_index(name, "finding", [*leading, *rest])


def _fill_repeats():
    from tracker.text import repeats  # a pure function of the text, as the application stores it

    bind = op.get_bind()
    finding = sa.table("finding", sa.column("id", sa.Integer), sa.column("search_text", sa.Text),
                       sa.column("repeats", sa.Text))  # fmt: skip
    fill = (
        finding.update()
        .where(finding.c.id == sa.bindparam("row_id"))
        .values(repeats=sa.bindparam("found"))
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
        found = [{"row_id": ident, "found": repeats(text)} for ident, text in rows]
        found = [row for row in found if row["found"]]
        if found:
            bind.execute(fill, found)
        last = rows[-1][0]


def downgrade():
    for name, leading in INDEXES.items():
        op.drop_index(name, table_name="finding")
        op.create_index(name, "finding", list(leading))
    op.drop_column("finding", "actor_ids")
    op.drop_column("finding", "repeats")
    op.drop_column("finding", "word_count")
