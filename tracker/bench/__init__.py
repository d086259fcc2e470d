"""The benchmark behind `make bench`: bulk seeding, reference routes, a load-generator run.

Developer tooling: nothing here runs in production unless TRACKER_BENCH_ROUTES is set.
"""
