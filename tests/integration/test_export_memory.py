"""Open data streams: the memory an export holds does not grow with the number of cases.

The benchmark measures a worker's memory while 100,000 cases stream out (`make bench`); here
each export is streamed from two archive sizes, and Python's allocations at their peak
(tracemalloc) must stay about the same while the body grows several times over. A body
built in memory before it is sent would grow with it.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import _empty_tables
from tracker.bench.seed import seed
from tracker.extensions import db

EXPORTS = ("/data/cases.csv", "/data/cases.json", "/data/cases.geojson")
# Rows are read 1,000 at a time (opendata.services.rows): from three batches on, what an
# export holds at its peak stays the same however many follow.
SMALL, LARGE = 3000, 9000


@pytest.fixture
def fresh_statistics(db_url: str) -> Iterator[None]:
    """Analyse again after the test, so that later tests do not plan with seeded figures."""
    yield
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def streamed(client: FlaskClient, path: str) -> tuple[int, int]:
    """Stream `path` chunk by chunk, keeping nothing: (bytes sent, peak bytes allocated)."""
    tracemalloc.start()
    try:
        response = client.get(path, buffered=False)
        assert response.status_code == 200 and response.is_streamed
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return size, peak


def test_exports_stream_in_flat_memory(
    fresh_statistics: None, app: Flask, client: FlaskClient, db_url: str
) -> None:
    db.session.commit()
    seed(SMALL)
    for path in EXPORTS:  # once each, so that names and statements are cached
        streamed(client, path)
    small = {path: streamed(client, path) for path in EXPORTS}
    # three times the archive (the seeder writes into an empty database only)
    db.session.remove()
    _empty_tables(db_url)
    seed(LARGE)
    for path in EXPORTS:
        streamed(client, path)
    for path in EXPORTS:
        (small_size, small_peak), (size, peak) = small[path], streamed(client, path)
        assert size > 2.7 * small_size, path
        assert peak < 1.25 * small_peak, f"{path}: {small_peak:,} -> {peak:,} bytes at peak"
