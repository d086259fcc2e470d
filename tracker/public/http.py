"""HTTP caching for public pages and data: validators from the public version, 304s."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Response, make_response, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.public import index

PUBLIC_MAX_AGE = 300


def etag(*parts: object) -> str:
    """A validator for a response built from public data and these request parts."""
    version, changed = index.state()
    seed = "|".join(str(p) for p in (version, changed, *parts))
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _mark(response: Response, tag: str) -> Response:
    _, changed = index.state()
    response.set_etag(tag)
    if changed is not None:
        response.last_modified = changed
    if not current_user.is_authenticated:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


def conditional(response: Response, *parts: object) -> Response:
    """Add ETag and Last-Modified, mark visitors' copies cacheable, answer 304 when fresh.

    `parts` are whatever else the body depends on besides the public data (the language,
    the query string), so two variants of a page never share a validator.
    """
    if response.is_streamed:
        # make_conditional would read a streamed body into a list to measure its length
        response.implicit_sequence_conversion = False
    return _mark(response, etag(*parts)).make_conditional(request)


def respond(build: Callable[[], ResponseReturnValue], *parts: object) -> Response:
    """Answer 304 before building anything when the client's copy is current, else build.

    Only visitors' pages are validated and marked public; signed-in users get theirs fresh.
    """
    if current_user.is_authenticated:
        return make_response(build())  # personal pages (navigation, forms) are not shared
    tag = etag(*parts)
    if request.if_none_match and request.if_none_match.contains(tag):
        return _mark(Response(status=304), tag)
    response = make_response(build())
    if response.status_code != 200:
        return response
    if response.is_streamed:
        response.implicit_sequence_conversion = False
    return _mark(response, tag).make_conditional(request)
