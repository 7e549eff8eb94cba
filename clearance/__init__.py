"""clearance: export-control and sanctions screening with date-aware US license determination.

Who is this?   ``Clearance.open().screen("Huawei Technologies Co., Ltd.")``
May I do this? ``Clearance.open().check(...)``
"""

from clearance.app import Clearance
from clearance.errors import (
    AuthError,
    ClearanceError,
    ConfigError,
    DataError,
    DownloadError,
    ImportRefused,
    InputError,
    NotFoundError,
    ParseError,
    RateLimited,
)
from clearance.model import Address, Entry, Identifier, Kind, Legal, Name, NameRole
from clearance.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Address",
    "AuthError",
    "Clearance",
    "ClearanceError",
    "ConfigError",
    "DataError",
    "DownloadError",
    "Entry",
    "Identifier",
    "ImportRefused",
    "InputError",
    "Kind",
    "Legal",
    "Name",
    "NameRole",
    "NotFoundError",
    "ParseError",
    "RateLimited",
    "Settings",
    "__version__",
]
