"""Serbia's local self-government units, loaded from the gazetteer by official code."""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.dbtypes import str_enum
from tracker.extensions import db
from tracker.text import fold


class MunicipalityKind(enum.StrEnum):
    CITY = "city"
    MUNICIPALITY = "municipality"
    CITY_MUNICIPALITY = "city_municipality"


class Municipality(db.Model):
    """A city, municipality or city municipality, with its seat's coordinates."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(10), unique=True)
    name_latin: so.Mapped[str] = so.mapped_column(sa.String(100))
    name_cyrillic: so.Mapped[str] = so.mapped_column(sa.String(100))
    name_folded: so.Mapped[str] = so.mapped_column(sa.String(100), index=True)
    kind: so.Mapped[MunicipalityKind] = so.mapped_column(str_enum(MunicipalityKind))
    district: so.Mapped[str] = so.mapped_column(sa.String(100), index=True)
    district_cyrillic: so.Mapped[str] = so.mapped_column(sa.String(100))
    district_code: so.Mapped[int] = so.mapped_column(index=True)
    parent_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="SET NULL")
    )
    seat: so.Mapped[str] = so.mapped_column(sa.String(100))
    lat: so.Mapped[float]
    lon: so.Mapped[float]
    kosovo_metohija: so.Mapped[bool] = so.mapped_column(default=False)
    boundary: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)

    parent: so.Mapped[Municipality | None] = so.relationship(remote_side=[id])

    def name(self, script: str = "latin") -> str:
        """The name in the given script ("latin" or "cyrillic")."""
        return self.name_cyrillic if script == "cyrillic" else self.name_latin

    def set_names(self, latin: str, cyrillic: str) -> None:
        """Set both names and the folded form used for lookup."""
        self.name_latin, self.name_cyrillic, self.name_folded = latin, cyrillic, fold(latin)

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name_latin}>"
