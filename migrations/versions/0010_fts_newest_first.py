"""SQLite's full-text index reads newest first in its natural order.

Reviewed by hand. SQLite only; PostgreSQL has nothing to change (its search reads the
primary key backwards, which costs no more than forwards).

Every search reads its newest matches (tracker.public.window). The FTS5 index kept each
finding under its id, so that meant `ORDER BY rowid DESC`, and FTS5 walks a word's list
backwards about a third slower than forwards: 0.8 ms of a two-word search at a million
findings. The index is now contentless (it never served the text: `finding` holds it) and
keeps each finding under 2**53 - id, so ascending order is newest first. The triggers pass
the old text when a row is deleted or its text changes: a contentless index forgets a row
only when told what it held.

Existing rows are indexed again from `finding.search_text`, then merged into one segment.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 15:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TRIGGERS = ("finding_fts_insert", "finding_fts_delete", "finding_fts_update")
NEWEST_FIRST = (
    "CREATE VIRTUAL TABLE finding_fts USING fts5(search_text, content='',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN"
    " INSERT INTO finding_fts(rowid, search_text)"
    " VALUES (9007199254740992 - new.id, new.search_text); END",
    "CREATE TRIGGER finding_fts_delete AFTER DELETE ON finding BEGIN"
    " INSERT INTO finding_fts(finding_fts, rowid, search_text)"
    " VALUES ('delete', 9007199254740992 - old.id, old.search_text); END",
    "CREATE TRIGGER finding_fts_update AFTER UPDATE OF search_text ON finding BEGIN"
    " INSERT INTO finding_fts(finding_fts, rowid, search_text)"
    " VALUES ('delete', 9007199254740992 - old.id, old.search_text);"
    " INSERT INTO finding_fts(rowid, search_text)"
    " VALUES (9007199254740992 - new.id, new.search_text); END",
    "INSERT INTO finding_fts(rowid, search_text)"
    " SELECT 9007199254740992 - id, search_text FROM finding",
    "INSERT INTO finding_fts(finding_fts) VALUES ('optimize')",
)
BY_ID = (  # as 0005 made it
    "CREATE VIRTUAL TABLE finding_fts USING fts5(search_text, content='finding',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN"
    " INSERT INTO finding_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER finding_fts_delete AFTER DELETE ON finding BEGIN"
    " INSERT INTO finding_fts(finding_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER finding_fts_update AFTER UPDATE OF search_text ON finding BEGIN"
    " INSERT INTO finding_fts(finding_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO finding_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO finding_fts(finding_fts) VALUES ('rebuild')",
)


def _replace(statements: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS finding_fts")
    for statement in statements:
        op.execute(statement)


def upgrade():
    _replace(NEWEST_FIRST)


def downgrade():
    _replace(BY_ID)
