"""Location on top of geopy: distances, the nearest municipality, and an optional geocoder.

No geocoder is configured by default (the machine may be offline); then a municipality's
seat stands in for an address. Geocoding is rate-limited and is never meant to run inside
a page request: later issues call it from a job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from geopy.distance import geodesic
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from tracker.geo.models import Municipality, MunicipalityKind


@dataclass(frozen=True)
class Point:
    """A WGS84 point."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError("latitude or longitude out of range")


def seat(municipality: Municipality) -> Point:
    """The point of a municipality's seat."""
    return Point(municipality.lat, municipality.lon)


def distance_km(point: Point, municipality: Municipality) -> float:
    """Geodesic distance in km from a point to a municipality's seat."""
    return float(geodesic((point.lat, point.lon), (municipality.lat, municipality.lon)).km)


def nearest_municipality(
    point: Point, municipalities: Iterable[Municipality]
) -> tuple[Municipality, float]:
    """The municipality whose seat is nearest to `point`, with the distance in km."""
    # Several city municipalities share their city's seat: on a tie the city itself wins,
    # since the seat alone cannot tell which part of the city the point is in.
    best = min(
        municipalities,
        key=lambda m: (
            round(distance_km(point, m), 2),
            m.kind is MunicipalityKind.CITY_MUNICIPALITY,
        ),
    )
    return best, distance_km(point, best)


@dataclass(frozen=True)
class PlacementCheck:
    """Whether a point plausibly lies in the chosen municipality."""

    distance_km: float
    nearest: Municipality
    nearest_km: float
    far: bool


def check_placement(
    point: Point,
    chosen: Municipality,
    municipalities: Iterable[Municipality],
    max_km: float,
) -> PlacementCheck:
    """Flag a point far from the chosen municipality: nearer another seat, or beyond max_km."""
    nearest, nearest_km = nearest_municipality(point, municipalities)
    chosen_km = distance_km(point, chosen)
    # A small tolerance: seats of neighbours can be close, and points near borders are normal.
    far = chosen_km > max_km or (nearest.id != chosen.id and chosen_km > nearest_km + 5)
    return PlacementCheck(chosen_km, nearest, nearest_km, far)


class GeocoderLike(Protocol):
    def geocode(self, query: str, **kwargs: Any) -> Any: ...


class Geocoder:
    """Address lookup through a geopy geocoder, or the municipality's seat when there is none."""

    def __init__(self, backend: GeocoderLike | None, min_delay_seconds: float = 1.0) -> None:
        self.backend = backend
        self._geocode: Callable[..., Any] | None = (
            RateLimiter(backend.geocode, min_delay_seconds=min_delay_seconds, max_retries=1)
            if backend is not None
            else None
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Geocoder:
        """Build from TRACKER_GEOCODER* settings; an empty GEOCODER means offline."""
        name = config.get("GEOCODER") or ""
        if not name:
            return cls(None)
        options: dict[str, Any] = {"user_agent": config["GEOCODER_USER_AGENT"], "timeout": 10}
        if config.get("GEOCODER_DOMAIN"):
            options["domain"] = config["GEOCODER_DOMAIN"]
        backend = get_geocoder_for_service(name)(**options)
        return cls(backend, float(config["GEOCODER_MIN_DELAY_SECONDS"]))

    @property
    def online(self) -> bool:
        return self._geocode is not None

    def locate(self, address: str, municipality: Municipality) -> tuple[Point, bool]:
        """A point for `address` in `municipality`; (seat, False) when it cannot be geocoded."""
        if self._geocode is not None and address.strip():
            query = f"{address}, {municipality.name_latin}, Serbia"
            found = self._geocode(query, exactly_one=True)
            if found is not None:
                return Point(found.latitude, found.longitude), True
        return seat(municipality), False
