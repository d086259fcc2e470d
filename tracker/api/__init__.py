"""The read-only JSON API under /api/v1/: published records only, public fields only."""
