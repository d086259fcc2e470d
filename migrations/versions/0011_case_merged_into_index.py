"""A partial index on the case a case was merged into (merged cases only).

Reviewed by hand. Both engines.

The review page of a case lists the duplicates merged into it
(`WHERE merged_into_id = ?`), which read every case without an index. Removing a case
checks the same column for cases merged into it (the foreign key), one full read per
case removed: emptying 12,000 cases took 11.5 s on SQLite, now a fraction of a second.
Only merged cases are indexed: with every case in it, SQLite took the index for the many
reads of cases not merged (`merged_into_id IS NULL`), walking it instead of the primary key.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 22:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    merged = sa.text("merged_into_id IS NOT NULL")
    op.create_index("ix_case_merged_into_id", "case", ["merged_into_id"],
                    sqlite_where=merged, postgresql_where=merged)  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_case_merged_into_id", table_name="case")
