"""The one exception a stage raises for a record it must reject."""

from __future__ import annotations

from schemas.models import ErrorCode


class Rejected(Exception):
    """A record that cannot go on: it goes to the dead-letter output with `code` and `detail`."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code: ErrorCode = code
        self.detail = detail
