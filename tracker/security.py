"""Security headers on every response, and no caching of anything personal."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=63072000; includeSubDomains"
BASE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), payment=(), usb=()",
}


def csp_for(tile_url: str) -> str:
    """The policy, allowing images from the map tile server when one is configured."""
    origin = urlsplit(tile_url)
    if not (origin.scheme in {"https", "http"} and origin.netloc):
        return CSP
    host = f"{origin.scheme}://{origin.netloc.replace('{s}', '*')}"
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {host}")


def set_security_headers(response: Response) -> Response:
    """after_request: the same headers on pages, errors, JSON and downloads."""
    for name, value in BASE_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["MAP_TILE_URL"] and response.headers["Content-Security-Policy"] == CSP:
        response.headers["Content-Security-Policy"] = csp_for(current_app.config["MAP_TILE_URL"])
    if current_app.config["ENV_NAME"] == "production":
        response.headers["Strict-Transport-Security"] = HSTS
    # Nothing is cached unless it says so: static assets, and public pages that set
    # `Cache-Control: public` themselves (they must do that only for visitors).
    if request.endpoint != "static" and not response.cache_control.public:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the header hook."""
    app.after_request(set_security_headers)
