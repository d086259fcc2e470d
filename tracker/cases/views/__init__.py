"""Case pages for members: the form, "my cases", the case page and its actions."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from tracker.cases.views import editing, pages  # noqa: E402, F401 - register the routes
