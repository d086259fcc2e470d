"""The rows of benchmark cases: every table's values for a batch, generated in bulk.

The public rows (`finding`, `finding_actor`) are what tracker.public.index would build for
the same cases: search text folded from the same parts in the same order, the point at its
public precision, the month unless only the year is known.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tracker.actors.models import ActorRole
from tracker.bench.words import Writer
from tracker.cases.models import CaseStatus, DatePrecision, PointPrecision
from tracker.cases.services import REFERENCE_PREFIX
from tracker.public.models import actor_list
from tracker.public.services import ROUNDING
from tracker.text import repeats, words_of

FIRST_PUBLISHED = datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
LAST_PUBLISHED = datetime(2026, 1, 31, 18, 0, tzinfo=UTC)
CYRILLIC_SHARE = 0.3
PRECISIONS = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR), (80, 15, 5)
POINTS = (PointPrecision.MUNICIPALITY, PointPrecision.ROUNDED, PointPrecision.EXACT), (5, 3, 2)
ROLES = tuple(ActorRole)


@dataclass(frozen=True)
class Place:
    id: int
    district_code: int
    lat: float
    lon: float
    folded: str  # name and district, as the search text has them


@dataclass(frozen=True)
class Kind:
    id: int
    folded: str


class Generator:
    """Rows for cases `first`, `first + 1`, … (deterministic for a given random seed)."""

    def __init__(self, rng: random.Random, places: list[Place], kinds: list[Kind],
                 actors: list[tuple[int, str]], reporter_id: int, count: int) -> None:  # fmt: skip
        self.rng, self.places, self.kinds, self.actors = rng, places, kinds, actors
        self.reporter_id = reporter_id
        self.writer = Writer(rng)
        order = rng.sample(range(len(places)), len(places))
        self.place_cum = _cumulative([1 / (order[i] + 1) ** 0.9 for i in range(len(places))])
        self.kind_cum = _cumulative([1 / (i + 1) ** 0.6 for i in range(len(kinds))])
        self.actor_cum = _cumulative([1 / (i + 1) ** 0.8 for i in range(len(actors))])
        self.step = (LAST_PUBLISHED - FIRST_PUBLISHED) / max(count, 1)
        self.numbers: dict[int, int] = {}  # year -> last reference number
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def batch(self, first: int, size: int) -> dict[str, list[dict[str, Any]]]:
        """Rows of every table for cases first … first + size - 1."""
        self.rows = {"case": [], "case_actor": [], "finding": [], "finding_actor": []}
        rng = self.rng
        places = rng.choices(self.places, cum_weights=self.place_cum, k=size)
        kinds = rng.choices(self.kinds, cum_weights=self.kind_cum, k=size)
        dates = rng.choices(PRECISIONS[0], PRECISIONS[1], k=size)
        points = rng.choices(POINTS[0], POINTS[1], k=size)
        links = rng.choices((0, 1, 2, 3), (50, 30, 15, 5), k=size)
        for n in range(size):
            kind = None if rng.random() < 0.03 else kinds[n]
            self._one(first + n, places[n], kind, dates[n], points[n], links[n])
        return self.rows

    def _one(self, ident: int, place: Place, kind: Kind | None, precision: DatePrecision,
             point: PointPrecision, link_count: int) -> None:  # fmt: skip
        rng, writer = self.rng, self.writer
        cyrillic = rng.random() < CYRILLIC_SHARE
        title = writer.title(cyrillic)
        summary = writer.summary(cyrillic) if rng.random() < 0.97 else None
        published = FIRST_PUBLISHED + self.step * (ident - 1)
        occurred = _partial((published - timedelta(days=1 + int(rng.random() * 240))).date(),
                            precision)  # fmt: skip
        year = published.year
        self.numbers[year] = number = self.numbers.get(year, 0) + 1
        reference = f"{REFERENCE_PREFIX}-{year}-{number:05d}"
        lat = lon = None
        if point is not PointPrecision.MUNICIPALITY or rng.random() < 0.5:
            lat, lon = place.lat + rng.gauss(0, 0.03), place.lon + rng.gauss(0, 0.03)
        links = sorted({self._actor() for _ in range(link_count)})
        text = [reference.lower(), title.folded, summary.folded if summary else "", place.folded]
        text += [kind.folded if kind else "", *(self.actors[i][1] for i in links)]
        summary_text = summary.written if summary else None
        self.rows["case"].append({
            "id": ident, "reference": reference, "title": title.written,
            "description": (summary_text or title.written) + " (bench)",
            "occurred_on": occurred, "occurred_precision": precision,
            "municipality_id": place.id, "place": None, "lat": lat, "lon": lon,
            "point_precision": point, "category_id": kind.id if kind else None,
            "reporter_id": self.reporter_id, "assignee_id": None, "status": CaseStatus.PUBLISHED,
            "public_summary": summary_text, "source_notes": "bench: confidential notes",
            "retraction_reason": None, "publish_requested_by_id": None, "merged_into_id": None,
            "created_at": published - timedelta(days=3), "updated_at": published,
            "submitted_at": published - timedelta(days=2), "published_at": published,
            "retracted_at": None, "version_id": 1,
        })  # fmt: skip
        public = _public_point(point, lat, lon, place)
        search_text = words_of(" ".join([p for p in text if p]))
        month = None if precision is DatePrecision.YEAR else f"{occurred.year}-{occurred.month:02d}"
        self.rows["finding"].append({
            "id": ident, "case_id": ident, "reference": reference, "title": title.written,
            "summary": summary_text or "", "occurred_on": occurred,
            "occurred_precision": precision, "month": month,
            "municipality_id": place.id, "district_code": place.district_code,
            "category_id": kind.id if kind else None, "lat": public[0], "lon": public[1],
            "published_at": published,
            "search_text": search_text, "word_count": len(search_text.split()),
            "repeats": repeats(search_text),
            "actor_ids": actor_list(self.actors[i][0] for i in links),
        })  # fmt: skip
        for i in links:
            actor_id = self.actors[i][0]
            role = ROLES[int(rng.random() * len(ROLES))]
            self.rows["case_actor"].append({"case_id": ident, "actor_id": actor_id, "role": role})
            self.rows["finding_actor"].append(
                {"finding_id": ident, "actor_id": actor_id, "occurred_on": occurred}
            )

    def _actor(self) -> int:
        return self.rng.choices(range(len(self.actors)), cum_weights=self.actor_cum)[0]


def _partial(day: date, precision: DatePrecision) -> date:
    if precision is DatePrecision.YEAR:
        return date(day.year, 1, 1)
    if precision is DatePrecision.MONTH:
        return date(day.year, day.month, 1)
    return day


def _public_point(
    precision: PointPrecision, lat: float | None, lon: float | None, place: Place
) -> tuple[float | None, float | None]:
    """As tracker.public.services.public_point."""
    if precision is PointPrecision.MUNICIPALITY or lat is None or lon is None:
        return place.lat, place.lon
    if precision is PointPrecision.ROUNDED:
        return round(lat, ROUNDING), round(lon, ROUNDING)
    return lat, lon


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
