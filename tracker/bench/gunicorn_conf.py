"""gunicorn settings for `make bench`: two sync workers on 127.0.0.1, as a small deployment.

`gc.freeze()` once the app is loaded in each worker: everything made at start-up (the app,
templates, SQLAlchemy's metadata, the gazetteer) moves out of the collector's reach, so a
full collection no longer walks it during a request. Without it a prototype's p99 was 14x its
p50 at two connections; with it 1.5x. A production gunicorn config should do the same.
"""

from __future__ import annotations

import gc
import os
from typing import Any

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8765")
workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = "sync"
timeout = 600  # a CSV export of a million cases takes a while
accesslog = None
errorlog = "-"
loglevel = "warning"


def post_worker_init(worker: Any) -> None:
    """Runs in each worker after the app is loaded: collect once, then freeze."""
    if os.environ.get("BENCH_GC_FREEZE", "1") == "1":  # 0: to measure what it is worth
        gc.collect()
        gc.freeze()
