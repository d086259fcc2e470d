"""Municipalities, the gazetteer, and location (geopy)."""
