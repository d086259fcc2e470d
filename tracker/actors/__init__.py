"""Actors: institutions, officials, companies, parties and media named in cases."""
