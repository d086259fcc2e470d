"""Uploads stream straight into evidence storage while the request body is parsed.

Flask's multipart parser asks the request for a stream per file part (`_get_file_stream`).
For views marked `@streams_to_storage`, and only for members, that stream is an `Incoming`
file in the storage's tmp dir that hashes what is written: the body is never held in memory,
never copied through /tmp, and a file over the limit stops the parse at once (413).
Views also marked `@keeps_form` (forms whose text matters more than their file: a
publication and its PDF) read on instead: the file over the limit is dropped and flagged
(`Overflowing.too_large`), the other fields are parsed, and the view answers with the form
as typed and a message. Whatever the view does not keep is removed when the request closes,
also after a client disconnect or an error half-way through the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, TypeVar

from flask import Request, current_app
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.evidence.services import MAX_FILES, MB, get_storage, too_large_message, upload_limit
from tracker.evidence.storage import Incoming, TooLarge
from tracker.policy import Access, may_reach

F = TypeVar("F", bound=Callable[..., Any])


def streams_to_storage(view: F) -> F:
    """Mark a view whose file parts go straight into evidence storage."""
    view.streams_to_storage = True  # type: ignore[attr-defined]
    return view


def keeps_form(view: F) -> F:
    """Mark a streamed view whose form must survive a file over the limit (see above)."""
    view.keeps_form = True  # type: ignore[attr-defined]
    return view


class UploadRequest(Request):
    """Flask's request, with file parts of marked views streamed into evidence storage."""

    def _streams(self) -> bool:
        if "_stream_to_storage" not in self.__dict__:
            view = current_app.view_functions.get(self.endpoint or "")
            self.__dict__["_stream_to_storage"] = bool(
                getattr(view, "streams_to_storage", False)
                and may_reach(current_user, Access.MEMBER)
            )
        return bool(self.__dict__["_stream_to_storage"])

    @property
    def max_content_length(self) -> int | None:
        """For marked views: MAX_FILES files at the per-file limit, plus the form fields."""
        if self._max_content_length is None and self._streams():
            return upload_limit() * MAX_FILES + MB
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        if not self._streams():
            return super()._get_file_stream(
                total_content_length, content_type, filename, content_length
            )
        view = current_app.view_functions.get(self.endpoint or "")
        overflow = bool(getattr(view, "keeps_form", False))
        incoming = get_storage().incoming(upload_limit(), overflow=overflow)
        self.__dict__.setdefault("_incoming", []).append(incoming)
        return incoming  # type: ignore[return-value]

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except BaseException as err:
            # Never parse a half-read body twice: later reads see an empty form.
            self.__dict__.setdefault("form", self.parameter_storage_class())
            self.__dict__.setdefault("files", self.parameter_storage_class())
            if isinstance(err, TooLarge):
                raise RequestEntityTooLarge(too_large_message()) from err
            raise

    def close(self) -> None:
        """Close the files and remove every upload the view did not keep."""
        try:
            super().close()
        finally:
            incoming: list[Incoming] = self.__dict__.get("_incoming", [])
            for item in incoming:
                item.close()
