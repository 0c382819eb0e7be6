"""Translation of XML-RPC faults and JSON-2 error responses into typed errors.

Errors are classified by XML-RPC fault code, HTTP status and the server-side
exception type. Odoo's messages are translated into the user's language and
change between versions, so they are read only in the cases named below.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import (
    AccessRightsError,
    AuthenticationError,
    ConnectionSettingsError,
    MissingRecordError,
    OdooError,
    ServerFault,
    TransientOdooError,
    UnknownModelOrMethodError,
    ValidationFault,
)

# Odoo's XML-RPC fault codes (the same in 17, 18 and 19).
FAULT_APPLICATION_ERROR = 1  # any Python error; the fault string is the traceback
FAULT_USER_ERROR = 2  # UserError and its subclasses: ValidationError, MissingError, ...
FAULT_ACCESS_DENIED = 3  # wrong login, password or API key
FAULT_ACCESS_ERROR = 4  # missing access rights

TRANSIENT_HTTP_STATUSES = frozenset({429, 502, 503, 504})

# PostgreSQL concurrency errors, which Odoo itself retries a few times before
# giving up. A later attempt usually succeeds.
TRANSIENT_EXCEPTION_TYPES = frozenset(
    {
        "psycopg2.errors.SerializationFailure",
        "psycopg2.errors.DeadlockDetected",
        "psycopg2.errors.LockNotAvailable",
        "psycopg2.extensions.TransactionRollbackError",
        "psycopg2.errors.TransactionRollback",
    }
)
# The same errors recognised by PostgreSQL's own message, for responses that
# carry no exception type. PostgreSQL messages are not translated by Odoo.
TRANSIENT_MESSAGE_PATTERN = re.compile(
    r"could not serialize access|concurrent update|deadlock detected|could not obtain lock",
    re.IGNORECASE,
)

# NOTE: an XML-RPC fault 2 carries no exception type. A missing record and an
# unknown model are distinguished from other user errors only by Odoo's English
# messages below (the same in 17 and 19). With another user language they
# come back as ValidationFault.
_MISSING_RECORD_PATTERN = re.compile(r"^Record does not exist or has been deleted")
_UNKNOWN_MODEL_PATTERN = re.compile(r"^Object \S+ doesn't exist$")

_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")


def split_traceback(text: str) -> tuple[str | None, str]:
    """Return the exception type and message that end a Python traceback.

    For text that is not a traceback, return ``(None, text)``.
    """
    lines = text.rstrip().splitlines()
    last_frame = None
    for index, line in enumerate(lines):
        if line.startswith('  File "') or line.startswith("Traceback (most recent call last)"):
            last_frame = index
    if last_frame is None:
        return None, text.strip()

    # After the last frame come its indented source lines, then the
    # exception line, which may be followed by more lines of the message.
    index = last_frame + 1
    while index < len(lines) and (lines[index].startswith(" ") or not lines[index].strip()):
        index += 1
    if index >= len(lines):
        return None, lines[-1].strip()

    match = _EXCEPTION_LINE.match(lines[index])
    if not match:
        return None, "\n".join(lines[index:]).strip()
    first = match.group(2) or ""
    message = "\n".join([first, *lines[index + 1 :]]).strip()
    return match.group(1), message


def is_transient(exception_type: str | None, message: str | None) -> bool:
    """Return whether a server error is a PostgreSQL concurrency failure worth retrying."""
    if exception_type in TRANSIENT_EXCEPTION_TYPES:
        return True
    return bool(message and TRANSIENT_MESSAGE_PATTERN.search(message))


def error_from_fault(fault_code: Any, fault_string: str, *, model: str | None, method: str | None) -> OdooError:
    """Translate an XML-RPC fault of ``/xmlrpc/2`` into a typed error."""
    fault_string = fault_string or ""
    context = {"model": model, "method": method, "fault_code": fault_code}

    if fault_code == FAULT_ACCESS_DENIED:
        return AuthenticationError(
            "Odoo rejected the login", odoo_message=fault_string, exception_type="odoo.exceptions.AccessDenied", **context
        )
    if fault_code == FAULT_ACCESS_ERROR:
        return AccessRightsError(
            "Odoo denied access", odoo_message=fault_string, exception_type="odoo.exceptions.AccessError", **context
        )
    if fault_code == FAULT_USER_ERROR:
        message = fault_string.strip()
        if _MISSING_RECORD_PATTERN.match(message):
            return MissingRecordError(
                "The record does not exist in Odoo",
                odoo_message=message,
                exception_type="odoo.exceptions.MissingError",
                **context,
            )
        if _UNKNOWN_MODEL_PATTERN.match(message):
            return UnknownModelOrMethodError("The model does not exist in Odoo", odoo_message=message, **context)
        return ValidationFault("Odoo rejected the values", odoo_message=message, **context)

    exception_type, message = split_traceback(fault_string)
    debug = fault_string if exception_type else None
    if is_transient(exception_type, message):
        return TransientOdooError(
            "The Odoo database reported a concurrent update",
            odoo_message=message,
            exception_type=exception_type,
            debug=debug,
            **context,
        )
    if exception_type == "AttributeError":
        return UnknownModelOrMethodError(
            "The method does not exist in Odoo", odoo_message=message, exception_type=exception_type, debug=debug, **context
        )
    return ServerFault(
        "Odoo failed with a server error", odoo_message=message, exception_type=exception_type, debug=debug, **context
    )


def error_from_json2(
    status: int,
    body: Any,
    *,
    model: str | None,
    method: str | None,
    retry_after: str | None = None,
) -> OdooError:
    """Translate a JSON-2 error response (status and decoded body) into a typed error.

    ``body`` is the decoded JSON object, or the raw text when the response was
    not JSON (proxies and Odoo's own 404 page send HTML).
    """
    context: dict[str, Any] = {"model": model, "method": method, "http_status": status}
    if isinstance(body, dict):
        # JSON-2 names built-in exceptions "builtins.ValueError", where an
        # XML-RPC traceback prints "ValueError". Both transports report the latter.
        exception_type = _strip_prefix(body.get("name"), "builtins.")
        message = body.get("message") or ""
        debug = body.get("debug")
        if isinstance(debug, dict):  # a shortened traceback, as in captured responses
            debug = "\n".join([*debug.get("first_lines", []), "...", *debug.get("last_lines", [])])
        context.update(exception_type=exception_type, odoo_message=message, debug=debug)
    else:
        exception_type = None
        message = ""
        context["odoo_message"] = f"HTTP {status}"

    if status in TRANSIENT_HTTP_STATUSES:
        summary = "Odoo is busy or unavailable"
        if retry_after:
            summary = f"{summary} (Retry-After: {retry_after})"
        return TransientOdooError(summary, retry_after=retry_after, **context)
    if status == 401:
        return AuthenticationError("Odoo rejected the API key", **context)
    if status == 403:
        return AccessRightsError("Odoo denied access", **context)
    if status == 404 and not isinstance(body, dict):
        # Odoo returns an HTML 404 page for an unknown X-Odoo-Database, and
        # so does any server that is not Odoo 19 or later.
        return ConnectionSettingsError(
            "The server returned HTTP 404 for this database: the database does not exist there, or the server has no JSON-2",
            setting="db",
            advice="Check ODOO_DB against the names the server's database selector shows; JSON-2 needs Odoo 19 or later.",
            **context,
        )
    if status == 404:
        if exception_type == "odoo.exceptions.MissingError":
            return MissingRecordError("The record does not exist in Odoo", **context)
        return UnknownModelOrMethodError("The model or method does not exist in Odoo", **context)
    if status == 422 and exception_type != "werkzeug.exceptions.UnprocessableEntity":
        return ValidationFault("Odoo rejected the values", **context)
    if status == 422:
        # A 422 from the JSON-2 controller itself means the arguments did not
        # fit the method. XML-RPC reports the same mistake as a Python
        # TypeError (fault 1), so both transports raise ServerFault for it.
        return ServerFault(
            "Odoo rejected the call's arguments",
            advice="This is a bug in the calling code; report it with the log file.",
            **context,
        )
    if is_transient(exception_type, message):
        return TransientOdooError("The Odoo database reported a concurrent update", **context)
    return ServerFault("Odoo failed with a server error", **context)


def _strip_prefix(name: str | None, prefix: str) -> str | None:
    if name and name.startswith(prefix):
        return name[len(prefix) :]
    return name
