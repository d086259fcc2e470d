"""The coordinators' pages: the queue, a case under review, publication."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from tracker.review.views import publication, queue  # noqa: E402, F401 - register the routes
