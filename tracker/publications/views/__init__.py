"""Publications: coordinators write them, visitors read them, feeds and open data carry them."""

from __future__ import annotations

from flask import Blueprint

from tracker.cases.models import Case
from tracker.publications import queries
from tracker.publications.forms import KIND_LABELS
from tracker.publications.models import PublicationKind

bp = Blueprint("publications", __name__)


@bp.app_template_global()
def publication_kind_label(kind: PublicationKind) -> str:
    """A publication's kind in the interface language."""
    return str(KIND_LABELS[kind])


@bp.app_template_global()
def citing_publications(case: Case, public: bool = True) -> list[queries.Citing]:
    """Publications citing a case, for its page; visitors see published ones only."""
    return queries.citing(case, public=public)


from tracker.publications.views import feeds, manage, pages  # noqa: E402, F401 - the routes
