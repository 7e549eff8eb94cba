"""The one exception tree of clearance.

Every error the library raises on purpose derives from :class:`ClearanceError` and
carries structured fields, so the CLI can print it as one line and the API can map
it to one JSON shape with one handler table (pattern: opensanctions/yente ``exc.py``)::

    ClearanceError
    ├── ConfigError          a setting or data file (YAML rule pack, source spec) is wrong
    ├── InputError           a caller's request is malformed (bad ECCN, empty name, bad date)
    ├── NotFoundError        an entry, version, source, rule or job does not exist
    ├── DataError            a list file cannot be read
    │   └── ParseError       ... at a known file / line / element
    ├── ImportRefused        a well-formed list version is refused (e.g. it shrinks > 20 %)
    ├── DownloadError        fetching a list from its publisher failed
    └── AuthError            missing, unknown or revoked API key; role too low
        └── RateLimited      too many requests for one key
"""

from __future__ import annotations

from typing import Any


class ClearanceError(Exception):
    """Root of every error clearance raises deliberately."""

    code = "error"
    http_status = 500

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        """The JSON error shape shared by CLI ``--json`` and the HTTP API."""
        return {"error": {"code": self.code, "message": self.message, **self.fields}}


class ConfigError(ClearanceError):
    code = "config_error"
    http_status = 500


class InputError(ClearanceError):
    code = "invalid_input"
    http_status = 422


class NotFoundError(ClearanceError):
    code = "not_found"
    http_status = 404


class DataError(ClearanceError):
    code = "data_error"
    http_status = 422


class ParseError(DataError):
    """A list file is malformed. The message names file, location and problem."""

    code = "parse_error"

    def __init__(self, file: str, location: str | int | None, problem: str) -> None:
        where = f"{file}:{location}" if location not in (None, "") else str(file)
        super().__init__(f"{where}: {problem}", file=str(file), location=location, problem=problem)


class ImportRefused(ClearanceError):
    code = "import_refused"
    http_status = 409


class DownloadError(ClearanceError):
    code = "download_error"
    http_status = 502


class AuthError(ClearanceError):
    code = "unauthorized"
    http_status = 401


class RateLimited(AuthError):
    code = "rate_limited"
    http_status = 429
