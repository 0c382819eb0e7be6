"""Connection settings for an Odoo server."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

from .errors import ConnectionSettingsError

PROTOCOLS = ("auto", "xmlrpc", "json2")

# Environment variable and command-line option that set each setting. The
# messages of ConnectionSettingsError name them, so keep them in step with
# the CLI. The CLI takes no secret as an option: --ask-secret prompts for it.
ENVIRONMENT_VARIABLES = {
    "url": "ODOO_URL",
    "db": "ODOO_DB",
    "user": "ODOO_USER",
    "api_key": "ODOO_API_KEY",
    "password": "ODOO_PASSWORD",
    "verify_tls": "ODOO_VERIFY_TLS",
}
OPTIONS = {
    "url": "--url",
    "db": "--db",
    "user": "--user",
    "api_key": "--ask-secret",
    "password": "--ask-secret",
    "verify_tls": "--insecure",
    "protocol": "--protocol",
    "timeout": "--timeout",
}

_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class ConnectionSettings:
    """Connection settings for one Odoo database: address, login, secret and limits.

    ``password`` and ``api_key`` never appear in ``repr()`` or ``str()``.
    ``timeout`` is in seconds and applies to each HTTP request.
    ``max_retries`` is how many times a transient failure is retried after
    the first attempt.
    """

    url: str | None
    db: str | None
    user: str | None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    verify_tls: bool = True
    timeout: float = 120.0
    protocol: str = "auto"
    max_retries: int = 5

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> ConnectionSettings:
        """Build settings from ODOO_* environment variables.

        Each override that is not None wins over the environment, so a CLI
        can pass its options straight through. Empty variables count as unset.
        """
        environ = os.environ if environ is None else environ
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown connection settings: {', '.join(sorted(unknown))}")

        values: dict[str, Any] = {"url": None, "db": None, "user": None}
        for name, variable in ENVIRONMENT_VARIABLES.items():
            raw = environ.get(variable, "").strip()
            if raw:
                values[name] = _parse_bool(raw, variable) if name == "verify_tls" else raw

        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)

    @property
    def base_url(self) -> str:
        """The URL without a trailing slash."""
        return (self.url or "").rstrip("/")

    @property
    def secret(self) -> str | None:
        """The secret sent as the XML-RPC password: the API key if set, else the password."""
        return self.api_key or self.password

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every configured secret, for redaction."""
        return tuple(s for s in (self.password, self.api_key) if s)

    def with_overrides(self, **overrides: Any) -> ConnectionSettings:
        """Return a copy with the overrides that are not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def validate(self) -> None:
        """Raise ConnectionSettingsError for the first missing or invalid setting."""
        for name, what in (("url", "Odoo URL"), ("db", "Odoo database name"), ("user", "Odoo login")):
            if not getattr(self, name):
                raise ConnectionSettingsError(
                    f"The {what} is missing",
                    setting=name,
                    advice=f"Set {ENVIRONMENT_VARIABLES[name]} or pass {OPTIONS[name]}.",
                )

        if not self.secret:
            raise ConnectionSettingsError(
                "Neither an API key nor a password is set",
                setting="api_key",
                advice="Set ODOO_API_KEY (or ODOO_PASSWORD), or pass --ask-secret to be prompted.",
            )

        self._validate_url()

        if self.protocol not in PROTOCOLS:
            raise ConnectionSettingsError(
                f"The protocol {self.protocol!r} is not one of {', '.join(PROTOCOLS)}",
                setting="protocol",
                advice=f"Pass {OPTIONS['protocol']} with auto, xmlrpc or json2.",
            )
        if self.protocol == "json2" and not self.api_key:
            raise ConnectionSettingsError(
                "JSON-2 needs an API key, and none is set",
                setting="api_key",
                advice="Set ODOO_API_KEY, or use the xmlrpc protocol.",
            )
        if not self.timeout or self.timeout <= 0:
            raise ConnectionSettingsError(
                f"The timeout must be a positive number of seconds, not {self.timeout!r}",
                setting="timeout",
                advice=f"Pass {OPTIONS['timeout']} with a number of seconds.",
            )
        if self.max_retries < 0:
            raise ConnectionSettingsError(
                f"The retry count must be 0 or more, not {self.max_retries!r}",
                setting="max_retries",
                advice="Set max_retries to 0 or more.",
            )

    def _validate_url(self) -> None:
        advice = f"Set {ENVIRONMENT_VARIABLES['url']} to the server's address, such as https://odoo.example.com."
        try:
            parts = urlsplit(self.url or "")
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError as exc:
            raise ConnectionSettingsError(f"The Odoo URL is invalid ({exc})", setting="url", advice=advice) from None

        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConnectionSettingsError(
                f"The Odoo URL {self.url!r} is invalid: it needs http:// or https:// and a host name",
                setting="url",
                advice=advice,
            )
        if parts.username or parts.password:
            raise ConnectionSettingsError(
                "The Odoo URL must not contain a login or password",
                setting="url",
                advice="Remove them from the URL and set ODOO_USER and ODOO_API_KEY instead.",
            )
        if parts.query or parts.fragment:
            raise ConnectionSettingsError(
                f"The Odoo URL {self.url!r} must not contain a query or a fragment",
                setting="url",
                advice=advice,
            )
        # A path is kept for servers behind a proxy at a sub-path, but the paths of
        # Odoo's web client (/web, /odoo) come from a URL pasted out of the browser.
        first_segment = parts.path.strip("/").split("/", 1)[0]
        if first_segment in ("web", "odoo"):
            root = f"{parts.scheme}://{parts.netloc}"
            raise ConnectionSettingsError(
                f"The Odoo URL {self.url!r} is the address of a page of Odoo's web client, not of the server",
                setting="url",
                advice=f"Set {ENVIRONMENT_VARIABLES['url']} to {root} (the address without /{first_segment}/...).",
            )

    def __repr__(self) -> str:
        return (
            f"ConnectionSettings(url={self.url!r}, db={self.db!r}, user={self.user!r}, "
            f"password={_mask(self.password)}, api_key={_mask(self.api_key)}, "
            f"verify_tls={self.verify_tls!r}, timeout={self.timeout!r}, "
            f"protocol={self.protocol!r}, max_retries={self.max_retries!r})"
        )

    __str__ = __repr__


def _mask(secret: str | None) -> str:
    return "'***'" if secret else "None"


def _parse_bool(raw: str, variable: str) -> bool:
    word = raw.lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ConnectionSettingsError(
        f"{variable}={raw!r} is not a boolean",
        setting="verify_tls",
        advice=f"Set {variable} to 1 or 0.",
    )
