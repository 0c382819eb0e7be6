"""Typed errors for Odoo external API calls.

Every error raised by the Odoo client is an :class:`OdooError`. It is either a
:class:`TransientOdooError`, which the client retries, or a
:class:`TerminalOdooError`, which retrying cannot fix.

Each error carries the call it belongs to (``model``, ``method``), Odoo's own
message (``odoo_message``), the server-side exception type when Odoo sends it
(``exception_type``), the XML-RPC ``fault_code`` or JSON-2 ``http_status``, and
the server traceback in ``debug``. ``str(error)`` is one sentence for the user
that says what failed and what to do next. ``debug`` is meant for the log file
only.

The client removes the configured password and API key from every text it puts
into an error, so no error built by the client contains a secret.
"""

from __future__ import annotations

from typing import Any


class OdooError(Exception):
    """Base class of every error raised by the Odoo client."""

    retryable = False
    advice = "Check the Odoo server log for details."

    def __init__(
        self,
        summary: str,
        *,
        model: str | None = None,
        method: str | None = None,
        odoo_message: str | None = None,
        exception_type: str | None = None,
        fault_code: int | None = None,
        http_status: int | None = None,
        debug: str | None = None,
        advice: str | None = None,
    ) -> None:
        self.summary = summary
        self.model = model
        self.method = method
        self.odoo_message = odoo_message
        self.exception_type = exception_type
        self.fault_code = fault_code
        self.http_status = http_status
        self.debug = debug
        # How many attempts the client made before it raised this error.
        self.attempts = 1
        if advice is not None:
            self.advice = advice
        # The user message is the only exception argument, so a traceback
        # printed by Python shows neither `debug` nor any request data.
        super().__init__(self.user_message)

    @property
    def call(self) -> str | None:
        """The failed call as ``model.method``, or None outside a model call."""
        if self.model and self.method:
            return f"{self.model}.{self.method}"
        return self.method or self.model

    @property
    def user_message(self) -> str:
        """One sentence: what failed, Odoo's message, and what to do next."""
        text = self.summary
        if self.call:
            text = f"{text} ({self.call})"
        if self.odoo_message:
            text = f"{text}: {_one_line(self.odoo_message)}"
        return f"{text.rstrip('.')}. {self.advice}"

    def __str__(self) -> str:
        return self.user_message

    def __repr__(self) -> str:
        parts = [repr(self.summary)]
        for name in ("model", "method", "exception_type", "fault_code", "http_status"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def redact(self, secrets: tuple[str, ...]) -> None:
        """Remove the given secrets from every text of this error, in place."""
        from .redaction import redact

        if not secrets:
            return
        for name in ("summary", "odoo_message", "debug", "advice"):
            value = getattr(self, name, None)
            if isinstance(value, str):
                setattr(self, name, redact(value, secrets))
        self.args = (self.user_message,)

    def to_dict(self) -> dict[str, Any]:
        """Return the error's attributes for structured logs and reports."""
        return {
            "error": type(self).__name__,
            "message": self.user_message,
            "model": self.model,
            "method": self.method,
            "odoo_message": self.odoo_message,
            "exception_type": self.exception_type,
            "fault_code": self.fault_code,
            "http_status": self.http_status,
            "retryable": self.retryable,
        }


class TransientOdooError(OdooError):
    """A failure that may pass on its own: a timeout, a dropped connection,
    HTTP 429/502/503/504, or a PostgreSQL serialization failure or deadlock."""

    retryable = True
    advice = "Wait and run the command again; the server was busy or unreachable."

    def __init__(self, summary: str, *, retry_after: str | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(summary, **kwargs)


class TerminalOdooError(OdooError):
    """A failure that the same call will meet again."""


class ConnectionSettingsError(TerminalOdooError):
    """Missing or invalid connection settings: URL, database, user, secret, TLS."""

    advice = "Fix the connection settings and try again."

    def __init__(self, summary: str, *, setting: str | None = None, **kwargs: Any) -> None:
        self.setting = setting
        super().__init__(summary, **kwargs)


class AuthenticationError(TerminalOdooError):
    """Wrong login, password or API key (XML-RPC fault 3, HTTP 401, or
    ``authenticate`` returning False)."""

    advice = (
        "Check ODOO_USER and the password or API key (ODOO_PASSWORD, ODOO_API_KEY); "
        "an API key must belong to that user and must not have expired."
    )


class AccessRightsError(TerminalOdooError):
    """The user may not do this (XML-RPC fault 4, HTTP 403)."""

    advice = "Give the Odoo user the access rights named above, or connect as a user who has them."


class ValidationFault(TerminalOdooError):
    """Odoo rejected the values (UserError or ValidationError: XML-RPC fault 2,
    HTTP 422)."""

    advice = "Correct the values named in Odoo's message and send the records again."


class MissingRecordError(TerminalOdooError):
    """The record does not exist or was deleted (MissingError, HTTP 404 on a
    record)."""

    advice = "The record was deleted in Odoo; look it up again before you update it."


class UnknownModelOrMethodError(TerminalOdooError):
    """The model or method does not exist on this server (HTTP 404, XML-RPC
    fault 2 for a model, fault 1 AttributeError for a method)."""

    advice = "Install the Odoo module that provides it, or check the model and method names."


class ServerFault(TerminalOdooError):
    """A Python error on the server (XML-RPC fault 1, HTTP 500), such as an
    unknown field or an invalid selection value, or a response the client
    cannot read."""

    advice = "Check the field names and values against the Odoo schema; the traceback is in the log."


class CallSignatureError(TypeError):
    """A call that the client cannot translate for the transport in use.

    This is a bug in the calling code, not an Odoo error, so it is a
    :class:`TypeError` and is never retried.
    """


def _one_line(text: str, limit: int = 500) -> str:
    """Join the lines of ``text`` with spaces and cut it to ``limit`` characters."""
    joined = " ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(joined) > limit:
        return joined[: limit - 1] + "…"
    return joined
