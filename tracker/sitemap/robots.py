"""/robots.txt: where the sitemap is, and which paths a crawler has no business in.

The disallowed paths are read from the app's own routes: every view that declares an access
other than public (member, coordinator, admin, signed in), and the sign-in pages, whose links
carry one-time tokens. A route's variable parts become `*` (RFC 9309), so that a private
path under a public prefix (a publication's edit page) is kept out without the public pages
beside it. New private views are covered as they are added.
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, Response, current_app, url_for
from flask.typing import ResponseReturnValue

from tracker.policy import Access, access, route_access

# Public views that are no page to index: signing in, and the links sent by email.
SIGN_IN = ("auth",)


def private_patterns(app: Flask) -> list[str]:
    """The path patterns of every view that is not a public page, shortest covering first."""
    found = set()
    for rule in app.url_map.iter_rules():
        level = route_access(app, rule.endpoint)
        blueprint = rule.endpoint.partition(".")[0]
        if level in (None, Access.PUBLIC) and blueprint not in SIGN_IN:
            continue
        # variable parts as wildcards; a trailing one is implied (patterns match a prefix)
        found.add(re.sub(r"<[^>]+>", "*", rule.rule).rstrip("*"))
    ordered = sorted(found, key=lambda p: (len(p), p))
    return [p for n, p in enumerate(ordered) if not any(p.startswith(q) for q in ordered[:n])]


def register(bp: Blueprint) -> None:
    @bp.route("/robots.txt")
    @access(Access.PUBLIC)
    def robots() -> ResponseReturnValue:
        """Every crawler: keep out of the private paths; the sitemap lists the public ones."""
        lines = ["User-agent: *"]
        lines += [f"Disallow: {pattern}" for pattern in private_patterns(current_app)]
        lines += ["", f"Sitemap: {url_for('sitemap.sitemap_index', _external=True)}", ""]
        response = Response("\n".join(lines), mimetype="text/plain")
        response.cache_control.public = True
        response.cache_control.max_age = 86400
        return response
