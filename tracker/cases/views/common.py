"""Helpers shared by the case views: loading a case the user may see, the form's choices."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import RequestRedirect
from wtforms import SelectChoice

from tracker.actors.models import Actor, ActorKind, ActorRole
from tracker.cases.dates import format_when, parse_when
from tracker.cases.drafts import ActorEntry, CaseDraft
from tracker.cases.forms import ACTOR_ROWS, CaseForm
from tracker.cases.models import Case, Category, DatePrecision
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.geo.services import find_municipalities, resolve_municipality
from tracker.i18n import local_text
from tracker.policy import can


def case_or_404(reference: str, action: str = "cases.view") -> Case:
    """The case with this reference if the user may `action` it; 404 otherwise (never 403)."""
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    if case is None or not can(current_user, "cases.view", case):
        abort(404)
    if case.merged_into_id is not None and request.method == "GET" and request.endpoint:
        # A merged duplicate's reference leads to the case that survived.
        survivor = db.session.get(Case, case.merged_into_id)
        if survivor is not None and can(current_user, "cases.view", survivor):
            args = {**(request.view_args or {}), "reference": survivor.reference}
            raise RequestRedirect(url_for(request.endpoint, **args))
    if action != "cases.view" and not can(current_user, action, case):
        abort(403)
    return case


def category_choices() -> list[SelectChoice]:
    categories = db.session.scalars(
        sa.select(Category).where(Category.active).order_by(Category.position)
    ).all()
    return [SelectChoice("", "—")] + [
        SelectChoice(str(c.id), local_text(c.name_sr, c.name_en)) for c in categories
    ]


def municipality_options() -> list[Municipality]:
    """Every municipality, for the picker's datalist (works without JavaScript)."""
    return list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name_folded)))


def actor_names(limit: int = 1000) -> list[str]:
    """Names of actors already known, for the actor fields' suggestions (no JavaScript needed)."""
    return list(db.session.scalars(sa.select(Actor.name).order_by(Actor.name_folded).limit(limit)))


def build_form(case: Case | None = None) -> CaseForm:
    """The case form, filled from the request, or else from `case`."""
    form = CaseForm(obj=None)
    form.category.choices = category_choices()
    if case is not None and not form.is_submitted():
        form.title.data = case.title
        form.description.data = case.description
        form.when.data = format_when(case.occurred_on, case.occurred_precision)
        form.municipality.data = case.municipality.name_latin if case.municipality else ""
        form.place.data = case.place
        form.lat.data = Decimal(str(case.lat)) if case.lat is not None else None
        form.lon.data = Decimal(str(case.lon)) if case.lon is not None else None
        form.category.data = str(case.category_id or "")
        form.source_notes.data = case.source_notes
        form.version.data = str(case.version_id)
        while len(form.actors.entries):
            form.actors.pop_entry()
        for link in case.actor_links:
            form.actors.append_entry(
                {"name": link.actor.name, "kind": link.actor.kind.value, "role": link.role.value}
            )
        while (
            len(form.actors.entries) < len(case.actor_links) + ACTOR_ROWS - 1
            or len(form.actors.entries) < ACTOR_ROWS
        ):
            form.actors.append_entry()
    return form


def draft_from_form(form: CaseForm) -> CaseDraft:
    """Parse the form; fields with errors stay empty here (their text stays in the form)."""
    draft = CaseDraft(
        title=form.title.data or "",
        description=form.description.data or "",
        place=form.place.data,
        source_notes=form.source_notes.data,
    )
    if form.when.data and not form.when.errors:
        draft.occurred_on, draft.occurred_precision = parse_when(form.when.data)
    else:
        draft.occurred_precision = DatePrecision.DAY
    if form.municipality.data and form.municipality.data.strip():
        draft.municipality = resolve_municipality(form.municipality.data)
        if draft.municipality is None:
            names = ", ".join(m.name_latin for m in find_municipalities(form.municipality.data, 5))
            form.municipality.errors = [*form.municipality.errors, _unknown_municipality(names)]
    if not (form.lat.errors or form.lon.errors) and None not in (form.lat.data, form.lon.data):
        draft.lat, draft.lon = float(form.lat.data), float(form.lon.data)
    if form.category.data and not form.category.errors:
        draft.category = db.session.get(Category, int(form.category.data))
    draft.actors = [
        ActorEntry(
            row.form.name.data or "", ActorKind(row.form.kind.data), ActorRole(row.form.role.data)
        )
        for row in form.actors
        if row.form.name.data and not (row.form.kind.errors or row.form.role.errors)
    ]
    return draft


def _unknown_municipality(suggestions: str) -> str:
    if suggestions:
        return _(
            "No single municipality has that name. Did you mean: %(names)s?", names=suggestions
        )
    return _("No municipality has that name.")
