"""Location on geopy: distances, nearest seat, placement check, geocoder with a fake backend."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import tracker.models  # noqa: F401 - every mapper configured
from tracker.geo.location import (
    Geocoder,
    Point,
    check_placement,
    distance_km,
    nearest_municipality,
)
from tracker.geo.models import Municipality


def muni(ident: int, name: str, lat: float, lon: float) -> Municipality:
    m = Municipality(id=ident, code=str(ident), lat=lat, lon=lon)
    m.set_names(name, name)
    return m


BEOGRAD = muni(1, "Beograd", 44.80401, 20.46513)
CACAK = muni(2, "Čačak", 43.89139, 20.34972)
NIS = muni(3, "Niš", 43.32472, 21.90333)
ALL = [BEOGRAD, CACAK, NIS]


def test_distance_between_seats_is_geodesic_km() -> None:
    # Belgrade–Niš is about 200 km as the crow flies.
    assert distance_km(Point(NIS.lat, NIS.lon), BEOGRAD) == pytest.approx(201, abs=3)


def test_nearest_municipality() -> None:
    near_cacak = Point(43.90, 20.30)
    found, km = nearest_municipality(near_cacak, ALL)
    assert found is CACAK
    assert km < 5


def test_point_far_from_chosen_municipality_is_flagged_with_the_nearer_one() -> None:
    check = check_placement(Point(43.33, 21.90), chosen=BEOGRAD, municipalities=ALL, max_km=25)
    assert check.far
    assert check.nearest is NIS
    ok = check_placement(Point(44.81, 20.47), chosen=BEOGRAD, municipalities=ALL, max_km=25)
    assert not ok.far


def test_point_validates_range() -> None:
    with pytest.raises(ValueError):
        Point(91, 0)


class FakeGeocoder:
    """Stands in for a geopy geocoder; never touches the network."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.queries: list[str] = []

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.queries.append(query)
        return self.answer


def test_offline_geocoder_uses_the_seat() -> None:
    geocoder = Geocoder.from_config({"GEOCODER": ""})
    assert not geocoder.online
    assert geocoder.locate("Trg 1", CACAK) == (Point(CACAK.lat, CACAK.lon), False)


def test_fake_geocoder_answers_and_is_asked_with_municipality() -> None:
    fake = FakeGeocoder(SimpleNamespace(latitude=43.89, longitude=20.35))
    geocoder = Geocoder(fake, min_delay_seconds=0)
    point, found = geocoder.locate("Gradsko šetalište 1", CACAK)
    assert found and point == Point(43.89, 20.35)
    assert fake.queries == ["Gradsko šetalište 1, Čačak, Serbia"]


def test_geocoder_without_result_falls_back_to_seat() -> None:
    geocoder = Geocoder(FakeGeocoder(None), min_delay_seconds=0)
    assert geocoder.locate("nowhere", NIS) == (Point(NIS.lat, NIS.lon), False)


def test_configured_geocoder_is_built_by_geopy_name_with_user_agent() -> None:
    geocoder = Geocoder.from_config(
        {
            "GEOCODER": "nominatim",
            "GEOCODER_USER_AGENT": "tracker-tests",
            "GEOCODER_DOMAIN": "nominatim.invalid",
            "GEOCODER_MIN_DELAY_SECONDS": 1.5,
        }
    )
    assert geocoder.online
    assert type(geocoder.backend).__name__ == "Nominatim"
    assert geocoder.backend.headers["User-Agent"] == "tracker-tests"
    assert geocoder.backend.domain == "nominatim.invalid"
