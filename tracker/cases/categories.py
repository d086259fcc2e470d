"""The network's default categories of capture (admins may edit them later)."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.cases.models import Category
from tracker.extensions import db

DEFAULT_CATEGORIES: list[tuple[str, str, str]] = [
    (
        "partisan-employment",
        "Partijsko zapošljavanje i imenovanja",
        "Partisan employment and appointments",
    ),
    (
        "pressure-employees-voters",
        "Pritisak na zaposlene i birače",
        "Pressure on employees and voters",
    ),
    (
        "misuse-public-funds",
        "Zloupotreba javnih sredstava i resursa",
        "Misuse of public funds and resources",
    ),
    ("public-procurement", "Javne nabavke", "Public procurement"),
    (
        "police-abuse",
        "Policijska zloupotreba i selektivna primena zakona",
        "Police abuse and selective law enforcement",
    ),
    (
        "attacks-threats",
        "Napadi i pretnje novinarima, aktivistima i građanima",
        "Attacks and threats against journalists, activists and citizens",
    ),
    ("media-capture", "Zarobljeni mediji i kampanje blaćenja", "Media capture and smear campaigns"),
    ("electoral-irregularities", "Izborne nepravilnosti", "Electoral irregularities"),
    (
        "judiciary-pressure",
        "Pritisak na pravosuđe i tužilaštvo",
        "Pressure on the judiciary and prosecution",
    ),
    (
        "urbanism-environment",
        "Urbanizam, gradnja i životna sredina",
        "Urban planning, construction and environment",
    ),
    ("organised-crime", "Veze sa organizovanim kriminalom", "Links to organised crime"),
    ("other", "Ostalo", "Other"),
]


def load_categories() -> int:
    """Create the default categories that are missing (by slug); returns how many were added."""
    existing = set(db.session.scalars(sa.select(Category.slug)))
    added = 0
    for position, (slug, name_sr, name_en) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(slug=slug, name_sr=name_sr, name_en=name_en, position=position))
            added += 1
    db.session.flush()
    return added
