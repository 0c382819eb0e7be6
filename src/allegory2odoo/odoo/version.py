"""The Odoo server version, as returned by ``common.version()``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SERIE_PATTERN = re.compile(r"(?:saas~)?(\d+)\.(\d+)")


@dataclass(frozen=True)
class ServerVersion:
    """An Odoo server version.

    ``serie`` is ``server_serie`` (``"19.0"``, ``"saas~18.2"``), ``info`` is
    ``server_version_info`` as a tuple and ``raw`` the whole result of
    ``version()``.
    """

    major: int
    minor: int
    serie: str
    info: tuple = ()
    raw: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> ServerVersion:
        """Build the version from the dictionary that ``version()`` returns.

        Raises ValueError when neither ``server_version_info`` nor
        ``server_serie`` contains a version number.
        """
        info = tuple(raw.get("server_version_info") or ())
        serie = str(raw.get("server_serie") or raw.get("server_version") or "")

        if len(info) >= 2 and isinstance(info[0], int) and isinstance(info[1], int):
            major, minor = info[0], info[1]
        else:
            match = _SERIE_PATTERN.search(serie) or _SERIE_PATTERN.search(str(info[0] if info else ""))
            if not match:
                raise ValueError(f"cannot read an Odoo version from {raw!r}")
            major, minor = int(match.group(1)), int(match.group(2))

        return cls(major=major, minor=minor, serie=serie or f"{major}.{minor}", info=info, raw=dict(raw))

    @property
    def has_json2(self) -> bool:
        """Whether the server has the JSON-2 API (Odoo 19 and later)."""
        return self.major >= 19

    @property
    def xmlrpc_deprecated(self) -> bool:
        """Whether the server marks XML-RPC as deprecated (Odoo 19 and later)."""
        return self.major >= 19

    def __str__(self) -> str:
        return self.serie
