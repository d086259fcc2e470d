"""Indexes for a category within a district or a municipality, newest first.

Reviewed by hand. A list filtered by a category and a place was read through one of the
two single-column indexes, checking the other condition on every row it passed: at a
million findings the newest matches of a rare pair meant walking a whole category. These
composite indexes read exactly the pair's findings in publication order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 08:10:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX (no batch mode): a batch table copy would drop the FTS5 triggers.
    op.create_index(
        "ix_finding_category_district", "finding", ["category_id", "district_code", "id"]
    )
    op.create_index(
        "ix_finding_category_municipality", "finding", ["category_id", "municipality_id", "id"]
    )


def downgrade():
    op.drop_index("ix_finding_category_municipality", table_name="finding")
    op.drop_index("ix_finding_category_district", table_name="finding")
