"""Public search and browsing over the read model: scripts, filters, facets, pages, changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.builders import make_published, make_user, municipality
from tracker.accounts.models import Role
from tracker.cases.models import Category
from tracker.extensions import db
from tracker.public import index
from tracker.public.facets import facets
from tracker.public.models import Finding, PublicState
from tracker.public.search import Filters, browse, find
from tracker.review import publishing


def refs(page: object) -> list[str]:
    return [row.reference for row in page.rows]  # type: ignore[attr-defined]


def test_latin_cyrillic_and_plain_letters_find_the_same_case(app: Flask) -> None:
    written = make_published(title="Притисак на запослене у Чачку", summary="Директор школе.")
    make_published(title="Nothing to do with it", municipality=municipality("70017"))
    db.session.commit()
    for query in ("Čačku", "Cacku", "Чачку", "cacku", "DIREKTOR škole", "директор"):
        assert refs(find(Filters(text=query))) == [written.reference], query
    assert refs(find(Filters(text="absent-word"))) == []


def test_relevance_orders_search_results(app: Flask) -> None:
    once = make_published(title="Budget report", summary="A tender in passing.")
    often = make_published(title="Tender tender tender", summary="Tender rigged, tender again.")
    db.session.commit()
    assert refs(find(Filters(text="tender"))) == [often.reference, once.reference]


def test_relevance_weighs_the_rarer_word_and_counts_whole_words(app: Flask) -> None:
    rare = make_published(title="Tender, tender: opština", summary="Bez detalja.")
    common = make_published(title="Tender u opštini Opština, opština", summary="Tenderi.")
    for n in range(5):
        make_published(title=f"Opština {n}", summary="Bez detalja.")
    db.session.commit()
    # Both hold both words; the one with more of the rarer word comes first. "Tenderi" and
    # "opštini" are other words, and punctuation does not hide a word from the count.
    assert refs(find(Filters(text="tender opstina"))) == [rare.reference, common.reference]
    stored = db.session.scalar(sa.select(Finding.search_text).where(Finding.case_id == rare.id))
    assert stored is not None and " tender  tender  opstina " in stored


def test_filters_and_facet_counts(app: Flask) -> None:
    a = make_published(title="A", category="partisan-employment")
    b = make_published(
        title="B", category="partisan-employment", municipality=municipality("70017")
    )
    c = make_published(title="C", occurred_on=date(2025, 1, 5))
    db.session.commit()
    category = db.session.scalar(sa.select(Category).where(Category.slug == "partisan-employment"))
    cacak = municipality()
    chosen = Filters(category_id=category.id)
    assert refs(find(chosen)) == [b.reference, a.reference]
    assert refs(find(Filters(municipality_id=cacak.id))) == [c.reference, a.reference]
    both = Filters(category_id=category.id, municipality_id=cacak.id)
    assert refs(find(both)) == [a.reference]
    dated = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    assert refs(find(dated)) == [c.reference]
    everything = facets(Filters())
    assert everything.total == 3
    assert everything.of("category")[str(category.id)] == 2
    assert everything.of("municipality")[str(cacak.id)] == 2
    narrowed = facets(chosen)
    assert narrowed.total == 2 and narrowed.of("municipality") == {
        str(cacak.id): 1,
        str(municipality("70017").id): 1,
    }


def test_keyset_pages_cover_everything_once(app: Flask) -> None:
    made = [make_published(title=f"Case {n}").reference for n in range(7)]
    db.session.commit()
    seen, cursor = [], None
    while True:
        page = browse(Filters(), cursor, size=3)
        seen += refs(page)
        if not page.more:
            break
        cursor = page.next_cursor
    assert seen == list(reversed(made))


def test_retraction_correction_and_counts_follow_the_case(app: Flask) -> None:
    case = make_published(title="Tender rigged", summary="First words.")
    coordinator = make_user(Role.COORDINATOR)
    db.session.commit()
    before = index.state()
    publishing.correct(case, coordinator, "Second words about a quarry.", "Fixed a name.")
    db.session.commit()
    assert index.state() != before
    assert refs(find(Filters(text="quarry"))) == [case.reference]
    assert refs(find(Filters(text="first"))) == []
    publishing.retract(case, coordinator, "Could not be confirmed.")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
    assert refs(find(Filters(text="tender"))) == []
    assert facets(Filters()).total == 0


def test_rebuild_gives_the_same_read_model(app: Flask) -> None:
    make_published(title="One")
    make_published(title="Two", category="partisan-employment")
    db.session.commit()
    before = facets(Filters())
    assert index.rebuild() == 2
    db.session.commit()
    assert facets(Filters()) == before
    assert sorted(refs(find(Filters(text="two")))) == [
        db.session.scalar(sa.select(Finding.reference).where(Finding.title == "Two"))
    ]


def test_broad_filters_count_facets_over_the_newest_window(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.actors.models import ActorKind, ActorRole
    from tracker.cases.drafts import ActorEntry
    from tracker.public import window

    mayor = ActorEntry("Gradonačelnik", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)
    firm = ActorEntry("Firma d.o.o.", ActorKind.COMPANY, ActorRole.MENTIONED)
    monkeypatch.setattr(window, "WINDOW", 3)
    made = [
        make_published(title=f"Tender {n}", category="partisan-employment",
                       actors=[mayor, firm] if n in (0, 3) else [mayor])
        for n in range(4)
    ]  # fmt: skip
    make_published(title="Tender elsewhere", category="other", actors=[firm])
    db.session.commit()
    category = db.session.scalar(sa.select(Category).where(Category.slug == "partisan-employment"))
    one = facets(Filters(category_id=category.id))
    assert one.sampled and one.exact_total and one.total == 4  # a stored count is exact
    assert sum(n for _k, n in one.counts["municipality"]) == 3  # the newest three
    mayor_id, firm_id = (str(link.actor_id) for link in made[0].actor_links)
    assert sorted(made[0].actor_links, key=lambda link: link.actor_id) == made[0].actor_links
    # the newest three name the mayor three times and the firm once (the oldest is left out)
    assert one.of("actor") == {mayor_id: 3, firm_id: 1}
    text = facets(Filters(text="tender"))
    assert text.sampled and not text.exact_total and text.total == 3  # "more than 3"
    narrow = facets(Filters(text="elsewhere"))
    assert not narrow.sampled and narrow.exact_total and narrow.total == 1
    assert len(made) == 4


def test_dated_lists_page_by_incident_date_with_and_without_an_actor(app: Flask) -> None:
    from tracker.actors.models import ActorKind, ActorRole
    from tracker.cases.drafts import ActorEntry

    mayor = ActorEntry("Gradonačelnik", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)
    days = [date(2025, 5, d) for d in (3, 9, 9, 1, 20, 14)]
    made = [
        make_published(title=f"Dated {n}", occurred_on=d, actors=[mayor])
        for n, d in enumerate(days)
    ]
    make_published(title="Outside the range", occurred_on=date(2024, 1, 1), actors=[mayor])
    db.session.commit()
    actor_id = made[0].actor_links[0].actor_id
    expected = [
        c.reference for c in sorted(made, key=lambda c: (c.occurred_on, c.id), reverse=True)
    ]
    for filters in (
        Filters(date_from=date(2025, 1, 1)),
        Filters(date_from=date(2025, 1, 1), actor_id=actor_id),
        Filters(date_from=date(2025, 5, 1), date_to=date(2025, 5, 31), actor_id=actor_id),
    ):
        seen, cursor = [], None
        while True:
            page = browse(filters, cursor, size=2)
            seen += refs(page)
            if not page.more:
                break
            cursor = page.next_cursor
        assert seen == expected, filters


def test_a_worker_reuses_the_public_version_for_its_ttl_but_sees_its_own_changes(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(PUBLIC_STATE_TTL=60)
    with app.app_context():
        make_published(title="First")
        db.session.commit()
    with app.test_request_context():
        seen = index.state()
    with app.app_context():  # another worker publishes: this one keeps its version a while
        db.session.execute(sa.update(PublicState).values(version=PublicState.version + 5))
        db.session.commit()
    with app.test_request_context():
        assert index.state() == seen
    with app.test_request_context():
        index.touch()  # a change made here is seen at once
        db.session.commit()
        assert index.state()[0] == seen[0] + 6
